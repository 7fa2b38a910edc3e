"""Documents made for people to read: the pet's medical card as a PDF.

The card's content is decided in `core` (what goes in, in which order); an implementation only
lays it out. Every word on it comes from the caller's `Translate`, in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from core.entities import MedicalRecord, Pet
from core.errors import DomainError


class Translate(Protocol):
    """A localized message by id (`lbl-card-title`, ...), Fluent-style named arguments."""

    def __call__(self, message_id: str, /, **args: Any) -> str: ...


class ReportUnavailableError(DomainError):
    """The renderer cannot work here (a font or library is missing); the edge says so."""

    def __init__(self, why: str) -> None:
        super().__init__(f"report unavailable: {why}")
        self.why = why


@dataclass(frozen=True, slots=True)
class VaccinationRow:
    product: str  # the vaccine's name, else the record's title
    batch: str | None
    given_on: date
    next_due_on: date | None
    overdue: bool = False  # the next dose's date has passed and no later dose was recorded


@dataclass(frozen=True, slots=True)
class CardOwner:
    """Who to contact about the pet: its owner, who consented to their data being processed."""

    name: str
    username: str | None  # Telegram @username, without the "@"


@dataclass(frozen=True, slots=True)
class PetCard:
    """Everything a medical card shows: profile, vaccinations, other records (oldest first)."""

    pet: Pet
    vaccinations: tuple[VaccinationRow, ...]
    other_records: tuple[MedicalRecord, ...]
    generated_at: datetime
    time_zone: str  # the reader's IANA zone: record times are printed as their local dates
    owner: CardOwner | None = None
    photo: bytes | None = None  # the pet's photo from storage, as stored (JPEG)


class PetCardRenderer(Protocol):
    """Renders a `PetCard` as a PDF; never blocks the event loop."""

    async def render(self, card: PetCard, translate: Translate) -> bytes:
        """The PDF's bytes. Raises `ReportUnavailableError` when it cannot render at all."""
        ...
