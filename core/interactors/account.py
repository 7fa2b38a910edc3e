"""`/delete_me`: erase a user with everything that is theirs alone.

What happens to each pet the user can see (the same rule for the warning and the deletion):
- the user owns it and another owner remains → it stays with them;
- the user owns it, no other owner, but co-owners → the earliest co-owner (by when they were
  granted access) becomes its owner: a family's pet survives one member leaving;
- the user owns it alone (viewers do not count) → it is deleted with its records, checks,
  photos and reminders, in the database and in the storage;
- the user is a co-owner or viewer → only their access goes.
Then the user row goes; the database cascades to their roles, access rows, symptom checks,
reminders, appointments and the invites they created, and nulls them out of records they
wrote on others' pets and of payments (kept, anonymous, for bookkeeping).

Files: the blobs of deleted pets (pet photo, record attachments, check photos — whoever took
them) and the user's pending uploads (files sent in forms never saved) are deleted first,
then the database commits, then everything under the user's own
prefix `users/tg-<telegram id>/` (their check photos on pets that remain too). Deleting again
is harmless: a second run finds no user and only sweeps the prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.clock import Clock
from core.entities import AccessiblePet, PetAccess
from core.enums import AccessLevel
from core.interactors.booking import CancelBookingsOfLeavingOwner
from core.interactors.pet_files import pet_file_keys
from core.ports.repositories import (
    AccountDataRepository,
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from core.ports.uploads import UploadRepository


def user_storage_prefix(telegram_id: int) -> str:
    """The folder of a user's own files (check photos, uploads)."""
    return f"users/tg-{telegram_id}/"


@dataclass(frozen=True, slots=True)
class PetFate:
    pet_id: int
    name: str
    new_owner_user_id: int | None = None  # set when handed over to a co-owner


@dataclass(frozen=True, slots=True)
class DeletionPlan:
    """What deleting the account would do, for the warning the user reads first."""

    deleted: tuple[PetFate, ...]  # owned alone: go with the account
    handed_over: tuple[PetFate, ...]  # a co-owner becomes the owner
    kept_by_others: tuple[PetFate, ...]  # another owner keeps it; or it was only shared with us


@dataclass(frozen=True, slots=True)
class AccountDeleted:
    pets_deleted: int
    pets_handed_over: int
    files_removed: int


def _fate(item: AccessiblePet, members: list[PetAccess], user_id: int) -> tuple[str, PetFate]:
    pet = PetFate(item.pet.id, item.pet.name)
    if item.level is not AccessLevel.OWNER:
        return "kept", pet
    others = [member for member in members if member.user_id != user_id]
    if any(member.level is AccessLevel.OWNER for member in others):
        return "kept", pet
    co_owners = sorted(
        (member for member in others if member.level is AccessLevel.CO_OWNER),
        key=lambda member: member.granted_at,
    )
    if co_owners:
        return "handed_over", PetFate(pet.pet_id, pet.name, co_owners[0].user_id)
    return "deleted", pet


class _Planner:
    def __init__(
        self, users: UserRepository, pets: PetRepository, access: PetAccessRepository
    ) -> None:
        self._users = users
        self._pets = pets
        self._access = access

    async def plan(self, user_id: int) -> DeletionPlan:
        fates: dict[str, list[PetFate]] = {"deleted": [], "handed_over": [], "kept": []}
        for item in await self._pets.list_for_user(user_id, include_archived=True):
            kind, fate = _fate(item, await self._access.list_for_pet(item.pet.id), user_id)
            fates[kind].append(fate)
        return DeletionPlan(
            deleted=tuple(fates["deleted"]),
            handed_over=tuple(fates["handed_over"]),
            kept_by_others=tuple(fates["kept"]),
        )


class PlanAccountDeletion:
    """What `DeleteAccount` would do now; empty for a user we do not know."""

    def __init__(
        self, users: UserRepository, pets: PetRepository, access: PetAccessRepository
    ) -> None:
        self._users = users
        self._planner = _Planner(users, pets, access)

    async def __call__(self, telegram_id: int) -> DeletionPlan:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            return DeletionPlan((), (), ())
        return await self._planner.plan(user.id)


class DeleteAccount:
    """Delete the user and what is theirs alone (see the module's rules)."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        checks: SymptomCheckRepository,
        account_data: AccountDataRepository,
        uploads: UploadRepository,
        storage: BlobStorage,
        clock: Clock,
        cancel_bookings: CancelBookingsOfLeavingOwner,
    ) -> None:
        self._uow = uow
        self._users = users
        self._pets = pets
        self._access = access
        self._records = records
        self._checks = checks
        self._account_data = account_data
        self._uploads = uploads
        self._storage = storage
        self._clock = clock
        self._cancel_bookings = cancel_bookings
        self._planner = _Planner(users, pets, access)

    async def __call__(self, telegram_id: int) -> AccountDeleted:
        user = await self._users.get_by_telegram_id(telegram_id)
        removed = 0
        deleted = handed_over = 0
        if user is not None:
            # Money first, while the payer is known: upcoming bookings are cancelled by the
            # owner's refund rule and their vets told (core.interactors.booking). Committed
            # apart: a deletion that fails after this leaves cancelled, refunded bookings.
            await self._cancel_bookings(user)
            plan = await self._planner.plan(user.id)
            now = self._clock.now()
            for fate in plan.handed_over:
                if fate.new_owner_user_id is None:  # never: _fate sets it for these
                    continue
                await self._access.grant(
                    pet_id=fate.pet_id,
                    user_id=fate.new_owner_user_id,
                    level=AccessLevel.OWNER,
                    granted_by_user_id=None,  # the granter is the account being deleted
                    granted_at=now,
                )
            # Files sent in forms never saved: the user's own (on any pet) and, on the pets
            # deleted, anyone's. Their rows go with the user and the pets.
            keys = set(await self._uploads.pending_keys_of_user(user.id))
            for fate in plan.deleted:
                keys |= await pet_file_keys(fate.pet_id, self._pets, self._records, self._checks)
                keys |= set(await self._uploads.pending_keys_of_pet(fate.pet_id))
                await self._pets.delete(fate.pet_id)
            # Before the commit: afterwards nothing would know these keys any more. Should the
            # commit fail, the pets remain without some files, and asking again deletes them.
            for key in sorted(keys):
                await self._storage.delete(key)
            removed += len(keys)
            await self._account_data.delete_user(user.id)
            await self._uow.commit()
            deleted, handed_over = len(plan.deleted), len(plan.handed_over)
        removed += await self._storage.delete_prefix(user_storage_prefix(telegram_id))
        return AccountDeleted(deleted, handed_over, removed)
