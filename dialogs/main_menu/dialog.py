from __future__ import annotations

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Row, Start

from dialogs.main_menu.getters import get_main_menu
from dialogs.main_menu.handlers import ID_FEATURE_PREFIX, on_language, on_typed_text
from dialogs.states import BookingSG, CheckSG, MainMenuSG, PetsSG, RecordsSG, SettingsSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat

ID_MENU_PETS = f"{ID_FEATURE_PREFIX}pets"
ID_MENU_CHECK = f"{ID_FEATURE_PREFIX}check"
ID_MENU_BOOK = f"{ID_FEATURE_PREFIX}book"
ID_MENU_RECORDS = f"{ID_FEATURE_PREFIX}records"
ID_MENU_REMINDERS = f"{ID_FEATURE_PREFIX}reminders"
ID_MENU_LANGUAGE = "menu_language"

main_window = Window(
    I18nFormat("msg-main-menu"),
    Row(
        Start(I18nFormat("btn-menu-pets"), id=ID_MENU_PETS, state=PetsSG.LIST),
        Start(I18nFormat("btn-menu-check"), id=ID_MENU_CHECK, state=CheckSG.PET),
    ),
    Row(
        Start(I18nFormat("btn-menu-book"), id=ID_MENU_BOOK, state=BookingSG.PET),
        Start(I18nFormat("btn-menu-records"), id=ID_MENU_RECORDS, state=RecordsSG.PET),
    ),
    Row(
        Start(I18nFormat("btn-menu-reminders"), id=ID_MENU_REMINDERS, state=SettingsSG.MAIN),
        Button(I18nFormat("btn-menu-language"), id=ID_MENU_LANGUAGE, on_click=on_language),
    ),
    MessageInput(on_typed_text, content_types=ContentType.TEXT),
    unexpected_input_hint(),
    getter=get_main_menu,
    state=MainMenuSG.MAIN,
)


def build_main_menu_dialog() -> Dialog:
    return Dialog(main_window)
