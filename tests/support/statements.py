"""Counting the SQL statements an engine sends, to guard against redundant queries per step."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

# SQLite's BEGIN IMMEDIATE is sent as SQL by db.engine; PostgreSQL's goes through the driver.
# Counted on neither backend, so the tables compare queries, not transaction plumbing.
_TRANSACTION_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK)\b", re.IGNORECASE)


class StatementLog:
    """The statements sent to the database while `record_statements` was open, in order."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __len__(self) -> int:
        return len(self.statements)

    def clear(self) -> None:
        self.statements.clear()

    def show(self) -> str:
        """One line per statement, whitespace collapsed: what a failing assertion prints."""
        return "\n".join(
            f"{number:3}. {' '.join(statement.split())}"
            for number, statement in enumerate(self.statements, start=1)
        )


@contextmanager
def record_statements(engine: AsyncEngine) -> Iterator[StatementLog]:
    """Every statement the engine's cursors execute, transaction control excepted.

    `before_cursor_execute` sees what reaches the driver: an ORM load with `selectin` roles is
    two statements, as the database sees it. Savepoints are counted: each is a round trip.
    """
    log = StatementLog()

    def _on_execute(
        _connection: Any,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if not _TRANSACTION_CONTROL.match(statement):
            log.statements.append(statement)

    target = engine.sync_engine
    event.listen(target, "before_cursor_execute", _on_execute)
    try:
        yield log
    finally:
        event.remove(target, "before_cursor_execute", _on_execute)
