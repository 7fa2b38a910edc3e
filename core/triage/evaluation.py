"""Scoring triage against expected levels (the `--eval` summary). Pure; no I/O."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.triage.model import Urgency


@dataclass(frozen=True, slots=True)
class Scored:
    case_id: str
    expected: Urgency
    assessed: Urgency


@dataclass(frozen=True, slots=True)
class EvalSummary:
    cases: int
    errors: int
    scored: tuple[Scored, ...]
    confusion: Counter[tuple[Urgency, Urgency]] = field(default_factory=Counter)

    @property
    def correct(self) -> int:
        return sum(1 for s in self.scored if s.assessed is s.expected)

    @property
    def expected_high(self) -> tuple[Scored, ...]:
        return tuple(s for s in self.scored if s.expected is Urgency.HIGH)

    @property
    def missed_high(self) -> tuple[str, ...]:
        """Emergencies assessed below high: the one error that must not happen."""
        return tuple(s.case_id for s in self.expected_high if s.assessed < Urgency.HIGH)

    @property
    def under_triage(self) -> tuple[str, ...]:
        return tuple(s.case_id for s in self.scored if s.assessed < s.expected)

    @property
    def over_triage(self) -> tuple[str, ...]:
        return tuple(s.case_id for s in self.scored if s.assessed > s.expected)

    @property
    def accuracy(self) -> float | None:
        return self.correct / len(self.scored) if self.scored else None

    @property
    def sensitivity_high(self) -> float | None:
        high = self.expected_high
        if not high:
            return None
        return (len(high) - len(self.missed_high)) / len(high)


def summarize(scored: Iterable[Scored], *, cases: int, errors: int) -> EvalSummary:
    items = tuple(scored)
    confusion = Counter((s.expected, s.assessed) for s in items)
    return EvalSummary(cases=cases, errors=errors, scored=items, confusion=confusion)


def format_summary(summary: EvalSummary, rules_version: str) -> list[str]:
    """Human-readable lines; sensitivity for high comes first, as RULES.md asks."""
    high = summary.expected_high
    detected = len(high) - len(summary.missed_high)
    levels = list(Urgency)
    lines = [
        f"--- eval (rules {rules_version}) ---",
        f"sensitivity_high: {_ratio(summary.sensitivity_high)} "
        f"({detected}/{len(high)} expected-high cases assessed high)",
        f"under_triage: {len(summary.under_triage)}{_ids(summary.under_triage)}",
        f"over_triage: {len(summary.over_triage)}{_ids(summary.over_triage)}",
        f"accuracy: {_ratio(summary.accuracy)} ({summary.correct}/{len(summary.scored)})",
        f"cases: {summary.cases} (scored {len(summary.scored)}, errors {summary.errors})",
        "confusion (rows = expected, columns = assessed):",
        "  " + " " * 8 + "".join(f"{level.value:>8}" for level in levels),
    ]
    for expected in levels:
        counts = "".join(f"{summary.confusion[(expected, got)]:>8}" for got in levels)
        lines.append(f"  {expected.value:<8}{counts}")
    lines.append(f"missed_high: {' '.join(summary.missed_high) or 'none'}")
    return lines


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _ids(ids: tuple[str, ...]) -> str:
    return f" ({' '.join(ids)})" if ids else ""
