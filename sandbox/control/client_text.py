"""What a Telegram client lets a user type, applied to text given to the control API.

A real client can send neither a lone surrogate (the Bot API speaks UTF-8, which has no way
to write one: Telegram answers "strings must be encoded in UTF-8") nor a NUL or other control
character (TDLib's clean_input_string, td/telegram/misc.cpp, turns every C0 control but "\\n"
into a space, and the server does the same). So an update from real Telegram never carries
either; the control API refuses the first with a clear 400 and cleans the second the way
Telegram does, so no such text reaches the emulator's state or its getUpdates answers. The bot
itself normalises what it stores anyway (core/plain_text.py): other Bot API servers, forged
webhook calls and this sandbox may differ.

Nothing else is changed: the bidi and zero-width characters that Telegram keeps or drops
later (sandbox/emulator/entity_fixing.py) stay as given, so hostile text tests still see them.
"""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException


def client_text(value: str, field: str) -> str:
    """`value` as a Telegram client would send it; 400 when no client could send it."""
    refuse_lone_surrogates(value, field)
    return "".join(" " if char < " " and char != "\n" else char for char in value)


def refuse_lone_surrogates(value: Any, field: str) -> None:
    """400 when any string in `value` (a raw update, nested) holds a lone surrogate: the
    emulator could neither persist it nor send it in getUpdates, and polling would stall."""
    if isinstance(value, str):
        if any("\ud800" <= char <= "\udfff" for char in value):
            raise HTTPException(400, f"{field}: strings must be encoded in UTF-8")
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_lone_surrogates(key, field)
            refuse_lone_surrogates(item, f"{field}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            refuse_lone_surrogates(item, f"{field}[{index}]")
