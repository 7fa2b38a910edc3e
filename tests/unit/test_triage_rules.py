"""The clinical rules of RULES.md, family by family, at and around every boundary.

Hand-made cases, independent of the public vignettes: they read RULES.md, not the engine.
"""

from __future__ import annotations

import pytest

from core.triage import (
    CaseError,
    ImageFinding,
    Sex,
    Species,
    TriageInput,
    TriageResult,
    UnknownSignError,
    Urgency,
    assess,
    default_rules,
)
from core.triage.model import DetailValue

LOW, MEDIUM, HIGH = Urgency.LOW, Urgency.MEDIUM, Urgency.HIGH

ALWAYS_HIGH = [
    "breathing_difficulty",
    "choking",
    "gums_pale_or_blue",
    "collapse",
    "sudden_paralysis",
    "bloat_retching",
    "toxin_ingestion",
    "trauma_major",
    "heatstroke",
    "allergic_face_swelling",
    "snake_bite",
    "labor_difficulty",
    "eye_injury",
    "electrical_burn",
    "vomiting_blood",
    "bird_on_cage_floor",
]
MEDIUM_SIGNS = [
    "blood_in_urine",
    "eye_discharge",
    "squinting",
    "foreign_body_swallowed",
    "head_tilt",
    "coughing",
    "lethargy",
    "wound",
]
LOW_SIGNS = [
    "itching",
    "hair_loss",
    "skin_lump",
    "ear_scratching",
    "bad_breath",
    "sneezing",
    "weight_loss",
    "dandruff",
    "behavior_change",
]


def triage(
    *signs: str,
    species: str = "dog",
    sex: str = "unknown",
    age_months: float | None = 36,
    findings: tuple[tuple[str, float], ...] = (),
    **details: DetailValue,
) -> TriageResult:
    case = TriageInput(
        species=Species(species),
        sex=Sex(sex),
        age_months=age_months,
        signs=signs,
        details=details,
        image_findings=tuple(ImageFinding(label, score) for label, score in findings),
    )
    return assess(case, default_rules())


def level(*signs: str, **kwargs: object) -> Urgency:
    return triage(*signs, **kwargs).urgency  # type: ignore[arg-type]


# ─── decision rule ───────────────────────────────────────────────────────────────────────────


def test_no_signs_and_no_findings_is_low() -> None:
    result = triage()
    assert result.urgency is LOW
    assert result.fired == () and result.reasons == ()


def test_urgency_is_the_max_of_every_matched_rule() -> None:
    assert level("itching", "lethargy") is MEDIUM
    assert level("sneezing", "lethargy", "choking") is HIGH


def test_levels_are_ordered_low_medium_high() -> None:
    assert LOW < MEDIUM < HIGH
    assert max([MEDIUM, HIGH, LOW]) is HIGH
    assert [u.value for u in Urgency] == ["low", "medium", "high"]


def test_result_carries_fired_rules_most_urgent_first_with_sources() -> None:
    result = triage("itching", "vomiting", "choking", vomiting_count_24h=3)
    levels = [fired.level for fired in result.fired]
    assert levels == sorted(levels, reverse=True)
    assert result.fired[0].rule_id == "choking"
    assert result.fired[0].signs == ("choking",)
    assert result.fired[0].source == "S54"
    assert all(fired.source for fired in result.fired)
    assert result.reasons == ("choking", "vomiting", "itching")
    assert result.rules_version == default_rules().version


def test_reasons_keep_report_order_within_a_level_and_do_not_repeat() -> None:
    result = triage("hair_loss", "itching", "seizure", seizure_minutes=6)
    assert result.reasons == ("seizure", "hair_loss", "itching")
    # seizure fired twice (base medium + high); it is one reason.
    assert [fired.rule_id for fired in result.fired][:2] == [
        "seizure.prolonged_cluster_or_not_recovered",
        "seizure.base",
    ]


# ─── always high ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("sign", ALWAYS_HIGH)
@pytest.mark.parametrize("species", ["dog", "cat", "rabbit", "bird", "reptile"])
def test_emergency_sign_alone_is_high_in_every_species(sign: str, species: str) -> None:
    assert level(sign, species=species) is HIGH


@pytest.mark.parametrize("toxin", ["chocolate", "xylitol", "lily", "grapes", "mushrooms", None])
def test_toxin_ingestion_is_high_whatever_the_toxin(toxin: str | None) -> None:
    details = {} if toxin is None else {"toxin": toxin}
    assert level("toxin_ingestion", species="ferret", **details) is HIGH


