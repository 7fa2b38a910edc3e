from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button

from dialogs.states import LanguageSG
from dialogs.widgets.free_text import hear_typed_text
from dialogs.widgets.i18n import i18n_from

# Button ids name the feature they open.
ID_FEATURE_PREFIX = "menu_"


async def on_language(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.start(LanguageSG.SELECT)


async def on_typed_text(message: Message, widget: MessageInput, manager: DialogManager) -> None:
    if await hear_typed_text(message.text or "", manager, in_form=False):
        return
    await message.answer(i18n_from(manager).get("err-main-menu-typed"))
    manager.show_mode = ShowMode.DELETE_AND_SEND
