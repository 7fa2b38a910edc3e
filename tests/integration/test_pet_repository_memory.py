"""The pet and access repositories load each pet and level once per request, on both backends.

The card's click handler and its getter both check the caller's level and load the pet; the
second time must cost nothing, and must never answer what a write, a rollback or a deletion in
the same request has made untrue.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.enums import AccessLevel, Species
from db.repositories import SqlPetAccessRepository, SqlPetRepository, SqlUserRepository
from db.repositories.account import SqlAccountDataRepository
from tests.support.statements import record_statements

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@dataclasses.dataclass(frozen=True)
class Shared:
    """A pet with its owner and a viewer, committed: what an earlier request left behind."""

    pet_id: int
    owner_id: int
    viewer_id: int


async def _shared_pet(session: AsyncSession, telegram_id: int) -> Shared:
    users = SqlUserRepository(session)
    owner = await users.add(telegram_id=telegram_id, first_name="", username=None, language=None)
    viewer = await users.add(
        telegram_id=telegram_id + 1, first_name="", username=None, language=None
    )
    pet = await SqlPetRepository(session).add(name="Barsik", species=Species.CAT)
    access = SqlPetAccessRepository(session)
    for user_id, level in ((owner.id, AccessLevel.OWNER), (viewer.id, AccessLevel.VIEWER)):
        await access.grant(pet_id=pet.id, user_id=user_id, level=level, granted_at=NOW)
    await session.commit()
    # Nothing of this request may stay behind for the next one's repositories to find.
    session.expunge_all()
    return Shared(pet.id, owner.id, viewer.id)


async def test_a_second_lookup_in_one_request_sends_no_statement(
    db_session: AsyncSession, db_engine: AsyncEngine
) -> None:
    shared = await _shared_pet(db_session, 71_001)
    pets, access = SqlPetRepository(db_session), SqlPetAccessRepository(db_session)
    with record_statements(db_engine) as log:
        level = await access.get_level(shared.owner_id, shared.pet_id)
        pet = await pets.get(shared.pet_id)
        loaded = len(log)
        # What the card's getter does after the click handler, in the same update.
        level_again = await access.get_level(shared.owner_id, shared.pet_id)
        pet_again = await pets.get(shared.pet_id)
    assert loaded >= 2, log.show()  # the level, then the pet
    assert len(log) == loaded, log.show()
    assert level == level_again == AccessLevel.OWNER
    assert pet is not None
    assert pet == pet_again


async def test_a_read_after_a_write_in_the_same_request_sees_the_write(
    db_session: AsyncSession,
) -> None:
    shared = await _shared_pet(db_session, 71_011)
    pets, access = SqlPetRepository(db_session), SqlPetAccessRepository(db_session)
    pet = await pets.get(shared.pet_id)
    assert pet is not None
    assert await access.get_level(shared.viewer_id, shared.pet_id) is AccessLevel.VIEWER

    await pets.update(dataclasses.replace(pet, name="Murzik", weight_grams=4_100))
    await pets.set_archived(shared.pet_id, NOW)
    await access.grant(
        pet_id=shared.pet_id, user_id=shared.viewer_id, level=AccessLevel.CO_OWNER, granted_at=NOW
    )

    seen = await pets.get(shared.pet_id)
    assert seen is not None
    assert (seen.name, seen.weight_grams, seen.archived_at) == ("Murzik", 4_100, NOW)
    assert await access.get_level(shared.viewer_id, shared.pet_id) is AccessLevel.CO_OWNER

    await pets.set_archived(shared.pet_id, None)
    await access.revoke(pet_id=shared.pet_id, user_id=shared.viewer_id)
    seen = await pets.get(shared.pet_id)
    assert seen is not None
    assert seen.archived_at is None
    assert await access.get_level(shared.viewer_id, shared.pet_id) is None


async def test_after_a_rollback_the_next_read_asks_the_database(
    db_session: AsyncSession, db_engine: AsyncEngine
) -> None:
    shared = await _shared_pet(db_session, 71_021)
    pets, access = SqlPetRepository(db_session), SqlPetAccessRepository(db_session)
    pet = await pets.get(shared.pet_id)
    assert pet is not None
    await pets.update(dataclasses.replace(pet, name="Murzik"))
    await access.grant(
        pet_id=shared.pet_id, user_id=shared.viewer_id, level=AccessLevel.CO_OWNER, granted_at=NOW
    )
    await db_session.rollback()

    with record_statements(db_engine) as log:
        seen = await pets.get(shared.pet_id)
        level = await access.get_level(shared.viewer_id, shared.pet_id)
    assert len(log) >= 2, log.show()
    assert seen is not None
    assert seen.name == "Barsik"
    assert level is AccessLevel.VIEWER


async def test_a_pet_created_then_rolled_back_is_not_remembered(
    db_session: AsyncSession,
) -> None:
    shared = await _shared_pet(db_session, 71_031)
    pets, access = SqlPetRepository(db_session), SqlPetAccessRepository(db_session)
    pet = await pets.add(name="Tuzik", species=Species.DOG)
    await access.grant(
        pet_id=pet.id, user_id=shared.owner_id, level=AccessLevel.OWNER, granted_at=NOW
    )
    assert await pets.get(pet.id) is not None
    assert await access.get_level(shared.owner_id, pet.id) is AccessLevel.OWNER
    await db_session.rollback()

    assert await pets.get(pet.id) is None
    assert await access.get_level(shared.owner_id, pet.id) is None


async def test_a_deleted_pet_is_not_answered_from_memory(db_session: AsyncSession) -> None:
    shared = await _shared_pet(db_session, 71_041)
    pets, access = SqlPetRepository(db_session), SqlPetAccessRepository(db_session)
    assert await pets.get(shared.pet_id) is not None
    assert await access.get_level(shared.owner_id, shared.pet_id) is AccessLevel.OWNER
    assert await access.get_level(shared.viewer_id, shared.pet_id) is AccessLevel.VIEWER

    await pets.delete(shared.pet_id)

    assert await pets.get(shared.pet_id) is None
    # The access rows went by the database's cascade, not through the access repository.
    assert await access.get_level(shared.owner_id, shared.pet_id) is None
    assert await access.get_level(shared.viewer_id, shared.pet_id) is None


async def test_a_revoked_access_is_not_answered_from_memory(db_session: AsyncSession) -> None:
    shared = await _shared_pet(db_session, 71_051)
    remembering = SqlPetAccessRepository(db_session)
    assert await remembering.get_level(shared.viewer_id, shared.pet_id) is AccessLevel.VIEWER

    # Another repository over the same session (another interactor of the same request).
    await SqlPetAccessRepository(db_session).revoke(pet_id=shared.pet_id, user_id=shared.viewer_id)

    assert await remembering.get_level(shared.viewer_id, shared.pet_id) is None
    assert await remembering.get_level(shared.owner_id, shared.pet_id) is AccessLevel.OWNER


async def test_a_deleted_account_leaves_no_level_in_memory(db_session: AsyncSession) -> None:
    shared = await _shared_pet(db_session, 71_061)
    pets, access = SqlPetRepository(db_session), SqlPetAccessRepository(db_session)
    assert await access.get_level(shared.viewer_id, shared.pet_id) is AccessLevel.VIEWER
    assert await pets.get(shared.pet_id) is not None

    await SqlAccountDataRepository(db_session).delete_user(shared.viewer_id)

    assert await access.get_level(shared.viewer_id, shared.pet_id) is None
    # The pet itself is the owner's and stays, read again from the database.
    assert await access.get_level(shared.owner_id, shared.pet_id) is AccessLevel.OWNER
    assert await pets.get(shared.pet_id) is not None
