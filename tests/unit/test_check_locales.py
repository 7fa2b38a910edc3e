"""Labels the symptom check builds from rule codes exist in every locale."""

from __future__ import annotations

import pytest

from core.check_questions import EMERGENCY_SCREEN, PROBLEM_AREAS
from core.ports.photo_model import FINDING_CODES
from core.triage import default_rules
from dialogs.widgets.triage_labels import (
    area_label,
    detail_question,
    finding_label,
    screen_label,
    sign_label,
)
from tests.unit.test_locales import _messages

RULES = default_rules()

DYNAMIC_IDS = sorted(
    {screen_label(item.id) for item in EMERGENCY_SCREEN}
    | {area_label(area.id) for area in PROBLEM_AREAS}
    | {sign_label(sign) for sign in RULES.known_signs}
    | {detail_question(detail) for detail in RULES.details}
    | {finding_label(code) for code in FINDING_CODES}
    | {finding_label(rule.label) for rule in RULES.photo_rules}
)


@pytest.mark.parametrize("locale", ["ru", "en"])
def test_every_label_built_from_a_rule_code_exists(locale: str) -> None:
    known = set(_messages(locale))
    missing = [message_id for message_id in DYNAMIC_IDS if message_id not in known]
    assert not missing, f"{locale}: {missing}"
