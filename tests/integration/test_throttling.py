"""Rate limits (issue #10): a flood from one user, and guessing invite codes.

The production dispatcher and container (bot.factory, bot.ioc) with throttling on, on SQLite,
counting attempts in memory and in Redis (`attempts_backend`). Every SQL statement the engine
runs is counted, so "dropped before any database work" is checked, not assumed.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import CallbackQuery, Chat, Message, SuccessfulPayment, Update, User
from aiogram_dialog.test_tools import BotClient
from aiogram_i18n.cores import FluentRuntimeCore
from redis.asyncio import Redis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.attempts import MemoryAttempts, RedisAttempts
from bot.throttling import throttled_kind
from core.config import Settings, ThrottleSection
from core.enums import AccessLevel, Species
from core.interactors.onboarding import GiveConsent, RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, ListMyPets, PetDraft
from core.interactors.sharing import CreateInvite
from core.ports.attempts import Attempts
from tests.support.chatting import Chatting, load_texts, open_chat

# A burst of 5 and practically no refill: what gets through does not depend on timing.
FLOOD_LIMITS = ThrottleSection(rate_per_s=0.001, burst=5, invite_attempts=3)
FLOOD = 30

# Unique per run: with Redis the budgets outlive the test (keys expire by themselves).
_telegram_ids = itertools.count(int(time.time() * 1000) % 10**9 + 2 * 10**9)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(params=["memory", "redis"])
def attempts_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def chat(
    settings: Settings, attempts_backend: str, request: pytest.FixtureRequest
) -> AsyncIterator[Chatting]:
    changes: dict[str, Any] = {"throttle": FLOOD_LIMITS}
    if attempts_backend == "redis":
        changes["redis_url"] = request.getfixturevalue("redis_url")
    async with open_chat(settings.model_copy(update=changes)) as opened:
        yield opened


class SqlCounter:
    def __init__(self) -> None:
        self.statements = 0

    def __call__(self, *args: Any) -> None:
        self.statements += 1


@pytest.fixture
async def sql(chat: Chatting) -> AsyncIterator[SqlCounter]:
    engine: AsyncEngine = await chat.container.get(AsyncEngine)
    counter = SqlCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine.sync_engine, "before_cursor_execute", counter)


def _client(chat: Chatting, telegram_id: int) -> BotClient:
    return BotClient(chat.dp, telegram_id, telegram_id, bot=chat.bot)


def _texts_to(chat: Chatting, telegram_id: int) -> list[str]:
    calls = chat.session.calls_of(SendMessage)
    return [str(call.text) for call in calls if call.chat_id == telegram_id]


async def test_a_flood_is_dropped_before_the_database_and_the_flooder_told_once(
    chat: Chatting, sql: SqlCounter, texts: FluentRuntimeCore
) -> None:
    flooder = next(_telegram_ids)
    client = _client(chat, flooder)
    for _ in range(FLOOD_LIMITS.burst):
        await client.send("/help")
    answered = len(_texts_to(chat, flooder))
    assert answered >= FLOOD_LIMITS.burst  # the burst is served in full

    statements_before = sql.statements
    for _ in range(FLOOD):
        await client.send("/help")

    assert sql.statements == statements_before  # no query, not even the user row
    notice = texts.get("msg-throttled", "ru")  # BotClient's users send no language_code
    assert _texts_to(chat, flooder)[answered:] == [notice]


async def test_another_user_is_answered_while_one_floods(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    flooder, other = next(_telegram_ids), next(_telegram_ids)
    for _ in range(FLOOD_LIMITS.burst + FLOOD):
        await _client(chat, flooder).send("/help")

    chat.session.reset()
    await _client(chat, other).send("/help")

    said = _texts_to(chat, other)
    assert said and texts.get("msg-throttled", "ru") not in said


def _tap(telegram_id: int, query_id: str) -> Update:
    person = User(id=telegram_id, is_bot=False, first_name="Flooder")
    query = CallbackQuery(id=query_id, from_user=person, chat_instance="1", data="menu:pets")
    return Update(update_id=int(time.time() * 1000) % 10**9, callback_query=query)


async def test_a_throttled_tap_is_answered_without_work(
    chat: Chatting, sql: SqlCounter, texts: FluentRuntimeCore
) -> None:
    flooder = next(_telegram_ids)
    for _ in range(FLOOD_LIMITS.burst):
        await _client(chat, flooder).send("/help")
    chat.session.reset()
    statements_before = sql.statements

    await chat.dp.feed_update(chat.bot, _tap(flooder, "first"))
    await chat.dp.feed_update(chat.bot, _tap(flooder, "second"))

    assert sql.statements == statements_before
    answers = chat.session.calls_of(AnswerCallbackQuery)
    # The spinner stops for both; the notice rides on the first answer, then silence.
    assert [(a.callback_query_id, a.text) for a in answers] == [
        ("first", texts.get("msg-throttled", "ru")),
        ("second", None),
    ]
    assert chat.session.sent_texts() == []


def _payment_message() -> Message:
    paid = SuccessfulPayment(
        currency="XTR",
        total_amount=100,
        invoice_payload="appointment:1",
        telegram_payment_charge_id="charge",
        provider_payment_charge_id="provider",
    )
    return Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=1, type="private"),
        from_user=User(id=1, is_bot=False, first_name="Payer"),
        successful_payment=paid,
    )


def test_payments_are_never_throttled_messages_and_taps_are() -> None:
    # The Stars are taken by the time a successful_payment arrives: it must be recorded.
    assert throttled_kind(Update(update_id=1, message=_payment_message())) is None
    text = _payment_message().model_copy(update={"successful_payment": None, "text": "hi"})
    assert throttled_kind(Update(update_id=2, message=text)) == "message"
    assert throttled_kind(_tap(1, "q")) == "callback"


# --- invite codes ------------------------------------------------------------------------


async def _owner_with_invite(chat: Chatting) -> str:
    owner = next(_telegram_ids)
    async with chat.container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(owner, "Owner", None, "en"))
        pet = await (await request.get(AddPet))(
            owner, PetDraft(name="Barsik", species=Species.CAT)
        )
        issued = await (await request.get(CreateInvite))(owner, pet.id, AccessLevel.VIEWER)
    return str(issued.start_payload)


async def _consented(chat: Chatting, telegram_id: int) -> BotClient:
    """A pet invite is only looked up for someone who consented (a newcomer's waits through
    onboarding, issue #13): the guessers here have."""
    profile = TelegramProfile(telegram_id, f"User_{telegram_id}", None, "ru")
    async with chat.container() as request:
        await (await request.get(RegisterUser))(profile)
        await (await request.get(GiveConsent))(profile)
    return _client(chat, telegram_id)


async def _pets_of(chat: Chatting, telegram_id: int) -> list[str]:
    async with chat.container() as request:
        return [item.pet.name for item in await (await request.get(ListMyPets))(telegram_id)]


async def test_after_too_many_wrong_invite_codes_no_code_is_checked(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    good = await _owner_with_invite(chat)
    guesser = next(_telegram_ids)
    client = await _consented(chat, guesser)
    minutes = round(FLOOD_LIMITS.invite_window_s / 60)
    wait = texts.get("err-invite-too-many-attempts", "ru", minutes=minutes)
    not_found = texts.get("err-invite-not-found", "ru")

    said = []
    for n in range(FLOOD_LIMITS.invite_attempts):
        chat.session.reset()
        await client.send(f"/start inv_{'x' * 21}{n}")
        said += [t for t in _texts_to(chat, guesser) if t in (wait, not_found)]
    # Told to wait by the last wrong code allowed, not one later.
    assert said == [not_found] * (FLOOD_LIMITS.invite_attempts - 1) + [wait]

    # Even the right code is not checked now: it would have worked.
    chat.session.reset()
    await client.send(f"/start {good}")
    assert wait in _texts_to(chat, guesser)
    assert await _pets_of(chat, guesser) == []

    # Someone else is not held back by the guesser.
    friend = next(_telegram_ids)
    chat.session.reset()
    await (await _consented(chat, friend)).send(f"/start {good}")
    assert await _pets_of(chat, friend) == ["Barsik"]


async def test_pet_and_vet_invite_guesses_share_one_budget(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    guesser = next(_telegram_ids)
    client = await _consented(chat, guesser)
    minutes = round(FLOOD_LIMITS.invite_window_s / 60)
    wait = texts.get("err-invite-too-many-attempts", "ru", minutes=minutes)
    vet_not_found = texts.get("err-vet-invite-not-found", "ru")
    pet_not_found = texts.get("err-invite-not-found", "ru")

    said = []
    for n in range(FLOOD_LIMITS.invite_attempts):
        chat.session.reset()
        # Alternating kinds gains the guesser nothing.
        code = f"vet_{'y' * 30}{n}" if n % 2 else f"inv_{'x' * 21}{n}"
        await client.send(f"/start {code}")
        said += [t for t in _texts_to(chat, guesser) if t in (wait, vet_not_found, pet_not_found)]
    assert said[-1] == wait
    assert wait not in said[:-1]
    chat.session.reset()
    await client.send(f"/start vet_{'z' * 31}")
    assert _texts_to(chat, guesser) == [wait]


# --- the counters themselves -------------------------------------------------------------


@pytest.fixture
async def redis_attempts(redis_url: str) -> AsyncIterator[tuple[RedisAttempts, RedisAttempts]]:
    """Two replicas' counters over one Redis, under a prefix of this test's own."""
    prefix = f"test:attempts:{uuid.uuid4().hex}:"
    first, second = Redis.from_url(redis_url), Redis.from_url(redis_url)
    yield RedisAttempts(first, prefix), RedisAttempts(second, prefix)
    keys = [key async for key in first.scan_iter(match=prefix + "*")]
    if keys:
        await first.delete(*keys)
    await first.aclose()
    await second.aclose()


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _spend(attempts: Iterator[Attempts], calls: int) -> list[bool]:
    return [await next(attempts).take("u", rate_per_s=0.01, burst=3) for _ in range(calls)]


async def test_replicas_share_one_budget_in_redis(
    redis_attempts: tuple[RedisAttempts, RedisAttempts],
) -> None:
    # Alternating replicas: together they let the burst through, not a burst each.
    assert await _spend(itertools.cycle(redis_attempts), 6) == [True] * 3 + [False] * 3
    first, second = redis_attempts
    assert [await first.add("w", 60), await second.add("w", 60)] == [1, 2]
    assert await second.count("w") == 2
    assert await first.count("never") == 0


async def test_redis_windows_close_by_themselves(
    redis_attempts: tuple[RedisAttempts, RedisAttempts],
) -> None:
    first, _ = redis_attempts
    await first.add("w", 30)
    ttl_ms = await first._redis.pttl(f"{first._prefix}w")
    assert 0 < ttl_ms <= 30_000
    await first.add("w", 30)  # a later event does not move the window's end
    assert await first._redis.pttl(f"{first._prefix}w") <= ttl_ms


async def test_memory_budget_refills_and_windows_close() -> None:
    clock = FakeClock()
    attempts = MemoryAttempts(clock)
    assert await _spend(itertools.repeat(attempts), 4) == [True] * 3 + [False]
    clock.now += 100.0  # one attempt's worth at 0.01/s
    assert await _spend(itertools.repeat(attempts), 2) == [True, False]

    assert [await attempts.add("w", 10), await attempts.add("w", 10)] == [1, 2]
    clock.now += 10.0
    assert await attempts.count("w") == 0
    assert await attempts.add("w", 10) == 1
