"""/delete_me on PostgreSQL and SQLite: nothing of the user is left, shared pets stay.

The user owns a pet alone (deleted, with a sitter's check photos too), owns a pet with a
co-owner (handed over), co-owns someone else's pet (stays), has checks, records, invites, a
reminder, an appointment and a payment, and files in the storage. After the two confirmations
every table is scanned for their id and Telegram id, and every storage key for their files.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.enums import (
    AccessLevel,
    AppointmentStatus,
    PaymentStatus,
    RecordKind,
    ReminderKind,
    Species,
)
from core.interactors.onboarding import RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.sharing import AcceptInvite, CreateInvite, invite_token_from_payload
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    UserRepository,
)
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from db.migrate import upgrade_to_head_async
from db.models import (
    AppointmentModel,
    Base,
    PaymentModel,
    PetModel,
    ReminderModel,
    SlotModel,
    UserModel,
    VetModel,
)
from tests.integration.conftest import PostgresServer
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat

SITTER_ID, PARTNER_ID, FRIEND_ID, VET_ID = 6262, 7272, 8282, 9292
NOW = datetime.now(UTC)
USERS_ID = Base.metadata.tables["users"].c.id


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(
    params=[pytest.param("postgresql", marks=pytest.mark.postgres), pytest.param("sqlite")]
)
def postgres(request: pytest.FixtureRequest) -> PostgresServer | None:
    # Resolved in a plain fixture: an async one cannot request another lazily.
    if request.param == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server


@pytest.fixture
async def backend(postgres: PostgresServer | None, settings: Settings, tmp_path: Path) -> Settings:
    """The SQLite settings of every test, or a fresh migrated PostgreSQL database."""
    if postgres is None:
        return settings
    url = await postgres.create_database()
    await upgrade_to_head_async(url)
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=url,
        storage_url=f"file://{tmp_path / 'files'}",
    )


@pytest.fixture
async def chat(backend: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(backend) as opened:
        yield opened


@dataclass
class World:
    me: int  # the deleting user's internal id
    alone: int  # pet ids
    family: int
    friends: int
    partner: int  # the co-owner who inherits "family"
    kept_files: set[str]


async def _user_id(request: object, telegram_id: int) -> int:
    users = await request.get(UserRepository)  # type: ignore[attr-defined]
    user = await users.get_by_telegram_id(telegram_id)
    assert user is not None
    return int(user.id)


async def _seed(chat: Chatting) -> World:
    async with chat.container() as request:
        register = await request.get(RegisterUser)
        for telegram_id in (SITTER_ID, PARTNER_ID, FRIEND_ID, VET_ID):
            await register(TelegramProfile(telegram_id, f"User_{telegram_id}", None, "en"))
        me = await _user_id(request, USER_ID)
        ids = {tg: await _user_id(request, tg) for tg in (SITTER_ID, PARTNER_ID, FRIEND_ID)}
        add_pet = await request.get(AddPet)
        access = await request.get(PetAccessRepository)
        pets = await request.get(PetRepository)
        records = await request.get(MedicalRecordRepository)
        checks = await request.get(SymptomCheckRepository)
        storage = await request.get(BlobStorage)
        uow = await request.get(UnitOfWork)
        create_invite = await request.get(CreateInvite)
        accept_invite = await request.get(AcceptInvite)

        alone = await add_pet(USER_ID, PetDraft(name="Alone", species=Species.CAT))
        family = await add_pet(USER_ID, PetDraft(name="Family", species=Species.DOG))
        friends = await add_pet(FRIEND_ID, PetDraft(name="Friends", species=Species.BIRD))
        grants = [
            (alone.id, ids[SITTER_ID], AccessLevel.VIEWER),
            (family.id, ids[PARTNER_ID], AccessLevel.CO_OWNER),
            (friends.id, me, AccessLevel.CO_OWNER),
        ]
        for pet_id, user_id, level in grants:
            await access.grant(
                pet_id=pet_id, user_id=user_id, level=level, granted_by_user_id=me, granted_at=NOW
            )
        photo_key = f"pets/{alone.id}/photo.jpg"
        stored = await pets.get(alone.id)
        assert stored is not None
        await pets.update(replace(stored, photo_key=photo_key))
        attachment = f"pets/{alone.id}/records/passport.pdf"
        await records.add(
            pet_id=alone.id,
            kind=RecordKind.VACCINATION,
            title="Rabies",
            occurred_at=NOW,
            author_user_id=me,
            attachment_key=attachment,
            attachment_content_type="application/pdf",
        )
        # On a pet that stays: the record stays too (the card is the pet's), without its author.
        kept_record = await records.add(
            pet_id=friends.id,
            kind=RecordKind.WEIGHT,
            title="35 g",
            occurred_at=NOW,
            author_user_id=me,
        )

        files = {
            photo_key,
            attachment,
            f"users/tg-{USER_ID}/exports/old.json",
        }
        # Check photos live under whoever took them: the sitter's on "Alone" must go with the
        # pet; mine on "Family" go with my folder; the partner's on "Family" stay.
        for telegram_id, user_id, pet_id in (
            (SITTER_ID, ids[SITTER_ID], alone.id),
            (USER_ID, me, family.id),
            (PARTNER_ID, ids[PARTNER_ID], family.id),
        ):
            check = await checks.add(
                pet_id=pet_id,
                user_id=user_id,
                answers={"area": "eyes"},
                idempotency_key=None,
                submitted_at=NOW,
            )
            key = f"users/tg-{telegram_id}/checks/{check.id}.jpg"
            await checks.add_photo(
                check.id,
                position=0,
                storage_key=key,
                content_type="image/jpeg",
                size_bytes=3,
                telegram_file_id=None,
            )
            files.add(key)
            if telegram_id == PARTNER_ID:
                partners_photo = key
        # Another user whose Telegram id starts with mine: the prefix must not reach them.
        kept_files = {partners_photo, f"users/tg-{USER_ID}7/other.jpg"}
        files |= kept_files
        for key in files:
            await storage.put(key, b"\xff\xd8\xff", "image/jpeg")
        await uow.commit()

        # Invites: mine on two pets, and the friend's one that I used.
        await create_invite(USER_ID, alone.id, AccessLevel.VIEWER)
        await create_invite(USER_ID, family.id, AccessLevel.CO_OWNER)
        issued = await create_invite(FRIEND_ID, friends.id, AccessLevel.VIEWER)
        await accept_invite(USER_ID, invite_token_from_payload(issued.start_payload) or "")

        session = await request.get(AsyncSession)
        vet_user = await _user_id(request, VET_ID)
        vet = VetModel(user_id=vet_user, display_name="Dr. Vet", price_amount=100)
        session.add(vet)
        await session.flush()
        slot = SlotModel(vet_id=vet.id, starts_at=NOW, ends_at=NOW + timedelta(minutes=30))
        session.add(slot)
        await session.flush()
        appointment = AppointmentModel(
            slot_id=slot.id,
            vet_id=vet.id,
            owner_user_id=me,
            pet_id=friends.id,
            status=AppointmentStatus.CONFIRMED,
            price_amount=100,
            currency="XTR",
        )
        session.add(appointment)
        await session.flush()
        session.add(
            PaymentModel(
                appointment_id=appointment.id,
                user_id=me,
                telegram_payment_charge_id=f"charge-{USER_ID}",
                invoice_payload=f"appointment:{appointment.id}",
                amount=100,
                currency="XTR",
                status=PaymentStatus.PAID,
                paid_at=NOW,
            )
        )
        session.add(
            ReminderModel(user_id=me, pet_id=family.id, kind=ReminderKind.CUSTOM, due_at=NOW)
        )
        await uow.commit()
        assert kept_record.author_user_id == me
        return World(me, alone.id, family.id, friends.id, ids[PARTNER_ID], kept_files)


async def _onboard(chat: Chatting) -> None:
    await chat.send("/start")
    await chat.click("🇬🇧 English")
    await chat.click("Continue ▶️")
    await chat.click("✅ I agree")


async def _rows_pointing_at(session: AsyncSession, user_id: int, telegram_id: int) -> list[str]:
    """Every row of every table that still names the user, as "table.column"."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            refers = any(fk.column is USERS_ID for fk in column.foreign_keys)
            if column is USERS_ID or refers:
                value = user_id
            elif table.name == "users" and column.name == "telegram_id":
                value = telegram_id
            else:
                continue
            count = await session.scalar(
                sa.select(sa.func.count()).select_from(table).where(column == value)
            )
            if count:
                found.append(f"{table.name}.{column.name}")
    return found