def test_trauma_major_is_high_even_if_the_pet_seems_fine() -> None:
    assert level("trauma_major", "behavior_change") is HIGH


def test_bird_on_cage_floor_is_high() -> None:
    assert level("bird_on_cage_floor", species="bird") is HIGH


# ─── seizure ─────────────────────────────────────────────────────────────────────────────────


def test_seizure_under_five_minutes_recovered_is_medium() -> None:
    assert level("seizure", seizure_minutes=4.9, seizures_24h=1, recovered=True) is MEDIUM


def test_seizure_of_five_minutes_is_high() -> None:
    assert level("seizure", seizure_minutes=5, recovered=True) is HIGH


def test_second_seizure_in_24h_is_high() -> None:
    assert level("seizure", seizures_24h=2, recovered=True) is HIGH
    assert level("seizure", seizures_24h=1, recovered=True) is MEDIUM


def test_seizure_not_recovered_is_high() -> None:
    assert level("seizure", seizure_minutes=1, recovered=False) is HIGH


def test_seizure_without_details_is_medium() -> None:
    # RULES.md read literally: "recovered is false" needs the owner to say so.
    assert level("seizure") is MEDIUM


# ─── bleeding ────────────────────────────────────────────────────────────────────────────────


def test_bleeding_without_details_is_medium() -> None:
    assert level("bleeding") is MEDIUM


def test_heavy_bleeding_is_high() -> None:
    assert level("bleeding", bleeding_heavy=True) is HIGH


def test_bleeding_not_stopping_for_five_minutes_is_high() -> None:
    assert level("bleeding", bleeding_minutes=5, bleeding_heavy=False) is HIGH
    assert level("bleeding", bleeding_minutes=4, bleeding_heavy=False) is MEDIUM


# ─── urination straining ─────────────────────────────────────────────────────────────────────


def test_male_cat_not_urinating_is_high() -> None:
    assert level("urination_straining", species="cat", sex="male", producing_urine=False) is HIGH


def test_female_cat_straining_producing_urine_is_medium() -> None:
    result = triage("urination_straining", species="cat", sex="female", producing_urine=True)
    assert result.urgency is MEDIUM


def test_female_cat_straining_not_producing_urine_is_medium() -> None:
    result = triage("urination_straining", species="cat", sex="female", producing_urine=False)
    assert result.urgency is MEDIUM


def test_male_cat_straining_but_producing_urine_is_medium() -> None:
    result = triage("urination_straining", species="cat", sex="male", producing_urine=True)
    assert result.urgency is MEDIUM


def test_cat_of_unknown_sex_not_urinating_is_high() -> None:
    # Conservative reading (rules.toml): the owner may not know; a blocked male must not wait.
    result = triage("urination_straining", species="cat", sex="unknown", producing_urine=False)
    assert result.urgency is HIGH


def test_male_dog_not_urinating_is_medium_until_24h() -> None:
    assert level("urination_straining", sex="male", producing_urine=False) is MEDIUM
    assert level("urination_straining", sex="male", no_urine_hours=23) is MEDIUM


@pytest.mark.parametrize("species", ["dog", "cat", "rabbit", "guinea_pig", "ferret"])
def test_no_urine_for_24h_is_high_in_any_species(species: str) -> None:
    assert level("urination_straining", species=species, sex="female", no_urine_hours=24) is HIGH


# ─── temperature ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("temperature_c", "expected"),
    [
        (41.2, HIGH),
        (40.0, HIGH),
        (39.9, MEDIUM),
        (39.5, MEDIUM),
        (39.4, LOW),
        (38.5, LOW),
        (37.6, LOW),
        (37.5, HIGH),
        (36.0, HIGH),
    ],
)
@pytest.mark.parametrize("species", ["dog", "cat"])
def test_temperature_band_for_dogs_and_cats(
    species: str, temperature_c: float, expected: Urgency
) -> None:
    assert level("temperature", species=species, temperature_c=temperature_c) is expected


@pytest.mark.parametrize("species", ["rabbit", "guinea_pig", "ferret", "bird", "reptile"])
@pytest.mark.parametrize("temperature_c", [36.0, 39.7, 41.0])
def test_temperature_band_only_applies_to_dogs_and_cats(
    species: str, temperature_c: float
) -> None:
    assert level("temperature", species=species, temperature_c=temperature_c) is LOW


def test_temperature_without_a_reading_has_no_effect() -> None:
    assert level("temperature") is LOW
    assert level("temperature", "lethargy") is MEDIUM


