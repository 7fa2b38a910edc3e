"""My pets: add, list, view, edit, archive, restore and delete — each behind an access check.

Callers pass the Telegram id of the person acting and a pet id from wherever (a button, a
callback someone crafted, a start payload). Every interactor resolves the caller's access
itself: a pet they have no access to is `PetNotFoundError`, exactly like a missing one.

Who may do what: any access level views; owners and co-owners edit, archive and restore;
only owners delete.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from typing import Final, Literal

from core.clock import Clock
from core.entities import AccessiblePet, Pet, User
from core.enums import AccessLevel, Sex, Species
from core.errors import UserNotFoundError
from core.interactors.pet_files import pet_file_keys, pet_storage_prefix
from core.interactors.weight_log import log_profile_weight
from core.microchip import check_microchip
from core.pet_input import BirthDate, check_birth_date, check_breed, check_name, check_weight
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from core.plain_text import plain_name
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from core.record_input import today_in

EDITORS: Final = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})
DELETERS: Final = frozenset({AccessLevel.OWNER})


class ArchiveReason(StrEnum):
    """Why a pet leaves the active list. The dialog words each with care."""

    DECEASED = "deceased"
    REHOMED = "rehomed"


class _Keep(Enum):
    KEEP = "keep"


# "Leave this field as it is" in `PetChanges`; None already means "clear the field".
KEEP: Final = _Keep.KEEP


@dataclass(frozen=True, slots=True)
class PetDraft:
    """Everything the add-a-pet dialog collects; only name and species are required."""

    name: str
    species: Species
    breed: str | None = None
    sex: Sex = Sex.UNKNOWN
    neutered: bool | None = None
    birth: BirthDate | None = None
    weight_grams: int | None = None
    photo_file_id: str | None = None

    def __post_init__(self) -> None:
        # Whoever builds the draft (the dialog, the Mini App, a job), the name is stored without
        # NUL, invisible or direction-changing characters (core/plain_text.py).
        object.__setattr__(self, "name", plain_name(self.name))


@dataclass(frozen=True, slots=True)
class PetChanges:
    """The fields to change; each left at `KEEP` stays as stored, None clears an optional one."""

    name: str | Literal[_Keep.KEEP] = KEEP
    species: Species | Literal[_Keep.KEEP] = KEEP
    breed: str | Literal[_Keep.KEEP] | None = KEEP
    sex: Sex | Literal[_Keep.KEEP] = KEEP
    neutered: bool | Literal[_Keep.KEEP] | None = KEEP
    birth: BirthDate | Literal[_Keep.KEEP] | None = KEEP
    weight_grams: int | Literal[_Keep.KEEP] | None = KEEP
    photo_file_id: str | Literal[_Keep.KEEP] | None = KEEP
    microchip: str | Literal[_Keep.KEEP] | None = KEEP

    def __post_init__(self) -> None:
        if isinstance(self.name, str):  # the same as PetDraft's
            object.__setattr__(self, "name", plain_name(self.name))


async def _user(users: UserRepository, telegram_id: int) -> User:
    user = await users.get_by_telegram_id(telegram_id)
    if user is None:
        raise UserNotFoundError(telegram_id)
    return user


class _PetAccessGuard:
    """Shared by the interactors: who is asking, and what they may do with this pet."""

    def __init__(
        self, users: UserRepository, pets: PetRepository, access: PetAccessRepository
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access

    async def user_id(self, telegram_id: int) -> int:
        return (await _user(self._users, telegram_id)).id

    async def load(self, telegram_id: int, pet_id: int) -> AccessiblePet:
        user_id = await self.user_id(telegram_id)
        level = await self._access.get_level(user_id, pet_id)
        pet = await self._pets.get(pet_id) if level is not None else None
        if level is None or pet is None:
            raise PetNotFoundError(pet_id)
        return AccessiblePet(pet=pet, level=level)

    async def load_for(
        self, telegram_id: int, pet_id: int, allowed: frozenset[AccessLevel], action: str
    ) -> AccessiblePet:
        seen = await self.load(telegram_id, pet_id)
        if seen.level not in allowed:
            raise PetAccessDeniedError(pet_id, action)
        return seen


class AddPet:
    """Create a pet and make the creator its owner, in one transaction."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._guard = _PetAccessGuard(users, pets, access)
        self._pets = pets
        self._access = access
        self._records = records
        self._clock = clock

    async def __call__(self, telegram_id: int, draft: PetDraft) -> Pet:
        now = self._clock.now()
        _check_draft(draft, now.date())
        user = await _user(self._users, telegram_id)
        user_id = user.id
        pet = await self._pets.add(
            name=draft.name,
            species=draft.species,
            breed=draft.breed,
            sex=draft.sex,
            neutered=draft.neutered,
            birth_date=draft.birth.value if draft.birth else None,
            birth_date_is_approximate=draft.birth.approximate if draft.birth else False,
            weight_grams=draft.weight_grams,
        )
        if draft.photo_file_id is not None:
            # `add` takes no photo: the photo is stored like any later edit of it.
            pet = dataclasses.replace(pet, photo_file_id=draft.photo_file_id)
            await self._pets.update(pet)
        await self._access.grant(
            pet_id=pet.id,
            user_id=user_id,
            level=AccessLevel.OWNER,
            granted_by_user_id=user_id,
            granted_at=now,
        )
        if draft.weight_grams is not None:
            await log_profile_weight(
                self._records,
                pet_id=pet.id,
                grams=draft.weight_grams,
                day=today_in(now, user.time_zone),
                author_user_id=user_id,
            )
        await self._uow.commit()
        return pet


