"""Every stored file that belongs to one pet, wherever it was uploaded from.

Deleting a pet (by its owner, or with an account) must remove them all from BlobStorage:
the pet's photo, its medical-card attachments and its symptom-check photos. The photo's copy
also stands in when Telegram refuses the photo's file_id (bot/message_manager.py).
"""

from __future__ import annotations

import dataclasses
import uuid

from core.entities import Pet
from core.enums import AccessLevel
from core.image_work import ImageWork
from core.pets_errors import PetNotFoundError
from core.ports.images import ImageSanitizer
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobNotFoundError, BlobStorage
from core.ports.uow import UnitOfWork
from core.uploads import PHOTO_POLICY, check_upload

EDITING_LEVELS = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})
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


class StorePetPhoto:
    """Keep our own copy of a pet's photo, metadata stripped, next to the pet's other files.

    Telegram's file_id shows the photo in chat; our copy keeps the card whole in an export and
    after the account that sent it is gone. Owners and co-owners only.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        storage: BlobStorage,
        sanitizer: ImageSanitizer,
        image_work: ImageWork,
    ) -> None:
        self._uow = uow
        self._users = users
        self._pets = pets
        self._access = access
        self._storage = storage
        self._sanitizer = sanitizer
        self._image_work = image_work

    async def __call__(self, telegram_id: int, pet_id: int, data: bytes) -> str:
        user = await self._users.get_by_telegram_id(telegram_id)
        level = await self._access.get_level(user.id, pet_id) if user else None
        pet = await self._pets.get(pet_id) if level in EDITING_LEVELS else None
        if pet is None:
            raise PetNotFoundError(pet_id)
        check_upload(data, PHOTO_POLICY)
        # Off the event loop and within the process's bound on decodes running at once.
        clean = await self._image_work.run(self._sanitizer.sanitize, data)
        key = f"{pet_storage_prefix(pet_id)}photo-{uuid.uuid4().hex}.jpg"
        await self._storage.put(key, clean.data, clean.content_type)
        await self._pets.update(dataclasses.replace(pet, photo_key=key))
        await self._uow.commit()
        if pet.photo_key and pet.photo_key != key:
            await self._storage.delete(pet.photo_key)
        return key


async def _viewable_pet(
    telegram_id: int,
    pet_id: int,
    users: UserRepository,
    pets: PetRepository,
    access: PetAccessRepository,
) -> Pet:
    """The pet, for anyone with any access to it; `PetNotFoundError` for everyone else."""
    user = await users.get_by_telegram_id(telegram_id)
    level = await access.get_level(user.id, pet_id) if user else None
    pet = await pets.get(pet_id) if level is not None else None
    if pet is None:
        raise PetNotFoundError(pet_id)
    return pet


class GetPetPhotoCopy:
    """Our stored copy of a pet's photo, for when Telegram no longer takes its file_id.

    None when there is none: never kept (the copy is made after the pet is saved, and may have
    failed) or gone from the storage. Anyone who may view the pet.
    """

    def __init__(
        self,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        storage: BlobStorage,
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access
        self._storage = storage

    async def __call__(self, telegram_id: int, pet_id: int) -> bytes | None:
        pet = await _viewable_pet(telegram_id, pet_id, self._users, self._pets, self._access)
        if pet.photo_key is None:
            return None
        try:
            return await self._storage.get(pet.photo_key)
        except BlobNotFoundError:
            return None


class RefreshPetPhotoFileId:
    """Save the file_id Telegram gave our re-uploaded copy of a pet's photo; True if saved.

    Anyone who may view the pet: the picture stays the same, only Telegram's handle to it
    changes, and a file_id belongs to the bot, not to whoever looked. Nothing is saved when the
    photo changed since the stale file_id was read (an owner sent a new one meanwhile).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
    ) -> None:
        self._uow = uow
        self._users = users
        self._pets = pets
        self._access = access

    async def __call__(
        self, telegram_id: int, pet_id: int, stale_file_id: str, new_file_id: str
    ) -> bool:
        pet = await _viewable_pet(telegram_id, pet_id, self._users, self._pets, self._access)
        if pet.photo_file_id != stale_file_id or pet.photo_key is None:
            return False
        # photo_key stays: the new file_id shows the very copy it names.
        await self._pets.update(dataclasses.replace(pet, photo_file_id=new_file_id))
        await self._uow.commit()
        return True
