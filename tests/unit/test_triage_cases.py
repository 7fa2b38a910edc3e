"""Cases as JSON: typed input on success, a clear per-case error otherwise."""

from __future__ import annotations

import pytest

from core.triage import (
    CaseError,
    Sex,
    Species,
    UnknownSignError,
    Urgency,
    default_rules,
    parse_case,
    parse_case_json,
)


def _case(**fields: object) -> dict[str, object]:
    raw: dict[str, object] = {"id": "c1", "species": "cat", "signs": ["vomiting"]}
    raw.update(fields)
    return raw


def test_full_case_parses_to_typed_input() -> None:
    case = parse_case(
        _case(
            sex="male",
            neutered=True,
            age_months=3,
            signs=["vomiting", "diarrhea", "vomiting"],
            details={"vaccinated": False, "vomiting_count_24h": 2, "note_from_owner": "x"},
            image_findings=[{"label": "wound_open", "score": 0.8}],
            expected="high",
            note="ignored",
        ),
        default_rules(),
    )
    assert case.id == "c1"
    assert case.expected is Urgency.HIGH
    assert case.input.species is Species.CAT
    assert case.input.sex is Sex.MALE
    assert case.input.neutered is True
    assert case.input.signs == ("vomiting", "diarrhea")  # repeats dropped
    assert case.input.details["vaccinated"] is False
    assert case.input.image_findings[0].score == 0.8


def test_optional_fields_may_be_absent_or_null() -> None:
    case = parse_case(
        _case(sex=None, neutered=None, age_months=None, details=None, image_findings=None),
        default_rules(),
    )
    assert case.input.sex is Sex.UNKNOWN
    assert case.input.age_months is None
    assert dict(case.input.details) == {}
    assert case.expected is None


def test_null_detail_means_not_reported() -> None:
    case = parse_case(_case(details={"recovered": None}), default_rules())
    assert "recovered" not in case.input.details


def test_unknown_sign_is_an_error_of_that_case() -> None:
    with pytest.raises(UnknownSignError) as info:
        parse_case(_case(signs=["vomiting", "hiccups"]), default_rules())
    assert info.value.case_id == "c1"
    assert info.value.signs == ("hiccups",)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"species": "dragon"}, "unknown species 'dragon'"),
        ({"species": None}, "`species` is required"),
        ({"sex": "m"}, "unknown sex 'm'"),
        ({"neutered": "yes"}, "`neutered` must be true, false or null"),
        ({"age_months": "three"}, "`age_months` must be a number"),
        ({"age_months": -1}, "`age_months` must be a number >= 0"),
        ({"age_months": True}, "`age_months` must be a number"),
        ({"signs": "vomiting"}, "`signs` must be a list"),
        ({"signs": None}, "`signs` must be a list"),
        ({"signs": [1]}, "`signs` must hold strings"),
        ({"details": ["a"]}, "`details` must be an object"),
        ({"details": {"vomiting_count_24h": "4"}}, "details.vomiting_count_24h: expected number"),
        ({"details": {"vomiting_count_24h": True}}, "details.vomiting_count_24h: expected number"),
        ({"details": {"vaccinated": "no"}}, "details.vaccinated: expected bool"),
        ({"details": {"x": [1]}}, "details.x: expected a number, flag or text"),
        ({"image_findings": {"label": "x"}}, "`image_findings` must be a list"),
        ({"image_findings": [{"label": "x", "score": 1.5}]}, "image_findings[0].score"),
        ({"image_findings": [{"score": 0.5}]}, "image_findings[0].label"),
        ({"expected": "urgent"}, "unknown expected 'urgent'"),
    ],
)
def test_wrong_field_is_a_clear_case_error(fields: dict[str, object], message: str) -> None:
    with pytest.raises(CaseError) as info:
        parse_case(_case(**fields), default_rules())
    assert message in str(info.value)
    assert info.value.case_id == "c1"


def test_case_without_an_id_is_an_error_without_an_id() -> None:
    raw = _case()
    del raw["id"]
    with pytest.raises(CaseError, match="`id` must be") as info:
        parse_case(raw, default_rules())
    assert info.value.case_id is None


def test_invalid_json_line_is_a_case_error() -> None:
    with pytest.raises(CaseError, match="not valid JSON"):
        parse_case_json('{"id": "c1", ', default_rules())
    with pytest.raises(CaseError, match="must be a JSON object"):
        parse_case_json("[1, 2]", default_rules())
