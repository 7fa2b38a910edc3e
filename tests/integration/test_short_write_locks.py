"""SQLite's write lock is held only by transactions that write, from their first write to
their end; reads take none; an update's read-only transaction ends before each Bot API call,
and before a message waits for its chat's pace.

A second connection opened with `timeout=0` (no busy wait) shows whether the lock is held:
`BEGIN IMMEDIATE` fails at once with "database is locked" while another connection holds it.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiogram import Bot
from aiogram.methods import GetMe, Response, SendMessage, TelegramMethod
from aiogram.types import User as TelegramUser
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.idle_reads import EndIdleReads
from bot.ioc import create_container
from bot.outbound import OutboundMiddleware, reads_through
from core.config import OutboundSection, Settings
from db.engine import create_engine, create_session_maker, end_if_read_only


@pytest_asyncio.fixture(loop_scope="session")
async def database(tmp_path: Path) -> AsyncIterator[tuple[Path, AsyncEngine]]:
    path = tmp_path / "telemed.db"
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)"))
        await connection.execute(text("INSERT INTO counter VALUES (1, 0)"))
    try:
        yield path, engine
    finally:
        await engine.dispose()


def _write_lock_is_free(path: Path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


def _add_elsewhere(path: Path, amount: int) -> None:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("UPDATE counter SET n = n + ? WHERE id = 1", (amount,))
    finally:
        other.close()


async def test_a_reading_transaction_leaves_the_write_lock_free(
    database: tuple[Path, AsyncEngine],
) -> None:
    path, engine = database
    async with create_session_maker(engine)() as session:
        assert (await session.execute(text("SELECT n FROM counter"))).scalar_one() == 0
        assert session.in_transaction()
        assert _write_lock_is_free(path)
        # Another connection writes while this transaction is open...
        _add_elsewhere(path, 10)
        # ...and this one still writes afterwards (no SQLITE_BUSY_SNAPSHOT), on the newest
        # data: its write starts from the other's 10, as under READ COMMITTED.
        await session.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
        await session.commit()
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT n FROM counter"))).scalar_one() == 11


async def test_a_writing_transaction_holds_the_lock_until_it_ends(
    database: tuple[Path, AsyncEngine],
) -> None:
    path, engine = database
    async with create_session_maker(engine)() as session:
        await session.execute(text("UPDATE counter SET n = 5 WHERE id = 1"))
        assert not _write_lock_is_free(path)
        # Reads after the write stay in the writing transaction and see its write.
        assert (await session.execute(text("SELECT n FROM counter"))).scalar_one() == 5
        await session.commit()
        assert _write_lock_is_free(path)
        # A new transaction starts as a reader again.
        await session.execute(text("SELECT n FROM counter"))
        assert _write_lock_is_free(path)


async def test_a_savepoint_takes_the_lock_and_rolls_back_alone(
    database: tuple[Path, AsyncEngine],
) -> None:
    path, engine = database
    async with create_session_maker(engine)() as session:
        await session.execute(text("SELECT n FROM counter"))
        with pytest.raises(RuntimeError):
            async with session.begin_nested():
                await session.execute(text("UPDATE counter SET n = 7 WHERE id = 1"))
                assert not _write_lock_is_free(path)
                raise RuntimeError("undo the nested part")
        await session.execute(text("UPDATE counter SET n = n + 1 WHERE id = 1"))
        await session.commit()
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT n FROM counter"))).scalar_one() == 1


async def test_end_if_read_only_gives_the_connection_back_and_spares_writes(
    database: tuple[Path, AsyncEngine],
) -> None:
    _, engine = database
    async with create_session_maker(engine)() as session:
        assert await end_if_read_only(session) is False  # nothing begun
        await session.execute(text("SELECT n FROM counter"))
        assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
        assert await end_if_read_only(session) is True
        assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        assert not session.in_transaction()

        await session.execute(text("UPDATE counter SET n = 3 WHERE id = 1"))
        assert await end_if_read_only(session) is False
        assert session.in_transaction()
        await session.rollback()
    async with engine.connect() as connection:
        assert (await connection.execute(text("SELECT n FROM counter"))).scalar_one() == 0


@pytest.mark.postgres
async def test_end_if_read_only_on_postgresql(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        async with create_session_maker(engine)() as session:
            await session.execute(text("SELECT 1"))
            assert await end_if_read_only(session) is True
            assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
            await session.execute(text("CREATE TEMPORARY TABLE scratch (x INTEGER)"))
            assert await end_if_read_only(session) is False
            assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
            await session.rollback()
    finally:
        await engine.dispose()


class _Seen:
    """The innermost request step: what the pool looked like when the call left."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.checked_out: list[int] = []

    async def __call__(self, bot: Bot, method: Any) -> Any:
        self.checked_out.append(self._engine.pool.checkedout())  # type: ignore[attr-defined]
        return TelegramUser(id=1, is_bot=True, first_name="bot")


async def test_an_update_holds_no_connection_while_it_calls_telegram(
    settings: Settings,
) -> None:
    container = create_container(settings)
    bot = Bot("42:TEST")
    try:
        engine = await container.get(AsyncEngine)
        seen = _Seen(engine)
        async with container() as request:
            session = await request.get(AsyncSession)
            with reads_through(request):
                await session.execute(text("SELECT count(*) FROM users"))
                await EndIdleReads()(seen, bot, GetMe())
                # The update's own write is its interactor's to commit: left as it is.
                await session.execute(text("DELETE FROM users WHERE id = -1"))
                await EndIdleReads()(seen, bot, GetMe())
                await session.rollback()
        # Outside an update (a background job) nothing is touched.
        await EndIdleReads()(seen, bot, GetMe())
        assert seen.checked_out == [0, 1, 0]
    finally:
        await bot.session.close()
        await container.close()


async def test_an_update_holds_no_connection_while_its_message_waits_for_the_chats_pace(
    settings: Settings,
) -> None:
    # One message every 2 s in a chat: the second answer waits for its slot. Before the wait
    # moved the end of the read here, an update kept its transaction (on SQLite, with BEGIN
    # IMMEDIATE, the write lock) through it: a flooder's twenty answers held it for 16 s.
    outbound = OutboundMiddleware(OutboundSection(chat_rate_per_s=0.5, chat_burst=1))
    container = create_container(settings)
    bot = Bot("42:TEST")
    try:
        engine = await container.get(AsyncEngine)
        sent: list[int] = []

        async def make_request(bot: Bot, method: TelegramMethod[Any]) -> Response[Any]:
            sent.append(engine.pool.checkedout())  # type: ignore[attr-defined]
            return Response[Any](ok=True, result=True)

        answer = SendMessage(chat_id=7, text="answer")
        async with container() as request:
            session = await request.get(AsyncSession)
            with reads_through(request):
                await outbound(make_request, bot, answer)  # the chat's burst: sent at once
                await session.execute(text("SELECT count(*) FROM users"))
                assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
                paced = asyncio.create_task(outbound(make_request, bot, answer))
                await asyncio.sleep(0.3)
                assert not paced.done()  # waiting for the chat's next slot...
                assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
                assert not session.in_transaction()  # ...with its read ended first
                paced.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await paced
        assert sent == [0]
    finally:
        await bot.session.close()
        await container.close()
