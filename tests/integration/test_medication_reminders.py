"""Medication dose reminders on a real database (issue #12): rows made by AddRecord for the
owner (Moscow) and co-owner (Berlin) at the course's dose times in their own zones, the
rolling window topped up by the sending job without doubling, "Given ✓" closing a dose for
both (the other's message edited to say by whom), the missed-dose reminder sent once, and a
kind switched off. PostgreSQL and SQLite (`db_session`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import ReminderKind
from core.interactors.medication_reminders import (
    DoseAlreadyGivenError,
    MarkDoseGiven,
    MedicationDelivery,
    MedicationReminders,
)
from core.interactors.records import AddRecord, DeleteRecord, MedicationDraft
from core.interactors.reminder_delivery import DeliveryPolicy, SendDueReminders
from core.interactors.reminders import DueDateReminders, ReminderNotFoundError
from core.ports.medication import DoseGivenNotice, DoseMessage, SentDose
from core.ports.reminders import Delivery, DueDateMessage
from db.models import ReminderModel, UserModel
from db.repositories.medication_reminders import SqlDoseRepository
from db.repositories.pets import SqlPetAccessRepository, SqlPetRepository
from db.repositories.records import SqlMedicalRecordRepository
from db.repositories.reminders import SqlReminderRepository
from db.repositories.uploads import SqlUploadRepository
from db.repositories.users import SqlUserRepository
from db.storage.local import LocalBlobStorage
from db.uow import SqlUnitOfWork
from tests.integration.test_reminders import _seed
from tests.support.booking import MutableClock

# Summer: Moscow is UTC+3, Berlin UTC+2 (CEST). 09:00 UTC: noon in Moscow, 11:00 in Berlin.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


class RecordingSender:
    """Both senders the job uses: remembers every dose sent and every message edited."""

    def __init__(self) -> None:
        self.doses: list[DoseMessage] = []
        self.edits: list[DoseGivenNotice] = []
        self.next_message_id = 500

    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        raise AssertionError("no next-due reminders here")

    async def send_dose(self, message: DoseMessage) -> SentDose:
        self.doses.append(message)
        self.next_message_id += 1
        return SentDose(Delivery.SENT, self.next_message_id)

    async def show_given(self, notice: DoseGivenNotice) -> None:
        self.edits.append(notice)


@dataclass
class Parts:
    add: AddRecord
    delete: DeleteRecord
    job: SendDueReminders
    given: MarkDoseGiven
    sender: RecordingSender
    clock: MutableClock


def _parts(session: AsyncSession, tmp_path: Path, now: datetime = NOW) -> Parts:
    clock = MutableClock(now)
    users = SqlUserRepository(session)
    pets = SqlPetRepository(session)
    access = SqlPetAccessRepository(session)
    records = SqlMedicalRecordRepository(session)
    uploads = SqlUploadRepository(session)
    uow = SqlUnitOfWork(session)
    reminders = SqlReminderRepository(session)
    doses = SqlDoseRepository(session)
    sender = RecordingSender()
    due = DueDateReminders(reminders, users, access, clock)
    medication = MedicationReminders(reminders, doses, users, access, clock)
    add = AddRecord(uow, users, pets, access, records, uploads, clock, due, medication)
    delete = DeleteRecord(
        uow, users, pets, access, records, uploads, LocalBlobStorage(tmp_path), clock, due,
        medication,
    )  # fmt: skip
    delivery = MedicationDelivery(uow, reminders, doses, records, medication, sender)
    job = SendDueReminders(uow, reminders, sender, clock, DeliveryPolicy(), medication=delivery)
    given = MarkDoseGiven(uow, reminders, doses, users, pets, access, records, sender, clock)
    return Parts(add, delete, job, given, sender, clock)


async def _rows(session: AsyncSession, pet_id: int) -> list[ReminderModel]:
    result = await session.scalars(
        sa.select(ReminderModel)
        .where(ReminderModel.pet_id == pet_id)
        .order_by(ReminderModel.due_at, ReminderModel.user_id, ReminderModel.step)
        .execution_options(populate_existing=True)
    )
    return list(result)


def _course(
    start: date = TODAY, end: date | None = None, times: tuple[str, ...] = ("09:00", "21:00")
) -> MedicationDraft:
    return MedicationDraft("Synulox", "50 mg", "twice a day", start, end, times)


async def test_a_course_reminds_each_owner_at_the_dose_times_in_their_own_zone_until_its_end(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_000, pet_name="Rex")
    parts = _parts(db_session, tmp_path)

    record = await parts.add(world.owner_tg, world.pet_id, _course(end=date(2026, 6, 3)))

    rows = await _rows(db_session, world.pet_id)
    assert {(r.record_id, r.kind) for r in rows} == {(record.id, ReminderKind.MEDICATION)}
    doses = {(r.user_id, r.due_at) for r in rows if r.step == "dose"}
    owner, co = world.owner_id, world.co_owner_id
    # Today's 09:00 has passed for both; 21:00 is ahead. Nothing after the course's last day.
    assert doses == {
        (owner, datetime(2026, 6, 1, 18, tzinfo=UTC)),  # 21:00 Moscow
        (owner, datetime(2026, 6, 2, 6, tzinfo=UTC)),
        (owner, datetime(2026, 6, 2, 18, tzinfo=UTC)),
        (owner, datetime(2026, 6, 3, 6, tzinfo=UTC)),
        (owner, datetime(2026, 6, 3, 18, tzinfo=UTC)),
        (co, datetime(2026, 6, 1, 19, tzinfo=UTC)),  # 21:00 Berlin
        (co, datetime(2026, 6, 2, 7, tzinfo=UTC)),
        (co, datetime(2026, 6, 2, 19, tzinfo=UTC)),
        (co, datetime(2026, 6, 3, 7, tzinfo=UTC)),
        (co, datetime(2026, 6, 3, 19, tzinfo=UTC)),
    }
    missed = {(r.user_id, r.due_at - timedelta(hours=1)) for r in rows if r.step == "missed"}
    assert missed == doses
    # The same dose is named alike in both zones: "Given ✓" by one finds the other's rows.
    assert Counter(r.payload["dose_at"] for r in rows)["2026-06-02T09:00"] == 4


async def test_doses_keep_their_local_time_across_the_clocks_going_forward(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_100, pet_name="Rex")
    # Berlin moves from CET (UTC+1) to CEST (UTC+2) on Sunday 29 March 2026.
    parts = _parts(db_session, tmp_path, datetime(2026, 3, 27, 12, tzinfo=UTC))
    await parts.add(
        world.owner_tg, world.pet_id, _course(date(2026, 3, 27), date(2026, 3, 30), ("09:00",))
    )
    berlin = [
        r.due_at
        for r in await _rows(db_session, world.pet_id)
        if r.user_id == world.co_owner_id and r.step == "dose"
    ]
    assert berlin == [
        datetime(2026, 3, 28, 8, tzinfo=UTC),  # 09:00 CET
        datetime(2026, 3, 29, 7, tzinfo=UTC),  # 09:00 CEST, the day the clocks change
        datetime(2026, 3, 30, 7, tzinfo=UTC),
    ]


async def test_an_ongoing_course_rolls_its_window_forward_without_doubling(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_200, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(times=("21:00",)))

    def last_day(rows: list[ReminderModel]) -> str:
        return max(str(r.payload["dose_at"]) for r in rows)

    rows = await _rows(db_session, world.pet_id)
    assert last_day(rows) == "2026-06-07T21:00"  # seven days: today's evening and six more
    assert len(rows) == 7 * 2 * 2

    for day in range(10):
        parts.clock.current = datetime(2026, 6, 1, 19, 30, tzinfo=UTC) + timedelta(days=day)
        await parts.job()
        await parts.job()  # a second run in the same minute: nothing new, nothing twice

    rows = await _rows(db_session, world.pet_id)
    assert last_day(rows) == "2026-06-16T21:00"  # the last run's Moscow day and six more
    keys = Counter((r.user_id, r.payload["dose_at"], r.step) for r in rows)
    assert set(keys.values()) == {1}
    days = {r.payload["dose_at"] for r in rows}
    assert len(days) == 16  # every day from the first to the window's end, none lost
    # Each dose went out once to each of the two, the missed-dose reminders too (nobody
    # pressed "Given ✓"); the co-owner's 21:00 Berlin dose of the last day was not due yet.
    sent = Counter((m.telegram_id, m.step) for m in parts.sender.doses)
    assert sent == {
        (world.owner_tg, "dose"): 10,
        (world.owner_tg, "missed"): 10,
        (world.co_owner_tg, "dose"): 10,
        (world.co_owner_tg, "missed"): 9,
    }


async def test_deleting_the_course_cancels_its_pending_doses(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_300, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    record = await parts.add(world.owner_tg, world.pet_id, _course())
    assert await _rows(db_session, world.pet_id)

    await parts.delete(world.co_owner_tg, record.id)

    parts.clock.current = NOW + timedelta(days=3)
    await parts.job()
    assert parts.sender.doses == []


async def test_given_by_one_owner_closes_the_dose_for_the_other_and_shows_who(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_400, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(times=("21:00",)))
    parts.clock.current = datetime(2026, 6, 1, 18, 30, tzinfo=UTC)  # 21:30 in Moscow
    await parts.job()
    parts.clock.current = datetime(2026, 6, 1, 19, 0, tzinfo=UTC)  # 21:00 in Berlin
    await parts.job()
    owner_dose, owner_missed, co_dose = parts.sender.doses
    assert (owner_missed.telegram_id, owner_missed.step) == (world.owner_tg, "missed")
    assert (owner_dose.telegram_id, co_dose.telegram_id) == (world.owner_tg, world.co_owner_tg)
    assert (co_dose.pet_name, co_dose.drug, co_dose.dose, co_dose.dose_time) == (
        "Rex",
        "Synulox",
        "50 mg",
        "21:00",
    )

    parts.clock.current = datetime(2026, 6, 1, 19, 5, tzinfo=UTC)
    given = await parts.given(world.co_owner_tg, co_dose.reminder_id)

    assert given.given_at == "21:05"  # Berlin
    # Both of the owner's messages about it, as they were sent; not the presser's own.
    edits = [
        (e.telegram_id, e.message_id, e.step, e.given_by, e.given_at) for e in parts.sender.edits
    ]
    assert edits == [
        (world.owner_tg, 501, "dose", "Ben", "22:05"),
        (world.owner_tg, 502, "missed", "Ben", "22:05"),
    ]
    with pytest.raises(DoseAlreadyGivenError) as already:
        await parts.given(world.owner_tg, owner_dose.reminder_id)
    assert (already.value.given_by, already.value.given_at) == ("Ben", "22:05")
    # No missed-dose reminder for a dose that was given.
    parts.clock.current = datetime(2026, 6, 1, 22, 0, tzinfo=UTC)
    await parts.job()
    assert [m.step for m in parts.sender.doses] == ["dose", "missed", "dose"]


async def test_given_before_a_co_owners_dose_is_due_cancels_their_row(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_500, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(times=("21:00",)))
    parts.clock.current = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)  # 21:00 in Moscow only
    await parts.job()
    [owner_dose] = parts.sender.doses
    await parts.given(world.owner_tg, owner_dose.reminder_id)

    parts.clock.current = datetime(2026, 6, 1, 21, 0, tzinfo=UTC)
    await parts.job()
    assert [m.telegram_id for m in parts.sender.doses] == [world.owner_tg]
    assert parts.sender.edits == []  # the presser's own message is the handler's to edit
    cancelled = [
        r.cancel_reason
        for r in await _rows(db_session, world.pet_id)
        if r.payload["dose_at"] == "2026-06-01T21:00" and r.user_id == world.co_owner_id
    ]
    assert cancelled == ["done", "done"]


async def test_a_dose_nobody_marked_is_reminded_once_an_hour_later(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_600, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(times=("21:00",)))
    parts.clock.current = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
    await parts.job()
    parts.clock.current = datetime(2026, 6, 1, 18, 59, tzinfo=UTC)
    await parts.job()
    assert [m.step for m in parts.sender.doses if m.telegram_id == world.owner_tg] == ["dose"]
    for minutes in (60, 61, 120):
        parts.clock.current = datetime(2026, 6, 1, 18, 0, tzinfo=UTC) + timedelta(minutes=minutes)
        await parts.job()
    owner_steps = [m.step for m in parts.sender.doses if m.telegram_id == world.owner_tg]
    assert owner_steps == ["dose", "missed"]
    # "Given ✓" under the missed-dose reminder closes it too.
    missed = next(m for m in parts.sender.doses if m.step == "missed")
    given = await parts.given(world.owner_tg, missed.reminder_id)
    assert given.step == "missed"
    [edit] = [e for e in parts.sender.edits if e.telegram_id == world.owner_tg]
    assert (edit.step, edit.given_by) == ("dose", None)  # their earlier dose message


async def test_a_switched_off_kind_skips_the_dose_and_the_window_still_rolls(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_700, pet_name="Rex")
    # The owner alone: the window must roll on their skipped doses, no one else's.
    await SqlPetAccessRepository(db_session).revoke(pet_id=world.pet_id, user_id=world.co_owner_id)
    await db_session.execute(
        sa.update(UserModel)
        .where(UserModel.id == world.owner_id)
        .values(reminder_kinds_off=[ReminderKind.MEDICATION.value])
    )
    await db_session.commit()
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(times=("21:00",)))
    parts.clock.current = datetime(2026, 6, 2, 19, 30, tzinfo=UTC)
    await parts.job()

    assert parts.sender.doses == []
    rows = await _rows(db_session, world.pet_id)
    skipped = [(r.payload["dose_at"], r.step) for r in rows if r.cancel_reason is not None]
    assert skipped == [
        ("2026-06-01T21:00", "dose"),
        ("2026-06-01T21:00", "missed"),
        ("2026-06-02T21:00", "dose"),
        ("2026-06-02T21:00", "missed"),
    ]
    assert {r.cancel_reason for r in rows if r.cancel_reason} == {"switched_off"}
    assert max(r.payload["dose_at"] for r in rows) == "2026-06-08T21:00"


async def test_someone_elses_dose_reads_as_missing(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_800, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(times=("21:00",)))
    parts.clock.current = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
    await parts.job()
    [owner_dose] = parts.sender.doses
    with pytest.raises(ReminderNotFoundError):
        await parts.given(world.co_owner_tg, owner_dose.reminder_id)


async def test_a_new_time_zone_keeps_the_doses_local_time_and_quiet_hours_move_none(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 71_900, pet_name="Rex")
    parts = _parts(db_session, tmp_path)
    await parts.add(world.owner_tg, world.pet_id, _course(end=date(2026, 6, 2), times=("07:00",)))
    users = SqlUserRepository(db_session)
    owner = await users.get(world.owner_id)
    assert owner is not None
    due = DueDateReminders(
        SqlReminderRepository(db_session), users, SqlPetAccessRepository(db_session), parts.clock
    )

    # 07:00 is inside the default quiet hours (22:00–08:00): the dose stays at 07:00.
    assert await due.user_clock_changed(owner) == 0
    moved = await due.user_clock_changed(replace(owner, time_zone="Asia/Yekaterinburg"))

    assert moved == 2  # the dose of 2 June and its missed-dose reminder
    owner_rows = [
        (r.step, r.due_at)
        for r in await _rows(db_session, world.pet_id)
        if r.user_id == world.owner_id
    ]
    assert owner_rows == [
        ("dose", datetime(2026, 6, 2, 2, tzinfo=UTC)),  # 07:00 at UTC+5
        ("missed", datetime(2026, 6, 2, 3, tzinfo=UTC)),
    ]
