"""The stored copy of a pet's photo, read and re-linked when Telegram refuses the file_id."""

from __future__ import annotations

import dataclasses

import pytest

from core.entities import Pet
from core.enums import AccessLevel, Species
from core.interactors.pet_files import GetPetPhotoCopy, RefreshPetPhotoFileId
from core.interactors.pets import AddPet, PetDraft
from core.pets_errors import PetNotFoundError
from tests.unit.test_pet_interactors import (
    NOW,
    OWNER_TG,
    STRANGER_TG,
    UNKNOWN_TG,
    VIEWER_TG,
    FakeAccess,
    FakePets,
    FakeUow,
    FakeUsers,
    World,
)
from tests.unit.test_record_interactors import FakeStorage

KEY = "pets/1/photo-abc.jpg"
COPY = b"\xff\xd8\xff\xe0 our sanitized copy"


@pytest.fixture
async def world() -> World:
    access = FakeAccess()
    world = World(FakeUow(), FakeUsers(), FakePets(access), access)
    for telegram_id in (OWNER_TG, VIEWER_TG, STRANGER_TG):
        await world.users.add(
            telegram_id=telegram_id, first_name=f"u{telegram_id}", username=None, language="en"
        )
    return world


async def _pet_with_copy(world: World, storage: FakeStorage) -> Pet:
    """Rex, owned by OWNER_TG and shown to a viewer, with a file_id and our stored copy."""
    draft = PetDraft(name="Rex", species=Species.DOG, photo_file_id="stale-id")
    pet: Pet = await world.make(AddPet)(OWNER_TG, draft)
    await world.access.grant(
        pet_id=pet.id,
        user_id=await world.user_id(VIEWER_TG),
        level=AccessLevel.VIEWER,
        granted_by_user_id=await world.user_id(OWNER_TG),
        granted_at=NOW,
    )
    pet = dataclasses.replace(world.pets.rows[pet.id], photo_key=KEY)
    world.pets.rows[pet.id] = pet
    await storage.put(KEY, COPY, "image/jpeg")
    return pet


def _get_copy(world: World, storage: FakeStorage) -> GetPetPhotoCopy:
    return GetPetPhotoCopy(world.users, world.pets, world.access, storage)  # type: ignore[arg-type]


def _refresh(world: World) -> RefreshPetPhotoFileId:
    return RefreshPetPhotoFileId(world.uow, world.users, world.pets, world.access)


@pytest.mark.parametrize("telegram_id", [OWNER_TG, VIEWER_TG])
async def test_anyone_who_sees_the_pet_gets_the_stored_copy(
    world: World, telegram_id: int
) -> None:
    storage = FakeStorage()
    pet = await _pet_with_copy(world, storage)
    assert await _get_copy(world, storage)(telegram_id, pet.id) == COPY


@pytest.mark.parametrize("telegram_id", [STRANGER_TG, UNKNOWN_TG])
async def test_nobody_else_gets_the_copy(world: World, telegram_id: int) -> None:
    storage = FakeStorage()
    pet = await _pet_with_copy(world, storage)
    with pytest.raises(PetNotFoundError):
        await _get_copy(world, storage)(telegram_id, pet.id)


async def test_no_copy_kept_or_a_lost_one_is_none(world: World) -> None:
    storage = FakeStorage()
    pet = await _pet_with_copy(world, storage)
    await storage.delete(KEY)
    assert await _get_copy(world, storage)(OWNER_TG, pet.id) is None
    world.pets.rows[pet.id] = dataclasses.replace(pet, photo_key=None)
    assert await _get_copy(world, storage)(OWNER_TG, pet.id) is None


async def test_the_new_file_id_replaces_the_stale_one_and_keeps_the_copy(world: World) -> None:
    storage = FakeStorage()
    pet = await _pet_with_copy(world, storage)
    commits = world.uow.commits
    assert await _refresh(world)(VIEWER_TG, pet.id, "stale-id", "fresh-id") is True
    stored = world.pets.rows[pet.id]
    assert (stored.photo_file_id, stored.photo_key) == ("fresh-id", KEY)
    assert world.uow.commits == commits + 1


async def test_a_photo_changed_meanwhile_is_not_overwritten(world: World) -> None:
    storage = FakeStorage()
    pet = await _pet_with_copy(world, storage)
    world.pets.rows[pet.id] = dataclasses.replace(pet, photo_file_id="owner-sent-a-new-one")
    commits = world.uow.commits
    assert await _refresh(world)(OWNER_TG, pet.id, "stale-id", "fresh-id") is False
    assert world.pets.rows[pet.id].photo_file_id == "owner-sent-a-new-one"
    assert world.uow.commits == commits


async def test_a_stranger_cannot_relink_the_photo(world: World) -> None:
    storage = FakeStorage()
    pet = await _pet_with_copy(world, storage)
    with pytest.raises(PetNotFoundError):
        await _refresh(world)(STRANGER_TG, pet.id, "stale-id", "fresh-id")
    assert world.pets.rows[pet.id].photo_file_id == "stale-id"
