"""reply_markup validation with Telegram's error texts."""

from typing import Any

from sandbox.emulator.errors import BUTTON_DATA_INVALID, bad_request

_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_MAX_CALLBACK_DATA_BYTES = 64
_BAD_MARKUP = "can't parse reply keyboard markup JSON object"


def _inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    actions = [name for name in _INLINE_ACTIONS if button.get(name) not in (None, False)]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    callback_data = button.get("callback_data")
    if callback_data is not None:
        size = len(str(callback_data).encode())
        if not 1 <= size <= _MAX_CALLBACK_DATA_BYTES:
            raise bad_request(BUTTON_DATA_INVALID)
    if not button["text"]:
        raise bad_request("BUTTON_TEXT_INVALID")
    return dict(button)


def _reply_button(button: Any) -> dict[str, Any]:
    if isinstance(button, str):
        return {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(_BAD_MARKUP)
    return dict(button)


def _rows(markup: dict[str, Any], key: str) -> list[Any]:
    rows = markup[key]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(_BAD_MARKUP)
    return rows


def normalize_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """The markup to store, or None; an empty inline keyboard means "no keyboard"."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(_BAD_MARKUP)
    if "inline_keyboard" in markup:
        rows = [[_inline_button(b) for b in row] for row in _rows(markup, "inline_keyboard")]
        rows = [row for row in rows if row]
        return {"inline_keyboard": rows} if rows else None
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = [[_reply_button(b) for b in row] for row in _rows(markup, "keyboard")]
        return {**markup, "keyboard": rows}
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return dict(markup)
    raise bad_request(_BAD_MARKUP)


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]
