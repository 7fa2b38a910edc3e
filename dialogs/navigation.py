"""Where a user lands: the main menu once they consented, onboarding before that."""

from __future__ import annotations

from typing import Any

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


async def start_feature(
    manager: DialogManager, user: User | None, feature_key: str, data: dict[str, Any] | None = None
) -> None:
    """Open a feature from a command; features need consent first."""
    if user is None or user.consented_at is None:
        await start_home(manager, user)
        return
    await manager.start(
        MainMenuSG.COMING_SOON,
        data={"feature": feature_key, **(data or {})},
        mode=StartMode.RESET_STACK,
    )
