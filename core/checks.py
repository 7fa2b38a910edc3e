"""Symptom checks between the owner's answers, the triage engine and storage.

A result is stored as JSON (`result_to_json`) so the medical card, the vet's view and the
notifier read one shape, whatever rules version produced it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from core.entities import Pet
from core.triage import (
    DetailValue,
    FiredRule,
    ImageFinding,
    PhotoNote,
    RuleSet,
    TriageInput,
    TriageResult,
    Urgency,
    assess,
)
from core.triage.conditions import DetailCond, walk

ANSWER_SIGNS = "signs"
ANSWER_DETAILS = "details"
# The owner's own words, when the check started from a typed message: the vet reads them.
ANSWER_REASON = "reason"


class PhotoAnalysis(StrEnum):
    """What the photo model did for a check; the result card says it in words."""

    NOT_CONFIGURED = "not_configured"  # no AI_MODEL_PATH: rules-only triage
    NO_PHOTOS = "no_photos"
    PENDING = "pending"  # queued for the worker; the answer-based result is already shown
    DONE = "done"
    FAILED = "failed"  # the owner still gets the answer-based result, with a note


def age_in_months(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    months = (today.year - birth_date.year) * 12 + (today.month - birth_date.month)
    if today.day < birth_date.day:
        months -= 1
    return max(months, 0)


def make_answers(
    signs: Iterable[str], details: Mapping[str, DetailValue], reason: str | None = None
) -> dict[str, Any]:
    """The JSON the dialog collects and the check stores."""
    answers: dict[str, Any] = {
        ANSWER_SIGNS: list(dict.fromkeys(signs)),
        ANSWER_DETAILS: dict(details),
    }
    if reason:
        answers[ANSWER_REASON] = reason
    return answers


def triage_input(
    pet: Pet,
    answers: Mapping[str, Any],
    today: date,
    findings: Sequence[ImageFinding] = (),
) -> TriageInput:
    return TriageInput(
        species=pet.species,
        sex=pet.sex,
        neutered=pet.neutered,
        age_months=age_in_months(pet.birth_date, today),
        signs=tuple(answers.get(ANSWER_SIGNS, ())),
        details=dict(answers.get(ANSWER_DETAILS, {})),
        image_findings=tuple(findings),
    )


def run_triage(
    pet: Pet,
    answers: Mapping[str, Any],
    rules: RuleSet,
    today: date,
    findings: Sequence[ImageFinding] = (),
) -> TriageResult:
    return assess(triage_input(pet, answers, today, findings), rules)


def result_to_json(result: TriageResult, analysis: PhotoAnalysis) -> dict[str, Any]:
    return {
        "urgency": result.urgency.value,
        "reasons": list(result.reasons),
        "fired": [
            {
                "rule_id": rule.rule_id,
                "level": rule.level.value,
                "source": rule.source,
                "signs": list(rule.signs),
                "finding": rule.finding,
                "summary": rule.summary,
            }
            for rule in result.fired
        ],
        "photo_notes": [
            {"code": note.code, "label": note.label, "score": note.score}
            for note in result.photo_notes
        ],
        "rules_version": result.rules_version,
        "analysis": analysis.value,
    }


def result_from_json(data: Mapping[str, Any]) -> tuple[TriageResult, PhotoAnalysis]:
    result = TriageResult(
        urgency=Urgency(data["urgency"]),
        fired=tuple(
            FiredRule(
                rule_id=rule["rule_id"],
                level=Urgency(rule["level"]),
                source=rule["source"],
                signs=tuple(rule.get("signs", ())),
                finding=rule.get("finding"),
                summary=rule.get("summary", ""),
            )
            for rule in data.get("fired", ())
        ),
        reasons=tuple(data.get("reasons", ())),
        photo_notes=tuple(
            PhotoNote(code=note["code"], label=note["label"], score=float(note["score"]))
            for note in data.get("photo_notes", ())
        ),
        rules_version=str(data.get("rules_version", "")),
    )
    return result, PhotoAnalysis(data.get("analysis", PhotoAnalysis.NO_PHOTOS.value))


def findings_to_json(findings: Iterable[ImageFinding]) -> list[dict[str, Any]]:
    return [{"label": finding.label, "score": round(finding.score, 4)} for finding in findings]


@dataclass(frozen=True, slots=True)
class EscalationPoint:
    """An answered number at which this pet's result would become more urgent.

    `rising` says the answer must grow to reach it (vomiting 3 times); a falling temperature
    escalates downwards. The result card writes it against the owner's own answer.
    """

    detail: str
    threshold: float | int
    current: float | int
    rising: bool
    urgency: Urgency


def escalation_points(
    pet: Pet, answers: Mapping[str, Any], rules: RuleSet, today: date
) -> list[EscalationPoint]:
    """For each number the owner gave, the nearest threshold that would raise this result.

    Found by asking the engine itself with the threshold in place of the answer, so species,
    age and the other signs are taken into account exactly as the rules take them.
    """
    current = run_triage(pet, answers, rules, today).urgency
    details: Mapping[str, Any] = answers.get(ANSWER_DETAILS, {})
    points: list[EscalationPoint] = []
    for detail, value in details.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        candidates = sorted(
            {
                cond.value
                for rule in rules.rules
                if rule.when is not None
                for cond in walk(rule.when)
                if isinstance(cond, DetailCond)
                and cond.detail == detail
                and isinstance(cond.value, int | float)
                and not isinstance(cond.value, bool)
            },
            key=lambda threshold: abs(threshold - value),
        )
        for threshold in candidates:
            if threshold == value:
                continue
            probe = {**answers, ANSWER_DETAILS: {**details, detail: threshold}}
            raised = run_triage(pet, probe, rules, today).urgency
            if raised > current:
                points.append(EscalationPoint(detail, threshold, value, threshold > value, raised))
                break
    return points
