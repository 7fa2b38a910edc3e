"""reply_markup validation with Telegram's error texts."""

from collections.abc import Iterable
from typing import Any

from sandbox.emulator.errors import BUTTON_DATA_INVALID, bad_request
from sandbox.emulator.limits import check_inline_keyboard_size
from sandbox.emulator.links import link_problem, url_origin

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
# Telegram's text for a url that is not a string (github.com/nexor/telega/issues/29).
_URL_NOT_STRING = 'can\'t parse inline keyboard button: Field "url" must be of type String'


def _button_url(button: dict[str, Any], action: str) -> str | None:
    """The URL of a url, web_app or login_url button (the last two wrap it in an object)."""
    value = button.get(action)
    if value is None:
        return None
    url = value if action == "url" else value.get("url") if isinstance(value, dict) else None
    if not isinstance(url, str):
        raise bad_request(_URL_NOT_STRING)
    return url


def _check_button_urls(button: dict[str, Any], local_origins: frozenset[str]) -> None:
    # links.py explains the rules. Web Apps and login pages must be https (TDLib calls
    # check_link with https_only for both), except the sandbox's own local Mini Apps.
    url = _button_url(button, "url")
    if url is not None and (problem := link_problem(url)):
        raise bad_request(f"inline keyboard button {problem}")
    for action, label in (("web_app", "Web App "), ("login_url", "login ")):
        url = _button_url(button, action)
        if url is None or (action == "web_app" and url_origin(url) in local_origins):
            continue
        if problem := link_problem(url, https_only=True):
            raise bad_request(f"inline keyboard button {label}{problem}")


def _inline_button(button: Any, local_origins: frozenset[str] = frozenset()) -> dict[str, Any]:
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
    _check_button_urls(button, local_origins)
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


def normalize_reply_markup(
    markup: Any, *, inline_only: bool = False, local_web_app_origins: Iterable[str] = ()
) -> dict[str, Any] | None:
    """The markup to store, or None; an empty inline keyboard means "no keyboard".

    ``local_web_app_origins``: http:// origins whose web_app buttons pass (EmulatorState's).
    """
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(_BAD_MARKUP)
    if "inline_keyboard" in markup:
        origins = frozenset(url_origin(o) or o for o in local_web_app_origins)
        rows = [
            [_inline_button(b, origins) for b in row] for row in _rows(markup, "inline_keyboard")
        ]
        rows = [row for row in rows if row]
        if not rows:
            return None
        inline = {"inline_keyboard": rows}
        check_inline_keyboard_size(inline)
        return inline
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
