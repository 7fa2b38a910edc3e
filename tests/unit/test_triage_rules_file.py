"""rules.toml as data: complete against RULES.md, every rule sourced, validated on load."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.triage import (
    PhotoRule,
    Rule,
    RulesError,
    Sex,
    Species,
    TriageInput,
    Urgency,
    assess,
    default_rules,
    load_rules,
    parse_rules_text,
)

RULES_MD = Path(__file__).parents[2].parent / "shared" / "triage" / "RULES.md"

# The sign codes of RULES.md's tables, copied here so the check does not need the shared folder.
RULES_MD_SIGNS = {
    # always high
    "breathing_difficulty", "choking", "gums_pale_or_blue", "collapse", "sudden_paralysis",
    "bloat_retching", "toxin_ingestion", "trauma_major", "heatstroke", "allergic_face_swelling",
    "snake_bite", "labor_difficulty", "eye_injury", "electrical_burn", "vomiting_blood",
    "bird_on_cage_floor",
    # thresholds
    "seizure", "bleeding", "urination_straining", "temperature", "vomiting", "diarrhea",
    "not_eating", "not_drinking", "lameness",
    # medium
    "blood_in_urine", "eye_discharge", "squinting", "foreign_body_swallowed", "head_tilt",
    "coughing", "lethargy", "wound",
    # low
    "itching", "hair_loss", "skin_lump", "ear_scratching", "bad_breath", "sneezing",
    "weight_loss", "dandruff", "behavior_change",
}  # fmt: skip
RULES_MD_FINDINGS = {"wound_open", "eye_abnormal", "skin_lesion", "swelling", "unusable_photo"}

MINIMAL = """
version = "t1"
signs = ["cough", "fit"]
[details]
minutes = "number"
awake = "bool"
[sources]
S1 = "somewhere"
[[rule]]
id = "cough"
signs = ["cough"]
level = "medium"
source = "S1"
[[rule]]
id = "fit"
signs = ["fit"]
level = "high"
source = "S1"
when.any = [
  { detail = "minutes", op = ">=", value = 5 },
  { detail = "awake", op = "==", value = false },
]
[[photo]]
id = "photo.cut"
label = "cut"
min_score = 0.7
raises_to = "medium"
source = "policy"
"""


def _signs_in_rules_md(text: str) -> set[str]:
    section = text.split("## Signs", 1)[1].split("## Photo findings", 1)[0]
    codes: set[str] = set()
    for line in section.splitlines():
        if line.startswith("|"):
            first_cell = line.split("|")[1]
            codes |= set(re.findall(r"`([a-z_]+)`", first_cell))
        elif line.startswith("`"):  # the paragraph listing the `low` signs
            codes |= set(re.findall(r"`([a-z_]+)`", line))
    return codes


# ─── the packaged rules ──────────────────────────────────────────────────────────────────────


def test_packaged_rules_load_with_a_version() -> None:
    rules = default_rules()
    assert rules.version.strip()
    assert load_rules() is rules


def test_every_sign_of_rules_md_is_known_to_the_rules_data() -> None:
    assert set(default_rules().signs) == RULES_MD_SIGNS


@pytest.mark.skipif(not RULES_MD.is_file(), reason=f"RULES.md not found at {RULES_MD}")
def test_every_sign_in_the_shared_rules_md_tables_is_known() -> None:
    in_md = _signs_in_rules_md(RULES_MD.read_text(encoding="utf-8"))
    assert in_md == RULES_MD_SIGNS  # the copy above is still faithful
    assert in_md == set(default_rules().signs)


def test_every_photo_finding_of_rules_md_has_a_rule() -> None:
    assert default_rules().finding_labels == RULES_MD_FINDINGS


def test_every_rule_has_an_id_a_level_and_a_resolvable_source() -> None:
    rules = default_rules()
    every: list[Rule | PhotoRule] = [*rules.rules, *rules.photo_rules]
    for rule in every:
        assert rule.id and rule.source.strip(), rule
        for ref in re.findall(r"\bS\d+\b", rule.source):
            assert ref in rules.sources, (rule.id, ref)


def test_emergency_screen_is_the_always_high_table() -> None:
    rules = default_rules()
    assert rules.emergency_signs()[:3] == ("breathing_difficulty", "choking", "gums_pale_or_blue")
    assert len(rules.emergency_signs()) == 16
    assert "seizure" not in rules.emergency_signs()


def test_details_for_a_sign_are_the_follow_up_questions() -> None:
    rules = default_rules()
    assert rules.details_for("seizure") == ("seizure_minutes", "seizures_24h", "recovered")
    assert set(rules.details_for("vomiting")) == {"vomiting_count_24h", "vaccinated"}
    assert rules.details_for("itching") == ()


def test_threshold_signs_have_a_base_rule_at_their_otherwise_level() -> None:
    rules = default_rules()
    base = {r.signs[0]: r.level for r in rules.rules if r.when is None and len(r.signs) == 1}
    assert base["seizure"] is Urgency.MEDIUM
    assert base["bleeding"] is Urgency.MEDIUM
    assert base["urination_straining"] is Urgency.MEDIUM
    assert base["vomiting"] is Urgency.LOW
    assert "temperature" not in base  # "otherwise no effect"


# ─── loading other files ─────────────────────────────────────────────────────────────────────


def test_a_minimal_rules_file_loads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    rules = load_rules(path)
    assert rules.version == "t1"
    assert rules.origin == str(path)
    assert [r.id for r in rules.rules] == ["cough", "fit"]


def test_missing_rules_file_is_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_rules(tmp_path / "absent.toml")


# ─── validation ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('op = ">="', 'op = "=>"', "unknown op '=>'"),
        ('detail = "minutes"', 'detail = "minutess"', "unknown detail 'minutess'"),
        ('detail = "awake", op = "=="', 'detail = "awake", op = ">="', "'>=' needs a number"),
        ("value = 5", 'value = "5"', "'minutes' is number, got str"),
        ("value = false", "value = 0", "'awake' is bool, got int"),
        ('level = "high"', 'level = "urgent"', "unknown level 'urgent'"),
        ('source = "S1"\n[[rule]]', 'source = ""\n[[rule]]', "`source` must be a non-empty"),
        ('source = "S1"\n[[rule]]', 'source = "S9"\n[[rule]]', "cites S9, not in [sources]"),
        ('id = "fit"', 'id = "cough"', "duplicate rule id 'cough'"),
        ('signs = ["fit"]', 'signs = ["fits"]', "not in the `signs` catalogue: fits"),
        ('signs = ["cough", "fit"]', 'signs = ["cough", "fit", "limp"]', "no rule reads: limp"),
        ('level = "medium"', 'level = "medium"\nlevle = "low"', "unknown key(s) levle"),
        ("when.any", "when.anyof", "unknown condition key 'anyof'"),
        ('version = "t1"', "", "`version` must be a non-empty string"),
        ('version = "t1"', 'version = "t1"\nextra = 1', "unknown key(s) extra"),
        ("min_score = 0.7", "min_score = 1.5", "min_score must be a number in [0, 1]"),
        ('raises_to = "medium"', 'note = "shrug"', "unknown note 'shrug'"),
        ('raises_to = "medium"', "", "needs `raises_to` or `note`"),
        ("[details]", "[details]\nweight = 'kg'", "unknown type 'kg'"),
        ('signs = ["cough"]', 'signs = ["cough"]\nwhen = { species = ["dragon"] }', "'dragon'"),
        ('signs = ["cough"]', 'signs = ["cough"]\nwhen = { sex = ["m"] }', "unknown value 'm'"),
        ('signs = ["cough"]', 'signs = ["cough"]\nwhen = { young = "yes" }', "true or false"),
        ('signs = ["cough"]', 'signs = ["cough"]\nwhen = { sign = "sneeze" }', "unknown sign"),
        ('signs = ["cough"]', 'signs = ["cough"]\nwhen = { any = [] }', "non-empty array"),
        (
            'signs = ["cough"]',
            'signs = ["cough"]\nwhen = { sign = "fit", young = true }',
            "exactly one of",
        ),
        ('signs = ["cough"]', 'signs = ["cough"]\nwhen = "always"', "must be a table"),
        ('version = "t1"', 'version = "t1', "not valid TOML"),
    ],
)
def test_invalid_rules_file_is_a_clear_error(old: str, new: str, message: str) -> None:
    assert old in MINIMAL, old
    broken = MINIMAL.replace(old, new, 1)
    with pytest.raises(RulesError) as info:
        parse_rules_text(broken, origin="broken.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("broken.toml")


def test_rule_errors_name_the_rule() -> None:
    broken = MINIMAL.replace('op = ">="', 'op = "~"')
    with pytest.raises(RulesError, match=r"rule\[1\] 'fit': when\.any\[0\]\.op"):
        parse_rules_text(broken, origin="broken.toml")


def test_condition_language_covers_not_sex_sign_and_young() -> None:
    rules = parse_rules_text(
        """
version = "lang"
signs = ["cough", "fit"]
[[rule]]
id = "cough.old_female_without_fit"
signs = ["cough"]
level = "high"
source = "test"
when.all = [{ sex = ["female"] }, { young = false }, { not = { sign = "fit" } }]
[[rule]]
id = "fit"
signs = ["fit"]
level = "low"
source = "test"
""",
        origin="lang.toml",
    )

    def urgency(sex: Sex, age: float | None, *signs: str) -> Urgency:
        case = TriageInput(species=Species.OTHER, sex=sex, age_months=age, signs=signs)
        return assess(case, rules).urgency

    assert urgency(Sex.FEMALE, 24, "cough") is Urgency.HIGH
    assert urgency(Sex.FEMALE, None, "cough") is Urgency.HIGH  # not known to be young
    assert urgency(Sex.FEMALE, 2, "cough") is Urgency.LOW
    assert urgency(Sex.MALE, 24, "cough") is Urgency.LOW
    assert urgency(Sex.FEMALE, 24, "cough", "fit") is Urgency.LOW
