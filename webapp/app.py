"""The FastAPI application: health, the Telegram webhook and the Mini App's API."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from dishka import AsyncContainer
from fastapi import APIRouter, FastAPI

from core.config import BotSection, MiniAppSection, WebappSection
from webapp.dedup import UpdateDeduplicator
from webapp.id_errors import answer_huge_ids_with_not_found
from webapp.miniapp.pages import build_miniapp_pages_router, call_provider_origins
from webapp.miniapp.router import build_miniapp_router
from webapp.routes import health
from webapp.routes.webhook import build_webhook_router


def create_app(
    *,
    webhook: tuple[str, Dispatcher, Bot, str, UpdateDeduplicator] | None = None,
    miniapp: AsyncContainer | None = None,
    daily_webhook: APIRouter | None = None,
    telegram_script_url: str = MiniAppSection().telegram_script_url,
    video_provider: str = "builtin",
    webhook_max_body_bytes: int = BotSection().webhook_max_body_bytes,
    serve_openapi: bool = WebappSection().serve_openapi,
) -> FastAPI:
    """`miniapp`: the process's container; with it the Mini App API is served (its routes
    open request scopes of that container). `daily_webhook`: Daily.co's events, when that
    provider is configured (webapp.routes.daily_webhook.build_daily_webhook_router).
    With `miniapp` the Mini App's page is served too, loading Telegram's script from
    `telegram_script_url` (MINIAPP__TELEGRAM_SCRIPT_URL); its CSP lets in what the calls of
    `video_provider` (VIDEO__PROVIDER) need. `serve_openapi` (WEBAPP__SERVE_OPENAPI) publishes
    `/openapi.json`; off by default, as production should not map its API for strangers."""
    app = FastAPI(
        title="Telemed-Pet",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json" if serve_openapi else None,
    )
    answer_huge_ids_with_not_found(app)
    app.include_router(health.router)
    if webhook is not None:
        app.include_router(build_webhook_router(*webhook, max_body_bytes=webhook_max_body_bytes))
    if miniapp is not None:
        app.include_router(build_miniapp_router(miniapp))
        app.include_router(
            build_miniapp_pages_router(telegram_script_url, call_provider_origins(video_provider))
        )
    if daily_webhook is not None:
        app.include_router(daily_webhook)
    return app
