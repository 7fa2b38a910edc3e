"""Where a user lands: the main menu once they consented, onboarding before that."""

from __future__ import annotations

from aiogram_dialog import DialogManager, ShowMode, StartMode

from core.entities import User
from dialogs.states import MainMenuSG, OnboardingSG


async def start_home(
    manager: DialogManager,
    user: User | None,
    *,
    show_mode: ShowMode | None = None,
) -> None:
    if user is None or user.consented_at is None:
        await manager.start(OnboardingSG.LANGUAGE, mode=StartMode.RESET_STACK, show_mode=show_mode)
    else:
        await manager.start(MainMenuSG.MAIN, mode=StartMode.RESET_STACK, show_mode=show_mode)
