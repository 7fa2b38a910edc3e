from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.kbd import Button

from dialogs.main_menu.getters import KEY_FEATURE
from dialogs.states import LanguageSG, MainMenuSG

# Button ids name the feature they open, so one handler serves the four of them.
ID_FEATURE_PREFIX = "menu_"


async def on_feature(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    # Until the feature issues land, every feature opens the same "coming soon" window.
    manager.dialog_data[KEY_FEATURE] = button.widget_id.removeprefix(ID_FEATURE_PREFIX)  # type: ignore[union-attr]
    await manager.switch_to(MainMenuSG.COMING_SOON)


async def on_language(callback: CallbackQuery, button: Button, manager: DialogManager) -> None:
    await manager.start(LanguageSG.SELECT)
