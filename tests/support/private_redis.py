"""A redis-server of the test's own, to stop and start at will.

Outage tests must never touch the shared Redis on 6379 (other test runs use it). This one
listens on a free port, keeps its files in the test's temporary directory and, like the
production setup it stands for, persists nothing: a restart comes back empty, with no stream,
no consumer group and no queued task.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
from pathlib import Path

import redis

START_TIMEOUT_S = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrivateRedis:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._process: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    async def start(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Popen returns at once (it does not wait for the server); readiness is awaited below.
        self._process = subprocess.Popen(  # noqa: ASYNC220
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
                "--logfile",
                str(self.directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            async with asyncio.timeout(START_TIMEOUT_S):
                while True:
                    if self._process.poll() is not None:
                        raise AssertionError(f"redis-server exited: {self._log()}")
                    try:
                        if client.ping():
                            return
                    except redis.exceptions.ConnectionError:
                        pass
                    # Polling readiness: redis-server has no other way to say it is up.
                    await asyncio.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        """Gone at once, everything it held lost (as a crash or a restart without persistence)."""
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=10)
        self._process = None

    def _log(self) -> str:
        log = self.directory / "redis.log"
        return log.read_text()[-2000:] if log.exists() else ""
