"""One ASGI app with the Bot API emulator, the control API and the web chat page."""

import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles

from sandbox.control.chat_stream import router as chat_stream_router
from sandbox.control.router import router as control_router
from sandbox.emulator.dispatch import call_method
from sandbox.emulator.flood import FloodControl, FloodRates
from sandbox.emulator.params import Params
from sandbox.emulator.persistence import StatePersistence
from sandbox.emulator.routes import router as bot_api_router
from sandbox.emulator.state import EmulatorState
from sandbox.emulator.webhook import WebhookDelivery
from sandbox.web import STATIC_URL, WEB_DIR
from sandbox.web import router as page_router


async def _mark_changed_after(request: Request) -> AsyncIterator[None]:
    """Control API calls other than GET change the world (users, messages, payments)."""
    yield
    if request.method != "GET":
        state: EmulatorState = request.app.state.emulator
        state.mark_changed()


def create_sandbox_app(
    token: str,
    *,
    data_dir: Path | None = None,
    bot_username: str = "telemed_pet_bot",
    bot_first_name: str = "Телемед-Питомец",
    flood_rates: FloodRates | None = None,
    clock: Callable[[], float] = time.time,
    local_web_app_origins: Iterable[str] = (),
) -> FastAPI:
    """The sandbox; ``app.state.emulator`` is its EmulatorState. Mount more apps on it freely.

    With ``data_dir`` the world is loaded from there and saved there as it changes (see
    sandbox/emulator/persistence.py); without it, it lives in memory only.

    The emulator is as strict as Telegram (sandbox/emulator/limits.py, links.py, flood.py):
    ``flood_rates`` are Telegram's published rates unless a test tightens them, and ``clock``
    (wall time, seconds) dates messages, so a test can age them past Telegram's 48 hours.
    ``local_web_app_origins`` is the one deliberate leniency: Telegram opens only https://
    Mini Apps, but the sandbox serves its own over plain http on loopback, so web_app buttons
    whose origin (``http://127.0.0.1:8080``) is listed here are accepted. Add the origin later
    with ``app.state.emulator.local_web_app_origins.add(...)`` when the port is known only after
    binding.
    """
    state = EmulatorState(token, bot_username, bot_first_name)
    state.clock = clock
    state.flood = FloodControl(flood_rates)
    state.local_web_app_origins.update(local_web_app_origins)
    persistence = StatePersistence(state, data_dir) if data_dir is not None else None
    if persistence is not None:
        persistence.load()

    async def run_reply_method(method: str, values: dict[str, Any]) -> object:
        return await call_method(state, method, Params(values, {}))

    delivery = WebhookDelivery(state, run_reply_method)
    state.webhook_delivery = delivery

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if persistence is not None:
            persistence.start()
        yield
        await delivery.stop()
        if persistence is not None:
            await persistence.close()

    app = FastAPI(
        title="Telemed-Pet sandbox",
        lifespan=lifespan,
        docs_url="/sandbox/docs",
        openapi_url="/sandbox/openapi.json",
        redoc_url=None,
    )
    app.state.emulator = state
    app.include_router(bot_api_router)
    app.include_router(control_router, dependencies=[Depends(_mark_changed_after)])
    # A WebSocket, apart: it changes nothing, and has no HTTP method to judge that by.
    app.include_router(chat_stream_router)
    app.include_router(page_router)
    app.mount(STATIC_URL, StaticFiles(directory=WEB_DIR), name="sandbox-static")
    return app
