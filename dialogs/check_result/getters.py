from __future__ import annotations

from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.check_questions import PROBLEM_AREAS
from core.checks import (
    ANSWER_SIGNS,
    EscalationPoint,
    PhotoAnalysis,
    escalation_points,
    result_from_json,
)
from core.interactors.symptom_check import GetCheckResult
from core.markup import Markup
from core.triage import RuleSet, Urgency
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.triage_labels import advice_label, escalate_label, finding_label, sign_label

KEY_CHECK = "check_id"
# Signs with their own home-care advice and warning signs in locales (advice.ftl).
ADVISED_SIGNS = frozenset(sign for area in PROBLEM_AREAS for sign in area.signs)
# Advice for the first few signs of the result (in the rules' order of reasons): with
# every sign ticked, the card would outgrow Telegram's 4096 characters, and the first ones
# matter most. Each advice is ≤ 220 characters, each warning ≤ 140 (tests/unit/test_advice_*).
MAX_ADVISED_SIGNS = 4
# Opened from the medical card: a past result, with its date and a way back to the card.
KEY_FROM_CARD = "from_card"


def check_id_of(manager: DialogManager) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return int(start[KEY_CHECK])


def opened_from_card(manager: DialogManager) -> bool:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return bool(start.get(KEY_FROM_CARD))


def _escalation_line(i18n: I18nContext, point: EscalationPoint) -> str:
    key = escalate_label(point.detail, rising=point.rising)
    return i18n.get(key, threshold=point.threshold, current=point.current)


@inject
async def get_result(
    dialog_manager: DialogManager,
    get_check: FromDishka[GetCheckResult],
    rules: FromDishka[RuleSet],
    **_: Any,
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
    is_high = result.urgency is Urgency.HIGH
    # Advice for what fired, in the rules' words: itching and vomiting get different advice.
    fired_signs = [code for code in result.reasons if code in signs and code not in findings]
    advised = [code for code in fired_signs if code in ADVISED_SIGNS][:MAX_ADVISED_SIGNS]
    advice = [i18n.get(advice_label(code)) for code in advised]
    urgent_if: list[str] = []
    vet_soon_if: list[str] = []
    if not is_high and check.submitted_at is not None:
        # The pet's age on the day of the check: the thresholds read it as the rules did then.
        points = escalation_points(pet, check.answers, rules, check.submitted_at.date())
        for point in points[:MAX_ADVISED_SIGNS]:
            # A threshold that only means "vet within 24 h" must not read as "go at once".
            target = urgent_if if point.urgency is Urgency.HIGH else vet_soon_if
            target.append(_escalation_line(i18n, point))
        urgent_if += [i18n.get(escalate_label(code)) for code in advised]
    from_card = opened_from_card(dialog_manager)
    return {
        "ready": True,
        "pet_name": pet.name,
        "is_high": is_high,
        "is_medium": result.urgency is Urgency.MEDIUM,
        "is_low": result.urgency is Urgency.LOW,
        "book_now": result.urgency is Urgency.MEDIUM,
        "book_after_clinic": is_high,
        "book_routine": result.urgency is Urgency.LOW,
        "has_advice": bool(advice),
        "no_advice": not advice,
        # Each advice and warning message is already a "• " line (locales/*/advice.ftl).
        "advice_text": Markup("\n").join(advice),
        "has_urgent_if": bool(urgent_if),
        "no_urgent_if": not urgent_if,
        "urgent_if_text": Markup("\n").join(urgent_if),
        "has_vet_soon_if": bool(vet_soon_if),
        "vet_soon_if_text": Markup("\n").join(vet_soon_if),
        "from_card": from_card,
        "not_from_card": not from_card,
        "date": check.submitted_at.date() if check.submitted_at else check.created_at.date(),
        "has_reasons": bool(reasons),
        "reasons_text": Markup("\n").join(Markup("• {}").format(reason) for reason in reasons),
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
