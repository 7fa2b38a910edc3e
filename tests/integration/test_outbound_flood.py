"""The outbound path (bot.outbound): flood waits, and users who blocked the bot.

Telegram's answers are real JSON bodies run through aiogram's own `check_response`, so the
exceptions are the ones aiogram raises for Telegram. The blocked-user tests use the real
container on PostgreSQL and SQLite (see `db_url`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import (
    Chat,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberUpdated,
    Message,
    Update,
    User,
)
from dishka import AsyncContainer

from bot.factory import create_dispatcher
from bot.ioc import create_container
from bot.outbound import ContainerBlockedUsers, OutboundMiddleware, RecipientBlockedError
from core.config import OutboundSection, Settings
from core.interactors.onboarding import GetUser, RegisterUser, TelegramProfile
from tests.support.recording_session import RecordingSession

# Telegram's bodies (tdlib/telegram-bot-api, telegram-bot-api/Client.cpp,
# `fail_query_with_error`: "Too Many Requests: retry after N" with parameters.retry_after;
# USER_IS_BLOCKED → 403 "Forbidden: bot was blocked by the user").
FLOOD = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 1",
    "parameters": {"retry_after": 1},
}
BLOCKED = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
# Few enough retries, and a pace fast enough, that a test takes about a second.
FAST = OutboundSection(chat_rate_per_s=100.0, chat_burst=10, max_retries=2)

_telegram_ids = itertools.count(int(time.time() * 1000) % 10**9 + 10**9)


class ScriptedTelegram(RecordingSession):
    """Answers like Telegram: a queue of flood answers first, 403 for blocked chats."""

    def __init__(self) -> None:
        super().__init__()
        self.floods = 0  # the next this many calls answer 429
        self.blocked: set[int] = set()
        self.sent_at: list[float] = []

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.sent_at.append(time.monotonic())
        chat_id = getattr(method, "chat_id", None)
        answer: dict[str, Any] | None = None
        if self.floods:
            self.floods -= 1
            answer = FLOOD
        elif chat_id in self.blocked:
            answer = BLOCKED
        if answer is None:
            return await super().make_request(bot, method, timeout)
        self.calls.append(method)
        self.check_response(bot, method, int(answer["error_code"]), json.dumps(answer))
        raise AssertionError("check_response accepts no error")


def _bot(session: ScriptedTelegram, outbound: OutboundMiddleware) -> Bot:
    session.middleware(outbound)
    return Bot("123456:TEST-token", session=session)


async def test_a_flood_answer_is_waited_out_and_the_message_sent(
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = ScriptedTelegram()
    session.floods = 1
    bot = _bot(session, OutboundMiddleware(FAST))

    with caplog.at_level(logging.WARNING, logger="bot.outbound"):
        started = time.monotonic()
        sent = await bot.send_message(77, "hello")

    assert sent.text == "hello"
    assert len(session.calls) == 2
    assert session.sent_at[1] - started >= 1.0  # retry_after
    assert [r.levelname for r in caplog.records] == ["WARNING"]


async def test_a_flood_refusing_several_chats_at_once_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = ScriptedTelegram()
    session.floods = 3
    bot = _bot(session, OutboundMiddleware(FAST))

    with caplog.at_level(logging.WARNING, logger="bot.outbound"):
        await asyncio.gather(*(bot.send_message(chat, "news") for chat in (81, 82, 83)))

    assert len(session.calls) == 6  # three refused, three retried
    assert len(caplog.records) == 1


async def test_retries_are_bounded_and_the_last_flood_answer_reaches_the_caller() -> None:
    session = ScriptedTelegram()
    session.floods = 10
    bot = _bot(session, OutboundMiddleware(OutboundSection(max_retries=1)))

    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(78, "hello")

    assert len(session.calls) == 2  # the call and one retry


async def test_a_wait_longer_than_the_cap_is_not_waited() -> None:
    session = ScriptedTelegram()
    session.floods = 1
    bot = _bot(session, OutboundMiddleware(OutboundSection(max_retry_wait_s=0.5)))

    started = time.monotonic()
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(79, "hello")

    assert time.monotonic() - started < 0.5
    assert len(session.calls) == 1


async def test_one_chat_is_paced_and_keeps_its_order() -> None:
    session = ScriptedTelegram()
    # 20 messages a second after a burst of 2: the 6th message leaves 0.2 s after the first.
    pace = OutboundSection(chat_rate_per_s=20.0, chat_burst=2)
    bot = _bot(session, OutboundMiddleware(pace))

    for text in ["1", "2", "3", "4", "5", "6"]:
        await bot.send_message(80, text)

    assert session.sent_texts() == ["1", "2", "3", "4", "5", "6"]
    assert session.sent_at[-1] - session.sent_at[0] >= 0.19


# --- users who blocked the bot, on a real database ---------------------------------------


@pytest.fixture
def db_settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=db_url,
        storage_url=f"file://{tmp_path / 'files'}",
    )


@pytest.fixture
async def container(db_settings: Settings) -> AsyncIterator[AsyncContainer]:
    container = create_container(db_settings)
    yield container
    await container.close()


@asynccontextmanager
async def _dispatcher(
    settings: Settings, container: AsyncContainer, bot: Bot
) -> AsyncIterator[Dispatcher]:
    """The production dispatcher (middlewares, errors router, dialogs), started."""
    dp = create_dispatcher(settings, container)
    await dp.emit_startup(bot=bot, dispatcher=dp)
    try:
        yield dp
    finally:
        await dp.emit_shutdown(bot=bot, dispatcher=dp)


async def _register(container: AsyncContainer, telegram_id: int) -> None:
    async with container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(telegram_id, "Ann", None, "en"))


async def _blocked_at(container: AsyncContainer, telegram_id: int) -> datetime | None:
    async with container() as request:
        user = await (await request.get(GetUser))(telegram_id)
    assert user is not None
    return user.blocked_bot_at


def _text_update(update_id: int, telegram_id: int, text: str) -> Update:
    person = User(id=telegram_id, is_bot=False, first_name="Ann", language_code="en")
    message = Message(
        message_id=update_id,
        date=datetime.now(UTC),
        chat=Chat(id=telegram_id, type="private"),
        from_user=person,
        text=text,
    )
    return Update(update_id=update_id, message=message)


async def test_a_blocked_user_is_marked_and_no_later_notice_reaches_telegram(
    container: AsyncContainer, caplog: pytest.LogCaptureFixture
) -> None:
    owner = next(_telegram_ids)
    await _register(container, owner)
    session = ScriptedTelegram()
    session.blocked.add(owner)
    bot = _bot(session, OutboundMiddleware(FAST, blocked_users=ContainerBlockedUsers(container)))

    with caplog.at_level(logging.INFO):
        with pytest.raises(TelegramForbiddenError):
            await bot.send_message(owner, "your appointment moved")
        assert await _blocked_at(container, owner) is not None
        calls_before = len(session.calls)

        # The next notice is refused here, without a call to Telegram.
        with pytest.raises(RecipientBlockedError):
            await bot.send_message(owner, "your appointment was cancelled")

    assert len(session.calls) == calls_before
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    notes = [r.getMessage() for r in caplog.records if r.name == "bot.outbound"]
    assert len(notes) == 2  # marked once, skipped once
    assert "marked" in notes[0]
    assert "not sending" in notes[1]


async def test_writing_again_clears_the_mark_and_the_bot_answers(
    container: AsyncContainer, db_settings: Settings
) -> None:
    owner = next(_telegram_ids)
    await _register(container, owner)
    session = ScriptedTelegram()
    session.blocked.add(owner)
    outbound = OutboundMiddleware(FAST, blocked_users=ContainerBlockedUsers(container))
    bot = _bot(session, outbound)
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(owner, "a notice")
    assert await _blocked_at(container, owner) is not None

    # They unblock the bot and write: the update clears the mark before any handler runs,
    # and the answers to their own chat go out.
    session.blocked.clear()
    async with _dispatcher(db_settings, container, bot) as dp:
        session.reset()
        await dp.feed_update(bot, _text_update(1, owner, "/start"))

    assert await _blocked_at(container, owner) is None
    assert session.sent_texts()  # the welcome went out
    # Notices to them go through again.
    await bot.send_message(owner, "your appointment moved")
    assert session.sent_texts()[-1] == "your appointment moved"


async def test_a_403_while_answering_the_sender_ends_the_update_quietly(
    container: AsyncContainer, db_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    owner = next(_telegram_ids)
    session = ScriptedTelegram()
    session.blocked.add(owner)  # they blocked the bot right after writing
    outbound = OutboundMiddleware(FAST, blocked_users=ContainerBlockedUsers(container))
    bot = _bot(session, outbound)

    async with _dispatcher(db_settings, container, bot) as dp:
        session.reset()
        with caplog.at_level(logging.INFO):
            await dp.feed_update(bot, _text_update(1, owner, "/start"))

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    # One try at the welcome, no apology after it (it could not arrive either).
    assert len(session.calls) == 1
    assert await _blocked_at(container, owner) is not None


async def test_telegram_saying_the_user_blocked_the_bot_marks_them_at_once(
    container: AsyncContainer, db_settings: Settings
) -> None:
    owner = next(_telegram_ids)
    await _register(container, owner)
    session = ScriptedTelegram()
    bot = _bot(session, OutboundMiddleware(FAST, blocked_users=ContainerBlockedUsers(container)))
    person = User(id=owner, is_bot=False, first_name="Ann")
    me = User(id=123456, is_bot=True, first_name="Bot")
    blocked = ChatMemberUpdated(
        chat=Chat(id=owner, type="private"),
        from_user=person,
        date=datetime.now(UTC),
        old_chat_member=ChatMemberMember(user=me),
        new_chat_member=ChatMemberBanned(user=me, until_date=datetime.fromtimestamp(0, UTC)),
    )

    async with _dispatcher(db_settings, container, bot) as dp:
        session.reset()
        await dp.feed_update(bot, Update(update_id=1, my_chat_member=blocked))

    assert await _blocked_at(container, owner) is not None
    with pytest.raises(RecipientBlockedError):
        await bot.send_message(owner, "a reminder")
    assert session.calls == []
