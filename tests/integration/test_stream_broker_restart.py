"""The queue broker across a Redis restart, on a private redis-server (never the shared one).

Upstream's broker, after a restart without persistence, fails every read with NOGROUP for good
(nothing recreates the consumer group) after a retry loop with no pause that logs a traceback
per try; and a group created at `$` skips the tasks added while it was missing.
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from taskiq import AckableMessage, AsyncBroker, BrokerMessage

from ai.queue import QueueSettings, create_broker
from ai.stream_broker import ResilientStreamBroker, RetryPolicy
from tests.conftest import service_unavailable
from tests.support.private_redis import PrivateRedis

OUTAGE_S = 2.0
# Fast retries, so a 2 s outage means dozens of failed reads: the log must still stay short.
FAST_RETRY = RetryPolicy(base_s=0.01, cap_s=0.1, summary_every_s=60.0)


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    if not PrivateRedis.available():
        service_unavailable("redis-server is not installed")
    server = PrivateRedis(tmp_path / "redis")
    await server.start()
    yield server
    server.stop()


@pytest.fixture
async def broker(redis_server: PrivateRedis) -> AsyncIterator[ResilientStreamBroker]:
    settings = QueueSettings(stream=f"telemed:test:{uuid.uuid4().hex}", retry=FAST_RETRY)
    broker = create_broker(redis_server.url, settings)
    assert isinstance(broker, ResilientStreamBroker)
    # A short block, so reads come round often (as many failures per second as possible).
    broker.block = 200
    await broker.startup()
    yield broker
    await broker.shutdown()


async def _kick(broker: AsyncBroker, text: str) -> None:
    await broker.kick(BrokerMessage(task_id=text, task_name="t", message=text.encode(), labels={}))


async def _next(messages: AsyncIterator[AckableMessage], timeout: float = 20) -> bytes:
    async with asyncio.timeout(timeout):
        message = await anext(messages)
    await message.ack()  # type: ignore[misc]
    return bytes(message.data)


async def test_a_task_added_while_the_group_was_missing_is_delivered(
    broker: ResilientStreamBroker, redis_server: PrivateRedis
) -> None:
    messages = broker.listen()
    await _kick(broker, "before")
    assert await _next(messages) == b"before"

    # The listener is paused (not iterated) while Redis restarts empty and a task arrives:
    # the stream exists again (XADD made it), its consumer group does not.
    redis_server.stop()
    await redis_server.start()
    await _kick(broker, "while-the-group-was-missing")

    assert await _next(messages) == b"while-the-group-was-missing"
    await _kick(broker, "after")
    assert await _next(messages) == b"after"
    await messages.aclose()


async def test_an_outage_is_retried_with_backoff_and_logged_in_a_few_lines(
    broker: ResilientStreamBroker, redis_server: PrivateRedis, caplog: pytest.LogCaptureFixture
) -> None:
    received: asyncio.Queue[bytes] = asyncio.Queue()

    async def consume() -> None:
        async for message in broker.listen():
            await message.ack()  # type: ignore[misc]
            received.put_nowait(bytes(message.data))

    consumer = asyncio.create_task(consume())
    try:
        await _kick(broker, "before")
        assert await asyncio.wait_for(received.get(), 20) == b"before"

        caplog.clear()
        with caplog.at_level(logging.INFO):
            redis_server.stop()
            # The outage itself: its length is the scenario, nothing waits on it.
            await asyncio.sleep(OUTAGE_S)
            await redis_server.start()
            await _kick(broker, "after")
            assert await asyncio.wait_for(received.get(), 20) == b"after"
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)

    lines = [r for r in caplog.records if r.levelno >= logging.INFO]
    recovered = [r for r in lines if "works again" in r.getMessage()]
    assert len(recovered) == 1, [r.getMessage() for r in lines]
    counted = re.search(r"after (\d+) errors", recovered[0].getMessage())
    assert counted is not None
    failed_reads = int(counted.group(1))
    # Many failed reads (backoff kept retrying), a handful of lines: first error, the missing
    # group, recovery.
    assert failed_reads >= 5
    assert len(lines) <= 5, [r.getMessage() for r in lines]
    assert not any(r.exc_info for r in lines)
