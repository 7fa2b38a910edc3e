"""The FastAPI application: health, the Telegram webhook and (later) the Mini App."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from fastapi import FastAPI

from webapp.dedup import UpdateDeduplicator
from webapp.routes import health
from webapp.routes.webhook import build_webhook_router


def create_app(
    *,
    webhook: tuple[str, Dispatcher, Bot, str, UpdateDeduplicator] | None = None,
) -> FastAPI:
    app = FastAPI(title="Telemed-Pet", docs_url=None, redoc_url=None)
    app.include_router(health.router)
    if webhook is not None:
        app.include_router(build_webhook_router(*webhook))
    return app
