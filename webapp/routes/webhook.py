from __future__ import annotations

import logging
import secrets
from typing import Annotated

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from fastapi import APIRouter, Header, HTTPException, Request, status

from bot.infrastructure_errors import UPDATES_REDELIVERED
from core.config import BotSection
from webapp.dedup import UpdateDeduplicator

logger = logging.getLogger(__name__)


def build_webhook_router(
    path: str,
    dp: Dispatcher,
    bot: Bot,
    secret: str,
    dedup: UpdateDeduplicator,
    max_body_bytes: int = BotSection().webhook_max_body_bytes,
) -> APIRouter:
    router = APIRouter(tags=["telegram"])
    # A failed update is answered 5xx here and Telegram delivers it again: the error handler
    # then leaves infrastructure failures unhandled instead of apologizing (bot/handlers/errors).
    dp[UPDATES_REDELIVERED] = True

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(
        request: Request,
        secret_token: Annotated[
            str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")
        ] = None,
    ) -> dict[str, bool]:
        """Telegram's update delivery; only requests carrying our secret token are accepted."""
        if secret_token is None or not secrets.compare_digest(secret_token, secret):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad secret token")
        body = await read_capped_body(request, max_body_bytes)
        try:
            update = Update.model_validate_json(body, context={"bot": bot})
        except ValueError:  # not JSON, or not an Update (pydantic's error is a ValueError)
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "not a Telegram update") from None
        if not await dedup.claim(update.update_id):
            return {"ok": True}
        try:
            await dp.feed_update(bot, update)
        except Exception:
            # Let Telegram's retry in. Only failures the error handler left unhandled get here:
            # a backing service is down (logged there, in one line).
            await dedup.release(update.update_id)
            raise HTTPException(status.HTTP_500_INTERNAL_SERVER_ERROR, "update failed") from None
        return {"ok": True}

    return router


async def read_capped_body(request: Request, limit: int) -> bytes:
    """The request's body, refused with 413 as soon as it exceeds `limit` bytes.

    The declared length is checked first, and the stream is counted as it arrives, so a body
    that lies about its length (or is chunked) is not buffered whole either.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "update too large")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, "update too large")
    return bytes(body)
