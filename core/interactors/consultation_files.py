"""Files of a pet's card and of its symptom checks, for the Mini App, after the access check.

Served from blob storage only through here: the Mini App never sees a storage key or a public
URL, and each file is checked against the pet it belongs to exactly as the card is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from core.consultation_errors import ConsultationNotFoundError
from core.file_names import file_stem
from core.interactors.consultation_access import ConsultationAccessGuard
from core.ports.repositories import MedicalRecordRepository, SymptomCheckRepository
from core.ports.storage import BlobNotFoundError, BlobStorage
from core.uploads import EXTENSIONS, sniff_content_type

logger = logging.getLogger(__name__)

UNKNOWN_CONTENT_TYPE = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class PetPhotoRef:
    pet_id: int


@dataclass(frozen=True, slots=True)
class RecordFileRef:
    record_id: int


@dataclass(frozen=True, slots=True)
class CheckPhotoRef:
    check_id: int
    position: int  # 0-based, in the order the owner sent the photos


FileRef = PetPhotoRef | RecordFileRef | CheckPhotoRef


@dataclass(frozen=True, slots=True)
class ServedFile:
    data: bytes
    # Sniffed from the bytes, never taken from stored metadata: what is served is what it is.
    content_type: str
    file_name: str


class GetConsultationFile:
    """The bytes of a pet's photo, a card entry's file or a check photo, for a reader of the
    pet (see `consultation_access`); unknown ids answer like unknown appointments."""

    def __init__(
        self,
        guard: ConsultationAccessGuard,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        storage: BlobStorage,
    ) -> None:
        self._guard = guard
        self._records = records
        self._checks = checks
        self._storage = storage

    async def __call__(self, telegram_id: int, ref: FileRef) -> ServedFile:
        match ref:
            case PetPhotoRef(pet_id=pet_id):
                what = f"photo of pet {pet_id}"
                access = await self._guard.pet(telegram_id, pet_id)
                key = access.pet.photo_key
                stem = f"pet-{pet_id}"
            case RecordFileRef(record_id=record_id):
                what = f"file of record {record_id}"
                record = await self._records.get(record_id)
                if record is None:
                    raise await self._guard.missing(telegram_id, what)
                await self._guard.pet(telegram_id, record.pet_id)
                key = record.attachment_key
                stem = file_stem(record.title, f"record-{record_id}")
            case CheckPhotoRef(check_id=check_id, position=position):
                what = f"photo {position} of check {check_id}"
                check = await self._checks.get(check_id)
                if check is None:
                    raise await self._guard.missing(telegram_id, what)
                await self._guard.pet(telegram_id, check.pet_id)
                photos = await self._checks.list_photos(check_id)
                key = next((p.storage_key for p in photos if p.position == position), None)
                stem = f"check-{check_id}-{position}"
        if key is None:
            raise ConsultationNotFoundError(what)
        try:
            data = await self._storage.get(key)
        except BlobNotFoundError:
            logger.warning("the %s is missing from storage", what)
            raise ConsultationNotFoundError(what) from None
        content_type = sniff_content_type(data) or UNKNOWN_CONTENT_TYPE
        return ServedFile(data, content_type, f"{stem}.{EXTENSIONS.get(content_type, 'bin')}")
