"""Cases as JSON objects (the format of shared/triage/README.md) → typed triage input.

Every problem is a CaseError naming the field, with the case id when there is one, so a batch
can report it on that case's line and go on.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TypeGuard, TypeVar

from core.triage.engine import check_input
from core.triage.errors import CaseError
from core.triage.model import DetailValue, ImageFinding, Sex, Species, TriageInput, Urgency
from core.triage.rules import RuleSet

_E = TypeVar("_E", bound=Enum)


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    input: TriageInput
    # The level the case's author expects (used by --eval only; the engine never reads it).
    expected: Urgency | None = None


def parse_case_json(line: str, rules: RuleSet) -> Case:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CaseError(f"not valid JSON: {exc.msg} (column {exc.colno})") from exc
    return parse_case(raw, rules)


def parse_case(raw: object, rules: RuleSet) -> Case:
    if not isinstance(raw, dict):
        raise CaseError(f"a case must be a JSON object, got {_json_kind(raw)}")
    raw_id = raw.get("id")
    case_id = raw_id if isinstance(raw_id, str) and raw_id else None
    try:
        if case_id is None:
            raise CaseError(f"`id` must be a non-empty string, got {raw_id!r}")
        species = _enum(Species, raw.get("species"), "species")
        if species is None:
            raise CaseError("`species` is required")
        case = Case(
            id=case_id,
            input=TriageInput(
                species=species,
                sex=_enum(Sex, raw.get("sex"), "sex") or Sex.UNKNOWN,
                neutered=_optional_bool(raw.get("neutered"), "neutered"),
                age_months=_age(raw.get("age_months")),
                signs=_signs(raw.get("signs")),
                details=_details(raw.get("details")),
                image_findings=_findings(raw.get("image_findings")),
            ),
            expected=_enum(Urgency, raw.get("expected"), "expected"),
        )
        # Unknown signs and mistyped details are errors of this case, found here, not later.
        check_input(case.input, rules)
    except CaseError as exc:
        exc.case_id = case_id
        raise
    return case


def _enum(enum_type: type[_E], raw: object, field: str) -> _E | None:
    if raw is None:
        return None
    allowed = [member.value for member in enum_type]
    if raw not in allowed:
        raise CaseError(f"unknown {field} {raw!r} (expected one of {', '.join(allowed)})")
    return enum_type(raw)


def _optional_bool(raw: object, field: str) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    raise CaseError(f"`{field}` must be true, false or null, got {_json_kind(raw)}")


def _age(raw: object) -> float | None:
    if raw is None:
        return None
    if not _is_number(raw) or raw < 0:
        raise CaseError(f"`age_months` must be a number >= 0 or null, got {raw!r}")
    return raw


def _signs(raw: object) -> tuple[str, ...]:
    # Required on purpose: a misspelt key ("sign") must not quietly become "no signs → low".
    if not isinstance(raw, list):
        raise CaseError(f"`signs` must be a list of sign codes, got {_json_kind(raw)}")
    for item in raw:
        if not isinstance(item, str):
            raise CaseError(f"`signs` must hold strings, got {_json_kind(item)} {item!r}")
    return tuple(dict.fromkeys(raw))


def _details(raw: object) -> dict[str, DetailValue]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise CaseError(f"`details` must be an object, got {_json_kind(raw)}")
    details: dict[str, DetailValue] = {}
    for name, value in raw.items():
        if value is None:
            continue  # null = not reported, the same as absent
        if isinstance(value, bool | str) or _is_number(value):
            details[name] = value
        else:
            raise CaseError(f"details.{name}: expected a number, flag or text, got {value!r}")
    return details


def _findings(raw: object) -> tuple[ImageFinding, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise CaseError(f"`image_findings` must be a list, got {_json_kind(raw)}")
    findings: list[ImageFinding] = []
    for i, item in enumerate(raw):
        where = f"image_findings[{i}]"
        if not isinstance(item, Mapping):
            raise CaseError(f"{where}: must be an object {{label, score}}")
        label, score = item.get("label"), item.get("score")
        if not isinstance(label, str) or not label:
            raise CaseError(f"{where}.label: must be a non-empty string, got {label!r}")
        if not _is_number(score) or not 0.0 <= score <= 1.0:
            raise CaseError(f"{where}.score: must be a number in [0, 1], got {score!r}")
        findings.append(ImageFinding(label=label, score=float(score)))
    return tuple(findings)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _json_kind(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number" if isinstance(value, int | float) else "value")