# ─── vomiting, diarrhea, parvo pattern ──────────────────────────────────────────────────────


def test_vomiting_alone_is_low() -> None:
    assert level("vomiting") is LOW
    assert level("vomiting", vomiting_count_24h=2) is LOW


def test_vomiting_three_times_in_24h_is_medium() -> None:
    assert level("vomiting", vomiting_count_24h=3) is MEDIUM


def test_vomiting_with_lethargy_is_medium() -> None:
    assert level("vomiting", "lethargy", vomiting_count_24h=1) is MEDIUM


def test_vomiting_with_not_eating_is_medium_even_when_not_eating_alone_is_low() -> None:
    assert level("not_eating", not_eating_hours=2) is LOW
    result = triage("vomiting", "not_eating", not_eating_hours=2)
    assert result.urgency is MEDIUM
    assert result.reasons[0] == "vomiting"


def test_vomiting_blood_is_high() -> None:
    assert level("vomiting_blood") is HIGH


def test_diarrhea_alone_is_low() -> None:
    assert level("diarrhea") is LOW
    assert level("diarrhea", diarrhea_count_24h=2, bloody=False) is LOW


def test_bloody_or_frequent_diarrhea_is_medium() -> None:
    assert level("diarrhea", bloody=True) is MEDIUM
    assert level("diarrhea", diarrhea_count_24h=3) is MEDIUM


@pytest.mark.parametrize("species", ["dog", "cat"])
def test_vomiting_and_diarrhea_in_young_unvaccinated_dog_or_cat_is_high(species: str) -> None:
    result = triage("vomiting", "diarrhea", species=species, age_months=3, vaccinated=False)
    assert result.urgency is HIGH
    assert result.fired[0].rule_id == "vomiting_diarrhea.young_unvaccinated"
    assert result.fired[0].source == "S51"
    assert result.reasons[:2] == ("vomiting", "diarrhea")


@pytest.mark.parametrize(
    ("age_months", "details", "why"),
    [
        (3, {"vaccinated": True}, "vaccinated"),
        (3, {}, "vaccination not reported"),
        (6, {"vaccinated": False}, "6 months is not under 6"),
        (24, {"vaccinated": False}, "adult"),
        (None, {"vaccinated": False}, "age unknown"),
    ],
)
def test_parvo_pattern_needs_young_and_explicitly_unvaccinated(
    age_months: float | None, details: dict[str, DetailValue], why: str
) -> None:
    assert level("vomiting", "diarrhea", age_months=age_months, **details) is LOW, why


def test_parvo_pattern_needs_both_vomiting_and_diarrhea() -> None:
    assert level("vomiting", age_months=2, vaccinated=False) is LOW
    assert level("diarrhea", age_months=2, vaccinated=False) is LOW


def test_parvo_pattern_is_for_dogs_and_cats_only() -> None:
    assert level("vomiting", "diarrhea", species="rabbit", age_months=2, vaccinated=False) is LOW


# ─── not eating, not drinking, lameness ──────────────────────────────────────────────────────


@pytest.mark.parametrize("species", ["rabbit", "guinea_pig"])
def test_rabbit_not_eating_12h_is_high(species: str) -> None:
    assert level("not_eating", species=species, not_eating_hours=12) is HIGH
    assert level("not_eating", species=species, not_eating_hours=11) is LOW


def test_young_dog_or_cat_not_eating_6h_is_medium() -> None:
    assert level("not_eating", age_months=4, not_eating_hours=6) is MEDIUM
    assert level("not_eating", species="cat", age_months=4, not_eating_hours=6) is MEDIUM
    assert level("not_eating", age_months=4, not_eating_hours=5) is LOW


def test_adult_dog_not_eating_needs_24h_for_medium() -> None:
    assert level("not_eating", not_eating_hours=6) is LOW
    assert level("not_eating", not_eating_hours=23) is LOW
    assert level("not_eating", not_eating_hours=24) is MEDIUM


@pytest.mark.parametrize("species", ["ferret", "rodent", "bird", "reptile", "other"])
def test_other_species_not_eating_24h_is_medium(species: str) -> None:
    assert level("not_eating", species=species, age_months=2, not_eating_hours=12) is LOW
    assert level("not_eating", species=species, not_eating_hours=24) is MEDIUM


def test_not_eating_without_hours_is_low() -> None:
    assert level("not_eating", species="rabbit") is LOW


