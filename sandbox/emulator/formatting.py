"""Telegram's text formatting: HTML parse_mode into plain text plus MessageEntity dicts.

Telegram never stores markup: the bot gets back the plain text and entities, and "message is not
modified" compares those. Offsets and lengths count UTF-16 code units, as in the Bot API.
Only Telegram's tags are accepted; anything else fails with Telegram's "can't parse entities".
MarkdownV2/Markdown are passed through as plain text (the project sends HTML).
"""

import re
from html.parser import HTMLParser
from typing import Any, NoReturn

from sandbox.emulator.errors import bad_request

Entity = dict[str, Any]

_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        self.text_parts: list[str] = []
        self.length = 0
        self.entities: list[Entity] = []
        self._open: list[tuple[str, Entity | None]] = []

    def _byte_offset(self) -> int:
        line, column = self.getpos()
        return len(self._source[: self._line_starts[line - 1] + column].encode())

    def _fail(self, reason: str) -> NoReturn:
        raise bad_request(f"can't parse entities: {reason} at byte offset {self._byte_offset()}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        entity: Entity | None
        if tag in _SIMPLE_TAGS:
            entity = {"type": _SIMPLE_TAGS[tag]}
            if tag == "blockquote" and "expandable" in attributes:
                entity["type"] = "expandable_blockquote"
            if tag == "code" and self._open and self._open[-1][0] == "pre":
                # <pre><code class="language-x"> names the language of the enclosing block.
                language = (attributes.get("class") or "").removeprefix("language-")
                pre_entity = self._open[-1][1]
                if pre_entity is not None and language:
                    pre_entity["language"] = language
                entity = None
        elif tag == "span" and attributes.get("class") == "tg-spoiler":
            entity = {"type": "spoiler"}
        elif tag == "a":
            entity = {"type": "text_link", "url": attributes.get("href") or ""}
        elif tag == "tg-emoji":
            entity = {"type": "custom_emoji", "custom_emoji_id": attributes.get("emoji-id") or ""}
        else:
            self._fail(f'Unsupported start tag "{tag}"')
        if entity is not None:
            entity["offset"] = self.length
        self._open.append((tag, entity))

    def handle_endtag(self, tag: str) -> None:
        if not self._open:
            self._fail(f'Unexpected end tag "{tag}"')
        open_tag, entity = self._open.pop()
        if open_tag != tag:
            self._fail(f'Unmatched end tag "{tag}", expected "</{open_tag}>"')
        if entity is not None:
            entity["length"] = self.length - entity["offset"]
            if entity["length"] > 0:
                self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        self.length += utf16_len(data)

    def finish(self) -> tuple[str, list[Entity]]:
        self.close()
        if self._open:
            raise bad_request(
                "can't parse entities: Can't find end tag corresponding to start tag "
                f'"{self._open[-1][0]}"'
            )
        return "".join(self.text_parts), self.entities


def _strip(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Telegram trims surrounding whitespace; entities are shifted and clipped to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    start = utf16_len(text[: len(text) - len(text.lstrip())])
    end = start + utf16_len(stripped)
    clipped = []
    for entity in entities:
        entity_start = max(entity["offset"], start)
        entity_end = min(entity["offset"] + entity["length"], end)
        if entity_end > entity_start:
            clipped.append(
                {**entity, "offset": entity_start - start, "length": entity_end - entity_start}
            )
    return stripped, clipped


def _ordered(entities: list[Entity]) -> list[Entity]:
    keys = ("type", "offset", "length")
    ordered = [
        {
            **{key: entity[key] for key in keys},
            **{k: v for k, v in entity.items() if k not in keys},
        }
        for entity in entities
    ]
    return sorted(ordered, key=lambda entity: (entity["offset"], -entity["length"]))


def format_text(
    text: str, parse_mode: str | None, entities: list[Entity] | None
) -> tuple[str, list[Entity]]:
    """Plain text and entities as Telegram would store them for a message or caption."""
    if parse_mode and parse_mode.lower() == "html":
        parser = _TelegramHtml(text)
        parser.feed(text)
        plain, parsed = parser.finish()
    else:
        plain, parsed = text, list(entities or [])
    plain, parsed = _strip(plain, parsed)
    return plain, _ordered(parsed)


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
