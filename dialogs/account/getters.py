"""Getter of the account deletion warning: what would go, read through the interactor."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.account import PetFate, PlanAccountDeletion
from dialogs.widgets.events import telegram_id_of

KEY_DELETED = "pets_deleted"  # names, comma-separated
KEY_HANDED_OVER = "pets_handed_over"
KEY_KEPT = "pets_kept"


def _names(fates: tuple[PetFate, ...]) -> str:
    return ", ".join(fate.name for fate in fates)


@inject
async def get_deletion_plan(
    dialog_manager: DialogManager, plan_deletion: FromDishka[PlanAccountDeletion], **_: Any
) -> dict[str, Any]:
    plan = await plan_deletion(telegram_id_of(dialog_manager))
    return {
        KEY_DELETED: _names(plan.deleted),
        KEY_HANDED_OVER: _names(plan.handed_over),
        KEY_KEPT: _names(plan.kept_by_others),
    }