async def test_deleting_the_account_leaves_nothing_of_the_user(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _onboard(chat)
    world = await _seed(chat)
    async with chat.container() as request:
        session = await request.get(AsyncSession)
        before = await _rows_pointing_at(session, world.me, USER_ID)
    assert {"users.id", "pet_access.user_id", "symptom_checks.user_id", "payments.user_id"} <= set(
        before
    )

    await chat.send("/delete_me")
    warning = chat.window().text or ""
    assert texts.get("lbl-delete-pets-deleted", "en", pets_deleted="Alone") in warning
    assert texts.get("lbl-delete-pets-handed-over", "en", pets_handed_over="Family") in warning
    assert texts.get("lbl-delete-pets-kept", "en", pets_kept="Friends") in warning
    await chat.click("Continue ▶️")
    assert (chat.window().text or "") == texts.get("msg-delete-confirm", "en")
    chat.session.reset()
    await chat.click("🗑 Yes, delete everything")
    assert chat.session.sent_texts() == [texts.get("msg-account-deleted", "en")]

    async with chat.container() as request:
        session = await request.get(AsyncSession)
        assert await _rows_pointing_at(session, world.me, USER_ID) == []
        assert (
            await session.scalar(sa.select(UserModel).where(UserModel.telegram_id == USER_ID))
            is None
        )
        pets = set(await session.scalars(sa.select(PetModel.id)))
        assert world.alone not in pets
        assert {world.family, world.friends} <= pets
        access = await request.get(PetAccessRepository)
        assert await access.get_level(world.partner, world.family) is AccessLevel.OWNER
        records = await request.get(MedicalRecordRepository)
        [kept] = await records.list_for_pet(world.friends)
        assert kept.author_user_id is None
        # The payment is kept for bookkeeping, with no link to the person.
        payment = await session.scalar(sa.select(PaymentModel))
        assert payment is not None and payment.user_id is None
        assert await session.scalar(sa.select(sa.func.count()).select_from(ReminderModel)) == 0

        storage = await request.get(BlobStorage)
        keys = set(await storage.list_keys(""))
    assert keys == world.kept_files
    assert not [key for key in keys if key.startswith(f"users/tg-{USER_ID}/")]

    # Nothing of the dialogs either: no state, no open dialog in the FSM storage.
    fsm = chat.dp.fsm.storage
    left = [
        (key.destiny, record.state, record.data)
        for key, record in fsm.storage.items()  # type: ignore[attr-defined]
        if key.user_id == USER_ID and (record.state or json.loads(record.data).get("intents"))
    ]
    assert left == []


async def test_deleting_twice_is_harmless(chat: Chatting, texts: FluentRuntimeCore) -> None:
    await _onboard(chat)
    await chat.send("/delete_me")
    await chat.click("Continue ▶️")
    await chat.click("🗑 Yes, delete everything")
    # The bot registers whoever writes: a fresh, empty account that deletes just as well.
    await chat.send("/delete_me")
    assert texts.get("msg-delete-warning", "ru") in (chat.window().text or "")
    await chat.click(texts.get("btn-delete-continue", "ru"))
    chat.session.reset()
    await chat.click(texts.get("btn-delete-confirm", "ru"))
    assert chat.session.sent_texts() == [texts.get("msg-account-deleted", "ru")]


async def test_keeping_the_account_changes_nothing(chat: Chatting) -> None:
    await _onboard(chat)
    await chat.send("/delete_me")
    await chat.click("✖️ Don't delete")
    assert "🐾 My pets" in [
        button.text
        for row in chat.window().reply_markup.inline_keyboard  # type: ignore[union-attr]
        for button in row
    ]
    assert (await chat.user()) is not None
