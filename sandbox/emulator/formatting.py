"""Telegram's text formatting: parse_mode or explicit entities into plain text plus entities.

Telegram never stores markup: the bot gets back the plain text and MessageEntity dicts, and
"message is not modified" compares those. Offsets and lengths count UTF-16 code units.
The steps are Telegram's own (telegram-bot-api/Client.cpp get_formatted_text, then TDLib):
- parse_mode "HTML", "MarkdownV2" or "Markdown" (any case) parses a non-empty text
  (html_markup.py, markdown_v2.py, markdown_legacy.py) and ignores ``entities``; "" or "none"
  means no parsing; anything else is "unsupported parse_mode";
- otherwise the explicit entities are checked (entity_input.py);
- either way TDLib's fix_formatted_text normalizes the result (entity_fixing.py).
"""

import re
from collections.abc import Callable

from sandbox.emulator.entity_fixing import fix_formatted_text
from sandbox.emulator.entity_input import read_input_entities
from sandbox.emulator.errors import bad_request
from sandbox.emulator.html_markup import parse_html
from sandbox.emulator.markdown_legacy import parse_markdown
from sandbox.emulator.markdown_v2 import parse_markdown_v2
from sandbox.emulator.message_entities import Entity, Span, has_lone_surrogate

__all__ = ["Entity", "command_entities", "format_text", "utf16_len"]

_PARSERS: dict[str, Callable[[str], tuple[str, list[Span]]]] = {
    "html": parse_html,
    "markdownv2": parse_markdown_v2,
    "markdown": parse_markdown,
}
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def format_text(
    text: str, parse_mode: str | None, entities: list[Entity] | None
) -> tuple[str, list[Entity]]:
    """Plain text and entities as Telegram would store them for a message or caption."""
    mode = str(parse_mode or "").lower()
    spans: list[Span]
    if text and mode and mode != "none":
        parser = _PARSERS.get(mode)
        if parser is None:
            raise bad_request("unsupported parse_mode")
        if has_lone_surrogate(text):
            # td/telegram/SynchronousRequests.cpp (parseTextEntities)
            raise bad_request("text must be encoded in UTF-8")
        text, spans = parser(text)
    else:
        spans = read_input_entities(entities)
    text, spans = fix_formatted_text(text, spans)
    return text, [span.to_api() for span in spans]


def command_entities(text: str) -> list[Entity]:
    """The bot_command entities a Telegram client attaches to a user's text."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: match.start()]),
            "length": utf16_len(match.group()),
        }
        for match in _COMMAND.finditer(text)
    ]
