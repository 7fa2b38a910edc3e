from __future__ import annotations

from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.checks import ANSWER_SIGNS, PhotoAnalysis, result_from_json
from core.interactors.symptom_check import GetCheckResult
from core.triage import Urgency
from dialogs.check.state import finding_label, sign_label
from dialogs.widgets.i18n import i18n_from

KEY_CHECK = "check_id"


def check_id_of(manager: DialogManager) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start[KEY_CHECK])


@inject
async def get_result(
    dialog_manager: DialogManager, get_check: FromDishka[GetCheckResult], **_: Any
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    sender: TelegramUser = dialog_manager.middleware_data["event_from_user"]
    check, pet = await get_check(telegram_id=sender.id, check_id=check_id_of(dialog_manager))
    if check.result is None:
        return {"ready": False}
    result, analysis = result_from_json(check.result)
    signs = set(check.answers.get(ANSWER_SIGNS, ()))
    findings = {rule.finding for rule in result.fired if rule.finding}
    reasons = [
        i18n.get(finding_label(code) if code in findings else sign_label(code))
        for code in result.reasons
    ]
    notes = {note.code for note in result.photo_notes}
    return {
        "ready": True,
        "pet_name": pet.name,
        "is_high": result.urgency is Urgency.HIGH,
        "is_medium": result.urgency is Urgency.MEDIUM,
        "is_low": result.urgency is Urgency.LOW,
        "can_book": result.urgency is not Urgency.LOW,
        "has_reasons": bool(reasons),
        "reasons_text": "\n".join(f"• {reason}" for reason in reasons),
        "has_toxin": "toxin_ingestion" in signs,
        "analysis_pending": analysis is PhotoAnalysis.PENDING,
        "analysis_not_configured": analysis is PhotoAnalysis.NOT_CONFIGURED,
        "analysis_failed": analysis is PhotoAnalysis.FAILED,
        "analysis_done": analysis is PhotoAnalysis.DONE,
        "photo_unusable": "unusable_photo" in notes,
        "model_unsure": "model_unsure" in notes,
        "noted_for_vet": "noted_for_vet" in notes,
        "rules_version": result.rules_version,
    }
