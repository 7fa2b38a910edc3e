"""getUpdates and the webhook methods."""

import re
from typing import Any

from sandbox.emulator.errors import POLLING_CONFLICT, WEBHOOK_CONFLICT, BotApiError, bad_request
from sandbox.emulator.methods.registry import bot_method
from sandbox.emulator.params import Params
from sandbox.emulator.signals import POLL_SLICE_S, Deadline
from sandbox.emulator.state import EmulatorState, WebhookConfig

_MAX_LONG_POLL_S = 60
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def _set_allowed_updates(state: EmulatorState, params: Params) -> None:
    allowed = params.get_json("allowed_updates")
    if allowed is None:
        return  # "If not specified, the previous setting will be used."
    if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
        raise bad_request("can't parse allowed_updates JSON object")
    state.updates.allowed_updates = allowed or None


@bot_method("getUpdates")
async def get_updates(state: EmulatorState, params: Params) -> list[dict[str, Any]]:
    if state.webhook.url:
        raise BotApiError(409, WEBHOOK_CONFLICT)
    offset = params.get_int("offset")
    limit = min(max(params.get_int("limit") or 100, 1), 100)
    timeout = min(max(params.get_int("timeout") or 0, 0), _MAX_LONG_POLL_S)
    _set_allowed_updates(state, params)
    if offset:
        state.updates.confirm(offset)
    # A newer getUpdates ends this one with 409, as when two bot instances poll at once.
    state.poll_generation += 1
    generation = state.poll_generation
    state.updates.arrived.notify()
    deadline = Deadline(timeout)
    while True:
        if state.poll_generation != generation:
            raise BotApiError(409, POLLING_CONFLICT)
        if state.webhook.url:
            raise BotApiError(409, WEBHOOK_CONFLICT)
        batch = state.updates.take(limit)
        if batch or deadline.left() == 0 or await params.client_gone():
            return batch
        await state.updates.arrived.wait(min(deadline.left(), POLL_SLICE_S))


@bot_method("setWebhook")
async def set_webhook(state: EmulatorState, params: Params) -> bool:
    url = params.get_str("url") or ""
    if not url:
        await _remove_webhook(state, params)
        return True
    # Telegram insists on HTTPS; the sandbox's bot listens on plain local HTTP.
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret_token = params.get_str("secret_token")
    if secret_token is not None and not _SECRET_TOKEN.match(secret_token):
        raise bad_request("secret token contains unallowed characters")
    _set_allowed_updates(state, params)
    if params.get_bool("drop_pending_updates"):
        state.updates.drop_all()
    state.webhook = WebhookConfig(
        url=url,
        secret_token=secret_token,
        max_connections=params.get_int("max_connections") or 40,
    )
    state.updates.arrived.notify()  # a waiting getUpdates ends with 409
    if state.webhook_delivery is not None:
        state.webhook_delivery.ensure_running()
    return True


@bot_method("deleteWebhook")
async def delete_webhook(state: EmulatorState, params: Params) -> bool:
    await _remove_webhook(state, params)
    return True


async def _remove_webhook(state: EmulatorState, params: Params) -> None:
    state.webhook = WebhookConfig()
    if params.get_bool("drop_pending_updates"):
        state.updates.drop_all()
    if state.webhook_delivery is not None:
        await state.webhook_delivery.stop()


@bot_method("getWebhookInfo")
async def get_webhook_info(state: EmulatorState, params: Params) -> dict[str, Any]:
    webhook = state.webhook
    info: dict[str, Any] = {
        "url": webhook.url,
        "has_custom_certificate": False,
        "pending_update_count": state.updates.pending_count(),
    }
    if webhook.url:
        info["max_connections"] = webhook.max_connections
        if state.updates.allowed_updates:
            info["allowed_updates"] = state.updates.allowed_updates
    if webhook.last_error_date is not None:
        info["last_error_date"] = webhook.last_error_date
        info["last_error_message"] = webhook.last_error_message
    return info
