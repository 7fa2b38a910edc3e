"""Message ids for values shown by several features (species, access, weekdays, languages).

Full message ids, never built from parts: the locale test finds every id used in code.
"""

from __future__ import annotations

from typing import Final

from core.enums import AccessLevel, Species, Urgency

SPECIES_LABELS: dict[Species, str] = {
    Species.DOG: "lbl-pet-species-dog",
    Species.CAT: "lbl-pet-species-cat",
    Species.RABBIT: "lbl-pet-species-rabbit",
    Species.GUINEA_PIG: "lbl-pet-species-guinea-pig",
    Species.RODENT: "lbl-pet-species-rodent",
    Species.FERRET: "lbl-pet-species-ferret",
    Species.BIRD: "lbl-pet-species-bird",
    Species.REPTILE: "lbl-pet-species-reptile",
    Species.OTHER: "lbl-pet-species-other",
}
ACCESS_LABELS: dict[AccessLevel, str] = {
    AccessLevel.OWNER: "lbl-pet-access-owner",
    AccessLevel.CO_OWNER: "lbl-pet-access-co-owner",
    AccessLevel.VIEWER: "lbl-pet-access-viewer",
}
VET_LANGUAGE_LABELS: Final = {"ru": "lbl-vet-language-ru", "en": "lbl-vet-language-en"}
WEEKDAY_LABELS: Final = (
    "lbl-vet-weekday-mon",
    "lbl-vet-weekday-tue",
    "lbl-vet-weekday-wed",
    "lbl-vet-weekday-thu",
    "lbl-vet-weekday-fri",
    "lbl-vet-weekday-sat",
    "lbl-vet-weekday-sun",
)
URGENCY_NONE: Final = "none"


def urgency_value(urgency: Urgency | None) -> str:
    """The selector value of `lbl-vet-urgency`."""
    return URGENCY_NONE if urgency is None else urgency.value
