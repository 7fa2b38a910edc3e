"""Pacing shared by a bot's processes through Redis (bot.pacing), on a real Redis server.

Two outbound paths stand for two processes of one bot (the bot and the scheduler): with the
shared limiters, together they keep to the overall rate; a second bot has a budget of its own;
with Redis gone, each process paces alone and says so once.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from redis.asyncio import Redis

from bot.outbound import OutboundMiddleware
from bot.pacing import SharedLimiter, shared_limiters
from core.config import OutboundSection
from tests.integration.test_outbound_flood import ScriptedTelegram

# 20 messages a second overall, no burst; chats fast enough not to matter.
PACE = OutboundSection(
    chat_rate_per_s=1000.0, chat_burst=10, global_rate_per_s=20.0, global_burst=1
)
PER_PROCESS = 10


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def _bot_id() -> int:
    # A bot of its own per test run: its keys are nobody else's (the Redis is shared).
    return random.randrange(10**9, 2 * 10**9)


def _process(
    redis: Redis, bot_id: int, settings: OutboundSection = PACE
) -> tuple[Bot, ScriptedTelegram]:
    session = ScriptedTelegram()
    limiters = shared_limiters(redis, settings, bot_id)
    session.middleware(OutboundMiddleware(settings, limiters=limiters))
    return Bot(f"{bot_id}:TEST-token", session=session), session


async def _send_from_each(bots: list[Bot]) -> None:
    chats = itertools.count(1000)
    await asyncio.gather(
        *(bot.send_message(next(chats), "hi") for bot in bots for _ in range(PER_PROCESS))
    )


def _most_in_any_second(sent_at: list[float]) -> int:
    moments = sorted(sent_at)
    return max(sum(1 for other in moments if start <= other < start + 1.0) for start in moments)


async def test_two_processes_of_one_bot_keep_to_one_overall_rate(redis: Redis) -> None:
    bot_id = _bot_id()
    (first, first_calls), (second, second_calls) = (
        _process(redis, bot_id),
        _process(redis, bot_id),
    )

    started = time.monotonic()
    await _send_from_each([first, second])
    elapsed = time.monotonic() - started

    sent_at = first_calls.sent_at + second_calls.sent_at
    assert len(sent_at) == 2 * PER_PROCESS
    # 20 messages at 20/s with no burst: the last one 0.95 s after the first, whichever
    # process sent it — each alone would have been done in under half of that.
    assert elapsed >= 0.9
    assert _most_in_any_second(sent_at) <= 21


async def test_another_bot_has_a_budget_of_its_own(redis: Redis) -> None:
    busy, _ = _process(redis, _bot_id())
    other, _ = _process(redis, _bot_id())
    await _send_from_each([busy])  # this bot's budget is spent for the next half second

    started = time.monotonic()
    await other.send_message(1, "hi")

    assert time.monotonic() - started < 0.2


async def test_without_redis_each_process_paces_alone_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Nothing listens on port 1: every script call fails at once.
    gone = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.5)
    limiter = SharedLimiter(gone, name="all", bot_id=_bot_id(), rate_per_s=10.0, burst=1)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.pacing"):
            delays = [await limiter.reserve(0) for _ in range(3)]
    finally:
        await gone.aclose()

    # The local limiter's answers: at once, then 0.1 s apart.
    assert delays[0] == 0.0
    assert delays[1] == pytest.approx(0.1, abs=0.02)
    assert delays[2] == pytest.approx(0.2, abs=0.02)
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1
