"""Telegram's size limits, and lists that can grow fitted into them.

https://core.telegram.org/bots/api#sendmessage: message text 1-4096 characters after entities
parsing; https://core.telegram.org/bots/api#sendphoto: a caption 0-1024 characters. A message
over a limit is refused whole (400 "message is too long"), so a list is cut before it gets there.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from typing import Final

from PIL import Image

from core.markup import Markup, plain_text

MESSAGE_TEXT_LIMIT: Final = 4096
CAPTION_LIMIT: Final = 1024
# Room left in a message for the window's own text around a list (its title, hints, buttons'
# explanations): lists get at most this much of a message.
LIST_BUDGET: Final = 3000


def readable_length(markup: str) -> int:
    """What Telegram counts against its limits: the text after entities are parsed."""
    return len(plain_text(markup))


def fit_lines(
    lines: Sequence[str],
    more: Callable[[int], str],
    *,
    budget: int = LIST_BUDGET,
    separator: str = "\n",
) -> Markup:
    """As many lines as fit in `budget` readable characters, then one `more(n_left)` line.

    Lines are HTML from the i18n layer (`Markup`); any other string is escaped as plain text.
    """
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        cost = readable_length(line) + len(separator)
        tail = readable_length(more(len(lines) - index)) if index + 1 < len(lines) else 0
        if used + cost + tail > budget:
            return Markup(separator).join([*kept, more(len(lines) - index)])
        kept.append(line)
        used += cost
    return Markup(separator).join(kept)


def shortened(text: str, limit: int) -> str:
    """Free text cut to `limit` characters with an ellipsis, for lists that show many."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# https://core.telegram.org/bots/api#sendphoto: "The photo must be at most 10 MB in size. The
# photo's width and height must not exceed 10000 in total. Width and height ratio must be at
# most 20." Beyond them Telegram answers 400 PHOTO_SAVE_FILE_INVALID or PHOTO_INVALID_DIMENSIONS
# and the picture never arrives; as a document it arrives whole. "10 MB" is read as 10 MiB, as
# the sandbox's emulator reads it (sandbox/emulator/limits.py).
PHOTO_MAX_BYTES: Final = 10 * 1024 * 1024
PHOTO_MAX_SIDES_SUM: Final = 10_000
PHOTO_MAX_RATIO: Final = 20
# The only formats the bot ever stores (core.uploads' images, re-encoded as JPEG); Pillow is
# kept from guessing among its dozens of other parsers.
_PHOTO_FORMATS: Final = ("JPEG", "PNG", "WEBP", "GIF")


def fits_photo_rules(data: bytes) -> bool:
    """Whether Telegram takes `data` as a photo; anything else is sent as a document.

    Reads the image header only (no pixel is decoded): cheap even for a large scan.
    """
    if len(data) > PHOTO_MAX_BYTES:
        return False
    try:
        with Image.open(io.BytesIO(data), formats=_PHOTO_FORMATS) as image:
            width, height = image.size
    except Exception:
        # Not an image Pillow reads in these formats (or one declaring absurd sizes): a
        # document arrives whatever the bytes are.
        return False
    if width <= 0 or height <= 0 or width + height > PHOTO_MAX_SIDES_SUM:
        return False
    return max(width, height) <= PHOTO_MAX_RATIO * min(width, height)
