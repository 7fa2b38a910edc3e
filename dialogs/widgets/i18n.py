"""The one text widget of the bot: a Fluent message looked up in the user's locale."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.text import Format, Text
from aiogram_i18n import I18nContext

from core.markup import Markup, plain_text

I18N_KEY = "i18n"

# Fluent formats only these; everything else in the window data (the manager, events, dicts)
# would be an error if a message referenced it, and is noise if not.
_FLUENT_TYPES = (str, int, float, Decimal, date, datetime)


def i18n_from(manager: DialogManager) -> I18nContext:
    context: I18nContext = manager.middleware_data[I18N_KEY]
    return context


class I18nFormat(Text):
    def __init__(self, key: str, when: WhenCondition = None) -> None:
        super().__init__(when)
        self.key = key

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        args = {
            name: value
            for name, value in data.items()
            if isinstance(value, _FLUENT_TYPES) and not isinstance(value, bool)
        }
        return i18n_from(manager).get(self.key, **args)


class ButtonLabel(Format):
    """A button's text from the window data (`"🐾 {item[0]}"`). Telegram shows button labels as
    they are, so HTML that came from the i18n layer (a `Markup` label with a pet's name) is
    turned back into the text the user would read; plain values are used as they are."""

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return await super()._render_text(
            {name: _readable(value) for name, value in data.items()}, manager
        )


def _readable(value: Any) -> Any:
    if isinstance(value, Markup):
        return plain_text(value)
    if isinstance(value, tuple | list):
        return type(value)(_readable(item) for item in value)
    return value
