"""Domain types of triage: what goes into `assess` and what comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

# Re-exported: the triage vocabulary is the domain's own, one enum each across the project.
from core.enums import Sex as Sex
from core.enums import Species as Species
from core.enums import Urgency as Urgency

# The JSON scalars a case's `details` may hold (null means "not reported" and is dropped).
DetailValue = bool | int | float | str


# What a result may say about the photos. The edges map each code to a localized message.
PhotoNoteCode = Literal["unusable_photo", "model_unsure", "noted_for_vet", "unknown_finding"]
PHOTO_NOTE_CODES: frozenset[str] = frozenset(
    {"unusable_photo", "model_unsure", "noted_for_vet", "unknown_finding"}
)


@dataclass(frozen=True, slots=True)
class ImageFinding:
    label: str
    score: float


def _freeze(details: Mapping[str, DetailValue]) -> Mapping[str, DetailValue]:
    return MappingProxyType(dict(details))


@dataclass(frozen=True, slots=True)
class TriageInput:
    species: Species
    sex: Sex = Sex.UNKNOWN
    neutered: bool | None = None
    # Months; None = unknown. A float is allowed (an owner may say "10 weeks").
    age_months: float | None = None
    signs: tuple[str, ...] = ()
    details: Mapping[str, DetailValue] = field(default_factory=dict)
    image_findings: tuple[ImageFinding, ...] = ()

    def __post_init__(self) -> None:
        # Frozen all the way down: a result must never depend on a caller mutating its dict.
        object.__setattr__(self, "details", _freeze(self.details))
        object.__setattr__(self, "signs", tuple(self.signs))
        object.__setattr__(self, "image_findings", tuple(self.image_findings))


@dataclass(frozen=True, slots=True)
class FiredRule:
    """One rule that matched: enough for the owner to see why and the vet to see the reasoning."""

    rule_id: str
    level: Urgency
    source: str
    # The sign codes the rule reads (empty for a photo rule).
    signs: tuple[str, ...] = ()
    # The photo-model label, for a photo rule.
    finding: str | None = None
    summary: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """What this rule is about: its signs, or its finding label."""
        return (self.finding,) if self.finding is not None else self.signs


@dataclass(frozen=True, slots=True)
class PhotoNote:
    code: PhotoNoteCode
    label: str
    score: float


@dataclass(frozen=True, slots=True)
class TriageResult:
    urgency: Urgency
    # Most urgent first; ties keep the order in which the owner reported the signs.
    fired: tuple[FiredRule, ...]
    # Sign codes / finding labels of `fired`, most urgent first, without repeats.
    reasons: tuple[str, ...]
    photo_notes: tuple[PhotoNote, ...]
    rules_version: str

    @property
    def photo_unusable(self) -> bool:
        return any(note.code == "unusable_photo" for note in self.photo_notes)

    @property
    def model_unsure(self) -> bool:
        return any(note.code == "model_unsure" for note in self.photo_notes)
