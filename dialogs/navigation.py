"""Ways from one feature into another, by the target's state (dialogs/states.py) and start data.

A feature never imports another feature's handlers: its buttons call these starters instead.
Where a user lands: the main menu once they consented, onboarding before that.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode, StartMode

from core.entities import User
from dialogs.states import MainMenuSG, OnboardingSG, RecordsSG, SharingSG
from dialogs.widgets.events import notify
from dialogs.widgets.pet_context import KEY_PET_ID, pet_id_of


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


async def on_open_medical_card(
    callback: CallbackQuery, button: Any, manager: DialogManager
) -> None:
    """The pet card's button: this pet's medical card on top of it."""
    await _start_about_current_pet(manager, RecordsSG.LIST)


async def on_open_sharing(callback: CallbackQuery, button: Any, manager: DialogManager) -> None:
    """The pet card's "Sharing" button: the sharing dialog on top of the card, about its pet."""
    await _start_about_current_pet(manager, SharingSG.MAIN)


async def _start_about_current_pet(manager: DialogManager, state: State) -> None:
    pet_id = pet_id_of(manager)
    if pet_id is None:
        await notify(manager, "err-pet-not-found")
        return
    await manager.start(state, data={KEY_PET_ID: pet_id})
