"""Which pet a dialog is about: the start-data key every pet-related feature passes on."""

from __future__ import annotations

from aiogram_dialog import DialogManager

# dialog_data / start_data: ids and primitives only (STYLE.md, rule 4).
KEY_PET_ID = "pet_id"


def pet_id_of(manager: DialogManager) -> int | None:
    """The pet this dialog is about: chosen in it, else given by whoever started it."""
    value = manager.dialog_data.get(KEY_PET_ID)
    if value is None and isinstance(manager.start_data, dict):
        value = manager.start_data.get(KEY_PET_ID)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
