"""Production's webhook path: the emulator delivers updates to `webapp` with the secret token."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram import Bot, Dispatcher

from bot.factory import create_bot, create_dispatcher
from bot.ioc import create_container
from bot.run_modes import BackgroundServer
from core.config import BotSection, Settings
from db.migrate import upgrade_to_head_async
from sandbox.app import create_sandbox_app
from sandbox.token import make_token
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from webapp.app import create_app
from webapp.dedup import MemoryDeduplicator

SECRET = "s3cret-token_for-tests"
WEBHOOK_PATH = "/telegram/webhook"


@dataclass
class WebhookStack:
    telegram: httpx.AsyncClient
    webapp: httpx.AsyncClient
    bot: Bot
    dp: Dispatcher


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[WebhookStack]:
    database: Path = tmp_path_factory.mktemp("webhook") / "telemed.db"
    settings: Settings = make_settings(database)
    await upgrade_to_head_async(settings.database_url)
    token = make_token()
    telegram_server = BackgroundServer(create_sandbox_app(token), "127.0.0.1", 0)
    telegram_url = f"http://127.0.0.1:{await telegram_server.start()}"

    container = create_container(settings)
    bot = create_bot(token, api_base_url=telegram_url)
    dp = create_dispatcher(settings, container)
    app = create_app(webhook=(WEBHOOK_PATH, dp, bot, SECRET, MemoryDeduplicator()))
    webapp_server = BackgroundServer(app, "127.0.0.1", 0)
    webapp_url = f"http://127.0.0.1:{await webapp_server.start()}"
    await dp.emit_startup(bot=bot, dispatcher=dp)
    await bot.set_webhook(webapp_url + WEBHOOK_PATH, secret_token=SECRET)
    try:
        async with (
            httpx.AsyncClient(base_url=telegram_url, timeout=15) as telegram,
            httpx.AsyncClient(base_url=webapp_url, timeout=15) as webapp,
        ):
            yield WebhookStack(telegram, webapp, bot, dp)
    finally:
        await bot.delete_webhook()
        await dp.emit_shutdown(bot=bot, dispatcher=dp)
        await bot.session.close()
        await webapp_server.stop()
        await telegram_server.stop()
        await container.close()


async def _new_user(stack: WebhookStack) -> int:
    response = await stack.telegram.post(
        "/sandbox/api/users", json={"first_name": "Eve", "language_code": "en"}
    )
    response.raise_for_status()
    return int(response.json()["id"])


async def _bot_messages(stack: WebhookStack, chat_id: int, count: int) -> list[dict[str, Any]]:
    for _ in range(100):
        response = await stack.telegram.get(
            f"/sandbox/api/chats/{chat_id}/messages", params={"after": 0, "wait": 1}
        )
        bot_messages = [m for m in response.json() if m["from_bot"]]
        if len(bot_messages) >= count:
            return bot_messages
        await asyncio.sleep(0.1)
    return bot_messages


async def test_updates_arrive_by_webhook_and_the_bot_answers(stack: WebhookStack) -> None:
    texts = await load_texts()
    user_id = await _new_user(stack)
    response = await stack.telegram.post(
        f"/sandbox/api/users/{user_id}/messages", json={"text": "/start"}
    )
    response.raise_for_status()
    [window] = await _bot_messages(stack, user_id, 1)
    assert window["text"] == texts.get("msg-choose-language", "en")


async def test_a_request_without_the_secret_token_is_refused(stack: WebhookStack) -> None:
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 1}}}
    missing = await stack.webapp.post(WEBHOOK_PATH, json=update)
    wrong = await stack.webapp.post(
        WEBHOOK_PATH, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"}
    )
    assert (missing.status_code, wrong.status_code) == (401, 401)


async def test_a_body_that_is_not_an_update_is_a_bad_request(stack: WebhookStack) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    garbage = await stack.webapp.post(WEBHOOK_PATH, content=b"{not json", headers=headers)
    wrong_shape = await stack.webapp.post(WEBHOOK_PATH, json={"hello": 1}, headers=headers)
    assert (garbage.status_code, wrong_shape.status_code) == (400, 400)


async def test_a_redelivered_update_is_processed_once(stack: WebhookStack) -> None:
    user_id = await _new_user(stack)
    update = {
        "update_id": 777_000_001,
        "message": {
            "message_id": 50,
            "date": 1_790_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Eve"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Eve", "language_code": "en"},
            "text": "/help",
        },
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    for _ in range(2):
        response = await stack.webapp.post(WEBHOOK_PATH, json=update, headers=headers)
        assert response.status_code == 200
    await asyncio.sleep(0.5)
    replies = await _bot_messages(stack, user_id, 1)
    assert len(replies) == 1


async def test_health_endpoint_answers(stack: WebhookStack) -> None:
    response = await stack.webapp.get("/healthz")
    assert response.json() == {"status": "ok"}


async def test_a_body_beyond_the_cap_is_refused_before_it_is_read_whole(
    stack: WebhookStack,
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    limit = BotSection().webhook_max_body_bytes
    declared = await stack.webapp.post(WEBHOOK_PATH, content=b" " * (limit + 1), headers=headers)

    async def chunks() -> AsyncIterator[bytes]:
        # Chunked: no Content-Length to refuse on, so the stream itself is counted.
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    streamed = await stack.webapp.post(WEBHOOK_PATH, content=chunks(), headers=headers)
    assert (declared.status_code, streamed.status_code) == (413, 413)


async def test_the_api_schema_is_not_published(stack: WebhookStack) -> None:
    assert (await stack.webapp.get("/openapi.json")).status_code == 404
    assert (await stack.webapp.get("/docs")).status_code == 404
