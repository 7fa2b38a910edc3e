"""One ASGI app with the Bot API emulator, the control API and the web chat page."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from sandbox.control.router import router as control_router
from sandbox.emulator.dispatch import call_method
from sandbox.emulator.params import Params
from sandbox.emulator.routes import router as bot_api_router
from sandbox.emulator.state import EmulatorState
from sandbox.emulator.webhook import WebhookDelivery
from sandbox.web import STATIC_URL, WEB_DIR
from sandbox.web import router as page_router


def create_sandbox_app(
    token: str,
    *,
    bot_username: str = "telemed_pet_bot",
    bot_first_name: str = "Телемед-Питомец",
) -> FastAPI:
    """The sandbox; ``app.state.emulator`` is its EmulatorState. Mount more apps on it freely."""
    state = EmulatorState(token, bot_username, bot_first_name)

    async def run_reply_method(method: str, values: dict[str, Any]) -> object:
        return await call_method(state, method, Params(values, {}))

    delivery = WebhookDelivery(state, run_reply_method)
    state.webhook_delivery = delivery

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await delivery.stop()

    app = FastAPI(
        title="Telemed-Pet sandbox",
        lifespan=lifespan,
        docs_url="/sandbox/docs",
        openapi_url="/sandbox/openapi.json",
        redoc_url=None,
    )
    app.state.emulator = state
    app.include_router(bot_api_router)
    app.include_router(control_router)
    app.include_router(page_router)
    app.mount(STATIC_URL, StaticFiles(directory=WEB_DIR), name="sandbox-static")
    return app