class ListMyPets:
    """The caller's pets (own and shared with them), by name: active ones, or the archived."""

    def __init__(
        self, users: UserRepository, pets: PetRepository, access: PetAccessRepository
    ) -> None:
        self._guard = _PetAccessGuard(users, pets, access)
        self._pets = pets

    async def __call__(self, telegram_id: int, *, archived: bool = False) -> list[AccessiblePet]:
        user_id = await self._guard.user_id(telegram_id)
        listed = await self._pets.list_for_user(user_id, include_archived=archived)
        return [item for item in listed if item.pet.is_archived == archived]

    async def count(self, telegram_id: int, *, archived: bool = False) -> int:
        """How many pets the list would show: the pet list counts the archive, never lists it."""
        user_id = await self._guard.user_id(telegram_id)
        return await self._pets.count_for_user(user_id, archived=archived)


class GetPetCard:
    """One pet with the caller's access level to it."""

    def __init__(
        self, users: UserRepository, pets: PetRepository, access: PetAccessRepository
    ) -> None:
        self._guard = _PetAccessGuard(users, pets, access)

    async def __call__(self, telegram_id: int, pet_id: int) -> AccessiblePet:
        return await self._guard.load(telegram_id, pet_id)


class EditPet:
    """Change some fields of an active pet; owners and co-owners only."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._guard = _PetAccessGuard(users, pets, access)
        self._pets = pets
        self._records = records
        self._clock = clock

    async def __call__(self, telegram_id: int, pet_id: int, changes: PetChanges) -> Pet:
        seen = await self._guard.load_for(telegram_id, pet_id, EDITORS, "edit")
        if seen.pet.is_archived:
            raise PetArchivedError(pet_id)
        pet = _apply(seen.pet, changes)
        _check_pet(pet, self._clock.now().date(), changes)
        await self._pets.update(pet)
        if changes.weight_grams is not KEEP and changes.weight_grams is not None:
            user = await _user(self._users, telegram_id)
            await log_profile_weight(
                self._records,
                pet_id=pet_id,
                grams=changes.weight_grams,
                day=today_in(self._clock.now(), user.time_zone),
                author_user_id=user.id,
            )
        await self._uow.commit()
        return pet


class ArchivePet:
    """Move a pet out of the active list (it died, or lives elsewhere now); nothing is deleted.

    The reason shapes what the owner is told. It is not stored yet: the pets table has no column
    for it, and a nullable `pets.archive_reason` (the values of `ArchiveReason`) is proposed.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._pets = pets
        self._clock = clock

    async def __call__(self, telegram_id: int, pet_id: int, reason: ArchiveReason) -> Pet:
        seen = await self._guard.load_for(telegram_id, pet_id, EDITORS, "archive")
        if seen.pet.is_archived:
            return seen.pet  # a second press of a stale button: already done
        archived_at = self._clock.now()
        await self._pets.set_archived(pet_id, archived_at)
        await self._uow.commit()
        return dataclasses.replace(seen.pet, archived_at=archived_at)


