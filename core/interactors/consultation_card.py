"""The pet's medical card as the Mini App shows it, read-only: for the Records screen and, in
part, for the vet's brief.

Built from the same entries and rules as the chat's card (`core.interactors.records`: the date
the owner gave, the next dose per product, the kind-specific `data` keys), so both say the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from core.checks import age_in_months
from core.clock import Clock
from core.entities import MedicalRecord, Pet
from core.enums import RecordKind
from core.interactors.consultation_access import (
    ConsultationAccessGuard,
    PetReadAccess,
)
from core.interactors.records import (
    DATA_COURSE_END,
    DATA_DOSE,
    DATA_SCHEDULE,
    DueItem,
    due_items,
)
from core.ports.repositories import MedicalRecordRepository
from core.record_data import DATA_GRAMS, record_date
from core.record_input import today_in

_RECORDS_PAGE: Final = 200


@dataclass(frozen=True, slots=True)
class NoteLine:
    """An allergy, a chronic condition or a procedure: what, since when, and a note."""

    record_id: int
    title: str
    day: date
    note: str | None


@dataclass(frozen=True, slots=True)
class DoseLine:
    """A vaccination or parasite treatment; `overdue` only on its product's latest entry."""

    record_id: int
    product: str
    given_on: date
    next_due: date | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class MedicationLine:
    record_id: int
    drug: str
    dose: str | None
    schedule: str | None
    start: date
    end: date | None  # None: ongoing
    current: bool  # not ended before the reader's today


@dataclass(frozen=True, slots=True)
class WeightLine:
    record_id: int
    measured_on: date
    grams: int


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """A card entry with a stored file (a lab result, an X-ray photo)."""

    record_id: int
    title: str
    day: date
    content_type: str


@dataclass(frozen=True, slots=True)
class PetCardSummary:
    """Every list newest first, except weights: oldest first, to be read as a curve."""

    pet: Pet
    age_months: int | None
    due: tuple[DueItem, ...]  # every product's next dose, soonest first
    vaccinations: tuple[DoseLine, ...]
    parasite_treatments: tuple[DoseLine, ...]
    allergies: tuple[NoteLine, ...]
    chronic_conditions: tuple[NoteLine, ...]
    medications: tuple[MedicationLine, ...]
    procedures: tuple[NoteLine, ...]
    weights: tuple[WeightLine, ...]
    documents: tuple[DocumentLine, ...]

    @property
    def current_medications(self) -> tuple[MedicationLine, ...]:
        return tuple(line for line in self.medications if line.current)


@dataclass(frozen=True, slots=True)
class PetCardView:
    access: PetReadAccess
    card: PetCardSummary


def summarize_card(pet: Pet, records: Iterable[MedicalRecord], today: date) -> PetCardSummary:
    """The card's sections from the pet's entries, as of the reader's `today`."""
    newest_first = sorted(records, key=lambda r: (record_date(r), r.id), reverse=True)
    due = due_items(newest_first, today)
    due_by_record = {item.record_id: item for item in due}

    def of(kind: RecordKind) -> list[MedicalRecord]:
        return [record for record in newest_first if record.kind is kind]

    def doses(kind: RecordKind) -> tuple[DoseLine, ...]:
        return tuple(
            DoseLine(
                record_id=record.id,
                product=record.title,
                given_on=record_date(record),
                next_due=record.next_due_at.date() if record.next_due_at else None,
                overdue=(item := due_by_record.get(record.id)) is not None and item.overdue,
            )
            for record in of(kind)
        )

    def notes(kind: RecordKind) -> tuple[NoteLine, ...]:
        return tuple(
            NoteLine(record.id, record.title, record_date(record), record.details)
            for record in of(kind)
        )

    weights = [
        WeightLine(record.id, record_date(record), grams)
        for record in reversed(of(RecordKind.WEIGHT))
        if isinstance(grams := record.data.get(DATA_GRAMS), int) and not isinstance(grams, bool)
    ]
    return PetCardSummary(
        pet=pet,
        age_months=age_in_months(pet.birth_date, today),
        due=tuple(due),
        vaccinations=doses(RecordKind.VACCINATION),
        parasite_treatments=doses(RecordKind.PARASITE_TREATMENT),
        allergies=notes(RecordKind.ALLERGY),
        chronic_conditions=notes(RecordKind.CHRONIC_CONDITION),
        medications=tuple(_medication(record, today) for record in of(RecordKind.MEDICATION)),
        procedures=notes(RecordKind.PROCEDURE),
        weights=tuple(weights),
        documents=tuple(
            DocumentLine(
                record.id,
                record.title,
                record_date(record),
                record.attachment_content_type or "application/octet-stream",
            )
            for record in newest_first
            if record.attachment_key is not None
        ),
    )


def _medication(record: MedicalRecord, today: date) -> MedicationLine:
    end = _iso_date(record.data.get(DATA_COURSE_END))
    dose = record.data.get(DATA_DOSE)
    schedule = record.data.get(DATA_SCHEDULE)
    return MedicationLine(
        record_id=record.id,
        drug=record.title,
        dose=dose if isinstance(dose, str) else None,
        schedule=schedule if isinstance(schedule, str) else None,
        start=record_date(record),
        end=end,
        current=end is None or end >= today,
    )


def _iso_date(raw: object) -> date | None:
    if not isinstance(raw, str):
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


async def all_records(records: MedicalRecordRepository, pet_id: int) -> list[MedicalRecord]:
    """Every entry of the pet's card, page by page."""
    found: list[MedicalRecord] = []
    while True:
        page = await records.list_for_pet(pet_id, limit=_RECORDS_PAGE, offset=len(found))
        found.extend(page)
        if len(page) < _RECORDS_PAGE:
            return found


async def load_card(records: MedicalRecordRepository, pet: Pet, today: date) -> PetCardSummary:
    return summarize_card(pet, await all_records(records, pet.id), today)


def reader_today(clock: Clock, time_zone: str) -> date:
    """ "Today" in the reader's time zone: what overdue and current mean to them (as in chat)."""
    return today_in(clock.now(), time_zone)


class ReadPetCard:
    """The pet's card, read-only, for whoever may read it (see `consultation_access`)."""

    def __init__(
        self, guard: ConsultationAccessGuard, records: MedicalRecordRepository, clock: Clock
    ) -> None:
        self._guard = guard
        self._records = records
        self._clock = clock

    async def __call__(self, telegram_id: int, pet_id: int) -> PetCardView:
        access = await self._guard.pet(telegram_id, pet_id)
        today = reader_today(self._clock, access.caller.time_zone)
        return PetCardView(access, await load_card(self._records, access.pet, today))
