"""SQLAlchemy's aiosqlite adapter with one thread hop per statement instead of four.

aiosqlite runs every sqlite3 call on the connection's own thread and hands the result back to
the event loop; SQLAlchemy's adapter makes four such calls per statement (open a cursor,
execute, fetch all rows, close). Each one is a trip through the loop: a wake-up from the
thread, then the waiting task's turn. Under load every trip waits behind everything else that
is ready (issue #14: a /help took 115 loop rounds, 45 of them for its 11 statements, and a
flood from another user made each round ~1 ms long). Here a statement and its rows are one
call on that thread, so one trip.

Everything else is SQLAlchemy's adapter as is: connections, transactions (commit, rollback),
server-side cursors (`stream()`), errors (sqlite3's own, raised from the thread), termination.
It relies on `aiosqlite.Connection._execute` (queue a function for the connection's thread),
which SQLAlchemy's own adapter also reaches past the public API for (its isolation-level
setter uses the same queue); the locked aiosqlite version and tests/integration/
test_sqlite_driver.py keep that honest.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

# What one trip to the connection's thread brings back for a statement.
_Outcome = tuple[Any, list[Any], int, int | None]  # description, rows, rowcount, lastrowid


def _run(
    connection: sqlite3.Connection,
    before: list[str],
    operation: str,
    parameters: Any,
    many: bool,
) -> _Outcome:
    for statement in before:
        connection.execute(statement)
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose statement, rows and metadata come back in one call."""

    __slots__ = ("_before", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No aiosqlite cursor is opened (that alone is a trip): the statement opens its own.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._before: list[str] = []

    def send_before_next(self, statement: str) -> None:
        """Run `statement` (transaction control: BEGIN, COMMIT) in the next statement's trip.

        db.engine begins SQLite transactions from `before_cursor_execute`; sent on its own,
        each BEGIN would be a trip of its own.
        """
        self._before.append(statement)

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        return self._trip(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        return self._trip(operation, seq_of_parameters, many=True)

    def _trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        before, self._before = self._before, []
        try:
            outcome: _Outcome = await_(
                connection._execute(  # type: ignore[no-untyped-call]
                    _run, connection._conn, before, operation, parameters, many
                )
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)

    async def _async_soft_close(self) -> None:
        return None  # nothing open on the thread: the rows are already here

    def close(self) -> None:
        self._rows.clear()

    def nextset(self) -> None:
        return None  # sqlite3 has one result set per statement

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None  # a no-op in sqlite3 too

    def fetchall(self) -> Sequence[Any]:
        rows = list(self._rows)
        self._rows.clear()
        return rows


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    # A subclass of the adapter's own cursor class, which mypy reads as the attribute's type.
    _cursor_cls = OneTripCursor  # type: ignore[assignment]


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DB-API module SQLAlchemy's aiosqlite dialect is given (create_engine's `module`)."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def one_trip_aiosqlite() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
