"""MessageEntity spans as TDLib keeps them while it parses and fixes a formatted text.

The parsers (HTML, MarkdownV2, Markdown) and the fixing pass share this model. Type names are the
Bot API's; the categories and sort priorities are TDLib's (td/telegram/MessageEntity.cpp:
``get_type_priority``, ``get_splittable_entities_mask`` and its neighbours), because they decide
which nested entities survive and in what order the Bot API returns them.
"""

from dataclasses import dataclass, field
from typing import Any

from sandbox.emulator.errors import BotApiError, bad_request

Entity = dict[str, Any]

# Entities that may overlap anything except code/pre; TDLib splits and merges them.
SPLITTABLE = ("bold", "italic", "underline", "strikethrough", "spoiler")
BLOCKQUOTES = frozenset({"blockquote", "expandable_blockquote"})
# Entities that stay in one piece and can't hold each other.
CONTINUOUS = frozenset(
    {
        "mention",
        "hashtag",
        "bot_command",
        "url",
        "email",
        "text_link",
        "text_mention",
        "cashtag",
        "phone_number",
        "bank_card_number",
        "custom_emoji",
    }
)
# Entities whose text is shown verbatim: nothing may be nested inside them.
PRE_LIKE = frozenset({"pre", "pre_code", "code", "date_time"})

_PRIORITIES = {
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "code": 20,
    "pre": 11,
    "pre_code": 10,
    "text_link": 49,
    "text_mention": 49,
    "blockquote": 0,
    "expandable_blockquote": 0,
    "custom_emoji": 99,
    "date_time": 30,
}
_DEFAULT_PRIORITY = 50  # mention, hashtag, url and the other auto-detected kinds


@dataclass
class Span:
    """One entity: a Bot API type, UTF-16 offset and length, and the type's own fields."""

    type: str
    offset: int
    length: int
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.offset + self.length

    @property
    def kind(self) -> str:
        """TDLib's type: a pre with a language is its own type (PreCode) with its own priority."""
        if self.type == "pre" and self.extra.get("language"):
            return "pre_code"
        return self.type

    def sort_key(self) -> tuple[int, int, int]:
        # MessageEntity::operator< : offset ascending, then longer first, then type priority.
        return (self.offset, -self.length, _PRIORITIES.get(self.kind, _DEFAULT_PRIORITY))

    def to_api(self) -> Entity:
        return {"type": self.type, "offset": self.offset, "length": self.length, **self.extra}


def sort_spans(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=Span.sort_key)


def is_splittable(span: Span) -> bool:
    return span.type in SPLITTABLE


def is_blockquote(span: Span) -> bool:
    return span.type in BLOCKQUOTES


def is_continuous(span: Span) -> bool:
    return span.type in CONTINUOUS


def is_pre_like(span: Span) -> bool:
    return span.kind in PRE_LIKE


def parse_error(reason: str) -> BotApiError:
    """What parse_mode failures look like: TDLib's reason after the Bot API's prefix.

    Source: td/telegram/SynchronousRequests.cpp (parseTextEntities: "Can't parse entities: ")
    and telegram-bot-api/Client.cpp (fail_query_with_error lower-cases the first letter).
    """
    return bad_request(f"can't parse entities: {reason}")


class TextOutput:
    """The plain text a parser writes, as UTF-8 bytes, with its length in UTF-16 code units.

    TDLib's parsers work on UTF-8 bytes and count UTF-16 units as they copy: one per first byte
    of a character, two for a 4-byte character (a surrogate pair).
    """

    def __init__(self) -> None:
        self.data = bytearray()
        self.utf16 = 0

    def byte(self, value: int) -> None:
        self.data.append(value)
        if value & 0xC0 != 0x80:
            self.utf16 += 2 if value >= 0xF0 else 1

    def code_point(self, code: int) -> None:
        self.data += chr(code).encode("utf-8", "surrogatepass")
        self.utf16 += 2 if code > 0xFFFF else 1

    def __len__(self) -> int:
        return len(self.data)

    def text(self) -> str:
        return decode(bytes(self.data))


def encode(text: str) -> bytes:
    # surrogatepass: a lone surrogate from JSON ("\ud83d") must not crash the emulator; the
    # callers reject it with Telegram's own error first.
    return text.encode("utf-8", "surrogatepass")


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogatepass")


def has_lone_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def is_space(byte: int) -> bool:
    """td::is_space (tdutils/td/utils/misc.h): NUL counts, as the end of a C string does."""
    return byte in (0x20, 0x09, 0x0D, 0x0A, 0x00, 0x0B)


def is_alpha(byte: int) -> bool:
    return 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A


def is_digit(byte: int) -> bool:
    return 0x30 <= byte <= 0x39


def is_hex_digit(byte: int) -> bool:
    return is_digit(byte) or 0x41 <= byte <= 0x46 or 0x61 <= byte <= 0x66


def to_integer_safe(value: str, bits: int) -> int | None:
    """td::to_integer_safe: the exact decimal spelling of a signed integer of that size, or None.

    It parses and prints the number back; "007", "+5", "-0", "" and overflows fail.
    """
    if not value or not value.lstrip("-").isascii() or not value.lstrip("-").isdigit():
        return None
    if value.count("-") > 1 or (value.startswith("-") and len(value) == 1):
        return None
    number = int(value)
    if str(number) != value or not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
        return None
    return number
