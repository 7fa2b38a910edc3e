"""Delivers pending updates to the bot's webhook, as Telegram does: one at a time, in order,
with the secret token header, retrying until the bot answers 2xx."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from sandbox.emulator.state import EmulatorState

if TYPE_CHECKING:
    import httpx

# Calls a Bot API method named in a webhook reply (Telegram executes those too).
MethodCaller = Callable[[str, dict[str, Any]], Awaitable[object]]

# Telegram backs off for minutes; tests need the retry within a second or two.
_FIRST_RETRY_S = 0.1
_MAX_RETRY_S = 2.0
_REQUEST_TIMEOUT_S = 60.0


class WebhookDelivery:
    def __init__(self, state: EmulatorState, call_method: MethodCaller) -> None:
        self._state = state
        self._call_method = call_method
        self._task: asyncio.Task[None] | None = None

    def ensure_running(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        # deleteWebhook named in a webhook reply runs inside the task: it ends on its own.
        if task is not None and task is not asyncio.current_task():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        # Imported only once a webhook is set: httpx is ~35 ms of the sandbox's start, and the
        # sandbox's own bot polls.
        import httpx

        retry_in = _FIRST_RETRY_S
        async with httpx.AsyncClient(timeout=_REQUEST_TIMEOUT_S) as client:
            while self._state.webhook.url:
                batch = self._state.updates.take(1)
                if not batch:
                    await self._state.updates.arrived.wait(1.0)
                    continue
                update = batch[0]
                if await self._deliver(client, update):
                    self._state.updates.confirm_one(update["update_id"])
                    retry_in = _FIRST_RETRY_S
                else:
                    await asyncio.sleep(retry_in)
                    retry_in = min(retry_in * 2, _MAX_RETRY_S)

    async def _deliver(self, client: httpx.AsyncClient, update: dict[str, Any]) -> bool:
        import httpx  # loaded already by _run, which made the client

        webhook = self._state.webhook
        headers = {}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        try:
            response = await client.post(webhook.url, json=update, headers=headers)
        except httpx.HTTPError as exc:
            self._record_error(f"Connection failed: {exc.__class__.__name__}")
            return False
        if not response.is_success:
            self._record_error(
                f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"
            )
            return False
        await self._run_reply_method(response)
        return True

    async def _run_reply_method(self, response: httpx.Response) -> None:
        if not response.headers.get("content-type", "").startswith("application/json"):
            return
        try:
            body = response.json()
        except ValueError:
            return
        if isinstance(body, dict) and isinstance(body.get("method"), str):
            method = body.pop("method")
            await self._call_method(method, body)

    def _record_error(self, message: str) -> None:
        self._state.webhook.last_error_date = int(time.time())
        self._state.webhook.last_error_message = message
