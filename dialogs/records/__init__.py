"""The medical card: a pet's entries (RecordsSG) and the entry form (RecordFormSG)."""

from __future__ import annotations

from aiogram_dialog import DialogManager, StartMode

from core.entities import User
from dialogs.navigation import start_home
from dialogs.states import RecordsSG


async def start_records(manager: DialogManager, user: User | None) -> None:
    """Open the medical card from a command: the pet picker, skipped when there is one pet.

    Like every feature it needs consent first.
    """
    if user is None or user.consented_at is None:
        await start_home(manager, user)
        return
    await manager.start(RecordsSG.PET, mode=StartMode.RESET_STACK)
