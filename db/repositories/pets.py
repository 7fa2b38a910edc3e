from __future__ import annotations

from datetime import date, datetime
from typing import Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import AccessiblePet, Pet, PetAccess
from core.enums import AccessLevel, Sex, Species
from core.ports.repositories import EntityNotFoundError
from db.base import as_utc
from db.models import PetAccessModel, PetModel

# Strongest first; used to order listings by level without relying on string order.
_LEVEL_ORDER = sa.case(
    {AccessLevel.OWNER.value: 0, AccessLevel.CO_OWNER.value: 1},
    value=PetAccessModel.level,
    else_=2,
)

# Each kind of row apart: `sa.inspect` is typed per mapped class, not for a union.
_Row = TypeVar("_Row", PetModel, PetAccessModel)


class SqlPetRepository:
    """Pets over the request's session, each loaded once per request.

    One update asks for the same pet several times: the click handler checks access and loads
    it, then the window's getter does so again. `Session.get` would answer the second time from
    the session, but the session holds rows only weakly and the first caller kept a DTO, not
    the row. So the rows this repository loaded are kept here, and answered while the session
    still vouches for them (`_is_current`): writes through this repository change that very
    row, a rollback expires it, a deletion (this repository's, or the account's `expunge_all`)
    takes it out of the session, and each of those makes the next read query again.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._loaded: dict[int, PetModel] = {}

    async def add(
        self,
        *,
        name: str,
        species: Species,
        breed: str | None = None,
        sex: Sex = Sex.UNKNOWN,
        neutered: bool | None = None,
        birth_date: date | None = None,
        birth_date_is_approximate: bool = False,
        weight_grams: int | None = None,
        allergies: str | None = None,
        chronic_conditions: str | None = None,
    ) -> Pet:
        row = PetModel(
            name=name,
            species=species,
            breed=breed,
            sex=sex,
            neutered=neutered,
            birth_date=birth_date,
            birth_date_is_approximate=birth_date_is_approximate,
            weight_grams=weight_grams,
            allergies=allergies,
            chronic_conditions=chronic_conditions,
        )
        self._session.add(row)
        await self._session.flush()
        self._loaded[row.id] = row
        return _to_pet(row)

    async def get(self, pet_id: int) -> Pet | None:
        row = await self._row(pet_id)
        return None if row is None else _to_pet(row)

    async def list_for_user(
        self, user_id: int, *, include_archived: bool = False
    ) -> list[AccessiblePet]:
        query = (
            sa.select(PetModel, PetAccessModel.level)
            .join(PetAccessModel, PetAccessModel.pet_id == PetModel.id)
            .where(PetAccessModel.user_id == user_id)
            .order_by(PetModel.name, PetModel.id)
        )
        if not include_archived:
            query = query.where(PetModel.archived_at.is_(None))
        rows = await self._session.execute(query)
        return [AccessiblePet(pet=_to_pet(pet), level=level) for pet, level in rows]

    async def count_for_user(self, user_id: int, *, archived: bool) -> int:
        archived_at = PetModel.archived_at
        query = (
            sa.select(sa.func.count())
            .select_from(PetModel)
            .join(PetAccessModel, PetAccessModel.pet_id == PetModel.id)
            .where(PetAccessModel.user_id == user_id)
            .where(archived_at.is_not(None) if archived else archived_at.is_(None))
        )
        return int(await self._session.scalar(query) or 0)

    async def update(self, pet: Pet) -> None:
        row = await self._get(pet.id)
        row.name = pet.name
        row.species = pet.species
        row.breed = pet.breed
        row.sex = pet.sex
        row.neutered = pet.neutered
        row.birth_date = pet.birth_date
        row.birth_date_is_approximate = pet.birth_date_is_approximate
        row.weight_grams = pet.weight_grams
        row.photo_file_id = pet.photo_file_id
        row.photo_key = pet.photo_key
        row.allergies = pet.allergies
        row.chronic_conditions = pet.chronic_conditions
        row.microchip = pet.microchip
        await self._session.flush()

    async def set_archived(self, pet_id: int, archived_at: datetime | None) -> None:
        row = await self._get(pet_id)
        row.archived_at = None if archived_at is None else as_utc(archived_at)
        await self._session.flush()

    async def delete(self, pet_id: int) -> None:
        # A bulk DELETE: the database cascades to access rows, records, checks, reminders and
        # appointments without loading them.
        result = await self._session.execute(sa.delete(PetModel).where(PetModel.id == pet_id))
        self._loaded.pop(pet_id, None)
        # The database removed the pet's access rows by cascade, which the session cannot know:
        # loaded ones would still answer `SqlPetAccessRepository.get_level` with a level.
        for row in list(self._session.identity_map.values()):
            if isinstance(row, PetAccessModel) and sa.inspect(row).dict.get("pet_id") == pet_id:
                self._session.expunge(row)
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise EntityNotFoundError("pet", pet_id)

    async def _get(self, pet_id: int) -> PetModel:
        row = await self._row(pet_id)
        if row is None:
            raise EntityNotFoundError("pet", pet_id)
        return row

    async def _row(self, pet_id: int) -> PetModel | None:
        row = self._loaded.get(pet_id)
        if row is not None and _is_current(row):
            return row
        row = await self._session.get(PetModel, pet_id)
        if row is None:
            self._loaded.pop(pet_id, None)
        else:
            self._loaded[pet_id] = row
        return row


# Every pet action checks access first, so built once (a statement keeps its memoized cache
# key). The pet comes in the same statement: an access check is nearly always followed by
# reading the pet, and `Session.get` (SqlPetRepository) then finds it in the session, which
# holds rows weakly: `SqlPetAccessRepository._pets` keeps it there for the request.
_ACCESS_WITH_PET: Final = (
    sa.select(PetAccessModel, PetModel)
    .join(PetModel, PetModel.id == PetAccessModel.pet_id)
    .where(
        PetAccessModel.pet_id == sa.bindparam("pet_id"),
        PetAccessModel.user_id == sa.bindparam("user_id"),
    )
)


class SqlPetAccessRepository:
    """Access rows over the request's session, each loaded once per request.

    Every pet action checks the caller's level first, and one update often acts twice (the
    handler, then the getter). The rows looked up are kept by (user, pet) and answered while
    the session still vouches for them (`_is_current`): `grant` changes the remembered row
    itself, `revoke`'s DELETE marks it deleted in the session, a rollback expires it, and a
    deletion of the pet (`SqlPetRepository.delete`) or of the account takes it out of the
    session. Only rows found are kept: "no access" is asked again each time.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._loaded: dict[tuple[int, int], PetAccessModel] = {}
        self._pets: dict[int, PetModel] = {}

    async def grant(
        self,
        *,
        pet_id: int,
        user_id: int,
        level: AccessLevel,
        granted_by_user_id: int | None = None,
        granted_at: datetime,
    ) -> PetAccess:
        row = await self._find(pet_id, user_id)
        if row is None:
            row = PetAccessModel(pet_id=pet_id, user_id=user_id)
            self._session.add(row)
        row.level = level
        row.granted_by_user_id = granted_by_user_id
        row.granted_at = as_utc(granted_at)
        await self._session.flush()
        self._loaded[user_id, pet_id] = row
        return _to_access(row)

    async def revoke(self, *, pet_id: int, user_id: int) -> None:
        self._loaded.pop((user_id, pet_id), None)
        await self._session.execute(
            sa.delete(PetAccessModel).where(
                PetAccessModel.pet_id == pet_id, PetAccessModel.user_id == user_id
            )
        )

    async def get_level(self, user_id: int, pet_id: int) -> AccessLevel | None:
        row = await self._find(pet_id, user_id)
        return None if row is None else row.level

    async def list_for_pet(self, pet_id: int) -> list[PetAccess]:
        rows = await self._session.scalars(
            sa.select(PetAccessModel)
            .where(PetAccessModel.pet_id == pet_id)
            .order_by(_LEVEL_ORDER, PetAccessModel.granted_at, PetAccessModel.id)
        )
        return [_to_access(row) for row in rows]

    async def _find(self, pet_id: int, user_id: int) -> PetAccessModel | None:
        row = self._loaded.get((user_id, pet_id))
        if row is not None and _is_current(row):
            return row
        self._loaded.pop((user_id, pet_id), None)
        found = (
            await self._session.execute(_ACCESS_WITH_PET, {"pet_id": pet_id, "user_id": user_id})
        ).first()
        if found is None:
            return None
        row, self._pets[pet_id] = found
        self._loaded[user_id, pet_id] = row
        return row


