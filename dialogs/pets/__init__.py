"""My pets: the list and cards (PetsSG) and the pet form (PetAddSG)."""

from __future__ import annotations

from aiogram_dialog import DialogManager, StartMode

from core.entities import User
from dialogs.navigation import start_home
from dialogs.states import PetsSG


async def start_my_pets(manager: DialogManager, user: User | None) -> None:
    """Open the pets list from a command; like every feature it needs consent first."""
    if user is None or user.consented_at is None:
        await start_home(manager, user)
        return
    await manager.start(PetsSG.LIST, mode=StartMode.RESET_STACK)
