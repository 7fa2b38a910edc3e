"""File names made from what people typed (a pet's name, an entry's title).

Kept to letters, digits, `_` and `-` of any script, so "Анализ крови 12.03" becomes
`Анализ-крови-12-03`: readable in the owner's language, safe on every file system and in
Telegram's document caption.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[^\w-]+")
MAX_STEM = 40


def file_stem(text: str | None, fallback: str) -> str:
    """`text` made safe for a file name, or `fallback` when nothing of it is left."""
    return _UNSAFE.sub("-", text or "").strip("-_")[:MAX_STEM].strip("-_") or fallback
