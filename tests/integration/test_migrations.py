"""Alembic migrations: reversible on PostgreSQL and SQLite, and in step with the models."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from core.enums import ACTIVE_APPOINTMENT_STATUSES
from db.engine import create_engine
from db.migrate import (
    alembic_config,
    downgrade_async,
    head_revision,
    sqlite_at_head,
    upgrade_to_head,
    upgrade_to_head_async,
)
from db.models import Base
from db.models.appointments import ACTIVE_STATUSES_SQL
from tests.integration.conftest import PostgresServer

APP_TABLES = set(Base.metadata.tables)


async def _inspect(url: str, action: Any) -> Any:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(action)
    finally:
        await engine.dispose()


def _table_names(connection: Connection) -> set[str]:
    return set(sa.inspect(connection).get_table_names())


def _model_differences(connection: Connection) -> list[Any]:
    # SQLite reflects `false` server defaults as `0`, which Alembic reports as a change;
    # server defaults are compared on PostgreSQL, where migrations are authored.
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "compare_server_default": connection.dialect.name == "postgresql",
        },
    )
    return list(compare_metadata(context, Base.metadata))


async def _assert_round_trip(url: str) -> None:
    await upgrade_to_head_async(url)
    assert await _inspect(url, _table_names) == APP_TABLES | {"alembic_version"}

    await downgrade_async(url, "base")
    assert await _inspect(url, _table_names) == {"alembic_version"}

    await upgrade_to_head_async(url)
    assert await _inspect(url, _table_names) == APP_TABLES | {"alembic_version"}
    assert await _inspect(url, _model_differences) == []


def test_migrations_have_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    assert len(script.get_heads()) == 1


def test_partial_index_lists_exactly_the_active_statuses() -> None:
    listed = set(re.findall(r"'([a-z_]+)'", ACTIVE_STATUSES_SQL))
    assert listed == {status.value for status in ACTIVE_APPOINTMENT_STATUSES}


@pytest.mark.postgres
async def test_postgres_upgrade_downgrade_upgrade_matches_models(
    postgres_server: PostgresServer,
) -> None:
    await _assert_round_trip(await postgres_server.create_database())


async def test_sqlite_upgrade_downgrade_upgrade_matches_models(sqlite_url: str) -> None:
    # The file's directory does not exist yet: migrating must create it.
    await _assert_round_trip(sqlite_url)


async def test_sync_upgrade_works_inside_a_running_event_loop(sqlite_url: str) -> None:
    # The sandbox migrates from inside its loop; env.py's asyncio.run() must not see it.
    upgrade_to_head(sqlite_url)
    upgrade_to_head(sqlite_url)  # already at head: a no-op
    assert await _inspect(sqlite_url, _table_names) == APP_TABLES | {"alembic_version"}


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite+aiosqlite://"))
    assert head_revision() == script.get_current_head()


async def test_a_database_at_head_is_recognised_without_alembic(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not sqlite_at_head(sqlite_url)  # no file yet
    upgrade_to_head(sqlite_url)
    assert sqlite_at_head(sqlite_url)

    # At head, a start does not run Alembic at all.
    def no_alembic(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("Alembic ran for a database at head")

    monkeypatch.setattr(command, "upgrade", no_alembic)
    upgrade_to_head(sqlite_url)
    monkeypatch.undo()

    # One revision behind: not at head, and the upgrade brings it there.
    script = ScriptDirectory.from_config(alembic_config(sqlite_url))
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    await downgrade_async(sqlite_url, previous)
    assert not sqlite_at_head(sqlite_url)
    upgrade_to_head(sqlite_url)
    assert sqlite_at_head(sqlite_url)

    garbage = tmp_path / "not-a-database.db"
    garbage.write_bytes(b"hello")
    assert not sqlite_at_head(f"sqlite+aiosqlite:///{garbage}")
    assert not sqlite_at_head("sqlite+aiosqlite://")
    assert not sqlite_at_head("postgresql+asyncpg://postgres@127.0.0.1/test")
