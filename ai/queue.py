"""The task queue: taskiq with Redis streams in production, in-process in the sandbox.

Redis streams give at-least-once delivery: a worker acknowledges a message only after the task
ran, and messages a dead worker left unacknowledged are claimed again by another worker after
`idle_timeout`. Tasks therefore must be idempotent, and take ids, never bytes.

A Redis restart without persistence loses the stream, its consumer group and every task in it:
the worker's broker (ai.stream_broker) waits the outage out and recreates the group, and the
scheduler's `requeue-stuck-checks` job queues again the checks whose task was lost.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from dishka.integrations.taskiq import FromDishka, inject
from redis.exceptions import RedisError
from taskiq import AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker

from ai.backoff import Backoff, OutageLog
from ai.stream_broker import ResilientStreamBroker, RetryPolicy, raise_if_cancelling
from core.config import QueueSection
from core.interactors.symptom_check import AnalyzeCheck

logger = logging.getLogger(__name__)

ANALYZE_CHECK_TASK = "telemed.analyze_check"
HEARTBEAT_TASK = "telemed.heartbeat"
AI_QUEUE = "telemed:ai"


@dataclass(frozen=True, slots=True)
class QueueSettings:
    # A message unacknowledged this long is presumed abandoned by a dead worker and redelivered.
    # It must exceed the slowest analysis, or a live worker's task would run twice.
    idle_timeout_s: float = 120.0
    # Streams are capped so a flood cannot fill Redis; far above any real backlog.
    maxlen: int = 100_000
    stream: str = AI_QUEUE
    # Backoff and bounded logging while Redis is unreachable (see ai.stream_broker).
    retry: RetryPolicy = field(default_factory=RetryPolicy)


def queue_settings(section: QueueSection) -> QueueSettings:
    return QueueSettings(
        idle_timeout_s=section.idle_timeout_s,
        stream=section.stream,
        retry=RetryPolicy(
            base_s=section.retry_base_s,
            cap_s=section.retry_cap_s,
            summary_every_s=section.error_summary_every_s,
        ),
    )


def create_broker(redis_url: str | None, settings: QueueSettings | None = None) -> AsyncBroker:
    settings = settings or QueueSettings()
    if redis_url is None:
        # The sandbox: tasks run as asyncio tasks of this very process.
        broker: AsyncBroker = InMemoryBroker()
    else:
        broker = ResilientStreamBroker(
            redis_url,
            retry=settings.retry,
            queue_name=settings.stream,
            consumer_group_name=f"{settings.stream}:workers",
            idle_timeout=int(settings.idle_timeout_s * 1000),
            # A worker killed while holding the reclaim lock must not block reclaiming forever.
            unacknowledged_lock_timeout=max(settings.idle_timeout_s / 2, 1.0),
            maxlen=settings.maxlen,
        )
    register_tasks(broker)
    return broker


@inject(patch_module=True)
async def analyze_check(check_id: int, analyze: FromDishka[AnalyzeCheck]) -> None:
    """ids → load → predict → save → notify, all inside the interactor."""
    await analyze(check_id)


async def heartbeat() -> None:
    """Does nothing, on purpose.

    taskiq-redis reclaims abandoned messages only right after it read a new one, so on a quiet
    stream a crashed worker's task would wait for the next real check. Workers kick this
    periodically to keep reclaiming going.
    """


def register_tasks(broker: AsyncBroker) -> None:
    broker.register_task(analyze_check, task_name=ANALYZE_CHECK_TASK)
    broker.register_task(heartbeat, task_name=HEARTBEAT_TASK)


class TaskiqAnalysisQueue:
    """core's AnalysisQueue on a taskiq broker."""

    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue_check_analysis(self, check_id: int) -> None:
        kicker: AsyncKicker[[int], None] = AsyncKicker(
            task_name=ANALYZE_CHECK_TASK, broker=self._broker, labels={}
        )
        await kicker.kiq(check_id)


async def keep_reclaiming(
    broker: AsyncBroker, every_s: float, retry: RetryPolicy | None = None
) -> None:
    """Kick a heartbeat every `every_s` seconds, forever (see `heartbeat`).

    While Redis is down the kicks fail: retried with backoff and logged in a bounded number of
    lines; the loop never ends on an error, or reclaiming would stop for good after an outage.
    """
    retry = retry or RetryPolicy()
    backoff = Backoff(retry.base_s, retry.cap_s)
    outage = OutageLog(logger, "queueing the reclaim heartbeat", retry.summary_every_s)
    while True:
        try:
            await kick_heartbeat(broker)
        except (RedisError, OSError) as error:
            raise_if_cancelling()
            outage.failed(error)
            await asyncio.sleep(min(backoff.next_delay(), every_s))
            continue
        backoff.reset()
        outage.recovered()
        await asyncio.sleep(every_s)


async def kick_heartbeat(broker: AsyncBroker) -> None:
    kicker: AsyncKicker[[], None] = AsyncKicker(task_name=HEARTBEAT_TASK, broker=broker, labels={})
    await kicker.kiq()
