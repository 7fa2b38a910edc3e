"""Who sent the current event, and short answers to it: what every feature's handlers share."""

from __future__ import annotations

from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager, ShowMode

from core.markup import plain_text
from dialogs.widgets.i18n import i18n_from


def telegram_id_of(manager: DialogManager) -> int:
    sender: TelegramUser = manager.middleware_data["event_from_user"]
    return sender.id


async def notify(manager: DialogManager, key: str, **args: Any) -> None:
    """A short answer to the current event: an alert on a button, a message after a message."""
    text = i18n_from(manager).get(key, **args)
    event = manager.event
    if isinstance(event, CallbackQuery):
        # An alert shows no markup: the text the user reads.
        await event.answer(plain_text(text), show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)
        # The window again under the answer, with what the user entered so far.
        manager.show_mode = ShowMode.DELETE_AND_SEND


async def say(manager: DialogManager, key: str, **args: Any) -> None:
    """A message that stays in the chat (unlike an alert); the window follows below it."""
    event = manager.event
    text = i18n_from(manager).get(key, **args)
    if isinstance(event, CallbackQuery):
        # aiogram-dialog answers the callback itself; a private chat's id is the user's.
        await manager.middleware_data["bot"].send_message(event.from_user.id, text)
    elif isinstance(event, Message):
        await event.answer(text)
    manager.show_mode = ShowMode.SEND
