"""Alembic environment: async engine, one URL source, SQLite-safe settings."""

from __future__ import annotations

import asyncio
import os
from logging.config import fileConfig
from typing import Any, Literal

import sqlalchemy as sa
from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from db.base import UtcDateTime
from db.engine import create_engine, is_sqlite
from db.models import Base

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/telemed.db"

config = context.config

# db.migrate turns this off: the application has configured logging already, and fileConfig
# would disable its loggers.
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url: str | None = (
        config.attributes.get("url")
        or context.get_x_argument(as_dictionary=True).get("url")
        or config.get_main_option("sqlalchemy.url")
        or os.environ.get("DATABASE_URL")
    )
    return url or DEFAULT_DATABASE_URL


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write migrations in plain SQLAlchemy types, so they never import application code.

    Enums become VARCHAR: their member lists belong to the code, not to the schema.
    """
    if type_ == "type":
        if isinstance(obj, UtcDateTime):
            return "sa.DateTime(timezone=True)"
        if isinstance(obj, sa.Enum) and not obj.native_enum:
            return f"sa.String(length={obj.length})"
    return False


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def _run_sync(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    # db.engine makes SQLite DDL transactional (explicit BEGIN), so a failed migration rolls
    # back entirely there too; Alembic assumes otherwise for SQLite unless told.
    _configure(connection=connection, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            # Foreign keys are off while migrating (see below); verify nothing was orphaned.
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"migration left dangling foreign keys: {problems[:10]}")


async def run_migrations_online() -> None:
    url = database_url()
    # With foreign keys on, a batch rebuild (copy, drop old table, rename) would cascade.
    engine = create_engine(url, sqlite_foreign_keys=not is_sqlite(url))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_sync)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    # db.migrate runs this in a thread of its own, so there is no running loop here.
    asyncio.run(run_migrations_online())
