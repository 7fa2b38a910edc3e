from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Cancel

from dialogs.language.handlers import on_language_changed
from dialogs.states import LanguageSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat
from dialogs.widgets.language_buttons import language_buttons

ID_LANGUAGE_CANCEL = "language_cancel"

select_window = Window(
    I18nFormat("msg-choose-language"),
    language_buttons(on_language_changed),
    Cancel(I18nFormat("btn-back"), id=ID_LANGUAGE_CANCEL),
    unexpected_input_hint(),
    state=LanguageSG.SELECT,
)


def build_language_dialog() -> Dialog:
    return Dialog(select_window)
