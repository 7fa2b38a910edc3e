"""Fixtures shared by every layer: settings on a fresh embedded database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from core.config import Settings, ThrottleSection


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per test run; each test gets a copy (fast, isolated)."""
    from db.migrate import upgrade_to_head

    path = tmp_path_factory.mktemp("db-template") / "template.db"
    upgrade_to_head(f"sqlite+aiosqlite:///{path}")
    return path


def make_settings(database_path: Path, **overrides: object) -> Settings:
    # Throttling would drop the quick bursts of updates tests send; its own tests turn it on.
    overrides.setdefault("throttle", ThrottleSection(enabled=False))
    # _env_file=None: a developer's .env must never leak into tests.
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=f"sqlite+aiosqlite:///{database_path}",
        storage_url=f"file://{database_path.parent / 'files'}",
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture
def settings(migrated_sqlite_template: Path, tmp_path: Path) -> Settings:
    database = tmp_path / "telemed.db"
    shutil.copyfile(migrated_sqlite_template, database)
    return make_settings(database)


def service_unavailable(reason: str) -> None:
    """Skip a test whose service is absent — except in CI, where every service must be there."""
    if os.environ.get("TELEMED_REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (TELEMED_REQUIRE_SERVICES is set: CI provides every service)")
    pytest.skip(reason)


DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis database for tests (db 15 by default); keys are namespaced per test run."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        service_unavailable(f"Redis not reachable at {url}: {error!r}")
    return url


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # The machine has no internet: Chromium's background calls would only fail and slow it.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        service_unavailable(f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM
