"""Helpers for tests that drive a bot through the sandbox over real HTTP."""

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import uvicorn
from fastapi import FastAPI

from sandbox.emulator.state import EmulatorState

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher


@dataclass(frozen=True)
class EmulatorServer:
    """A running sandbox: what the ``emulator_server`` fixture yields."""

    base_url: str
    token: str
    app: FastAPI

    @property
    def state(self) -> EmulatorState:
        """Read-only from tests: the state belongs to the server thread's event loop."""
        state: EmulatorState = self.app.state.emulator
        return state


@dataclass(frozen=True)
class SandboxUser:
    """A user created through the control API; its private chat id equals its id."""

    id: int
    chat_id: int
    first_name: str


class BackgroundServer:
    """Serves an ASGI app with uvicorn on 127.0.0.1 in a daemon thread with its own loop.

    The app's state then lives on that thread's loop: talk to it over HTTP only.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Binding port 0 here, before uvicorn starts, gives a free port without a race.
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=2,
            # Session-wide clients reuse idle connections; uvicorn's default 5 s would close
            # one just as a request goes out on it ("Cannot write to closing transport").
            timeout_keep_alive=75,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    def start(self, timeout: float = 10.0) -> None:
        self._thread.start()
        for _ in range(int(timeout / 0.02)):
            if self._server.started:
                return
            if not self._thread.is_alive():
                break
            threading.Event().wait(0.02)
        raise RuntimeError(f"the sandbox server did not start on {self.base_url}")

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()


@contextlib.asynccontextmanager
async def polling(dispatcher: "Dispatcher", bot: "Bot") -> AsyncIterator[None]:
    """Run ``dispatcher`` polling ``bot`` for the duration of the block.

    Updates queued before the block are dropped, so one test never sees another's leftovers.
    """
    await bot.delete_webhook(drop_pending_updates=True)
    started = asyncio.Event()

    async def mark_started() -> None:
        started.set()

    dispatcher.startup.register(mark_started)
    task = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=5
        )
    )
    try:
        waiter = asyncio.create_task(started.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if task.done():
            task.result()  # polling failed to start: raise its error here
        yield
    finally:
        dispatcher.startup.handlers = [
            handler
            for handler in dispatcher.startup.handlers
            if handler.callback is not mark_started
        ]
        if not task.done():
            await dispatcher.stop_polling()
        await task
