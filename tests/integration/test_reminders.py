"""Reminders of next-due dates on a real database (issue #12): rows made by AddRecord for the
owner and co-owner in their own zones, gone with DeleteRecord, claimed and sent exactly once —
also when a run dies after claiming, and (PostgreSQL) when two runs race over the same rows.

Most tests run on PostgreSQL and SQLite (`db_session`: commits release savepoints); the race
needs separate connections that really commit, so it has a PostgreSQL database of its own.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.enums import AccessLevel, RecordKind, ReminderKind, Species
from core.interactors.records import AddRecord, DeleteRecord, VaccinationDraft
from core.interactors.reminder_delivery import DeliveryPolicy, SendDueReminders
from core.interactors.reminders import DueDateReminders
from core.ports.reminders import CancelReason, Delivery, DueDateMessage, NewReminder
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade_to_head_async
from db.models import ReminderModel, UserModel
from db.repositories.pets import SqlPetAccessRepository, SqlPetRepository
from db.repositories.records import SqlMedicalRecordRepository
from db.repositories.reminders import SqlReminderRepository
from db.repositories.uploads import SqlUploadRepository
from db.repositories.users import SqlUserRepository
from db.storage.local import LocalBlobStorage
from db.uow import SqlUnitOfWork
from tests.integration.conftest import PostgresServer
from tests.support.booking import MutableClock

# Summer: Moscow is UTC+3, Berlin UTC+2 (CEST).
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NEXT_DUE = date(2026, 6, 20)
LEASE = timedelta(minutes=5)
RACE_TIMEOUT_S = 60


@dataclass
class World:
    owner_id: int
    owner_tg: int
    co_owner_id: int
    co_owner_tg: int
    pet_id: int


class RecordingSender:
    """Remembers every message; answers `answer` (a pause first, so racing runs interleave)."""

    def __init__(self, answer: Delivery = Delivery.SENT) -> None:
        self.sent: list[DueDateMessage] = []
        self.answer = answer

    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        await asyncio.sleep(0)
        self.sent.append(message)
        return self.answer


async def _seed(session: AsyncSession, base_tg: int, pet_name: str = "Мурзик") -> World:
    users = SqlUserRepository(session)
    owner = await users.add(telegram_id=base_tg, first_name="Anna", username=None, language="ru")
    co_owner = await users.add(
        telegram_id=base_tg + 1, first_name="Ben", username=None, language="en"
    )
    await session.execute(
        sa.update(UserModel).where(UserModel.id == co_owner.id).values(time_zone="Europe/Berlin")
    )
    pet = await SqlPetRepository(session).add(name=pet_name, species=Species.CAT)
    access = SqlPetAccessRepository(session)
    for user_id, level in ((owner.id, AccessLevel.OWNER), (co_owner.id, AccessLevel.CO_OWNER)):
        await access.grant(pet_id=pet.id, user_id=user_id, level=level, granted_at=NOW)
    await session.commit()
    return World(owner.id, owner.telegram_id, co_owner.id, co_owner.telegram_id, pet.id)


def _card(session: AsyncSession, clock: MutableClock, tmp_path: Path) -> tuple[Any, Any]:
    users = SqlUserRepository(session)
    pets = SqlPetRepository(session)
    access = SqlPetAccessRepository(session)
    records = SqlMedicalRecordRepository(session)
    uploads = SqlUploadRepository(session)
    uow = SqlUnitOfWork(session)
    due = DueDateReminders(SqlReminderRepository(session), users, access, clock)
    add = AddRecord(uow, users, pets, access, records, uploads, clock, due)
    delete = DeleteRecord(
        uow, users, pets, access, records, uploads, LocalBlobStorage(tmp_path), clock, due
    )
    return add, delete


def _sender_job(
    session: AsyncSession,
    sender: RecordingSender,
    clock: MutableClock,
    policy: DeliveryPolicy | None = None,
) -> SendDueReminders:
    return SendDueReminders(
        SqlUnitOfWork(session),
        SqlReminderRepository(session),
        sender,
        clock,
        policy or DeliveryPolicy(lease=LEASE),
    )


async def _rows(session: AsyncSession, pet_id: int) -> list[ReminderModel]:
    result = await session.scalars(
        sa.select(ReminderModel)
        .where(ReminderModel.pet_id == pet_id)
        .order_by(ReminderModel.due_at, ReminderModel.user_id)
        .execution_options(populate_existing=True)
    )
    return list(result)


async def test_adding_a_vaccination_reminds_owner_and_co_owner_at_their_own_ten_oclock(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_000)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)

    record = await add(
        world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE)
    )

    rows = await _rows(db_session, world.pet_id)
    assert len(rows) == 10  # five steps, two people
    assert {(r.record_id, r.kind) for r in rows} == {(record.id, ReminderKind.VACCINATION)}
    on_the_day = {r.user_id: r.due_at for r in rows if r.step == "due"}
    assert on_the_day == {
        world.owner_id: datetime(2026, 6, 20, 7, tzinfo=UTC),  # 10:00 Moscow
        world.co_owner_id: datetime(2026, 6, 20, 8, tzinfo=UTC),  # 10:00 Berlin
    }
    assert {r.payload["next_due"] for r in rows} == {"2026-06-20"}


async def test_a_member_leaving_cancels_only_their_rows_of_that_pet(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_050)
    add, _ = _card(db_session, MutableClock(NOW), tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    other_pet = await SqlPetRepository(db_session).add(name="Rex", species=Species.DOG)
    await SqlPetAccessRepository(db_session).grant(
        pet_id=other_pet.id, user_id=world.co_owner_id, level=AccessLevel.OWNER, granted_at=NOW
    )
    await add(world.co_owner_tg, other_pet.id, VaccinationDraft("Eurican", NOW.date(), NEXT_DUE))

    cancelled = await SqlReminderRepository(db_session).cancel_pending_for_pet(
        pet_id=world.pet_id, user_id=world.co_owner_id, reason=CancelReason.GONE, at=NOW
    )
    await db_session.commit()

    assert cancelled == 5
    rows = await _rows(db_session, world.pet_id)
    assert {r.cancel_reason for r in rows if r.user_id == world.co_owner_id} == {"gone"}
    assert {r.cancel_reason for r in rows if r.user_id == world.owner_id} == {None}
    assert {r.cancel_reason for r in await _rows(db_session, other_pet.id)} == {None}


async def test_a_due_date_three_days_ago_gets_only_the_remaining_overdue_steps(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_100)
    add, _ = _card(db_session, MutableClock(NOW), tmp_path)
    await add(
        world.owner_tg,
        world.pet_id,
        VaccinationDraft("Нобивак", date(2025, 5, 1), NOW.date() - timedelta(days=3)),
    )
    steps = Counter(r.step for r in await _rows(db_session, world.pet_id))
    assert steps == {"overdue_1": 2, "overdue_2": 2, "overdue_3": 2}


async def test_deleting_the_entry_takes_its_unsent_reminders_with_it(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_200)
    add, delete = _card(db_session, MutableClock(NOW), tmp_path)
    record = await add(
        world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE)
    )
    assert await _rows(db_session, world.pet_id)

    await delete(world.co_owner_tg, record.id)

    assert await _rows(db_session, world.pet_id) == []
    job = _sender_job(
        db_session, sender := RecordingSender(), MutableClock(NOW + timedelta(days=60))
    )
    await job()
    assert sender.sent == []


async def test_due_reminders_go_out_once_each_in_the_recipients_language(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_300)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    record = await add(
        world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE)
    )
    sender = RecordingSender()
    job = _sender_job(db_session, sender, clock)

    await job()
    assert sender.sent == []  # nothing due yet

    clock.current = datetime(2026, 6, 13, 7, 30, tzinfo=UTC)  # the owner's "week before" passed
    report = await job()
    assert report.sent == 1
    [message] = sender.sent
    assert message == DueDateMessage(
        reminder_id=message.reminder_id,
        telegram_id=world.owner_tg,
        language="ru",
        step="before_7d",
        record_kind=RecordKind.VACCINATION,
        pet_name="Мурзик",
        title="Нобивак",
        next_due=NEXT_DUE,
    )

    clock.current = datetime(2026, 6, 13, 8, 30, tzinfo=UTC)  # and the co-owner's, in Berlin
    await job()
    await job()
    assert [(m.telegram_id, m.language) for m in sender.sent] == [
        (world.owner_tg, "ru"),
        (world.co_owner_tg, "en"),
    ]
    sent_rows = [r for r in await _rows(db_session, world.pet_id) if r.sent_at is not None]
    assert {r.id for r in sent_rows} == {m.reminder_id for m in sender.sent}
    assert all(r.record_id == record.id for r in sent_rows)


async def test_a_recipient_who_blocked_the_bot_is_skipped_and_the_row_says_why(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_400)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    await db_session.execute(
        sa.update(UserModel).where(UserModel.id == world.co_owner_id).values(blocked_bot_at=NOW)
    )
    await db_session.commit()

    clock.current = datetime(2026, 6, 13, 9, tzinfo=UTC)
    sender = RecordingSender()
    report = await _sender_job(db_session, sender, clock)()

    assert [m.telegram_id for m in sender.sent] == [world.owner_tg]
    assert report.skipped == {"blocked": 1}
    skipped = [r for r in await _rows(db_session, world.pet_id) if r.cancelled_at is not None]
    assert [(r.user_id, r.step, r.cancel_reason) for r in skipped] == [
        (world.co_owner_id, "before_7d", "blocked")
    ]


async def test_a_failed_send_is_tried_again_after_the_lease_and_not_before(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_500)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    clock.current = datetime(2026, 6, 13, 7, 30, tzinfo=UTC)
    failing = RecordingSender(Delivery.FAILED)

    assert (await _sender_job(db_session, failing, clock)()).failed == 1
    clock.advance(minutes=4)
    working = RecordingSender()
    await _sender_job(db_session, working, clock)()
    assert working.sent == []
    clock.advance(minutes=1, seconds=1)
    await _sender_job(db_session, working, clock)()
    assert [m.reminder_id for m in working.sent] == [m.reminder_id for m in failing.sent]


async def test_rows_claimed_by_a_run_that_died_are_sent_after_the_lease_exactly_once(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_600)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    clock.current = datetime(2026, 6, 20, 9, tzinfo=UTC)  # both "week before" and "due" are due
    # The dead run: claimed and committed, then nothing (killed before its first send).
    repository = SqlReminderRepository(db_session)
    claimed = await repository.claim_due(
        now=clock.now(), stale_before=clock.now() - LEASE, token="dead" * 8, limit=100
    )
    await db_session.commit()
    assert len(claimed) == 4

    sender = RecordingSender()
    clock.advance(minutes=4, seconds=59)
    await _sender_job(db_session, sender, clock)()
    assert sender.sent == []  # the lease still holds
    clock.advance(seconds=2)
    await _sender_job(db_session, sender, clock)()
    await _sender_job(db_session, sender, clock)()
    assert sorted(m.reminder_id for m in sender.sent) == sorted(c.id for c in claimed)
    rows = {r.id: r for r in await _rows(db_session, world.pet_id)}
    assert all(rows[c.id].sent_at is not None and rows[c.id].attempts == 2 for c in claimed)


# --- two schedulers at once, on PostgreSQL ----------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sessions(
    postgres_server: PostgresServer,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = await postgres_server.create_database()
    await upgrade_to_head_async(url)
    engine = create_engine(url)
    try:
        yield create_session_maker(engine)
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_two_schedulers_at_once_send_each_of_200_reminders_exactly_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        world = await _seed(session, 62_000)
        record = await SqlMedicalRecordRepository(session).add(
            pet_id=world.pet_id,
            kind=RecordKind.VACCINATION,
            title="Нобивак",
            occurred_at=NOW,
            next_due_at=datetime(2026, 6, 1, 12, tzinfo=UTC),
        )
        await SqlReminderRepository(session).add_many(
            [
                NewReminder(
                    user_id=world.owner_id if n % 2 else world.co_owner_id,
                    kind=ReminderKind.VACCINATION,
                    due_at=NOW - timedelta(seconds=n),
                    pet_id=world.pet_id,
                    record_id=record.id,
                    step="due",
                )
                for n in range(200)
            ]
        )
        await session.commit()

    sender = RecordingSender()
    clock = MutableClock(NOW)
    # Small batches: the runs claim many times each, racing on every claim.
    policy = DeliveryPolicy(batch=7, lease=LEASE)

    async def run() -> int:
        async with sessions() as session:
            report = await _sender_job(session, sender, clock, policy)()
            return report.sent

    async with asyncio.timeout(RACE_TIMEOUT_S):
        sent_by = await asyncio.gather(run(), run())

    counts = Counter(m.reminder_id for m in sender.sent)
    assert len(counts) == 200
    assert set(counts.values()) == {1}
    assert sum(sent_by) == 200
    assert all(sent_by), sent_by  # both runs took part: the race really happened
    async with sessions() as session:
        unsent = await session.scalar(
            sa.select(sa.func.count())
            .select_from(ReminderModel)
            .where(ReminderModel.record_id == record.id, ReminderModel.sent_at.is_(None))
        )
    assert unsent == 0


async def test_a_co_owner_who_lost_access_is_not_reminded_and_the_row_says_why(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_700)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    await SqlPetAccessRepository(db_session).revoke(pet_id=world.pet_id, user_id=world.co_owner_id)
    await db_session.commit()

    clock.current = datetime(2026, 6, 13, 9, tzinfo=UTC)
    sender = RecordingSender()
    report = await _sender_job(db_session, sender, clock)()

    assert [m.telegram_id for m in sender.sent] == [world.owner_tg]
    assert report.skipped == {"gone": 1}


async def test_deleting_a_duplicate_dose_brings_back_the_first_ones_reminders(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_800)
    add, delete = _card(db_session, MutableClock(NOW), tmp_path)
    draft = VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE)
    first = await add(world.owner_tg, world.pet_id, draft)
    duplicate = await add(world.owner_tg, world.pet_id, draft)
    pending = [r for r in await _rows(db_session, world.pet_id) if r.cancelled_at is None]
    assert {r.record_id for r in pending} == {duplicate.id}
    repository = SqlReminderRepository(db_session)
    assert await repository.closed_for(first.id, world.owner_id) == "replaced"

    await delete(world.owner_tg, duplicate.id)

    pending = [r for r in await _rows(db_session, world.pet_id) if r.cancelled_at is None]
    assert {r.record_id for r in pending} == {first.id}
    assert len(pending) == 10
    assert await repository.closed_for(first.id, world.owner_id) is None


class SlowSender(RecordingSender):
    """Each send takes a minute of the test's clock."""

    def __init__(self, clock: MutableClock) -> None:
        super().__init__()
        self.clock = clock

    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        self.clock.advance(minutes=1)
        return await super().send_due_date(message)


