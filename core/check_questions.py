"""What the symptom-check dialog asks, in which order, for which animal.

The clinical decisions stay in the rules file; this module only decides how to ask for the
signs and details those rules read:
- the emergency screen comes first and holds every sign that alone means "high", plus the
  threshold cases that are emergencies as the owner would describe them (a male cat straining
  without producing urine, bleeding that does not stop, a rabbit not eating for 12 hours);
- then the problem areas and their signs;
- then exactly the details the rules read for the chosen signs (`RuleSet.details_for`).

A unit test runs every screen item through the engine and requires "high": the screen can never
promise an emergency card the rules would not give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from core.enums import Sex, Species
from core.triage import DetailValue, RuleSet

MAMMALS_WITH_GUMS = frozenset(
    {Species.DOG, Species.CAT, Species.RABBIT, Species.GUINEA_PIG, Species.FERRET}
)


@dataclass(frozen=True, slots=True)
class ScreenItem:
    """One checkbox of the emergency screen. `id` names its label: `screen-<id>` in locales."""

    id: str
    signs: tuple[str, ...]
    details: Mapping[str, DetailValue] = field(default_factory=lambda: MappingProxyType({}))
    species: frozenset[Species] | None = None  # None: every species
    sexes: frozenset[Sex] | None = None  # None: any sex

    def applies_to(self, species: Species, sex: Sex) -> bool:
        species_ok = self.species is None or species in self.species
        return species_ok and (self.sexes is None or sex in self.sexes)


def _details(**values: DetailValue) -> Mapping[str, DetailValue]:
    return MappingProxyType(values)


EMERGENCY_SCREEN: tuple[ScreenItem, ...] = (
    ScreenItem("breathing", ("breathing_difficulty",)),
    ScreenItem("choking", ("choking",)),
    ScreenItem("collapse", ("collapse",)),
    ScreenItem("gums", ("gums_pale_or_blue",), species=MAMMALS_WITH_GUMS),
    ScreenItem(
        "urinary-blockage",
        ("urination_straining",),
        _details(producing_urine=False),
        species=frozenset({Species.CAT}),
        # Unknown sex is asked too: a blocked male cat sent home is the error to avoid.
        sexes=frozenset({Sex.MALE, Sex.UNKNOWN}),
    ),
    ScreenItem("bleeding", ("bleeding",), _details(bleeding_heavy=True)),
    ScreenItem("seizure", ("seizure",), _details(seizure_minutes=5)),
    ScreenItem("paralysis", ("sudden_paralysis",)),
    ScreenItem("bloat", ("bloat_retching",), species=frozenset({Species.DOG})),
    ScreenItem("toxin", ("toxin_ingestion",)),
    ScreenItem("trauma", ("trauma_major",)),
    ScreenItem("heatstroke", ("heatstroke",)),
    ScreenItem("face-swelling", ("allergic_face_swelling",)),
    ScreenItem("snake", ("snake_bite",)),
    ScreenItem("labor", ("labor_difficulty",), sexes=frozenset({Sex.FEMALE, Sex.UNKNOWN})),
    ScreenItem("eye", ("eye_injury",)),
    ScreenItem("electric", ("electrical_burn",)),
    ScreenItem("vomiting-blood", ("vomiting_blood",)),
    ScreenItem(
        "gi-stasis",
        ("not_eating",),
        _details(not_eating_hours=12),
        species=frozenset({Species.RABBIT, Species.GUINEA_PIG}),
    ),
    ScreenItem("cage-floor", ("bird_on_cage_floor",), species=frozenset({Species.BIRD})),
)


@dataclass(frozen=True, slots=True)
class ProblemArea:
    """A group of signs the owner picks from. Label: `area-<id>`; signs: `sign-<code>`."""

    id: str
    signs: tuple[str, ...]


PROBLEM_AREAS: tuple[ProblemArea, ...] = (
    ProblemArea(
        "digestion",
        (
            "vomiting",
            "diarrhea",
            "not_eating",
            "not_drinking",
            "foreign_body_swallowed",
            "weight_loss",
            "bad_breath",
        ),
    ),
    ProblemArea("urinary", ("urination_straining", "blood_in_urine")),
    ProblemArea("breathing", ("coughing", "sneezing")),
    ProblemArea("skin", ("wound", "bleeding", "itching", "hair_loss", "skin_lump", "dandruff")),
    ProblemArea("eyes-ears", ("eye_discharge", "squinting", "ear_scratching", "head_tilt")),
    ProblemArea("movement", ("lameness", "seizure")),
    ProblemArea("general", ("lethargy", "temperature", "behavior_change")),
)

# Temperature is only measured in dogs and cats in practice, and only read for them by the rules.
SIGNS_FOR_SPECIES: Mapping[str, frozenset[Species]] = MappingProxyType(
    {"temperature": frozenset({Species.DOG, Species.CAT})}
)


def screen_for(species: Species, sex: Sex) -> tuple[ScreenItem, ...]:
    return tuple(item for item in EMERGENCY_SCREEN if item.applies_to(species, sex))


def screen_item(item_id: str) -> ScreenItem | None:
    return next((item for item in EMERGENCY_SCREEN if item.id == item_id), None)


def area(area_id: str) -> ProblemArea | None:
    return next((candidate for candidate in PROBLEM_AREAS if candidate.id == area_id), None)


def signs_of_area(problem_area: ProblemArea, species: Species) -> tuple[str, ...]:
    return tuple(
        sign
        for sign in problem_area.signs
        if species in SIGNS_FOR_SPECIES.get(sign, frozenset(Species))
    )


@dataclass(frozen=True, slots=True)
class NumberBounds:
    """Plausible answers; outside them the owner most likely mistyped."""

    minimum: float
    maximum: float
    integer: bool


# Per detail, the range an answer must fall in. Hours up to a month; counts up to 50.
NUMBER_BOUNDS: Mapping[str, NumberBounds] = MappingProxyType(
    {
        "seizure_minutes": NumberBounds(0, 240, integer=False),
        "seizures_24h": NumberBounds(0, 50, integer=True),
        "bleeding_minutes": NumberBounds(0, 1440, integer=False),
        "no_urine_hours": NumberBounds(0, 720, integer=False),
        "temperature_c": NumberBounds(30, 45, integer=False),
        "vomiting_count_24h": NumberBounds(0, 50, integer=True),
        "diarrhea_count_24h": NumberBounds(0, 50, integer=True),
        "not_eating_hours": NumberBounds(0, 720, integer=False),
        "not_drinking_hours": NumberBounds(0, 720, integer=False),
    }
)


def questions_for(
    signs: Sequence[str], rules: RuleSet, *, known: Mapping[str, object]
) -> list[str]:
    """Details to ask about, in the rules file's order, skipping those already answered.

    `toxin` is not asked: any toxin is an emergency, and the screen already sent the owner on.
    """
    wanted: list[str] = []
    for sign in signs:
        for detail in rules.details_for(sign):
            if detail not in wanted and detail not in known and detail != "toxin":
                wanted.append(detail)
    order = list(rules.details)
    return sorted(wanted, key=order.index)


class AnswerError(ValueError):
    """An answer the dialog cannot take; `reason` picks the localized hint."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
