"""Collision-resistant dialog intent ids for aiogram-dialog.

aiogram-dialog 2.6 builds an intent id from the current second plus one of only 100 random
values (`api/entities/stack.py: new_int_id`). Two dialogs opened for one user within the same
second — common: `/language` opens the menu and the language window in one update — collide
with a 1 % chance; the stack then points at a context that is gone, aiogram-dialog logs
"Stack is broken" and resets it, and the user is thrown back to the main menu. The test suite
hit it every few runs. 40 random bits make a collision negligible while the id stays about
7 characters, well within Telegram's 64-byte callback data.
"""

from __future__ import annotations

import secrets

from aiogram_dialog.api.entities import stack as dialog_stack

_ID_BITS = 40


def _random_int_id() -> int:
    return secrets.randbits(_ID_BITS)


def install_collision_resistant_ids() -> None:
    """Idempotent; `new_id` looks `new_int_id` up at call time, so this covers every id."""
    dialog_stack.new_int_id = _random_int_id
