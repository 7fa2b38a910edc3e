"""taskiq-redis's stream broker, made to live through a Redis restart.

Upstream (`taskiq_redis.RedisStreamBroker.listen`, 1.2.4) lets every Redis error escape the
generator. taskiq's receiver then logs a traceback and starts listening again at once: a tight
loop that wrote hundreds of MB of logs while Redis was down. After a restart without
persistence the consumer group is gone too, and nothing recreates it, so every read fails with
`NOGROUP` forever; and the group upstream creates starts at `$`, skipping every task added
while it was missing.

`listen` below is upstream's loop (read new entries, then claim abandoned ones) with the errors
caught: backoff with jitter between tries, a bounded number of log lines per outage, and the
group recreated at id `0` when Redis says it is missing, so no entry of the stream is skipped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError
from taskiq import AckableMessage
from taskiq_redis import RedisStreamBroker

from ai.backoff import Backoff, OutageLog

logger = logging.getLogger(__name__)

# Where a (re)created group starts reading: the whole stream. Entries already processed under
# an older group may run again; tasks are idempotent, a skipped one would be lost.
GROUP_START_ID = "0"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    base_s: float = 0.1
    cap_s: float = 10.0
    summary_every_s: float = 60.0


def raise_if_cancelling() -> None:
    """Stop if this task was cancelled while a Redis call failed.

    redis-py can swallow a cancellation that lands in a blocking read (its own read timeout and
    retries around it), or turn it into a connection error; going on would ignore the cancel,
    and the worker would never shut down.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def is_missing_group(error: BaseException) -> bool:
    return isinstance(error, ResponseError) and str(error).startswith("NOGROUP")


class ResilientStreamBroker(RedisStreamBroker):
    def __init__(self, url: str, *, retry: RetryPolicy | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("consumer_id", GROUP_START_ID)
        super().__init__(url, **kwargs)
        self.retry = retry or RetryPolicy()

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        backoff = Backoff(self.retry.base_s, self.retry.cap_s)
        outage = OutageLog(
            logger, f"reading the queue {self.queue_name}", self.retry.summary_every_s
        )
        async with Redis(connection_pool=self.connection_pool) as redis_conn:
            while True:
                # A cancel that redis-py swallowed (see raise_if_cancelling) ends the loop here.
                raise_if_cancelling()
                try:
                    fetched = await self._read_new(redis_conn)
                except (RedisError, OSError) as error:
                    await self._recover(error, backoff, outage)
                    continue
                backoff.reset()
                outage.recovered()
                for stream, entries in fetched:
                    for message in self._ackable(stream, entries):
                        yield message
                try:
                    claimed = await self._claim_abandoned(redis_conn)
                except (RedisError, OSError) as error:
                    await self._recover(error, backoff, outage)
                    continue
                for stream, entries in claimed:
                    for message in self._ackable(stream, entries):
                        yield message

    async def _recover(self, error: BaseException, backoff: Backoff, outage: OutageLog) -> None:
        raise_if_cancelling()
        outage.failed(error)
        if is_missing_group(error):
            logger.warning("consumer group %s is missing; creating it", self.consumer_group_name)
            try:
                await self._declare_consumer_group()
            except (RedisError, OSError) as again:
                outage.failed(again)
        await asyncio.sleep(backoff.next_delay())

    async def _read_new(self, redis_conn: Redis) -> list[tuple[Any, list[Any]]]:
        fetched = await redis_conn.xreadgroup(
            self.consumer_group_name,
            self.consumer_name,
            {self.queue_name: ">", **self.additional_streams},  # type: ignore[dict-item]
            block=self.block,
            noack=False,
            count=self.count,
        )
        return list(fetched or [])  # type: ignore[arg-type]

    async def _claim_abandoned(self, redis_conn: Redis) -> list[tuple[Any, list[Any]]]:
        """Entries another consumer (a dead worker) left unacknowledged past idle_timeout."""
        claimed: list[tuple[Any, list[Any]]] = []
        for stream in [self.queue_name, *self.additional_streams.keys()]:
            # As upstream: a lock so that only one worker at a time runs XAUTOCLAIM. Unlike
            # upstream, the pipeline is a context: one that failed gives its connection back
            # (else each failed round during an outage would keep one).
            async with redis_conn.pipeline() as pipe:
                lock = pipe.lock(
                    f"autoclaim:{self.consumer_group_name}:{stream}",
                    timeout=self.unacknowledged_lock_timeout,
                )
                await lock.acquire()
                await pipe.xautoclaim(
                    name=stream,
                    groupname=self.consumer_group_name,
                    consumername=self.consumer_name,
                    min_idle_time=self.idle_timeout,
                    count=self.unacknowledged_batch_size,
                )
                await lock.release()
                results = await pipe.execute()
            claimed.append((stream, results[1][1]))
        return claimed

    def _ackable(self, stream: Any, entries: list[Any]) -> list[AckableMessage]:
        return [
            AckableMessage(
                data=fields[b"data"],
                ack=self._ack_generator(id=entry_id, queue_name=stream),
            )
            for entry_id, fields in entries
        ]
