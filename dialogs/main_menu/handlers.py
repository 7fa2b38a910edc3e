from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from dialogs.states import LanguageSG

# Button ids name the feature they open.
ID_FEATURE_PREFIX = "menu_"


async def on_language(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.start(LanguageSG.SELECT)
