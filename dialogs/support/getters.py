from __future__ import annotations

from typing import Any, Final

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.config import Settings

KEY_TICKET: Final = "ticket_id"
KEY_CUTOFF_HOURS: Final = "cutoff_hours"


@inject
async def get_question(
    dialog_manager: DialogManager, settings: FromDishka[Settings], **_: Any
) -> dict[str, Any]:
    # The refund rules come first: most questions are answered by them.
    return {KEY_CUTOFF_HOURS: settings.booking.refund_cutoff_hours}


async def get_answer(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    start_data = dialog_manager.start_data
    ticket = start_data.get(KEY_TICKET) if isinstance(start_data, dict) else None
    return {KEY_TICKET: ticket if isinstance(ticket, int) else 0}
