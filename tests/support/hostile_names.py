"""Names an attacker, a joker or an ordinary careless user gives: markup, bidi tricks, emoji.

Every one is a legal Telegram first name (https://core.telegram.org/bots/api#user: first_name,
1-64 characters there; the sandbox checks the same) and a legal pet name (core.pet_input,
64 characters at most). The bot sends HTML, so each must reach the chat escaped and come back
as typed — except what Telegram itself removes from every text it stores: U+202A-U+202E,
the bidi embedding and override characters (TDLib td/telegram/misc.cpp, clean_input_string,
applied by fix_formatted_text; the emulator's sandbox/emulator/entity_fixing.py does the same),
and what the bot strips from every name it stores (core/plain_text.py, plain_name): invisible
and direction-changing characters such as U+200B, while the joiners U+200C/U+200D stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.pet_input import MAX_NAME_LENGTH

# 64 characters, the most Telegram allows in a first name and the pets table in a name.
LONGEST_NAME = ("Long name " * 7)[:MAX_NAME_LENGTH]

HOSTILE_NAMES: tuple[str, ...] = (
    "Маша <3",  # a lone "<": Telegram's HTML parser reads it as the start of a tag
    "<Kate>",  # an unknown tag
    "a & b",  # a bare "&": an entity that never ends
    "</b>",  # a closing tag with nothing open
    "<b>Bold</b>",  # valid markup that must stay text, not turn bold
    "<script>x</script>",
    LONGEST_NAME,
    "\u202eevil",  # RIGHT-TO-LEFT OVERRIDE: Telegram drops it, the rest stays
    # Zero-width space, non-joiner and joiner: Telegram keeps them; the bot drops the space.
    "Ze\u200bro\u200c\u200dWidth",
    "🐶 Рекс 👨‍👩‍👧",  # astral-plane emoji and a ZWJ family: two UTF-16 units per emoji
)
# Test ids for parametrized tests (pytest would show the names themselves as escapes).
HOSTILE_NAME_IDS: tuple[str, ...] = (
    "heart",
    "unknown-tag",
    "ampersand",
    "closing-tag",
    "bold-tag",
    "script-tag",
    "64-characters",
    "rtl-override",
    "zero-width",
    "emoji",
)
assert len(LONGEST_NAME) == MAX_NAME_LENGTH
assert len(HOSTILE_NAME_IDS) == len(HOSTILE_NAMES)

# The pet of the urgent ("go to a 24/7 clinic now") card, a tag as its whole name.
URGENT_PET = "<Rex>"

_DROPPED_BY_TELEGRAM = dict.fromkeys(range(0x202A, 0x202F))
# Written out rather than taken from core.plain_text: the test states what is expected.
_DROPPED_BY_THE_BOT = dict.fromkeys(
    [0x200B, 0xFEFF, *range(0x2060, 0x2065), *range(0x2066, 0x206A)]
)


def shown(name: str) -> str:
    """What a Telegram user sees of `name` in a message the bot sent."""
    return shown_live(name).translate(_DROPPED_BY_THE_BOT)


def shown_live(name: str) -> str:
    """What a user sees of their own Telegram name where the bot greets them with the name of
    the update itself (not a stored one): only Telegram's own cleaning applies."""
    return name.translate(_DROPPED_BY_TELEGRAM)


@dataclass
class Cast:
    """Who is who in a walk. The plain cast keeps the walk's own names ("Ann", "Rex"); the
    hostile one gives each distinct name the next hostile one, so a walk with four people
    and pets meets four different attacks, and the same plain name always the same one."""

    hostile: bool
    # Where in HOSTILE_NAMES this walk starts, so walks of one module meet different names.
    start: int = 0
    given: dict[str, str] = field(default_factory=dict)

    def __call__(self, plain: str, *, hostile: str | None = None) -> str:
        """`plain`'s name in this cast; `hostile` names it in the hostile cast instead of the
        next name of the list."""
        if not self.hostile:
            return plain
        if hostile is not None:
            self.given.setdefault(plain, hostile)
        if plain not in self.given:
            index = (self.start + len(self.given)) % len(HOSTILE_NAMES)
            self.given[plain] = HOSTILE_NAMES[index]
        return self.given[plain]

    def shown(self, plain: str) -> str:
        return shown(self(plain))
