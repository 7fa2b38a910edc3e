"""Log lines a queue consumer writes during a Redis outage, upstream broker vs ours.

Runs taskiq's receiver (as `telemed-pet worker` does) on a private redis-server, kills it for
`--outage` seconds, starts it again empty and queues one task. Prints, per broker: log lines
during the outage, their bytes, and whether the task queued after the restart ran.

    .venv/bin/python -m benchmarks.worker_redis_outage --outage 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import logging
import tempfile
import uuid
from pathlib import Path

from taskiq import AsyncBroker
from taskiq.api import run_receiver_task
from taskiq_redis import RedisStreamBroker

from ai.queue import QueueSettings, create_broker
from tests.support.private_redis import PrivateRedis


async def measure(kind: str, outage_s: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as directory:
        server = PrivateRedis(Path(directory))
        await server.start()
        stream = f"bench:{uuid.uuid4().hex}"
        broker: AsyncBroker
        if kind == "upstream":
            broker = RedisStreamBroker(
                server.url, queue_name=stream, consumer_group_name=f"{stream}:workers"
            )
        else:
            broker = create_broker(server.url, QueueSettings(stream=stream))
        ran = asyncio.Event()

        async def task() -> None:
            ran.set()

        broker.register_task(task, task_name="bench.task")
        await broker.startup()
        buffer = io.StringIO()
        handler = logging.StreamHandler(buffer)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        receiver = asyncio.create_task(run_receiver_task(broker, run_startup=False))
        try:
            await asyncio.sleep(0.5)
            start = buffer.tell()
            server.stop()
            await asyncio.sleep(outage_s)
            outage_log = buffer.getvalue()[start:]
            await server.start()
            await broker.find_task("bench.task").kiq()  # type: ignore[union-attr]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(ran.wait(), 10)
        finally:
            receiver.cancel()
            await asyncio.gather(receiver, return_exceptions=True)
            root.removeHandler(handler)
            server.stop()
        return {
            "broker": kind,
            "outage_s": outage_s,
            "log_lines": len(outage_log.splitlines()),
            "log_bytes": len(outage_log.encode()),
            "task_after_restart_ran": ran.is_set(),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outage", type=float, default=2.0)
    args = parser.parse_args()
    for kind in ("upstream", "resilient"):
        print(json.dumps(asyncio.run(measure(kind, args.outage))))


if __name__ == "__main__":
    main()