async def test_a_run_running_out_of_its_lease_hands_the_rest_back_for_the_next_one(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 61_900)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    clock.current = datetime(2026, 6, 20, 9, tzinfo=UTC)  # four rows due
    sender = SlowSender(clock)
    policy = DeliveryPolicy(lease=LEASE, send_within=timedelta(minutes=2))

    report = await _sender_job(db_session, sender, clock, policy)()

    assert (report.sent, report.handed_back) == (2, 2)
    # Handed back, not left claimed: the next run sends them at once, not after the lease.
    report = await _sender_job(db_session, sender, clock, policy)()
    assert report.sent == 2
    assert len({m.reminder_id for m in sender.sent}) == 4


async def test_a_new_time_zone_moves_the_pending_reminders_to_its_own_mornings(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 62_100)
    clock = MutableClock(NOW)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    reminders = SqlReminderRepository(db_session)
    users = SqlUserRepository(db_session)
    first = (await reminders.list_pending_for_user(world.owner_id))[0]
    snooze = NewReminder(
        user_id=world.owner_id,
        kind=ReminderKind.VACCINATION,
        due_at=NOW + timedelta(days=1),
        pet_id=world.pet_id,
        record_id=first.record_id,
        step="snoozed",
        payload=first.payload,
    )
    await reminders.add_many([snooze])
    await db_session.execute(
        sa.update(UserModel)
        .where(UserModel.id == world.owner_id)
        .values(time_zone="Asia/Yekaterinburg")
    )
    owner = await users.get(world.owner_id)
    assert owner is not None and owner.time_zone == "Asia/Yekaterinburg"

    due = DueDateReminders(reminders, users, SqlPetAccessRepository(db_session), clock)
    assert await due.user_clock_changed(owner) == 5
    await db_session.commit()

    mine = {r.step: r.due_at for r in await reminders.list_pending_for_user(world.owner_id)}
    assert mine["due"] == datetime(2026, 6, 20, 5, tzinfo=UTC)  # 10:00 at UTC+5
    assert mine["snoozed"] == NOW + timedelta(days=1)  # an instant the owner chose
    co_owners = await reminders.list_pending_for_user(world.co_owner_id)
    assert {r.due_at.hour for r in co_owners} == {8}  # Berlin's rows did not move
