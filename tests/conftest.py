"""Fixtures shared by every layer: settings on a fresh embedded database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.config import Settings


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated to head per test run; each test gets a copy (fast, isolated)."""
    from db.migrate import upgrade_to_head

    path = tmp_path_factory.mktemp("db-template") / "template.db"
    upgrade_to_head(f"sqlite+aiosqlite:///{path}")
    return path


def make_settings(database_path: Path, **overrides: object) -> Settings:
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
