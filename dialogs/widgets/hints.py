"""Answers for input a window did not ask for: never silence, never a traceback."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput

from dialogs.widgets.free_text import hear_typed_text
from dialogs.widgets.i18n import i18n_from

KEY_USE_BUTTONS = "err-use-buttons"


def unexpected_input_hint(hint_key: str = KEY_USE_BUTTONS) -> MessageInput:
    """Any message (text, photo, sticker, document...) gets a short hint in the user's language."""

    async def on_unexpected(message: Message, _: MessageInput, manager: DialogManager) -> None:
        # A frightened owner types "he's not breathing" wherever they are: that comes first.
        if message.text and await hear_typed_text(message.text, manager, in_form=True):
            return
        await message.answer(i18n_from(manager).get(hint_key))
        # Send the window again under the hint, so the buttons are in reach without scrolling.
        manager.show_mode = ShowMode.DELETE_AND_SEND

    return MessageInput(on_unexpected, content_types=ContentType.ANY)
