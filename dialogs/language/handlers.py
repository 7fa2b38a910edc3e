from __future__ import annotations

from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button

from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.language_buttons import locale_of


async def on_language_changed(
    callback: CallbackQuery, button: Button, manager: DialogManager
) -> None:
    i18n = i18n_from(manager)
    await i18n.set_locale(locale_of(button))
    await callback.answer(i18n.get("msg-language-changed"))
    # Back to whatever was open; it re-renders in the new language.
    await manager.done(show_mode=ShowMode.EDIT)
