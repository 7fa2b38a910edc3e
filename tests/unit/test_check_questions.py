"""The symptom-check questionnaire agrees with the triage rules it feeds."""

from __future__ import annotations

import pytest

from core.answer_reading import AskBack, Reading, read_number_answer
from core.check_questions import (
    EMERGENCY_SCREEN,
    PROBLEM_AREAS,
    AnswerError,
    questions_for,
    screen_for,
)
from core.enums import Sex, Species
from core.triage import TriageInput, Urgency, assess, default_rules

RULES = default_rules()


@pytest.mark.parametrize("item", EMERGENCY_SCREEN, ids=lambda item: item.id)
def test_every_emergency_screen_item_is_high_for_the_animals_it_is_shown_to(item) -> None:  # type: ignore[no-untyped-def]
    shown_to = [
        (species, sex) for species in Species for sex in Sex if item.applies_to(species, sex)
    ]
    assert shown_to, f"{item.id} is shown to no animal"
    for species, sex in shown_to:
        case = TriageInput(species=species, sex=sex, signs=item.signs, details=dict(item.details))
        assert assess(case, RULES).urgency is Urgency.HIGH, (item.id, species, sex)


def test_every_always_high_sign_is_on_the_screen_for_some_animal() -> None:
    on_screen = {sign for item in EMERGENCY_SCREEN for sign in item.signs}
    assert set(RULES.emergency_signs()) <= on_screen


def test_male_cat_screen_asks_about_urinary_blockage_but_a_female_cats_does_not() -> None:
    male = {item.id for item in screen_for(Species.CAT, Sex.MALE)}
    female = {item.id for item in screen_for(Species.CAT, Sex.FEMALE)}
    assert "urinary-blockage" in male
    assert "urinary-blockage" not in female
    assert "labor" in female and "labor" not in male


def test_bird_screen_has_the_cage_floor_sign_and_no_gums() -> None:
    bird = {item.id for item in screen_for(Species.BIRD, Sex.UNKNOWN)}
    assert "cage-floor" in bird and "gums" not in bird


def test_problem_areas_offer_only_known_non_emergency_signs() -> None:
    emergency = set(RULES.emergency_signs())
    for area in PROBLEM_AREAS:
        for sign in area.signs:
            assert sign in RULES.known_signs, sign
            assert sign not in emergency, sign


def test_every_sign_with_rules_is_reachable_from_the_questionnaire() -> None:
    reachable = {sign for area in PROBLEM_AREAS for sign in area.signs}
    reachable |= {sign for item in EMERGENCY_SCREEN for sign in item.signs}
    assert reachable == set(RULES.known_signs)


def test_questions_are_exactly_the_details_the_rules_read() -> None:
    assert questions_for(["seizure"], RULES, known={}) == [
        "seizure_minutes",
        "seizures_24h",
        "recovered",
    ]
    # vomiting + diarrhea: the parvovirus rule reads `vaccinated`, so it is asked.
    asked = questions_for(["vomiting", "diarrhea"], RULES, known={})
    assert "vaccinated" in asked and "vomiting_count_24h" in asked
    assert questions_for(["itching"], RULES, known={}) == []
    assert "recovered" not in questions_for(["seizure"], RULES, known={"recovered": True})


@pytest.mark.parametrize(
    ("detail", "text", "expected"),
    [
        ("vomiting_count_24h", "3", 3),
        ("temperature_c", "39,4 °C", 39.4),
        ("not_eating_hours", "about 12", 12),
        ("seizure_minutes", "2.5", 2.5),
        # A bare 104 is asked back as 40 °C (Fahrenheit, an emergency): it used to be refused.
        ("temperature_c", "104", AskBack((40,))),
        ("no_urine_hours", "2 days", 48),
        ("no_urine_hours", "2 or 3", 3),
    ],
)
def test_numbers_are_read_as_owners_type_them(
    detail: str, text: str, expected: float | AskBack
) -> None:
    reading = read_number_answer(detail, text, RULES)
    assert reading == (expected if isinstance(expected, AskBack) else Reading(expected))


@pytest.mark.parametrize(
    ("detail", "text", "reason"),
    [
        ("vomiting_count_24h", "many", "not_a_number"),
        ("vomiting_count_24h", "2.5", "not_whole"),
        ("temperature_c", "120", "out_of_range"),
        ("not_eating_hours", "-3", "out_of_range"),
    ],
)
def test_implausible_numbers_are_refused_with_a_reason(
    detail: str, text: str, reason: str
) -> None:
    with pytest.raises(AnswerError) as error:
        read_number_answer(detail, text, RULES)
    assert error.value.reason == reason
