"""HTML for Telegram's parse mode: every value is escaped once, where it enters a message.

The bot sends HTML (`parse_mode=HTML`). Telegram refuses a whole message when a `<` or `&` in a
user's text looks like markup, so every interpolated value is escaped by the i18n layer
(`bot.i18n.EscapingFluentCore`), never at call sites. `Markup` marks text that is already HTML —
what the i18n layer returns, or what is joined from it — so it is never escaped twice.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

# What Telegram's HTML parser treats as a tag: the bot's own templates use only these shapes.
_TAG = re.compile(r"<[^<>]*>")


class Markup(str):
    """A string that is already HTML for Telegram: inserted into messages as it is."""

    __slots__ = ()

    def join(self, parts: Iterable[str]) -> Markup:
        """Joins HTML pieces; a part that is not `Markup` is plain text and gets escaped."""
        return Markup(str.join(self, (escape(part) for part in parts)))

    def format(self, *args: object, **kwargs: object) -> Markup:
        """Fills this HTML template; string values are escaped unless they are `Markup`."""
        return Markup(
            str.format(self, *map(_escaped, args), **{k: _escaped(v) for k, v in kwargs.items()})
        )


def escape(value: str) -> Markup:
    """Plain text as HTML; `Markup` stays as it is."""
    if isinstance(value, Markup):
        return value
    # quote=True: values also land in attributes (`<a href="{ $url }">`); Telegram decodes
    # both &quot; and numeric entities such as &#x27;.
    return Markup(html.escape(value, quote=True))


def _escaped(value: object) -> object:
    return escape(value) if isinstance(value, str) else value


def plain_text(markup: str) -> str:
    """What a reader sees of this HTML where no parse mode applies (alerts, buttons, PDFs)."""
    return html.unescape(_TAG.sub("", markup))
