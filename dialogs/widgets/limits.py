"""Telegram's size limits, and lists that can grow fitted into them.

https://core.telegram.org/bots/api#sendmessage: message text 1-4096 characters after entities
parsing; https://core.telegram.org/bots/api#sendphoto: a caption 0-1024 characters. A message
over a limit is refused whole (400 "message is too long"), so a list is cut before it gets there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

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
