"""Start-data and dialog_data keys of the typed-message dialog (see FreeTextSG)."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager

ID_PETS = "free_pets"

KEY_ITEMS = "items"
KEY_TOXIN = "toxin"
KEY_SIGNS = "signs"
KEY_TEXT = "text"
KEY_IDEMPOTENCY = "idempotency_key"


def start_value(manager: DialogManager, key: str) -> Any:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return start.get(key)
