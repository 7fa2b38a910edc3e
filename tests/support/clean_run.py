"""What must hold after any walk through the sandbox: Telegram refused none of the bot's calls,
and no user was told that something went wrong."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx
from aiogram_i18n.cores import FluentRuntimeCore

from core.locales import SUPPORTED_LOCALES
from sandbox.emulator.formatting import format_text
from tests.support.sandbox_person import text_of

# bot/handlers/errors.py: the apology for an unexpected error (a traceback in the log).
APOLOGY_KEY = "err-internal"
# https://core.telegram.org/bots/api#making-requests: a failed request answers "ok": false with
# an error_code; 400 "Bad Request" is Telegram refusing the request itself (markup it can't
# parse, a text or keyboard over its limits), never a passing condition such as flood control.
BAD_REQUEST = 400


def displayed(html: str) -> str:
    """The text a user sees of HTML the bot sends (parsed and cleaned as Telegram does)."""
    plain, _ = format_text(html, "HTML", None)
    return plain


async def bot_calls(api: httpx.AsyncClient) -> list[dict[str, Any]]:
    """GET /sandbox/api/calls: every Bot API call the bot made, oldest first."""
    response = await api.get("/sandbox/api/calls")
    response.raise_for_status()
    return list(response.json())


async def last_call_id(api: httpx.AsyncClient) -> int:
    calls = await bot_calls(api)
    return int(calls[-1]["id"]) if calls else 0


async def refused_calls(api: httpx.AsyncClient, *, after: int = 0) -> list[dict[str, Any]]:
    """The bot's calls after call `after` that Telegram answered with 400 Bad Request."""
    return [
        call
        for call in await bot_calls(api)
        if call["id"] > after and call["error_code"] == BAD_REQUEST
    ]


def apology_texts(texts: FluentRuntimeCore) -> list[str]:
    return [displayed(texts.get(APOLOGY_KEY, locale)) for locale in SUPPORTED_LOCALES]


async def apologies(
    api: httpx.AsyncClient, texts: FluentRuntimeCore, chat_ids: Iterable[int]
) -> list[str]:
    """Bot messages in these chats that apologise for an error, or show a traceback."""
    sorry = apology_texts(texts)
    found = []
    for chat_id in chat_ids:
        response = await api.get(f"/sandbox/api/chats/{chat_id}/messages")
        response.raise_for_status()
        for message in response.json():
            text = text_of(message)
            if message["from_bot"] and (text in sorry or "Traceback" in text):
                found.append(text)
    return found


async def assert_clean_run(
    api: httpx.AsyncClient,
    texts: FluentRuntimeCore,
    chat_ids: Iterable[int],
    *,
    calls_after: int,
) -> None:
    refused = await refused_calls(api, after=calls_after)
    assert not refused, [(call["method"], call["description"], call["params"]) for call in refused]
    said = await apologies(api, texts, chat_ids)
    assert not said, said
