"""Pets interactors on in-memory repositories: what each may do, and for whom."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import pytest

from core.entities import AccessiblePet, Pet, PetAccess, User
from core.enums import AccessLevel, Role, Sex, Species
from core.errors import UserNotFoundError
from core.interactors.pets import (
    AddPet,
    ArchivePet,
    ArchiveReason,
    DeletePet,
    EditPet,
    GetPetCard,
    ListMyPets,
    PetChanges,
    PetDraft,
    RestorePet,
)
from core.interactors.records import WeightHistory
from core.pet_input import BirthDate
from core.pets_errors import (
    PetAccessDeniedError,
    PetArchivedError,
    PetInputError,
    PetInputErrorReason,
    PetNotFoundError,
)
from core.ports.repositories import EntityNotFoundError
from tests.support.fake_records import FakeRecords

NOW = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)
OWNER_TG, COOWNER_TG, VIEWER_TG, STRANGER_TG, UNKNOWN_TG = 100, 200, 300, 400, 999


class FixedClock:
    def now(self) -> datetime:
        return NOW


class FakeUow:
    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        self.rollbacks += 1


class FakeUsers:
    def __init__(self) -> None:
        self.rows: dict[int, User] = {}

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return next((u for u in self.rows.values() if u.telegram_id == telegram_id), None)

    async def get(self, user_id: int) -> User | None:
        return self.rows.get(user_id)

    async def add(
        self,
        *,
        telegram_id: int,
        first_name: str,
        username: str | None,
        language: str | None,
        roles: frozenset[Role] = frozenset({Role.OWNER}),
    ) -> User:
        user = User(
            id=len(self.rows) + 1,
            telegram_id=telegram_id,
            first_name=first_name,
            username=username,
            language=language,
            time_zone="Europe/Moscow",
            roles=roles,
            consented_at=NOW,
            created_at=NOW,
        )
        self.rows[user.id] = user
        return user

    async def update_profile(self, user_id: int, *, first_name: str, username: str | None) -> None:
        raise NotImplementedError

    async def set_language(self, user_id: int, language: str) -> None:
        raise NotImplementedError

    async def set_consent(self, user_id: int, consented_at: datetime) -> None:
        raise NotImplementedError

    async def add_role(self, user_id: int, role: Role) -> None:
        raise NotImplementedError

    async def remove_role(self, user_id: int, role: Role) -> None:
        raise NotImplementedError

    async def list_with_role(self, role: Role) -> list[User]:
        raise NotImplementedError

    async def mark_bot_blocked(self, telegram_id: int, blocked_at: datetime) -> bool:
        raise NotImplementedError

    async def clear_bot_blocked(self, user_id: int) -> None:
        raise NotImplementedError

    async def is_bot_blocked(self, telegram_id: int) -> bool:
        raise NotImplementedError


class FakePets:
    def __init__(self, access: FakeAccess) -> None:
        self.rows: dict[int, Pet] = {}
        self._access = access

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
        pet = Pet(
            id=len(self.rows) + 1,
            name=name,
            species=species,
            breed=breed,
            sex=sex,
            neutered=neutered,
            birth_date=birth_date,
            birth_date_is_approximate=birth_date_is_approximate,
            weight_grams=weight_grams,
            photo_file_id=None,
            photo_key=None,
            allergies=allergies,
            chronic_conditions=chronic_conditions,
            archived_at=None,
            created_at=NOW,
        )
        self.rows[pet.id] = pet
        return pet

    async def get(self, pet_id: int) -> Pet | None:
        return self.rows.get(pet_id)

    async def list_for_user(
        self, user_id: int, *, include_archived: bool = False
    ) -> list[AccessiblePet]:
        found = [
            AccessiblePet(pet=self.rows[a.pet_id], level=a.level)
            for a in self._access.rows
            if a.user_id == user_id and a.pet_id in self.rows
        ]
        if not include_archived:
            found = [item for item in found if not item.pet.is_archived]
        return sorted(found, key=lambda item: (item.pet.name, item.pet.id))

    async def count_for_user(self, user_id: int, *, archived: bool) -> int:
        listed = await self.list_for_user(user_id, include_archived=True)
        return sum(item.pet.is_archived == archived for item in listed)

    async def update(self, pet: Pet) -> None:
        stored = self._get(pet.id)
        self.rows[pet.id] = dataclasses.replace(
            pet, archived_at=stored.archived_at, created_at=stored.created_at
        )

    async def set_archived(self, pet_id: int, archived_at: datetime | None) -> None:
        self.rows[pet_id] = dataclasses.replace(self._get(pet_id), archived_at=archived_at)

    async def delete(self, pet_id: int) -> None:
        self._get(pet_id)
        del self.rows[pet_id]
        self._access.rows = [a for a in self._access.rows if a.pet_id != pet_id]

    def _get(self, pet_id: int) -> Pet:
        if pet_id not in self.rows:
            raise EntityNotFoundError("pet", pet_id)
        return self.rows[pet_id]


class FakeAccess:
    def __init__(self) -> None:
        self.rows: list[PetAccess] = []

    async def grant(
        self,
        *,
        pet_id: int,
        user_id: int,
        level: AccessLevel,
        granted_by_user_id: int | None = None,
        granted_at: datetime,
    ) -> PetAccess:
        await self.revoke(pet_id=pet_id, user_id=user_id)
        access = PetAccess(pet_id, user_id, level, granted_by_user_id, granted_at)
        self.rows.append(access)
        return access

    async def revoke(self, *, pet_id: int, user_id: int) -> None:
        self.rows = [a for a in self.rows if (a.pet_id, a.user_id) != (pet_id, user_id)]

    async def get_level(self, user_id: int, pet_id: int) -> AccessLevel | None:
        return next(
            (a.level for a in self.rows if (a.pet_id, a.user_id) == (pet_id, user_id)), None
        )

    async def list_for_pet(self, pet_id: int) -> list[PetAccess]:
        return [a for a in self.rows if a.pet_id == pet_id]


class NoFiles:
    """Records, checks and storage for pets that have no files: deletion finds nothing."""

    def __init__(self) -> None:
        self.deleted_prefixes: list[str] = []

    async def list_for_pet(self, pet_id: int, **_: Any) -> list[Any]:
        return []

    async def delete(self, key: str) -> None:
        raise AssertionError(f"no file should be deleted, got {key}")

    async def delete_prefix(self, prefix: str) -> int:
        self.deleted_prefixes.append(prefix)
        return 0


@dataclasses.dataclass
class World:
    uow: FakeUow
    users: FakeUsers
    pets: FakePets
    access: FakeAccess
    records: FakeRecords = dataclasses.field(default_factory=FakeRecords)

    def make(self, interactor: type[Any]) -> Any:
        if interactor in (ListMyPets, GetPetCard):
            return interactor(self.users, self.pets, self.access)
        if interactor is RestorePet:
            return interactor(self.uow, self.users, self.pets, self.access)
        if interactor is DeletePet:
            files = NoFiles()
            return interactor(self.uow, self.users, self.pets, self.access, files, files, files)
        if interactor in (AddPet, EditPet):
            return interactor(
                self.uow, self.users, self.pets, self.access, self.records, FixedClock()
            )
        return interactor(self.uow, self.users, self.pets, self.access, FixedClock())

    async def user_id(self, telegram_id: int) -> int:
        user = await self.users.get_by_telegram_id(telegram_id)
        assert user is not None
        return user.id


@pytest.fixture
async def world() -> World:
    access = FakeAccess()
    world = World(FakeUow(), FakeUsers(), FakePets(access), access)
    for telegram_id in (OWNER_TG, COOWNER_TG, VIEWER_TG, STRANGER_TG):
        await world.users.add(
            telegram_id=telegram_id, first_name=f"u{telegram_id}", username=None, language="ru"
        )
    return world


async def _shared_pet(world: World, **draft: Any) -> Pet:
    """Барсик, owned by OWNER_TG, shared with a co-owner and a viewer."""
    values: dict[str, Any] = {"name": "Барсик", "species": Species.CAT, **draft}
    pet: Pet = await world.make(AddPet)(OWNER_TG, PetDraft(**values))
    owner = await world.user_id(OWNER_TG)
    for telegram_id, level in (
        (COOWNER_TG, AccessLevel.CO_OWNER),
        (VIEWER_TG, AccessLevel.VIEWER),
    ):
        await world.access.grant(
            pet_id=pet.id,
            user_id=await world.user_id(telegram_id),
            level=level,
            granted_by_user_id=owner,
            granted_at=NOW,
        )
    return pet


async def test_adding_a_pet_makes_the_creator_its_owner_in_one_commit(world: World) -> None:
    draft = PetDraft(
        name="Барсик",
        species=Species.CAT,
        breed="Мейн-кун",
        sex=Sex.MALE,
        neutered=True,
        birth=BirthDate(date(2022, 6, 15), approximate=True),
        weight_grams=6500,
        photo_file_id="photo-big",
    )
    pet = await world.make(AddPet)(OWNER_TG, draft)

    assert world.uow.commits == 1
    stored = world.pets.rows[pet.id]
    assert (stored.name, stored.species, stored.breed, stored.sex) == (
        "Барсик",
        Species.CAT,
        "Мейн-кун",
        Sex.MALE,
    )
    assert stored.neutered is True
    assert (stored.birth_date, stored.birth_date_is_approximate) == (date(2022, 6, 15), True)
    assert (stored.weight_grams, stored.photo_file_id) == (6500, "photo-big")
    [access] = world.access.rows
    owner = await world.user_id(OWNER_TG)
    assert (access.user_id, access.level, access.granted_by_user_id) == (
        owner,
        AccessLevel.OWNER,
        owner,
    )


async def test_adding_refuses_values_the_dialog_would_refuse(world: World) -> None:
    add = world.make(AddPet)
    with pytest.raises(PetInputError) as caught:
        await add(OWNER_TG, PetDraft(name="  ", species=Species.DOG))
    assert caught.value.reason is PetInputErrorReason.NAME_EMPTY
    with pytest.raises(PetInputError) as caught:
        await add(OWNER_TG, PetDraft(name="Кеша", species=Species.BIRD, weight_grams=45_000))
    assert caught.value.reason is PetInputErrorReason.WEIGHT_TOO_HIGH
    future = BirthDate(date(2030, 1, 1), approximate=False)
    with pytest.raises(PetInputError):
        await add(OWNER_TG, PetDraft(name="Кеша", species=Species.BIRD, birth=future))
    assert world.pets.rows == {}
    assert world.uow.commits == 0


async def test_an_unknown_user_cannot_add_a_pet(world: World) -> None:
    with pytest.raises(UserNotFoundError):
        await world.make(AddPet)(UNKNOWN_TG, PetDraft(name="Бим", species=Species.DOG))


async def test_the_list_holds_own_and_shared_pets_and_archived_ones_apart(world: World) -> None:
    barsik = await _shared_pet(world)
    add = world.make(AddPet)
    await add(COOWNER_TG, PetDraft(name="Альма", species=Species.DOG))
    old = await add(OWNER_TG, PetDraft(name="Чарли", species=Species.DOG))
    await world.make(ArchivePet)(OWNER_TG, old.id, ArchiveReason.DECEASED)

    list_pets = world.make(ListMyPets)
    mine = await list_pets(OWNER_TG)
    assert [(item.pet.name, item.level) for item in mine] == [("Барсик", AccessLevel.OWNER)]
    shared = await list_pets(COOWNER_TG)
    assert [(item.pet.name, item.level) for item in shared] == [
        ("Альма", AccessLevel.OWNER),
        ("Барсик", AccessLevel.CO_OWNER),
    ]
    archived = await list_pets(OWNER_TG, archived=True)
    assert [item.pet.name for item in archived] == ["Чарли"]
    assert await list_pets(STRANGER_TG) == []
    assert barsik.id != old.id


async def test_the_card_comes_with_the_callers_access_level(world: World) -> None:
    pet = await _shared_pet(world)
    get_card = world.make(GetPetCard)
    assert (await get_card(OWNER_TG, pet.id)).level is AccessLevel.OWNER
    assert (await get_card(VIEWER_TG, pet.id)).level is AccessLevel.VIEWER


async def test_someone_elses_pet_reads_exactly_like_a_missing_one(world: World) -> None:
    pet = await _shared_pet(world)
    get_card = world.make(GetPetCard)
    with pytest.raises(PetNotFoundError) as hidden:
        await get_card(STRANGER_TG, pet.id)
    with pytest.raises(PetNotFoundError) as missing:
        await get_card(STRANGER_TG, 12345)
    assert type(hidden.value) is type(missing.value)
    assert str(hidden.value) == str(missing.value).replace("12345", str(pet.id))


@pytest.mark.parametrize(
    "call",
    [
        lambda w, pet_id: w.make(EditPet)(STRANGER_TG, pet_id, PetChanges(name="Мой")),
        lambda w, pet_id: w.make(ArchivePet)(STRANGER_TG, pet_id, ArchiveReason.REHOMED),
        lambda w, pet_id: w.make(RestorePet)(STRANGER_TG, pet_id),
        lambda w, pet_id: w.make(DeletePet)(STRANGER_TG, pet_id),
    ],
    ids=["edit", "archive", "restore", "delete"],
)
async def test_no_action_reaches_a_pet_without_access(world: World, call: Any) -> None:
    pet = await _shared_pet(world)
    commits = world.uow.commits
    with pytest.raises(PetNotFoundError):
        await call(world, pet.id)
    assert world.pets.rows[pet.id] == pet
    assert world.uow.commits == commits


async def test_owner_and_co_owner_edit_fields_and_only_the_changed_ones(world: World) -> None:
    pet = await _shared_pet(world, weight_grams=4000, breed="Сфинкс")
    edit = world.make(EditPet)
    await edit(OWNER_TG, pet.id, PetChanges(name="Барсик Второй"))
    await edit(COOWNER_TG, pet.id, PetChanges(weight_grams=4500, breed=None))
    await edit(COOWNER_TG, pet.id, PetChanges(birth=BirthDate(date(2020, 1, 2), False)))
    stored = world.pets.rows[pet.id]
    assert stored.name == "Барсик Второй"
    assert stored.weight_grams == 4500
    assert stored.breed is None
    assert (stored.birth_date, stored.birth_date_is_approximate) == (date(2020, 1, 2), False)
    assert stored.species is Species.CAT


async def test_a_viewer_cannot_edit_archive_or_delete(world: World) -> None:
    pet = await _shared_pet(world)
    with pytest.raises(PetAccessDeniedError):
        await world.make(EditPet)(VIEWER_TG, pet.id, PetChanges(name="Мой"))
    with pytest.raises(PetAccessDeniedError):
        await world.make(ArchivePet)(VIEWER_TG, pet.id, ArchiveReason.DECEASED)
    with pytest.raises(PetAccessDeniedError) as caught:
        await world.make(DeletePet)(VIEWER_TG, pet.id)
    assert caught.value.action == "delete"
    assert world.pets.rows[pet.id] == pet


async def test_only_the_owner_deletes(world: World) -> None:
    pet = await _shared_pet(world)
    with pytest.raises(PetAccessDeniedError):
        await world.make(DeletePet)(COOWNER_TG, pet.id)
    await world.make(DeletePet)(OWNER_TG, pet.id)
    assert world.pets.rows == {}
    assert world.access.rows == []
    with pytest.raises(PetNotFoundError):
        await world.make(GetPetCard)(OWNER_TG, pet.id)


async def test_editing_checks_the_new_weight_against_the_stored_species(world: World) -> None:
    pet = await _shared_pet(world)
    with pytest.raises(PetInputError) as caught:
        await world.make(EditPet)(OWNER_TG, pet.id, PetChanges(weight_grams=45_000))
    assert caught.value.reason is PetInputErrorReason.WEIGHT_TOO_HIGH
    assert world.pets.rows[pet.id].weight_grams is None


async def test_the_archive_is_counted_for_the_list_button(world: World) -> None:
    pet = await _shared_pet(world)
    await world.make(AddPet)(OWNER_TG, PetDraft(name="Бим", species=Species.DOG))
    await world.make(ArchivePet)(OWNER_TG, pet.id, ArchiveReason.REHOMED)
    count = world.make(ListMyPets).count
    assert (await count(OWNER_TG), await count(OWNER_TG, archived=True)) == (1, 1)
    assert (await count(VIEWER_TG), await count(VIEWER_TG, archived=True)) == (0, 1)
    assert await count(STRANGER_TG, archived=True) == 0


async def test_the_profile_weight_and_its_edits_are_points_of_the_weight_trend(
    world: World,
) -> None:
    pet = await _shared_pet(world, weight_grams=4000)
    edit = world.make(EditPet)
    await edit(COOWNER_TG, pet.id, PetChanges(weight_grams=4300))
    await edit(OWNER_TG, pet.id, PetChanges(weight_grams=4300))  # the same again: no new point
    await edit(OWNER_TG, pet.id, PetChanges(name="Барс"))  # no weight change: no point
    await edit(OWNER_TG, pet.id, PetChanges(weight_grams=None))  # cleared: nothing to plot
    trend = await WeightHistory(world.users, world.pets, world.access, world.records)(
        VIEWER_TG, pet.id
    )
    # Dated the owner's today (12:00 UTC is 15:00 in Moscow, the default zone).
    assert [(p.measured_on, p.grams, p.change_grams) for p in trend.points] == [
        (date(2025, 6, 15), 4000, None),
        (date(2025, 6, 15), 4300, 300),
    ]
    authors = {r.author_user_id for r in world.records.rows.values()}
    assert authors == {await world.user_id(OWNER_TG), await world.user_id(COOWNER_TG)}


async def test_a_new_photo_replaces_our_stored_copy(world: World) -> None:
    pet = await _shared_pet(world)
    world.pets.rows[pet.id] = dataclasses.replace(pet, photo_file_id="old", photo_key="k/old")
    await world.make(EditPet)(OWNER_TG, pet.id, PetChanges(photo_file_id="new"))
    stored = world.pets.rows[pet.id]
    assert (stored.photo_file_id, stored.photo_key) == ("new", None)


async def test_archiving_keeps_the_card_and_restoring_brings_it_back(world: World) -> None:
    pet = await _shared_pet(world)
    archived = await world.make(ArchivePet)(COOWNER_TG, pet.id, ArchiveReason.DECEASED)
    assert archived.archived_at == NOW
    assert world.pets.rows[pet.id].archived_at == NOW
    # A stale second press changes nothing.
    commits = world.uow.commits
    await world.make(ArchivePet)(OWNER_TG, pet.id, ArchiveReason.REHOMED)
    assert world.uow.commits == commits

    with pytest.raises(PetArchivedError):
        await world.make(EditPet)(OWNER_TG, pet.id, PetChanges(name="Мурзик"))
    assert (await world.make(GetPetCard)(VIEWER_TG, pet.id)).pet.is_archived

    restored = await world.make(RestorePet)(OWNER_TG, pet.id)
    assert restored.archived_at is None
    assert [item.pet.id for item in await world.make(ListMyPets)(OWNER_TG)] == [pet.id]
