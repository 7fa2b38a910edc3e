"""Every public vignette of the clinical rules' public cases gets its expected level.

The cases are kept in the repository (tests/data/triage, a copy of shared/triage's file), so a
clone alone runs them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.triage import assess, default_rules, parse_case

PUBLIC_CASES = Path(__file__).parents[1] / "data" / "triage" / "cases-public.jsonl"


def _load() -> list[dict[str, object]]:
    lines = PUBLIC_CASES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


CASES = _load()


def test_the_public_cases_are_all_there() -> None:
    assert len(CASES) >= 28


@pytest.mark.parametrize("raw", CASES, ids=[str(raw.get("id")) for raw in CASES])
def test_public_case_gets_expected_level(raw: dict[str, object]) -> None:
    rules = default_rules()
    case = parse_case(raw, rules)
    result = assess(case.input, rules)
    assert case.expected is not None, "every public case states its expected level"
    assert result.urgency is case.expected, f"{raw.get('note', '')} → reasons {result.reasons}"
    # A non-low result must explain itself with at least one fired rule.
    if result.urgency.value != "low":
        assert result.fired and result.reasons
