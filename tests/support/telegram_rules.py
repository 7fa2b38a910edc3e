"""Telegram's rules for what a bot sends, checked on every message of the in-memory tests.

The dialog tests run without a Bot API server; these checks make them as strict as the sandbox
emulator (whose parser and keyboard rules they reuse): HTML Telegram would refuse, a text over
its limit or a keyboard it would reject fails the test where the bot produced it.
"""

from __future__ import annotations

from typing import Any

from aiogram.client.default import Default
from pydantic import BaseModel

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.formatting import format_text
from sandbox.emulator.keyboards import normalize_reply_markup

# https://core.telegram.org/bots/api#sendmessage and #sendphoto
MESSAGE_TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# https://core.telegram.org/bots/api#answercallbackquery
CALLBACK_ANSWER_LIMIT = 200


def _parse_mode(value: Any) -> str | None:
    # aiogram's Default("parse_mode") means the bot's default: the project's is HTML.
    return "HTML" if isinstance(value, Default) else value


def check_text(text: str | None, parse_mode: Any = "HTML", *, caption: bool = False) -> None:
    try:
        plain, _ = format_text(text or "", _parse_mode(parse_mode), None)
    except BotApiError as error:
        raise AssertionError(f"Telegram refuses {text!r}: {error.description}") from None
    limit = CAPTION_LIMIT if caption else MESSAGE_TEXT_LIMIT
    assert len(plain) <= limit, (
        f"{len(plain)} characters, over Telegram's {limit}: {plain[:80]!r}…"
    )
    if not caption:
        assert plain, "Telegram refuses an empty message text"


def check_markup(markup: BaseModel | None) -> None:
    if markup is None:
        return
    try:
        normalize_reply_markup(markup.model_dump(mode="json", exclude_none=True))
    except BotApiError as error:
        raise AssertionError(f"Telegram refuses the keyboard: {error.description}") from None


def check_callback_answer(text: str | None) -> None:
    if text is not None:
        assert len(text) <= CALLBACK_ANSWER_LIMIT, f"callback answer over 200 characters: {text!r}"
