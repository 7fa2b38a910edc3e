"""Databases for integration tests: a private PostgreSQL database per run, SQLite files.

PostgreSQL comes from TEST_DATABASE_URL (default: the local server's `test` database). That
database is only used to create and drop `telemed_test_<random>` databases, so parallel runs
never see each other's rows. Tests needing PostgreSQL skip only when no server answers.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from db.engine import create_engine
from db.migrate import upgrade_to_head_async
from tests.conftest import service_unavailable

DEFAULT_TEST_DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
CONNECT_TIMEOUT_S = 10


class PostgresServer:
    """Creates throw-away databases on the test server and drops them at the end of the run."""

    def __init__(self, admin_url: URL, admin: AsyncEngine) -> None:
        self._admin_url = admin_url
        self._admin = admin
        self._created: list[str] = []

    async def create_database(self) -> str:
        name = f"telemed_test_{uuid.uuid4().hex[:12]}"
        async with self._admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        self._created.append(name)
        return self._admin_url.set(database=name).render_as_string(hide_password=False)

    async def drop_all(self) -> None:
        async with self._admin.connect() as connection:
            for name in self._created:
                # FORCE: a test that failed midway may have left a connection open.
                await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._created.clear()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_server() -> AsyncIterator[PostgresServer]:
    admin_url = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_TEST_DATABASE_URL))
    # AUTOCOMMIT: CREATE/DROP DATABASE cannot run inside a transaction.
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        async with asyncio.timeout(CONNECT_TIMEOUT_S), admin.connect() as connection:
            await connection.execute(sa.text("SELECT 1"))
    except (OSError, TimeoutError) as error:
        # Only an absent server skips; bad credentials or a broken server fail loudly.
        await admin.dispose()
        shown = admin_url.render_as_string(hide_password=True)
        service_unavailable(f"PostgreSQL not reachable at {shown}: {error!r}")
    server = PostgresServer(admin_url, admin)
    try:
        yield server
    finally:
        await server.drop_all()
        await admin.dispose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty PostgreSQL database of this test run."""
    return await postgres_server.create_database()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_postgres_url(postgres_url: str) -> str:
    """The run's PostgreSQL database, migrated to head once."""
    await upgrade_to_head_async(postgres_url)
    return postgres_url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite file URL in the test's temporary directory (the file does not exist yet)."""
    return f"sqlite+aiosqlite:///{tmp_path / 'var' / 'telemed.db'}"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite file migrated to head once per run."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'telemed.db'}"
    await upgrade_to_head_async(url)
    return url


@pytest.fixture(
    scope="session",
    params=[
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("sqlite"),
    ],
)
def db_url(request: pytest.FixtureRequest) -> str:
    """A migrated database URL, once per backend: tests using it run on both."""
    # Resolved here, in a plain fixture: an async fixture cannot request another lazily.
    fixture = "migrated_postgres_url" if request.param == "postgresql" else "migrated_sqlite_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture(
    params=[
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("sqlite"),
    ],
)
def private_backend(request: pytest.FixtureRequest) -> PostgresServer | None:
    """The PostgreSQL server for a private database, or None for SQLite (both backends)."""
    # Resolved here, in a plain fixture: an async fixture cannot request another lazily.
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server
    return None


@pytest_asyncio.fixture(loop_scope="session")
async def private_db_url(
    private_backend: PostgresServer | None, migrated_sqlite_template: Path, tmp_path: Path
) -> str:
    """A migrated database of this test alone, for tests that commit through the app's own
    container: their rows must not reach `db_url`, whose tests count rows across the database."""
    if private_backend is None:
        database = tmp_path / "private.db"
        shutil.copyfile(migrated_sqlite_template, database)
        return f"sqlite+aiosqlite:///{database}"
    url = await private_backend.create_database()
    await upgrade_to_head_async(url)
    return url


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def db_engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """An application engine (db.engine.create_engine) on `db_url`."""
    engine = create_engine(db_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def db_session(db_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test.

    `commit()` in the test (or through SqlUnitOfWork) only releases a savepoint, so tests
    can exercise commits and still leave the shared database clean.
    """
    async with db_engine.connect() as connection:
        transaction = await connection.begin()
        session = AsyncSession(
            bind=connection,
            expire_on_commit=False,
            autoflush=False,
            join_transaction_mode="create_savepoint",
        )
        try:
            yield session
        finally:
            await session.close()
            await transaction.rollback()