class RestorePet:
    """Bring an archived pet back to the active list (archived by mistake)."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._pets = pets

    async def __call__(self, telegram_id: int, pet_id: int) -> Pet:
        seen = await self._guard.load_for(telegram_id, pet_id, EDITORS, "restore")
        if not seen.pet.is_archived:
            return seen.pet
        await self._pets.set_archived(pet_id, None)
        await self._uow.commit()
        return dataclasses.replace(seen.pet, archived_at=None)


class DeletePet:
    """Delete a pet with everything recorded about it, its stored files included; owner only."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        storage: BlobStorage,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._pets = pets
        self._records = records
        self._checks = checks
        self._storage = storage

    async def __call__(self, telegram_id: int, pet_id: int) -> None:
        await self._guard.load_for(telegram_id, pet_id, DELETERS, "delete")
        # Collected before the rows go: afterwards nothing would know these keys any more.
        keys = await pet_file_keys(pet_id, self._pets, self._records, self._checks)
        await self._pets.delete(pet_id)
        await self._uow.commit()
        for key in sorted(keys):
            await self._storage.delete(key)
        await self._storage.delete_prefix(pet_storage_prefix(pet_id))


def _check_draft(draft: PetDraft, today: date) -> None:
    check_name(draft.name)
    if draft.breed is not None:
        check_breed(draft.breed)
    if draft.birth is not None:
        check_birth_date(draft.birth.value, today)
    if draft.weight_grams is not None:
        check_weight(draft.weight_grams, draft.species)


def _apply(pet: Pet, changes: PetChanges) -> Pet:
    updated = pet
    if changes.microchip is not KEEP:
        updated = dataclasses.replace(updated, microchip=changes.microchip)
    if changes.name is not KEEP:
        updated = dataclasses.replace(updated, name=changes.name)
    if changes.species is not KEEP:
        updated = dataclasses.replace(updated, species=changes.species)
    if changes.breed is not KEEP:
        updated = dataclasses.replace(updated, breed=changes.breed)
    if changes.sex is not KEEP:
        updated = dataclasses.replace(updated, sex=changes.sex)
    if changes.neutered is not KEEP:
        updated = dataclasses.replace(updated, neutered=changes.neutered)
    if changes.birth is not KEEP:
        birth = changes.birth
        updated = dataclasses.replace(
            updated,
            birth_date=birth.value if birth else None,
            birth_date_is_approximate=birth.approximate if birth else False,
        )
    if changes.weight_grams is not KEEP:
        updated = dataclasses.replace(updated, weight_grams=changes.weight_grams)
    if changes.photo_file_id is not KEEP:
        # A new Telegram photo replaces our stored copy too; it would show the old picture.
        updated = dataclasses.replace(updated, photo_file_id=changes.photo_file_id, photo_key=None)
    return updated


def _check_pet(pet: Pet, today: date, changes: PetChanges) -> None:
    # Only what changed: a stored weight that a species change puts out of range is the
    # owner's to fix later, not a reason to refuse renaming the pet.
    if changes.name is not KEEP:
        check_name(pet.name)
    if changes.breed is not KEEP and pet.breed is not None:
        check_breed(pet.breed)
    if changes.birth is not KEEP and pet.birth_date is not None:
        check_birth_date(pet.birth_date, today)
    if changes.weight_grams is not KEEP and pet.weight_grams is not None:
        check_weight(pet.weight_grams, pet.species)
    if changes.microchip is not KEEP and pet.microchip is not None:
        check_microchip(pet.microchip)
