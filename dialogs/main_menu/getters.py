from __future__ import annotations

from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager

KEY_NAME = "name"


async def get_main_menu(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    # The sender from the middleware data: the event may be an error or a background update.
    sender: TelegramUser | None = dialog_manager.middleware_data.get("event_from_user")
    return {KEY_NAME: sender.first_name if sender else ""}
