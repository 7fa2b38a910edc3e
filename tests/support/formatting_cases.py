"""Rows of the emulator's formatting conformance tables: each names the source of its rule."""

from __future__ import annotations

from typing import Any, NamedTuple


def entity(kind: str, offset: Any, length: Any, **extra: Any) -> dict[str, Any]:
    """A MessageEntity as the Bot API writes it (offsets and lengths in UTF-16 units)."""
    return {"type": kind, "offset": offset, "length": length, **extra}


class Parsed(NamedTuple):
    """Markup Telegram accepts, and the text and entities it stores for it."""

    source: str
    markup: str
    text: str
    entities: list[dict[str, Any]]


class Refused(NamedTuple):
    """Markup Telegram refuses, and the reason after "can't parse entities: "."""

    source: str
    markup: str
    reason: str
