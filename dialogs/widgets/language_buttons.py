"""The row of language buttons (onboarding, /language) and the locale a button stands for."""

from __future__ import annotations

from aiogram_dialog.widgets.kbd import Button, Row

from dialogs.widgets.i18n import I18nFormat

# Button ids carry the locale so one handler serves both buttons.
ID_LANG_PREFIX = "lang_"
ID_LANG_RU = f"{ID_LANG_PREFIX}ru"
ID_LANG_EN = f"{ID_LANG_PREFIX}en"


def language_buttons(on_click: object) -> Row:
    return Row(
        Button(I18nFormat("btn-lang-ru"), id=ID_LANG_RU, on_click=on_click),  # type: ignore[arg-type]
        Button(I18nFormat("btn-lang-en"), id=ID_LANG_EN, on_click=on_click),  # type: ignore[arg-type]
    )


def locale_of(button: Button) -> str:
    return button.widget_id.removeprefix(ID_LANG_PREFIX)  # type: ignore[union-attr]
