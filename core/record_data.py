"""Keys of `MedicalRecord.data`, and how entries of one product are told apart, shared beyond
the medical card's own interactors.

They live here, not in `core.interactors.records`, so the pets interactors can write a weight
entry and the reminders find a product's latest entry without importing the card module (which
imports them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from core.entities import MedicalRecord
from core.enums import RecordKind

DATA_DATE: Final = "date"  # ISO date the owner gave
DATA_GRAMS: Final = "grams"
DATA_COURSE_END: Final = "end"  # ISO date a medication course ends; absent: ongoing
# A medication's dose times, local "HH:MM" strings, sorted ("skip" in the form: absent, no
# reminders). The prescription's clock: each recipient is reminded at them in their own zone.
DATA_DOSE_TIMES: Final = "dose_times"


def record_date(record: MedicalRecord) -> date:
    """The calendar date the owner gave; `occurred_at`'s UTC date for entries without one."""
    raw = record.data.get(DATA_DATE)
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    return record.occurred_at.date()


def product_key(record: MedicalRecord) -> tuple[RecordKind, str]:
    """Entries of one product (the same vaccine again) share a key: case and spaces aside."""
    return (record.kind, " ".join(record.title.casefold().split()))


def latest_entry(records: Sequence[MedicalRecord]) -> MedicalRecord | None:
    """The entry given last by its date (the later-added on the same date): the one that
    decides its product's next due date."""
    return max(records, key=lambda record: (record_date(record), record.id), default=None)
