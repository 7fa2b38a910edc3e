"""Issue #13: the microchip number (ISO 11784) and a vaccine's batch number, as typed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from core.entities import MedicalRecord, Pet
from core.enums import RecordKind, Sex, Species, Urgency
from core.interactors.export import card_of
from core.microchip import parse_microchip
from core.pets_errors import PetInputError, PetInputErrorReason
from core.record_input import RecordInputError, RecordInputErrorReason, parse_batch


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("643094100123456", "643094100123456"),
        ("643 094 100 123 456", "643094100123456"),
        ("643-094-100-123.456", "643094100123456"),
    ],
)
def test_a_microchip_number_is_fifteen_digits_however_grouped(typed: str, stored: str) -> None:
    assert parse_microchip(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "64309410012345",  # 14 digits: an old or mistyped chip
        "6430941001234567",
        "64309410012345A",
        "000000000000000",
        "٦٤٣٠٩٤١٠٠١٢٣٤٥٦",  # Arabic-Indic digits: str.isdigit would take them
        "",
    ],
)
def test_anything_but_an_iso_number_is_refused(typed: str) -> None:
    with pytest.raises(PetInputError) as refused:
        parse_microchip(typed)
    assert refused.value.reason is PetInputErrorReason.MICROCHIP_BAD


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("a123b01", "A123B01"), (" L-2045/7 ", "L-2045/7"), ("А 12 34", "А1234")],
)
def test_a_batch_number_is_kept_as_on_the_sticker(typed: str, stored: str) -> None:
    assert parse_batch(typed) == stored


@pytest.mark.parametrize("typed", ["no idea!", "😀", "-A1", "A" * 33])
def test_a_batch_number_that_is_not_one_is_refused(typed: str) -> None:
    with pytest.raises(RecordInputError) as refused:
        parse_batch(typed)
    assert refused.value.reason in {
        RecordInputErrorReason.BATCH_BAD,
        RecordInputErrorReason.TEXT_TOO_LONG,
    }


def pet(**fields: object) -> Pet:
    values: dict[str, object] = {
        "id": 1,
        "name": "Rex",
        "species": Species.DOG,
        "breed": None,
        "sex": Sex.MALE,
        "neutered": None,
        "birth_date": None,
        "birth_date_is_approximate": False,
        "weight_grams": None,
        "photo_file_id": None,
        "photo_key": None,
        "allergies": None,
        "chronic_conditions": None,
        "archived_at": None,
        "created_at": datetime(2024, 1, 1, tzinfo=UTC),
        **fields,
    }
    return Pet(**values)  # type: ignore[arg-type]


def record(
    record_id: int,
    kind: RecordKind,
    title: str,
    on: date,
    *,
    data: dict[str, object] | None = None,
    next_due_at: datetime | None = None,
) -> MedicalRecord:
    return MedicalRecord(
        id=record_id,
        pet_id=1,
        kind=kind,
        title=title,
        occurred_at=datetime(on.year, on.month, on.day, 12, tzinfo=UTC),
        details=None,
        data=data or {},
        next_due_at=next_due_at,
        attachment_key=None,
        attachment_content_type=None,
        author_user_id=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_the_card_marks_an_overdue_vaccination_unless_a_later_dose_was_given() -> None:
    now = datetime(2026, 6, 1, 9, tzinfo=UTC)
    records = [
        record(
            1,
            RecordKind.VACCINATION,
            "Rabies",
            date(2024, 5, 1),
            next_due_at=datetime(2025, 5, 1, 12, tzinfo=UTC),
            data={"batch": "A1"},
        ),
        record(
            2,
            RecordKind.VACCINATION,
            "DHPPi",
            date(2024, 1, 1),
            next_due_at=datetime(2025, 1, 1, 12, tzinfo=UTC),
        ),
        record(
            3,
            RecordKind.VACCINATION,
            "DHPPi",
            date(2025, 1, 10),
            next_due_at=datetime(2026, 1, 10, 12, tzinfo=UTC),
        ),
        record(4, RecordKind.TRIAGE_RESULT, "medium", date(2026, 5, 1), data={"check_id": 7}),
    ]
    card = card_of(pet(), records, now, "UTC", {7: Urgency.HIGH})
    marks = [(row.product, row.batch, row.overdue) for row in card.vaccinations]
    # DHPPi's first dose was followed by another; the second is now overdue, and Rabies too.
    assert marks == [("DHPPi", None, False), ("Rabies", "A1", True), ("DHPPi", None, True)]
    # The triage entry carries its check's current level, not the one it was added with.
    assert [record.title for record in card.other_records] == ["high"]
