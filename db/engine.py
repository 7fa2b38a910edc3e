"""Engine and session factory for PostgreSQL (asyncpg) and SQLite (aiosqlite)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as _create_async_engine

from db.sqlite_driver import OneTripCursor, one_trip_aiosqlite

# How long an SQLite connection waits for another one's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Owner read/write only: the embedded database file and its journals.
PRIVATE_FILE_MODE = 0o600


def create_engine(
    url: str, *, echo: bool = False, sqlite_foreign_keys: bool = True
) -> AsyncEngine:
    """An async engine for `url`; SQLite files get their directory and sane pragmas.

    `sqlite_foreign_keys=False` is for migrations only: SQLite batch migrations rebuild
    tables, which foreign key enforcement would turn into cascading deletes.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # pool_pre_ping: a bot idles for hours; connections dropped by the server or a proxy
        # are replaced instead of failing the next update.
        engine = _create_async_engine(parsed, echo=echo, pool_pre_ping=True)
    else:
        _prepare_sqlite_file(parsed)
        # One thread hop per statement instead of aiosqlite's four (db/sqlite_driver.py).
        engine = _create_async_engine(parsed, echo=echo, module=one_trip_aiosqlite())
        _configure_sqlite(engine, foreign_keys=sqlite_foreign_keys)
    _track_writes(engine)
    return engine


def create_session_maker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # expire_on_commit=False: repositories return DTOs, but rows must stay readable after the
    # interactor commits (an expired attribute would need lazy I/O, which async forbids).
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


async def end_if_read_only(session: AsyncSession) -> bool:
    """End the session's transaction if it has only read, giving its connection back.

    For callers about to wait on something slow (a Bot API call): an idle read transaction
    would keep a pooled connection, and on PostgreSQL a snapshot, for the whole wait. A
    transaction that wrote, or objects waiting to be flushed, are left to their owner's commit.
    Committing a read-only transaction changes nothing, and with `expire_on_commit=False`
    the objects it loaded stay readable. True when a transaction was ended.
    """
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    connection = await session.connection()
    if connection.sync_connection is None or connection.sync_connection.info.get(_WROTE):
        return False
    await session.commit()
    return True


def _track_writes(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.info[_WROTE] = False

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before_execute(
        connection: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if not connection.info.get(_WROTE) and is_write(statement):
            connection.info[_WROTE] = True


# connection.info key: whether the current transaction has sent a statement that writes.
_WROTE = "telemed_transaction_wrote"


def _prepare_sqlite_file(url: URL) -> None:
    """Make the file's directory, and the file itself readable by its owner only.

    The database holds owners' personal data and medical cards, like the blobs (stored 0600).
    SQLite creates its -wal and -shm files with the database file's permissions, so making
    the main file 0600 before the first connection covers them too.
    """
    database = url.database
    if not database or database == ":memory:" or url.query.get("uri") == "true":
        return
    path = Path(database).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE_MODE)
    os.close(descriptor)
    # A file made by an older version (or by hand) is tightened too.
    path.chmod(PRIVATE_FILE_MODE)


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 driver (see _before_execute). Pragmas
        # below then run outside any transaction, where SQLite honours them.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            # SQLite ignores foreign keys (and ON DELETE CASCADE) unless asked, per connection.
            cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            # WAL: readers outside a write transaction neither block nor get blocked.
            cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Nothing is sent yet: BEGIN goes out with the transaction's first statement, deferred
        # for a read and IMMEDIATE for a write (_before_execute).
        #
        # Taken back once (72c6ae5) for issue #10's flood bound, which it did not break: a
        # flooder's paced answers held their transactions (now ended before the pace,
        # bot.outbound.end_idle_read), which with IMMEDIATE at the first statement stalled
        # everyone else for seconds and pushed the test's questions past the flood.
        connection.info[_SQLITE_TRANSACTION] = None

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _before_execute(
        connection: Connection,
        cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if not connection.in_transaction():
            return  # connect-time pragmas and other statements outside a transaction
        current = connection.info.get(_SQLITE_TRANSACTION)
        if current == _WRITING:
            return
        if not is_write(statement):
            if current is None:
                # Deferred: a reader takes no lock and, in WAL mode, waits for no writer.
                _send_first(cursor, "BEGIN")
                connection.info[_SQLITE_TRANSACTION] = _READING
            return
        if current == _READING:
            # A deferred transaction that read cannot safely become a writer: if another
            # connection wrote since its snapshot, SQLite refuses at once (SQLITE_BUSY_SNAPSHOT,
            # busy_timeout does not apply). It wrote nothing, so it ends here and the writes
            # run in a fresh transaction on the newest data: what the earlier reads saw may
            # have changed, exactly as under PostgreSQL's READ COMMITTED, which the
            # repositories are written for (conditional UPDATEs, unique constraints).
            _send_first(cursor, "COMMIT")
        # IMMEDIATE takes the write lock now, waiting up to busy_timeout for another writer,
        # and holds it only until this transaction ends: the writes and what follows them.
        _send_first(cursor, "BEGIN IMMEDIATE")
        connection.info[_SQLITE_TRANSACTION] = _WRITING


def _send_first(cursor: Any, statement: str) -> None:
    """Send transaction control ahead of the statement about to execute on `cursor`."""
    if isinstance(cursor, OneTripCursor):
        cursor.send_before_next(statement)  # in the same trip to the connection's thread
    else:
        cursor.execute(statement)


# connection.info key: how far the current SQLite transaction has gone (None: no statement yet).
_SQLITE_TRANSACTION = "telemed_sqlite_transaction"
_READING = "reading"
_WRITING = "writing"
# The statements that only read. SAVEPOINT counts as a write: a nested transaction is opened
# to write, and it cannot outlive the COMMIT that would upgrade a reader.
_READ_ONLY_VERBS = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "VALUES"})
_WRITE_VERBS_IN_CTE = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def is_write(statement: str) -> bool:
    """Whether an SQL statement may change the database (anything but a plain read)."""
    verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    if verb == "WITH":
        return _WRITE_VERBS_IN_CTE.search(statement) is not None
    return verb not in _READ_ONLY_VERBS
