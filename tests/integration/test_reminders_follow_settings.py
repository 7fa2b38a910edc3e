"""Reminders follow each recipient's /reminders settings (issue #12), on PostgreSQL and SQLite:
rows made at the end of the recipient's own quiet hours, snoozes honouring them (or their
absence), pending rows moved when the zone (across the autumn DST change) or the quiet hours
change, and a kind switched off skipped when due while the item's later steps still come once
it is on again. The owner lives in Moscow, the co-owner in Berlin (tests/integration/
test_reminders.py seeds both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import ReminderKind
from core.interactors.records import VaccinationDraft
from core.interactors.reminder_settings import ChooseTimeZone, SetQuietHours, SwitchReminderKind
from core.interactors.reminder_times import ReminderTimes
from core.interactors.reminders import DueDateReminders, SnoozeReminder
from db.models import ReminderModel, UserModel
from db.repositories import SqlVetRepository
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.pets import SqlPetAccessRepository
from db.repositories.reminders import SqlReminderRepository
from db.repositories.users import SqlUserRepository
from db.uow import SqlUnitOfWork
from tests.integration.test_reminders import (
    NEXT_DUE,
    NOW,
    RecordingSender,
    World,
    _card,
    _rows,
    _seed,
    _sender_job,
)
from tests.support.booking import MutableClock

OFF = (time(0, 0), time(0, 0))


@dataclass
class Settings:
    choose_zone: ChooseTimeZone
    set_quiet_hours: SetQuietHours
    switch_kind: SwitchReminderKind
    snooze: SnoozeReminder


def _settings(session: AsyncSession, clock: MutableClock) -> Settings:
    uow = SqlUnitOfWork(session)
    users = SqlUserRepository(session)
    reminders = SqlReminderRepository(session)
    due = DueDateReminders(reminders, users, SqlPetAccessRepository(session), clock)
    times = ReminderTimes(
        due, reminders, SqlAppointmentRepository(session), SqlVetRepository(session), clock
    )
    return Settings(
        ChooseTimeZone(uow, users, clock, times),
        SetQuietHours(uow, users, times),
        SwitchReminderKind(uow, users),
        SnoozeReminder(uow, reminders, users, clock),
    )


async def _times(session: AsyncSession, world: World, user_id: int) -> dict[str, datetime]:
    """The user's pending rows of the pet: step → when."""
    return {
        str(r.step): r.due_at
        for r in await _rows(session, world.pet_id)
        if r.user_id == user_id and r.sent_at is None and r.cancelled_at is None
    }


async def test_each_recipient_gets_their_rows_out_of_their_own_quiet_hours(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 63_000)
    clock = MutableClock(NOW)
    settings = _settings(db_session, clock)
    await settings.set_quiet_hours(world.owner_tg, time(9, 0), time(12, 0))
    await settings.set_quiet_hours(world.co_owner_tg, *OFF)
    add, _ = _card(db_session, clock, tmp_path)

    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))

    owner = await _times(db_session, world, world.owner_id)
    co_owner = await _times(db_session, world, world.co_owner_id)
    assert owner["due"] == datetime(2026, 6, 20, 9, tzinfo=UTC)  # 12:00 Moscow, quiet till then
    assert co_owner["due"] == datetime(2026, 6, 20, 8, tzinfo=UTC)  # 10:00 Berlin
    assert {t.hour for t in owner.values()} == {9}
    assert {t.hour for t in co_owner.values()} == {8}


async def test_a_snooze_honours_the_pressers_quiet_hours_or_their_absence(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 63_100)
    clock = MutableClock(NOW)
    settings = _settings(db_session, clock)
    await settings.set_quiet_hours(world.owner_tg, *OFF)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    reminders = SqlReminderRepository(db_session)
    owners = (await reminders.list_pending_for_user(world.owner_id))[0]
    co_owners = (await reminders.list_pending_for_user(world.co_owner_id))[0]

    clock.current = datetime(2026, 6, 13, 20, 30, tzinfo=UTC)  # 23:30 Moscow, 22:30 Berlin
    owner_snoozed = await settings.snooze(world.owner_tg, owners.id)
    co_owner_snoozed = await settings.snooze(world.co_owner_tg, co_owners.id)

    # No quiet hours: exactly a day later, 23:30 Moscow.
    assert owner_snoozed.due_at == datetime(2026, 6, 14, 20, 30, tzinfo=UTC)
    # 22:30 tomorrow is inside Berlin's default 22:00–08:00: 08:00 the morning after.
    assert co_owner_snoozed.due_at == datetime(2026, 6, 15, 6, tzinfo=UTC)


