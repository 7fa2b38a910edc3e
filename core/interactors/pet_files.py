"""Every stored file that belongs to one pet, wherever it was uploaded from.

Deleting a pet (by its owner, or with an account) must remove them all from BlobStorage:
the pet's photo, its medical-card attachments and its symptom-check photos.
"""

from __future__ import annotations

from core.ports.repositories import (
    MedicalRecordRepository,
    PetRepository,
    SymptomCheckRepository,
)

_RECORDS_PAGE = 200
# Every symptom check of a pet; far above what one pet accumulates.
_MAX_CHECKS = 10_000


def pet_storage_prefix(pet_id: int) -> str:
    """Files owned by the pet rather than by whoever uploaded them (record attachments)."""
    return f"pets/{pet_id}/"


async def pet_file_keys(
    pet_id: int,
    pets: PetRepository,
    records: MedicalRecordRepository,
    checks: SymptomCheckRepository,
) -> set[str]:
    keys: set[str] = set()
    pet = await pets.get(pet_id)
    if pet is not None and pet.photo_key:
        keys.add(pet.photo_key)
    offset = 0
    while True:
        page = await records.list_for_pet(pet_id, limit=_RECORDS_PAGE, offset=offset)
        keys.update(record.attachment_key for record in page if record.attachment_key)
        offset += len(page)
        if len(page) < _RECORDS_PAGE:
            break
    for check in await checks.list_for_pet(pet_id, limit=_MAX_CHECKS):
        keys.update(photo.storage_key for photo in await checks.list_photos(check.id))
    return keys
