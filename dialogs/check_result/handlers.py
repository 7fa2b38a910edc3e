from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, StartMode
from aiogram_dialog.widgets.kbd import Button

from dialogs.main_menu.getters import KEY_FEATURE
from dialogs.states import MainMenuSG


async def on_book(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    # Booking arrives with the vets issue; until then it says so, like the menu does.
    await manager.start(
        MainMenuSG.COMING_SOON, data={KEY_FEATURE: "book"}, mode=StartMode.RESET_STACK
    )


async def on_main_menu(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK)
