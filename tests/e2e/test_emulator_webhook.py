"""Webhook mode: the emulator POSTs updates with the secret token and retries failures."""

import asyncio
import threading
from typing import Any

import httpx
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramConflictError
from fastapi import FastAPI, Request, Response

from sandbox.testing import BackgroundServer, SandboxUser


class Receiver:
    """A tiny webhook endpoint that fails its first request, then accepts."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, Any], str | None]] = []
        self.arrived = threading.Event()
        self.app = FastAPI()
        self.app.post("/hook")(self.hook)

    async def hook(self, request: Request) -> Response:
        self.requests.append(
            (await request.json(), request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        )
        if len(self.requests) == 1:
            return Response(status_code=500)
        self.arrived.set()
        return Response(status_code=200)


@pytest.fixture
def receiver() -> Any:
    receiver = Receiver()
    server = BackgroundServer(receiver.app)
    server.start()
    yield receiver, f"{server.base_url}/hook"
    server.stop()


async def test_webhook_delivers_with_secret_and_retries(
    emulator_bot: Bot,
    sandbox_user: SandboxUser,
    control_api: httpx.AsyncClient,
    receiver: tuple[Receiver, str],
) -> None:
    hook, url = receiver
    assert await emulator_bot.set_webhook(
        url, secret_token="s3cr3t_token", drop_pending_updates=True
    )
    try:
        with pytest.raises(TelegramConflictError) as raised:
            await emulator_bot.get_updates()
        assert raised.value.message == (
            "Conflict: can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
        sent = await control_api.post(
            f"/sandbox/api/users/{sandbox_user.id}/messages", json={"text": "hello hook"}
        )
        assert await asyncio.to_thread(hook.arrived.wait, 10)
        # The first attempt got a 500; Telegram retries the same update.
        (first, first_secret), (second, second_secret) = hook.requests[:2]
        assert first == second
        assert first["update_id"] == sent.json()["update_id"]
        assert first["message"]["text"] == "hello hook"
        assert first_secret == second_secret == "s3cr3t_token"

        # Confirmed when the 200 reaches the emulator, just after the receiver saw the update.
        for _ in range(50):
            info = await emulator_bot.get_webhook_info()
            if info.pending_update_count == 0:
                break
            await asyncio.sleep(0.05)
        assert info.url == url
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        assert info.pending_update_count == 0
    finally:
        assert await emulator_bot.delete_webhook(drop_pending_updates=True)
    assert (await emulator_bot.get_webhook_info()).url == ""
    assert await emulator_bot.get_updates() == []
