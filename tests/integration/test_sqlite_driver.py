"""db/sqlite_driver.py through db.engine.create_engine: one trip to aiosqlite's thread per
statement (its BEGIN included), and everything SQLAlchemy reads from a cursor still right."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine

metadata = sa.MetaData()
notes = sa.Table(
    "notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("title", sa.String, nullable=False, unique=True),
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@contextmanager
def counted_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every function aiosqlite runs on a connection's thread, from here on."""
    trips: list[Any] = []
    original = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.append(fn)
        return await original(self, fn, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(aiosqlite.Connection, "_execute", counting)
        yield trips


async def test_each_statement_is_one_trip_and_begin_rides_with_the_first(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with engine.connect() as connection:
        await connection.execute(sa.select(1))  # the pooled connection is open and warm
        await connection.commit()
        with counted_trips(monkeypatch) as trips:
            await connection.execute(sa.insert(notes).values(title="first"))
            await connection.execute(sa.insert(notes).values(title="second"))
            await connection.execute(sa.select(notes.c.title))
            await connection.commit()
    # BEGIN IMMEDIATE + INSERT, INSERT, SELECT, COMMIT; SQLAlchemy's own adapter takes four
    # trips per statement (cursor, execute, fetchall, close) and one more for BEGIN.
    assert len(trips) == 4


async def test_rows_rowcount_lastrowid_and_description_come_back(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        inserted = await connection.execute(sa.insert(notes).values(title="one"))
        assert inserted.inserted_primary_key == (1,)  # cursor.lastrowid
        many = await connection.execute(sa.insert(notes), [{"title": "two"}, {"title": "three"}])
        assert many.rowcount == 2
        changed = await connection.execute(
            sa.update(notes).where(notes.c.id > 1).values(title=notes.c.title + "!")
        )
        assert changed.rowcount == 2
        result = await connection.execute(sa.select(notes.c.id, notes.c.title).order_by("id"))
        assert list(result.keys()) == ["id", "title"]  # cursor.description
        assert result.all() == [(1, "one"), (2, "two!"), (3, "three!")]
        nothing = await connection.execute(sa.delete(notes).where(notes.c.id == 99))
        assert nothing.rowcount == 0


async def test_an_error_is_sqlalchemys_and_the_connection_goes_on(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(sa.insert(notes).values(title="taken"))
        await connection.commit()
        with pytest.raises(IntegrityError):
            await connection.execute(sa.insert(notes).values(title="taken"))
        await connection.rollback()
        count = await connection.scalar(sa.select(sa.func.count()).select_from(notes))
        assert count == 1


async def test_streamed_results_still_use_a_server_side_cursor(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(sa.insert(notes), [{"title": f"n{i}"} for i in range(250)])
        streamed = await connection.stream(sa.select(notes.c.id).order_by(notes.c.id))
        ids = [row.id async for row in streamed]
    assert ids == list(range(1, 251))
