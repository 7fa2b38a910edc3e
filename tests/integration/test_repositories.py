"""Repositories and constraints, on PostgreSQL and SQLite alike (see `db_url`)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.enums import (
    AccessLevel,
    AppointmentStatus,
    PaymentStatus,
    RecordKind,
    Role,
    Sex,
    Species,
)
from core.ports.repositories import DuplicateEntityError, EntityNotFoundError
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade_to_head_async
from db.models import (
    AppointmentModel,
    MedicalRecordModel,
    PaymentModel,
    PetAccessModel,
    SlotModel,
    UserRoleModel,
)
from db.repositories import (
    SqlClinicRepository,
    SqlMedicalRecordRepository,
    SqlPetAccessRepository,
    SqlPetRepository,
    SqlUserRepository,
    SqlVetRepository,
)
from db.uow import SqlUnitOfWork

MSK = timezone(timedelta(hours=3))
NOW = datetime(2025, 3, 30, 9, 15, 30, 123456, tzinfo=UTC)


async def _add_user(session: AsyncSession, telegram_id: int = 5_000_000_001) -> int:
    users = SqlUserRepository(session)
    user = await users.add(
        telegram_id=telegram_id, first_name="Анна", username=None, language=None
    )
    return user.id


async def _add_pet(session: AsyncSession, owner_id: int, name: str = "Барсик") -> int:
    pet = await SqlPetRepository(session).add(name=name, species=Species.CAT)
    await SqlPetAccessRepository(session).grant(
        pet_id=pet.id, user_id=owner_id, level=AccessLevel.OWNER, granted_at=NOW
    )
    return pet.id


async def _add_slot(session: AsyncSession) -> tuple[int, int, int, int]:
    """(owner user id, pet id, vet id, slot id)."""
    owner_id = await _add_user(session, 11)
    pet_id = await _add_pet(session, owner_id)
    vet_user_id = await _add_user(session, 22)
    vet = await SqlVetRepository(session).add(
        user_id=vet_user_id,
        display_name="Dr. Ivanova",
        species=frozenset({Species.CAT, Species.DOG}),
        languages=frozenset({"ru", "en"}),
        price_amount=500,
    )
    slot = SlotModel(vet_id=vet.id, starts_at=NOW, ends_at=NOW + timedelta(minutes=30))
    session.add(slot)
    await session.flush()
    return owner_id, pet_id, vet.id, slot.id


def _appointment(
    owner_id: int, pet_id: int, vet_id: int, slot_id: int, status: AppointmentStatus
) -> AppointmentModel:
    return AppointmentModel(
        slot_id=slot_id,
        vet_id=vet_id,
        owner_user_id=owner_id,
        pet_id=pet_id,
        status=status,
        price_amount=500,
        currency="XTR",
        hold_expires_at=NOW + timedelta(minutes=15),
    )


async def test_new_user_gets_defaults_and_is_found_by_telegram_id(
    db_session: AsyncSession,
) -> None:
    users = SqlUserRepository(db_session)
    added = await users.add(
        telegram_id=7_000_000_123, first_name="Анна", username="anna", language=None
    )
    db_session.expunge_all()  # read back from the database, not the identity map

    found = await users.get_by_telegram_id(7_000_000_123)

    assert found == added
    assert found.roles == frozenset({Role.OWNER})
    assert found.time_zone == "Europe/Moscow"
    assert found.language is None
    assert found.consented_at is None
    assert found.created_at.tzinfo is UTC
    assert await users.get_by_telegram_id(1) is None


async def test_language_consent_roles_and_profile_are_stored(db_session: AsyncSession) -> None:
    users = SqlUserRepository(db_session)
    user_id = await _add_user(db_session)

    await users.set_language(user_id, "en")
    await users.set_consent(user_id, datetime(2025, 1, 2, 15, 0, tzinfo=MSK))
    await users.add_role(user_id, Role.VET)
    await users.add_role(user_id, Role.VET)  # granting twice is harmless
    await users.update_profile(user_id, first_name="Anna", username="anna_k")
    await SqlUnitOfWork(db_session).commit()
    db_session.expunge_all()

    user = await users.get_by_telegram_id(5_000_000_001)
    assert user is not None
    assert user.language == "en"
    assert user.consented_at == datetime(2025, 1, 2, 12, 0, tzinfo=UTC)
    assert user.consented_at.tzinfo is UTC
    assert user.roles == frozenset({Role.OWNER, Role.VET})
    assert (user.first_name, user.username) == ("Anna", "anna_k")


async def test_duplicate_telegram_id_is_refused_and_the_transaction_survives(
    db_session: AsyncSession,
) -> None:
    users = SqlUserRepository(db_session)
    first_id = await _add_user(db_session, 42)

    with pytest.raises(DuplicateEntityError):
        await users.add(telegram_id=42, first_name="Twin", username=None, language=None)

    # The racing request re-reads the winner and carries on in the same transaction.
    winner = await users.get_by_telegram_id(42)
    assert winner is not None
    assert winner.id == first_id
    await users.set_language(first_id, "ru")


async def test_changing_a_missing_user_raises_not_found(db_session: AsyncSession) -> None:
    with pytest.raises(EntityNotFoundError):
        await SqlUserRepository(db_session).set_language(999_999, "ru")


async def test_pets_are_listed_with_the_users_access_level(db_session: AsyncSession) -> None:
    pets = SqlPetRepository(db_session)
    access = SqlPetAccessRepository(db_session)
    owner_id = await _add_user(db_session, 1)
    viewer_id = await _add_user(db_session, 2)
    cat_id = await _add_pet(db_session, owner_id, "Барсик")
    dog_id = await _add_pet(db_session, owner_id, "Артемон")
    await access.grant(
        pet_id=cat_id,
        user_id=viewer_id,
        level=AccessLevel.VIEWER,
        granted_by_user_id=owner_id,
        granted_at=NOW,
    )

    owner_pets = await pets.list_for_user(owner_id)
    viewer_pets = await pets.list_for_user(viewer_id)

    assert [(item.pet.name, item.level) for item in owner_pets] == [
        ("Артемон", AccessLevel.OWNER),
        ("Барсик", AccessLevel.OWNER),
    ]
    assert [(item.pet.id, item.level) for item in viewer_pets] == [(cat_id, AccessLevel.VIEWER)]
    assert await access.get_level(viewer_id, dog_id) is None
    assert [entry.user_id for entry in await access.list_for_pet(cat_id)] == [
        owner_id,
        viewer_id,
    ]


async def test_granting_again_replaces_the_level_and_revoke_removes_it(
    db_session: AsyncSession,
) -> None:
    access = SqlPetAccessRepository(db_session)
    owner_id = await _add_user(db_session, 1)
    friend_id = await _add_user(db_session, 2)
    pet_id = await _add_pet(db_session, owner_id)

    await access.grant(pet_id=pet_id, user_id=friend_id, level=AccessLevel.VIEWER, granted_at=NOW)
    await access.grant(
        pet_id=pet_id, user_id=friend_id, level=AccessLevel.CO_OWNER, granted_at=NOW
    )
    assert await access.get_level(friend_id, pet_id) is AccessLevel.CO_OWNER
    assert len(await access.list_for_pet(pet_id)) == 2

    await access.revoke(pet_id=pet_id, user_id=friend_id)
    await access.revoke(pet_id=pet_id, user_id=friend_id)  # nothing left: still fine
    assert await access.get_level(friend_id, pet_id) is None


async def test_pet_access_is_unique_per_pet_and_user(db_session: AsyncSession) -> None:
    owner_id = await _add_user(db_session, 1)
    pet_id = await _add_pet(db_session, owner_id)

    with pytest.raises(IntegrityError):
        async with db_session.begin_nested():
            db_session.add(
                PetAccessModel(pet_id=pet_id, user_id=owner_id, level=AccessLevel.VIEWER)
            )


async def test_pet_update_and_archive(db_session: AsyncSession) -> None:
    pets = SqlPetRepository(db_session)
    owner_id = await _add_user(db_session)
    pet_id = await _add_pet(db_session, owner_id)
    pet = await pets.get(pet_id)
    assert pet is not None
    assert (pet.sex, pet.neutered, pet.is_archived) == (Sex.UNKNOWN, None, False)

    await pets.update(
        replace(
            pet,
            breed="Сиамская",
            sex=Sex.MALE,
            neutered=True,
            birth_date=date(2020, 5, 1),
            birth_date_is_approximate=True,
            weight_grams=4200,
            allergies="курица",
        )
    )
    await pets.set_archived(pet_id, NOW)
    db_session.expunge_all()

    stored = await pets.get(pet_id)
    assert stored is not None
    assert (stored.breed, stored.sex, stored.neutered) == ("Сиамская", Sex.MALE, True)
    assert (stored.birth_date, stored.birth_date_is_approximate) == (date(2020, 5, 1), True)
    assert (stored.weight_grams, stored.allergies) == (4200, "курица")
    assert stored.archived_at == NOW
    assert await pets.list_for_user(owner_id) == []
    assert len(await pets.list_for_user(owner_id, include_archived=True)) == 1

    await pets.set_archived(pet_id, None)
    assert len(await pets.list_for_user(owner_id)) == 1


async def test_deleting_a_pet_deletes_its_card_and_access(db_session: AsyncSession) -> None:
    owner_id = await _add_user(db_session)
    pet_id = await _add_pet(db_session, owner_id)
    await SqlMedicalRecordRepository(db_session).add(
        pet_id=pet_id, kind=RecordKind.WEIGHT, title="Вес", occurred_at=NOW
    )

    await SqlPetRepository(db_session).delete(pet_id)

    # ON DELETE CASCADE: on SQLite this needs PRAGMA foreign_keys=ON from db.engine.
    remaining = await db_session.scalar(
        sa.select(sa.func.count()).where(MedicalRecordModel.pet_id == pet_id)
    )
    assert remaining == 0
    assert await SqlPetAccessRepository(db_session).get_level(owner_id, pet_id) is None
    with pytest.raises(EntityNotFoundError):
        await SqlPetRepository(db_session).delete(pet_id)


async def test_deleting_a_user_removes_their_rows_but_keeps_payments(
    db_session: AsyncSession,
) -> None:
    owner_id, pet_id, vet_id, slot_id = await _add_slot(db_session)
    appointment = _appointment(owner_id, pet_id, vet_id, slot_id, AppointmentStatus.CONFIRMED)
    db_session.add(appointment)
    await db_session.flush()
    payment = PaymentModel(
        appointment_id=appointment.id,
        user_id=owner_id,
        telegram_payment_charge_id="charge-1",
        invoice_payload="appointment:1",
        amount=500,
        currency="XTR",
        status=PaymentStatus.PAID,
        paid_at=NOW,
    )
    db_session.add(payment)
    await db_session.flush()

    await db_session.execute(sa.text("DELETE FROM users WHERE id = :id"), {"id": owner_id})
    db_session.expunge_all()

    assert (
        await db_session.scalar(
            sa.select(sa.func.count()).where(UserRoleModel.user_id == owner_id)
        )
        == 0
    )
    assert await db_session.get(AppointmentModel, appointment.id) is None
    kept = await db_session.get(PaymentModel, payment.id)
    assert kept is not None
    assert (kept.user_id, kept.appointment_id) == (None, None)
    # The pet is shared property: it stays, and the interactor decides about it.
    assert await SqlPetRepository(db_session).get(pet_id) is not None


async def test_records_filter_by_kind_and_page_newest_first(db_session: AsyncSession) -> None:
    records = SqlMedicalRecordRepository(db_session)
    owner_id = await _add_user(db_session)
    pet_id = await _add_pet(db_session, owner_id)
    kinds = [RecordKind.VACCINATION, RecordKind.WEIGHT, RecordKind.VACCINATION]
    for day, kind in enumerate(kinds):
        await records.add(
            pet_id=pet_id,
            kind=kind,
            title=f"day {day}",
            occurred_at=NOW + timedelta(days=day),
            data={"day": day, "vaccine": "Nobivac"},
            author_user_id=owner_id,
        )

    page = await records.list_for_pet(pet_id, limit=2)
    rest = await records.list_for_pet(pet_id, limit=2, offset=2)
    vaccinations = await records.list_for_pet(pet_id, kinds={RecordKind.VACCINATION})

    assert [record.title for record in page + rest] == ["day 2", "day 1", "day 0"]
    assert [record.title for record in vaccinations] == ["day 2", "day 0"]
    assert await records.count_by_kind(pet_id) == {RecordKind.VACCINATION: 2, RecordKind.WEIGHT: 1}
    everything = await records.list_for_pet(pet_id, limit=None, offset=1)
    assert [record.title for record in everything] == ["day 1", "day 0"]
    db_session.expunge_all()
    stored = await records.get(page[0].id)
    assert stored is not None
    assert stored.data == {"day": 2, "vaccine": "Nobivac"}
    assert stored.occurred_at == NOW + timedelta(days=2)

    await records.delete(stored.id)
    assert await records.get(stored.id) is None


async def test_payment_charge_id_is_unique(db_session: AsyncSession) -> None:
    def payment() -> PaymentModel:
        return PaymentModel(
            telegram_payment_charge_id="stxAbC",
            invoice_payload="appointment:7",
            amount=500,
            currency="XTR",
            status=PaymentStatus.PAID,
            paid_at=NOW,
        )

    db_session.add(payment())
    await db_session.flush()

    with pytest.raises(IntegrityError):
        async with db_session.begin_nested():
            db_session.add(payment())


async def test_a_slot_holds_one_active_appointment_and_frees_on_cancellation(
    db_session: AsyncSession,
) -> None:
    owner_id, pet_id, vet_id, slot_id = await _add_slot(db_session)
    first = _appointment(owner_id, pet_id, vet_id, slot_id, AppointmentStatus.HELD)
    db_session.add(first)
    await db_session.flush()

    for status in (AppointmentStatus.HELD, AppointmentStatus.CONFIRMED):
        with pytest.raises(IntegrityError):
            async with db_session.begin_nested():
                db_session.add(_appointment(owner_id, pet_id, vet_id, slot_id, status))

    first.status = AppointmentStatus.CANCELLED_BY_OWNER
    await db_session.flush()
    second = _appointment(owner_id, pet_id, vet_id, slot_id, AppointmentStatus.CONFIRMED)
    db_session.add(second)
    await db_session.flush()  # the cancelled row no longer occupies the slot
    assert second.id != first.id


async def test_a_vet_has_one_slot_per_start_time(db_session: AsyncSession) -> None:
    _, _, vet_id, _ = await _add_slot(db_session)

    with pytest.raises(IntegrityError):
        async with db_session.begin_nested():
            db_session.add(
                SlotModel(vet_id=vet_id, starts_at=NOW, ends_at=NOW + timedelta(minutes=60))
            )


async def test_aware_datetimes_round_trip_as_utc(db_session: AsyncSession) -> None:
    owner_id = await _add_user(db_session)
    pet_id = await _add_pet(db_session, owner_id)
    in_moscow = datetime(2025, 10, 26, 2, 30, 0, 654321, tzinfo=MSK)
    record = await SqlMedicalRecordRepository(db_session).add(
        pet_id=pet_id, kind=RecordKind.PROCEDURE, title="Чистка зубов", occurred_at=in_moscow
    )
    db_session.expunge_all()

    stored = await SqlMedicalRecordRepository(db_session).get(record.id)

    assert stored is not None
    assert stored.occurred_at == in_moscow
    assert stored.occurred_at.tzinfo is UTC
    assert stored.occurred_at.hour == 23  # 02:30 at UTC+3 is 23:30 UTC the day before
    assert stored.created_at.tzinfo is UTC
    # Comparisons in SQL use the same conversion, so they order by instant.
    later = await db_session.scalar(
        sa.select(sa.func.count()).where(
            MedicalRecordModel.pet_id == pet_id,
            MedicalRecordModel.occurred_at > datetime(2025, 10, 26, 0, 0, tzinfo=MSK),
        )
    )
    assert later == 1


async def test_naive_datetimes_are_refused(db_session: AsyncSession) -> None:
    user_id = await _add_user(db_session)
    with pytest.raises(ValueError, match="naive"):
        await SqlUserRepository(db_session).set_consent(user_id, datetime(2025, 1, 1))


async def test_vets_are_filtered_by_species_and_language(db_session: AsyncSession) -> None:
    vets = SqlVetRepository(db_session)
    _, _, vet_id, _ = await _add_slot(db_session)
    other_user = await _add_user(db_session, 33)
    await vets.add(
        user_id=other_user,
        display_name="Dr. Smith",
        species=frozenset({Species.BIRD}),
        languages=frozenset({"en"}),
        price_amount=700,
    )

    cat_vets = await vets.list_active(species=Species.CAT)
    english = await vets.list_active(language="en")

    assert [vet.id for vet in cat_vets] == [vet_id]
    assert [vet.display_name for vet in english] == ["Dr. Ivanova", "Dr. Smith"]
    assert cat_vets[0].species == frozenset({Species.CAT, Species.DOG})
    assert cat_vets[0].languages == frozenset({"ru", "en"})
    with pytest.raises(DuplicateEntityError):
        await vets.add(
            user_id=other_user,
            display_name="Again",
            species=frozenset(),
            languages=frozenset(),
            price_amount=1,
        )


async def test_clinics_are_searched_by_city_species_and_hours(db_session: AsyncSession) -> None:
    clinics = SqlClinicRepository(db_session)
    await clinics.add(name="Вет 24", city="Moscow", address="Tverskaya 1", is_24_7=True)
    await clinics.add(
        name="Exotic Vet",
        city="Moscow",
        address="Arbat 2",
        species=frozenset({Species.BIRD, Species.REPTILE}),
        latitude=55.75,
        longitude=37.59,
    )
    await clinics.add(name="Elsewhere", city="Kazan", address="Baumana 3")

    moscow = await clinics.search(city="moscow")
    for_birds = await clinics.search(city="Moscow", species=Species.BIRD)
    for_cats = await clinics.search(city="Moscow", species=Species.CAT)
    round_the_clock = await clinics.search(only_24_7=True)

    assert [clinic.name for clinic in moscow] == ["Exotic Vet", "Вет 24"]
    assert [clinic.name for clinic in for_birds] == ["Exotic Vet", "Вет 24"]
    assert [clinic.name for clinic in for_cats] == ["Вет 24"]  # unlisted species: any
    assert [clinic.name for clinic in round_the_clock] == ["Вет 24"]
    assert for_birds[0].latitude == pytest.approx(55.75)


async def test_sqlite_sessions_that_read_then_write_do_not_fail_when_concurrent(
    sqlite_url: str,
) -> None:
    # Each transaction reads, yields to the other, then writes: with deferred transactions
    # SQLite would answer one of them "database is locked" at once instead of waiting.
    await upgrade_to_head_async(sqlite_url)
    engine = create_engine(sqlite_url)
    sessions = create_session_maker(engine)
    await _seed_user(sessions)

    async def read_then_write(language: str) -> None:
        async with sessions() as session:
            users = SqlUserRepository(session)
            user = await users.get_by_telegram_id(1)
            assert user is not None
            await asyncio.sleep(0.05)
            await users.set_language(user.id, language)
            await SqlUnitOfWork(session).commit()

    try:
        await asyncio.gather(read_then_write("ru"), read_then_write("en"))
    finally:
        await engine.dispose()


async def _seed_user(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        await SqlUserRepository(session).add(
            telegram_id=1, first_name="A", username=None, language=None
        )
        await session.commit()


async def test_pets_are_counted_per_user_active_or_archived(db_session: AsyncSession) -> None:
    pets = SqlPetRepository(db_session)
    access = SqlPetAccessRepository(db_session)
    owner_id = await _add_user(db_session, 1)
    viewer_id = await _add_user(db_session, 2)
    stranger_id = await _add_user(db_session, 3)
    cat_id = await _add_pet(db_session, owner_id, "Барсик")
    await _add_pet(db_session, owner_id, "Артемон")
    gone_id = await _add_pet(db_session, owner_id, "Мурка")
    await pets.set_archived(gone_id, NOW)
    for pet_id in (cat_id, gone_id):
        await access.grant(
            pet_id=pet_id, user_id=viewer_id, level=AccessLevel.VIEWER, granted_at=NOW
        )

    counts = {
        (user_id, archived): await pets.count_for_user(user_id, archived=archived)
        for user_id in (owner_id, viewer_id, stranger_id)
        for archived in (False, True)
    }

    assert counts == {
        (owner_id, False): 2,
        (owner_id, True): 1,
        (viewer_id, False): 1,
        (viewer_id, True): 1,
        (stranger_id, False): 0,
        (stranger_id, True): 0,
    }