async def test_choosing_a_zone_across_the_autumn_change_moves_the_pending_rows(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 63_200)
    autumn = datetime(2026, 10, 1, 9, tzinfo=UTC)
    clock = MutableClock(autumn)
    settings = _settings(db_session, clock)
    add, _ = _card(db_session, clock, tmp_path)
    # Due on Sunday 25 October 2026, the day Berlin goes from CEST (+2) back to CET (+1).
    draft = VaccinationDraft("Нобивак", autumn.date(), date(2026, 10, 25))
    await add(world.owner_tg, world.pet_id, draft)
    first = (await SqlReminderRepository(db_session).list_pending_for_user(world.owner_id))[0]
    snoozed = await settings.snooze(world.owner_tg, first.id)
    co_owner_before = await _times(db_session, world, world.co_owner_id)

    await settings.choose_zone(world.owner_tg, "Europe/Berlin")

    assert await _times(db_session, world, world.owner_id) == {
        "before_7d": datetime(2026, 10, 18, 8, tzinfo=UTC),  # 10:00 CEST
        "due": datetime(2026, 10, 25, 9, tzinfo=UTC),  # 10:00 CET, hours after the change
        "overdue_1": datetime(2026, 11, 1, 9, tzinfo=UTC),
        "overdue_2": datetime(2026, 11, 8, 9, tzinfo=UTC),
        "overdue_3": datetime(2026, 11, 15, 9, tzinfo=UTC),
        "snoozed": snoozed.due_at,  # an instant the owner chose stays
    }
    assert await _times(db_session, world, world.co_owner_id) == co_owner_before
    stored = await db_session.scalar(
        sa.select(UserModel.time_zone)
        .where(UserModel.id == world.owner_id)
        .execution_options(populate_existing=True)
    )
    assert stored == "Europe/Berlin"


async def test_new_quiet_hours_move_the_pending_rows_and_switching_them_off_moves_them_back(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 63_300)
    clock = MutableClock(NOW)
    settings = _settings(db_session, clock)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    co_owner_before = await _times(db_session, world, world.co_owner_id)

    await settings.set_quiet_hours(world.owner_tg, time(9, 0), time(12, 0))
    moved = await _times(db_session, world, world.owner_id)
    assert moved["due"] == datetime(2026, 6, 20, 9, tzinfo=UTC)  # 12:00 Moscow
    assert {t.hour for t in moved.values()} == {9}

    await settings.set_quiet_hours(world.owner_tg, *OFF)
    back = await _times(db_session, world, world.owner_id)
    assert {t.hour for t in back.values()} == {7}  # 10:00 Moscow again
    assert await _times(db_session, world, world.co_owner_id) == co_owner_before


async def test_a_kind_switched_off_is_not_sent_and_its_later_steps_come_once_it_is_on_again(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 63_400)
    clock = MutableClock(NOW)
    settings = _settings(db_session, clock)
    add, _ = _card(db_session, clock, tmp_path)
    record = await add(
        world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE)
    )
    await settings.switch_kind(world.owner_tg, ReminderKind.VACCINATION.value, on=False)
    sender = RecordingSender()

    clock.current = datetime(2026, 6, 13, 9, tzinfo=UTC)  # both "week before" rows are due
    report = await _sender_job(db_session, sender, clock)()

    assert [m.telegram_id for m in sender.sent] == [world.co_owner_tg]
    assert report.skipped == {"switched_off": 1}
    owners = [r for r in await _rows(db_session, world.pet_id) if r.user_id == world.owner_id]
    assert [(r.step, r.cancel_reason) for r in owners if r.cancelled_at is not None] == [
        ("before_7d", "switched_off")
    ]
    assert len([r for r in owners if r.cancelled_at is None]) == 4  # the later steps wait
    # Not a closing reason: the buttons under the owner's earlier messages still work.
    reminders = SqlReminderRepository(db_session)
    assert await reminders.closed_for(record.id, world.owner_id) is None

    await settings.switch_kind(world.owner_tg, ReminderKind.VACCINATION.value, on=True)
    clock.current = datetime(2026, 6, 20, 9, tzinfo=UTC)
    sender.sent.clear()
    report = await _sender_job(db_session, sender, clock)()

    assert sorted((m.telegram_id, m.step) for m in sender.sent) == [
        (world.owner_tg, "due"),
        (world.co_owner_tg, "due"),
    ]
    assert report.skipped == {}


async def test_another_kind_switched_off_leaves_vaccinations_alone(
    db_session: AsyncSession, tmp_path: Path
) -> None:
    world = await _seed(db_session, 63_500)
    clock = MutableClock(NOW)
    settings = _settings(db_session, clock)
    add, _ = _card(db_session, clock, tmp_path)
    await add(world.owner_tg, world.pet_id, VaccinationDraft("Нобивак", NOW.date(), NEXT_DUE))
    await settings.switch_kind(world.owner_tg, ReminderKind.PARASITE_TREATMENT.value, on=False)

    clock.current = datetime(2026, 6, 13, 9, tzinfo=UTC)
    sender = RecordingSender()
    report = await _sender_job(db_session, sender, clock)()

    assert sorted(m.telegram_id for m in sender.sent) == sorted(
        [world.owner_tg, world.co_owner_tg]
    )
    assert report.skipped == {}
    pending = await db_session.scalar(
        sa.select(sa.func.count())
        .select_from(ReminderModel)
        .where(ReminderModel.pet_id == world.pet_id, ReminderModel.sent_at.is_(None))
    )
    assert pending == 8