def test_not_drinking_24h_is_medium() -> None:
    assert level("not_drinking", not_drinking_hours=24) is MEDIUM
    assert level("not_drinking", not_drinking_hours=23) is LOW
    assert level("not_drinking") is LOW


def test_lameness_not_bearing_weight_is_medium() -> None:
    assert level("lameness", weight_bearing=False) is MEDIUM
    assert level("lameness", weight_bearing=True) is LOW
    assert level("lameness") is LOW


# ─── fixed medium / low ──────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("sign", MEDIUM_SIGNS)
def test_vet_within_24h_signs_are_medium(sign: str) -> None:
    assert level(sign) is MEDIUM


@pytest.mark.parametrize("sign", LOW_SIGNS)
def test_monitor_at_home_signs_are_low_and_listed_as_reasons(sign: str) -> None:
    result = triage(sign)
    assert result.urgency is LOW
    assert result.reasons == (sign,)


# ─── photo findings ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("label", ["wound_open", "eye_abnormal", "swelling"])
def test_confident_photo_finding_raises_low_to_medium(label: str) -> None:
    result = triage("skin_lump", findings=((label, 0.7),))
    assert result.urgency is MEDIUM
    assert result.reasons == (label, "skin_lump")
    assert result.fired[0].finding == label


def test_photo_finding_alone_raises_to_medium() -> None:
    assert level(findings=(("wound_open", 0.9),)) is MEDIUM


def test_photo_finding_never_lowers() -> None:
    for label in ["skin_lesion", "unusable_photo", "wound_open", "something_new"]:
        assert level("trauma_major", findings=((label, 0.95),)) is HIGH
        assert level("lethargy", findings=((label, 0.95),)) is MEDIUM


def test_photo_finding_never_raises_above_its_level() -> None:
    assert level("itching", findings=(("wound_open", 1.0), ("swelling", 1.0))) is MEDIUM


def test_unsure_photo_finding_keeps_level_and_says_so() -> None:
    result = triage("itching", findings=(("wound_open", 0.69),))
    assert result.urgency is LOW
    assert result.model_unsure
    assert [(n.code, n.label) for n in result.photo_notes] == [("model_unsure", "wound_open")]


def test_unusable_photo_keeps_level_and_says_so() -> None:
    result = triage("sneezing", findings=(("unusable_photo", 0.5),))
    assert result.urgency is LOW
    assert result.photo_unusable
    assert result.reasons == ("sneezing",)
    medium = triage("eye_discharge", species="cat", findings=(("unusable_photo", 0.9),))
    assert medium.urgency is MEDIUM and medium.photo_unusable


def test_photo_below_unusable_threshold_is_taken_as_usable() -> None:
    result = triage("sneezing", findings=(("unusable_photo", 0.49),))
    assert not result.photo_unusable and result.photo_notes == ()


def test_skin_lesion_is_noted_for_the_vet_without_changing_the_level() -> None:
    result = triage("itching", findings=(("skin_lesion", 0.2),))
    assert result.urgency is LOW
    assert [n.code for n in result.photo_notes] == ["noted_for_vet"]
    assert result.reasons == ("itching", "skin_lesion")


def test_most_confident_photo_of_a_label_decides() -> None:
    result = triage("itching", findings=(("wound_open", 0.4), ("wound_open", 0.8)))
    assert result.urgency is MEDIUM
    assert not result.model_unsure


def test_unknown_photo_label_changes_nothing_and_is_noted() -> None:
    result = triage("itching", findings=(("fracture_maybe", 0.99),))
    assert result.urgency is LOW
    assert [n.code for n in result.photo_notes] == ["unknown_finding"]


# ─── bad input ───────────────────────────────────────────────────────────────────────────────


def test_unknown_sign_is_reported_not_crashed() -> None:
    with pytest.raises(UnknownSignError) as info:
        triage("vomiting", "hiccups", "sneeze")
    assert info.value.signs == ("hiccups", "sneeze")
    assert "hiccups" in str(info.value)


def test_detail_of_the_wrong_type_is_a_case_error() -> None:
    with pytest.raises(CaseError, match="seizure_minutes"):
        triage("seizure", seizure_minutes="five")
    with pytest.raises(CaseError, match="recovered"):
        triage("seizure", recovered=1)


def test_details_no_rule_reads_are_ignored() -> None:
    assert level("itching", weight_kg=12.5, breed="husky") is LOW


def test_assess_is_pure_and_repeatable() -> None:
    case = TriageInput(species=Species.CAT, signs=("vomiting", "lethargy"))
    rules = default_rules()
    assert assess(case, rules) == assess(case, rules)
