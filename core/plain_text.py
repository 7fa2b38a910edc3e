"""One normaliser for text a user gives us, before it is stored.

`plain_text`: what every stored text goes through. PostgreSQL refuses a NUL in a text column
(`invalid byte sequence for encoding "UTF8": 0x00`) and no UTF-8 encoder takes a lone surrogate;
either one in a stored name used to fail every later update of that user. C0 controls other
than newline and tab are dropped, line breaks become "\\n", lone surrogates become U+FFFD.

`plain_name`: one line of it for a name (pet, person, vet, product): also without the
invisible and direction-changing format characters (U+200B, U+202A-U+202E, U+2066-U+2069,
U+FEFF, ...), which let a name look empty or read backwards. The two joiners (U+200C, U+200D)
stay: emoji sequences and Persian or Indic spellings need them. `has_visible` says whether
anything would be seen at all; a name without it is refused like an empty one.
"""

from __future__ import annotations

import unicodedata
from typing import Final

_JOINERS: Final = frozenset("\u200c\u200d")
# Letters and symbols that render as nothing: Hangul fillers and the braille blank are the
# usual "invisible nickname" tricks; the combining grapheme joiner attaches to nothing.
_BLANKS: Final = frozenset("\u034f\u115f\u1160\u2800\u3164\uffa0")
# Categories of characters that show nothing by themselves: controls, format characters,
# separators and marks (a mark alone draws at most a dotted circle).
_UNSEEN_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me", "Mc"})
_KEPT_CONTROLS: Final = frozenset("\n\t")


def _without_lone_surrogates(text: str) -> str:
    # A surrogate pair that arrived as two code points is joined; a lone one becomes U+FFFD.
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def plain_text(text: str) -> str:
    """`text` safe to store anywhere: no NUL or other C0 control but newline and tab, line
    breaks as "\\n", no lone surrogate."""
    if any("\ud800" <= char <= "\udfff" for char in text):
        text = _without_lone_surrogates(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        char for char in text if char in _KEPT_CONTROLS or not ("\x00" <= char < "\x20")
    )


def _hidden_in_name(char: str) -> bool:
    if char in _JOINERS or char.isspace():
        return False  # a line break or tab between words still separates them
    return char in _BLANKS or unicodedata.category(char) in {"Cc", "Cf"}


def plain_name(text: str) -> str:
    """A name as one line: `plain_text`, without invisible or direction-changing characters,
    trimmed, runs of spaces and line breaks made single spaces. "" when nothing visible is
    left (a name of only U+200B or U+202E, say)."""
    kept = "".join(char for char in plain_text(text) if not _hidden_in_name(char))
    name = " ".join(kept.split())
    return name if has_visible(name) else ""


def has_visible(text: str) -> bool:
    """Whether anything in `text` would be seen: a letter, digit, punctuation or symbol."""
    return any(
        char not in _BLANKS and unicodedata.category(char) not in _UNSEEN_CATEGORIES
        for char in text
    )
