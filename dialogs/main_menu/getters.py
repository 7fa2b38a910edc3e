from __future__ import annotations

from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager

from dialogs.widgets.i18n import i18n_from

KEY_NAME = "name"
KEY_FEATURE = "feature"

# Full message ids (not built from parts) so the locale check finds every id used in code.
FEATURE_TITLES = {
    "pets": "feature-pets",
    "check": "feature-check",
    "book": "feature-book",
    "records": "feature-records",
}


async def get_main_menu(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    # The sender from the middleware data: the event may be an error or a background update.
    sender: TelegramUser | None = dialog_manager.middleware_data.get("event_from_user")
    return {KEY_NAME: sender.first_name if sender else ""}


async def get_coming_soon(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    feature = dialog_manager.dialog_data.get(KEY_FEATURE)
    if feature is None and isinstance(dialog_manager.start_data, dict):
        feature = dialog_manager.start_data.get(KEY_FEATURE)
    title_key = FEATURE_TITLES.get(str(feature), FEATURE_TITLES["pets"])
    return {KEY_FEATURE: i18n_from(dialog_manager).get(title_key)}
