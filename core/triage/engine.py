"""The triage engine: pure functions from a case and a rule set to a result.

It knows no sign, threshold or species by name; all of that is in the rule set (rules.toml).
"""

from __future__ import annotations

from core.triage.conditions import evaluate, value_has_type
from core.triage.errors import CaseError, UnknownSignError
from core.triage.model import (
    FiredRule,
    ImageFinding,
    PhotoNote,
    TriageInput,
    TriageResult,
    Urgency,
)
from core.triage.rules import RuleSet

# Sort key of a fired rule: most urgent first; then sign rules before photo rules (the owner's
# answers are the primary evidence); then the order the owner reported signs / photos came in;
# then the rules file's order, so equal inputs always give the same output.
_SortKey = tuple[int, int, int, int]


def check_input(case: TriageInput, rules: RuleSet) -> None:
    """Raise a CaseError unless every sign is known and every known detail has its type."""
    unknown = [sign for sign in dict.fromkeys(case.signs) if sign not in rules.known_signs]
    if unknown:
        raise UnknownSignError(unknown)
    for name, value in case.details.items():
        detail_type = rules.details.get(name)
        # Details the rules do not read are the caller's business (e.g. free notes): ignored.
        if (
            detail_type is not None
            and value is not None
            and not value_has_type(value, detail_type)
        ):
            raise CaseError(
                f"details.{name}: expected {detail_type}, got {type(value).__name__} {value!r}"
            )
    for finding in case.image_findings:
        # Written so that NaN fails too.
        if not 0.0 <= finding.score <= 1.0:
            raise CaseError(
                f"image finding {finding.label!r}: score {finding.score!r} not in [0, 1]"
            )


def assess(case: TriageInput, rules: RuleSet) -> TriageResult:
    """Triage one case: urgency = max(level of every matched rule); nothing matched → low.

    Raises UnknownSignError / CaseError for a case the rules cannot read (never guesses).
    """
    check_input(case, rules)
    first_seen = {sign: i for i, sign in reversed(list(enumerate(case.signs)))}
    present = first_seen.keys()
    keyed: list[tuple[_SortKey, FiredRule]] = []

    for index, rule in enumerate(rules.rules):
        if not all(sign in present for sign in rule.signs):
            continue
        if rule.when is not None and not evaluate(rule.when, case, rules.young_under_months):
            continue
        fired = FiredRule(
            rule_id=rule.id,
            level=rule.level,
            source=rule.source,
            signs=rule.signs,
            summary=rule.summary,
        )
        position = min(first_seen[sign] for sign in rule.signs)
        keyed.append(((-rule.level.rank, 0, position, index), fired))

    notes: list[PhotoNote] = []
    for position, finding in enumerate(_strongest_per_label(case.image_findings)):
        matching = [rule for rule in rules.photo_rules if rule.label == finding.label]
        if not matching:
            # A label the rules do not know cannot change the level, but the vet should know
            # the model said it (and a newer model may need a rules update).
            notes.append(PhotoNote("unknown_finding", finding.label, finding.score))
            continue
        for photo_rule in matching:
            index = len(rules.rules) + rules.photo_rules.index(photo_rule)
            if finding.score >= photo_rule.min_score:
                if photo_rule.raises_to is not None:
                    fired = FiredRule(
                        rule_id=photo_rule.id,
                        level=photo_rule.raises_to,
                        source=photo_rule.source,
                        finding=finding.label,
                        summary=photo_rule.summary,
                    )
                    keyed.append(((-photo_rule.raises_to.rank, 1, position, index), fired))
                if photo_rule.note is not None:
                    notes.append(PhotoNote(photo_rule.note, finding.label, finding.score))
            elif photo_rule.note_below is not None:
                notes.append(PhotoNote(photo_rule.note_below, finding.label, finding.score))

    keyed.sort(key=lambda pair: pair[0])
    fired_rules = tuple(fired for _, fired in keyed)
    # Photo rules only ever add candidates to this max(), so a photo can raise, never lower.
    urgency = max((fired.level for fired in fired_rules), default=Urgency.LOW)
    reasons = tuple(dict.fromkeys(code for fired in fired_rules for code in fired.codes))
    return TriageResult(
        urgency=urgency,
        fired=fired_rules,
        reasons=reasons,
        photo_notes=tuple(notes),
        rules_version=rules.version,
    )


def _strongest_per_label(findings: tuple[ImageFinding, ...]) -> list[ImageFinding]:
    # Up to three photos may report the same label; the most confident one decides, so a clear
    # photo is not contradicted by a "model unsure" note from a blurrier one.
    best: dict[str, ImageFinding] = {}
    for finding in findings:
        current = best.get(finding.label)
        if current is None or finding.score > current.score:
            best[finding.label] = finding
    return list(best.values())
