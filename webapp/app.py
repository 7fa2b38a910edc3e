"""The FastAPI application: health, the Telegram webhook and the Mini App's API."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from dishka import AsyncContainer
from fastapi import FastAPI

from webapp.dedup import UpdateDeduplicator
from webapp.miniapp.router import build_miniapp_router
from webapp.routes import health
from webapp.routes.webhook import build_webhook_router


def create_app(
    *,
    webhook: tuple[str, Dispatcher, Bot, str, UpdateDeduplicator] | None = None,
    miniapp: AsyncContainer | None = None,
) -> FastAPI:
    """`miniapp`: the process's container; with it the Mini App API is served (its routes
    open request scopes of that container)."""
    app = FastAPI(title="Telemed-Pet", docs_url=None, redoc_url=None)
    app.include_router(health.router)
    if webhook is not None:
        app.include_router(build_webhook_router(*webhook))
    if miniapp is not None:
        app.include_router(build_miniapp_router(miniapp))
    return app
