"""Pieces shared by the methods that send and edit messages."""

from typing import Any

from sandbox.emulator.blocking import ensure_not_blocked
from sandbox.emulator.errors import (
    MESSAGE_CANT_BE_EDITED,
    MESSAGE_ID_INVALID,
    MESSAGE_TEXT_EMPTY,
    MESSAGE_TO_EDIT_NOT_FOUND,
    MESSAGE_TOO_LONG,
    NOT_MODIFIED,
    bad_request,
)
from sandbox.emulator.formatting import format_text, utf16_len
from sandbox.emulator.keyboards import normalize_reply_markup
from sandbox.emulator.models import Chat, StoredMessage
from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024


def message_text(params: Params) -> dict[str, Any]:
    raw = params.get_str("text")
    text, entities = format_text(
        raw or "", params.get_str("parse_mode"), params.get_json("entities")
    )
    if not text:
        raise bad_request(MESSAGE_TEXT_EMPTY)
    if utf16_len(text) > MAX_TEXT_LENGTH:
        raise bad_request(MESSAGE_TOO_LONG)
    content: dict[str, Any] = {"text": text}
    if entities:
        content["entities"] = entities
    return content


def caption_content(raw: Any, parse_mode: Any, entities: Any) -> dict[str, Any]:
    if not raw:
        return {}
    text, parsed = format_text(str(raw), parse_mode, entities)
    if utf16_len(text) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    content: dict[str, Any] = {"caption": text} if text else {}
    if text and parsed:
        content["caption_entities"] = parsed
    return content


def caption(params: Params) -> dict[str, Any]:
    return caption_content(
        params.get_str("caption"),
        params.get_str("parse_mode"),
        params.get_json("caption_entities"),
    )


def split_reply_markup(
    state: EmulatorState, params: Params
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(inline keyboard, reply keyboard or removal) from a send method's reply_markup."""
    markup = normalize_reply_markup(
        params.get_json("reply_markup"), local_web_app_origins=state.local_web_app_origins
    )
    if markup is not None and "inline_keyboard" in markup:
        return markup, None
    return None, markup


def edited_reply_markup(state: EmulatorState, params: Params) -> dict[str, Any] | None:
    """An edit method's reply_markup: inline keyboards only."""
    return normalize_reply_markup(
        params.get_json("reply_markup"),
        inline_only=True,
        local_web_app_origins=state.local_web_app_origins,
    )


def admit_new_message(state: EmulatorState, chat: Chat) -> None:
    """Telegram's last word before a message goes out: the user has not blocked the bot, and
    flood control lets one more message through. Call it after the request is validated."""
    ensure_not_blocked(chat.user)
    state.flood.take(chat.user.id)


def replied_message(chat: Chat, params: Params) -> StoredMessage | None:
    reply = params.get_json("reply_parameters")
    message_id = reply.get("message_id") if isinstance(reply, dict) else None
    if message_id is None:
        message_id = params.get_int("reply_to_message_id")
    if message_id is None:
        return None
    message = chat.find(int(message_id))
    if message is None or message.deleted:
        allow = isinstance(reply, dict) and reply.get("allow_sending_without_reply")
        if allow or params.get_bool("allow_sending_without_reply"):
            return None
        raise bad_request("message to be replied not found")
    return message


def message_id_param(params: Params) -> int:
    if params.has("inline_message_id"):
        # Inline mode is not emulated: no inline message can exist.
        raise bad_request(MESSAGE_ID_INVALID)
    message_id = params.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    if message_id <= 0:
        raise bad_request(MESSAGE_ID_INVALID)
    return message_id


def message_to_edit(state: EmulatorState, params: Params) -> StoredMessage:
    message_id = message_id_param(params)
    chat = state.chat(params.chat_id())
    message = chat.find(message_id)
    if message is None or message.deleted:
        raise bad_request(MESSAGE_TO_EDIT_NOT_FOUND)
    if not message.from_bot:
        raise bad_request(MESSAGE_CANT_BE_EDITED)
    return message


def apply_edit(
    state: EmulatorState,
    message: StoredMessage,
    content: dict[str, Any],
    reply_markup: dict[str, Any] | None,
) -> dict[str, Any]:
    """Replace content and inline keyboard, failing like Telegram when nothing changes."""
    # Edits are flood-controlled as well: bots that edit one private message fast get 429
    # (github.com/m1guelpf/chatgpt-telegram/issues/63,
    # github.com/python-telegram-bot/python-telegram-bot/issues/939). Telegram publishes no
    # separate rate for them, so they share the chat's bucket with new messages, and count
    # even when nothing changed: the server sees the request before it compares.
    state.flood.take(message.chat.id)
    if content == message.content and reply_markup == message.reply_markup:
        raise bad_request(NOT_MODIFIED)
    message.content = content
    message.reply_markup = reply_markup
    message.edit_date = int(state.clock())
    state.touch(message)
    return message.to_api()


def without(content: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {key: value for key, value in content.items() if key not in keys}
