"""Triage engine: RULES.md as data (rules.toml) and pure functions that apply it.

`load_rules()` gives the packaged, validated rules.toml; `assess(TriageInput(...), rules)` gives
the urgency, the fired rules (id, level, source), the reasons and the photo notes.
"""

from core.triage.cases import Case, parse_case, parse_case_json
from core.triage.engine import assess, check_input
from core.triage.errors import CaseError, RulesError, TriageError, UnknownSignError
from core.triage.model import (
    DetailValue,
    FiredRule,
    ImageFinding,
    PhotoNote,
    PhotoNoteCode,
    Sex,
    Species,
    TriageInput,
    TriageResult,
    Urgency,
)
from core.triage.rules import (
    PhotoRule,
    Rule,
    RuleSet,
    default_rules,
    load_rules,
    parse_rules,
    parse_rules_text,
)

__all__ = [
    "Case",
    "CaseError",
    "DetailValue",
    "FiredRule",
    "ImageFinding",
    "PhotoNote",
    "PhotoNoteCode",
    "PhotoRule",
    "Rule",
    "RuleSet",
    "RulesError",
    "Sex",
    "Species",
    "TriageError",
    "TriageInput",
    "TriageResult",
    "UnknownSignError",
    "Urgency",
    "assess",
    "check_input",
    "default_rules",
    "load_rules",
    "parse_case",
    "parse_case_json",
    "parse_rules",
    "parse_rules_text",
]
