"""Dialogs opened in the same second get distinct ids (aiogram-dialog's own ids may not)."""

from __future__ import annotations

from aiogram_dialog.api.entities.stack import Stack, new_id

from bot.dialog_ids import install_collision_resistant_ids


def test_ten_thousand_intents_opened_at_once_never_share_an_id() -> None:
    install_collision_resistant_ids()
    stack = Stack()
    ids = {new_id() for _ in range(10_000)}
    assert len(ids) == 10_000
    # Short enough for Telegram's 64-byte callback data, prefixed to every button.
    assert max(len(intent_id) for intent_id in ids) <= 7
    assert stack.id not in ids
