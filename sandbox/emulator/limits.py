"""Telegram's size, length and age limits, each with the source it was taken from.

Pure checks: they raise BotApiError with Telegram's own text and touch no state, so the method
handlers call them and the unit tests run them without a server.
"""

import io
import json
from typing import Any

from PIL import Image, UnidentifiedImageError

from sandbox.emulator.errors import BotApiError, bad_request
from sandbox.emulator.formatting import utf16_len

MB = 1024 * 1024

# https://core.telegram.org/bots/api#sendphoto: "The photo must be at most 10 MB in size. The
# photo's width and height must not exceed 10000 in total. Width and height ratio must be at
# most 20." Telegram's errors: PHOTO_SAVE_FILE_INVALID for a photo over 10 MB
# (github.com/zhukov/webogram/issues/1011) and PHOTO_INVALID_DIMENSIONS for the sides
# (github.com/go-telegram-bot-api/telegram-bot-api/issues/600, tdlib/td#2544).
MAX_PHOTO_BYTES = 10 * MB
MAX_PHOTO_SIDES_SUM = 10_000
MAX_PHOTO_RATIO = 20
PHOTO_SAVE_FILE_INVALID = "PHOTO_SAVE_FILE_INVALID"
PHOTO_INVALID_DIMENSIONS = "PHOTO_INVALID_DIMENSIONS"

# https://core.telegram.org/bots/api#senddocument: "Bots can currently send files of any type of
# up to 50 MB in size"; a bigger request is answered 413 "Request Entity Too Large"
# (github.com/telegraf/telegraf/issues/913, github.com/appleboy/telegram-action/issues/25).
MAX_UPLOAD_BYTES = 50 * MB
ENTITY_TOO_LARGE = BotApiError(413, "Request Entity Too Large")

# https://core.telegram.org/bots/api#answercallbackquery: "text: Text of the notification ...
# 0-200 characters"; longer is "Bad Request: MESSAGE_TOO_LONG"
# (github.com/eternnoir/pyTelegramBotAPI/issues/500).
MAX_CALLBACK_ANSWER_LENGTH = 200

# Inline keyboards: at most 100 buttons (github.com/eternnoir/pyTelegramBotAPI/issues/511,
# github.com/tginfo/Telegram-Limits/issues/228) and about 10 kB of markup
# (github.com/tginfo/Telegram-Limits/issues/187), else "Bad Request: reply markup is too long".
# We take 10,000 bytes of compact JSON, the stricter reading of "10 kB".
# Telegram-Limits#228 also gives 8 buttons per inline row; TDLib keeps up to 12 and Telegram's
# answer to a 9th is not documented, so a longer row is refused here with the same text: a
# deliberate strictness, as a row Telegram would cut or refuse is a bug either way.
MAX_INLINE_BUTTONS = 100
MAX_INLINE_ROW = 8
MAX_MARKUP_BYTES = 10_000
REPLY_MARKUP_TOO_LONG = "reply markup is too long"

# https://core.telegram.org/bots/api#deletemessage: "A message can only be deleted if it was sent
# less than 48 hours ago"; Telegram then answers "Bad Request: message can't be deleted for
# everyone". Editing has no such limit for the bot's own messages: TDLib's
# MessagesManager::can_edit_message sets has_edit_time_limit = !(is_bot && m->is_outgoing), and
# the Bot API documents 48 hours only for business messages (not emulated).
MESSAGE_DELETE_WINDOW_S = 48 * 3600
MESSAGE_CANT_BE_DELETED = "message can't be deleted for everyone"


def check_upload_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise ENTITY_TOO_LARGE


def check_photo(data: bytes) -> None:
    """A new photo from the bot: size first (Telegram refuses it before looking inside)."""
    if len(data) > MAX_PHOTO_BYTES:
        raise bad_request(PHOTO_SAVE_FILE_INVALID)
    try:
        # Only the header is read: the size is known without decoding the pixels.
        width, height = Image.open(io.BytesIO(data)).size
    except (UnidentifiedImageError, OSError):
        return  # not an image: FileStore.add_photo answers IMAGE_PROCESS_FAILED
    if not photo_dimensions_ok(width, height):
        raise bad_request(PHOTO_INVALID_DIMENSIONS)


def photo_dimensions_ok(width: int, height: int) -> bool:
    if width <= 0 or height <= 0 or width + height > MAX_PHOTO_SIDES_SUM:
        return False
    return max(width, height) <= MAX_PHOTO_RATIO * min(width, height)


def check_callback_answer_text(text: str | None) -> None:
    if text and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


def check_inline_keyboard_size(markup: dict[str, Any]) -> None:
    rows: list[list[Any]] = markup["inline_keyboard"]
    if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
        raise bad_request(REPLY_MARKUP_TOO_LONG)
    if any(len(row) > MAX_INLINE_ROW for row in rows):
        raise bad_request(REPLY_MARKUP_TOO_LONG)
    # Explicit nulls are the client's JSON habit, not part of what Telegram stores.
    stored = [
        [{k: v for k, v in button.items() if v is not None} for button in row] for row in rows
    ]
    serialized = json.dumps(stored, ensure_ascii=False, separators=(",", ":"))
    if len(serialized.encode()) > MAX_MARKUP_BYTES:
        raise bad_request(REPLY_MARKUP_TOO_LONG)


def check_deletable(sent_at: int, now: float) -> None:
    if now - sent_at >= MESSAGE_DELETE_WINDOW_S:
        raise bad_request(MESSAGE_CANT_BE_DELETED)
