"""Database errors that mean "no such row", not "something broke".

An id comes from callback data, a command argument or a Mini App path; a crafted one can be
larger than the column holds. PostgreSQL's driver refuses to send it (asyncpg: `invalid input
for query argument $1: ... (value out of int32 range)`, raised as a `DataError` before the
query leaves the process, so the transaction stays usable) and SQLite's refuses anything over
64 bits (`OverflowError: Python int too large to convert to SQLite INTEGER`). No row can have
such an id, so the edges answer "not found" instead of logging a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

# Cause chains are short; the bound only guards against a cycle built by hand.
_MAX_CHAIN: Final = 16
_ASYNCPG_OUT_OF_RANGE: Final = ("out of int16 range", "out of int32 range", "out of int64 range")
_SQLITE_TOO_LARGE: Final = "too large to convert to SQLite INTEGER"


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen and len(seen) < _MAX_CHAIN:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_id_out_of_range(error: BaseException) -> bool:
    """True when `error` (or what caused it) is a driver refusing an integer too large for
    its column: an id that cannot name any row."""
    for link in _chain(error):
        text = str(link)
        if isinstance(link, OverflowError) and _SQLITE_TOO_LARGE in text:
            return True
        # asyncpg.exceptions.DataError, matched by name: db stays importable without asyncpg.
        if type(link).__name__ == "DataError" and any(m in text for m in _ASYNCPG_OUT_OF_RANGE):
            return True
    return False