def _is_current(row: _Row) -> bool:
    """Whether a row loaded earlier in this request still says what the database holds."""
    state = sa.inspect(row)
    # persistent: still in this session and not deleted (a bulk DELETE through a repository
    # marks loaded rows deleted; `expunge` detaches them); nothing unloaded: not expired by a
    # rollback or `expire`, which is also what keeps reading it from needing the database.
    return state.persistent and not state.unloaded


def _to_pet(row: PetModel) -> Pet:
    return Pet(
        id=row.id,
        name=row.name,
        species=row.species,
        breed=row.breed,
        sex=row.sex,
        neutered=row.neutered,
        birth_date=row.birth_date,
        birth_date_is_approximate=row.birth_date_is_approximate,
        weight_grams=row.weight_grams,
        photo_file_id=row.photo_file_id,
        photo_key=row.photo_key,
        allergies=row.allergies,
        chronic_conditions=row.chronic_conditions,
        microchip=row.microchip,
        archived_at=row.archived_at,
        created_at=row.created_at,
    )


def _to_access(row: PetAccessModel) -> PetAccess:
    return PetAccess(
        pet_id=row.pet_id,
        user_id=row.user_id,
        level=row.level,
        granted_by_user_id=row.granted_by_user_id,
        granted_at=row.granted_at,
    )
