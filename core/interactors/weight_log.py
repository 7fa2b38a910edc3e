"""A weight typed on the pet's profile is a point of the weight trend too.

The trend reads only the card's weight entries, so the profile does not keep a history of its
own: creating a pet with a weight, or changing the weight on the profile, adds the entry the
trend needs, dated the owner's today.
"""

from __future__ import annotations

from datetime import date

from core.enums import RecordKind
from core.ports.repositories import MedicalRecordRepository
from core.record_data import DATA_DATE, DATA_GRAMS
from core.record_input import midday_utc


async def log_profile_weight(
    records: MedicalRecordRepository,
    *,
    pet_id: int,
    grams: int,
    day: date,
    author_user_id: int,
) -> None:
    latest = await records.list_for_pet(pet_id, kinds=[RecordKind.WEIGHT], limit=1)
    if latest and latest[0].data.get(DATA_GRAMS) == grams:
        # Already the newest point (e.g. the profile only echoed the last entry): no duplicate.
        return
    await records.add(
        pet_id=pet_id,
        kind=RecordKind.WEIGHT,
        # No title: the weight is the entry, as for one added on the card.
        title="",
        occurred_at=midday_utc(day),
        details=None,
        data={DATA_DATE: day.isoformat(), DATA_GRAMS: grams},
        next_due_at=None,
        author_user_id=author_user_id,
        attachment_key=None,
        attachment_content_type=None,
    )
