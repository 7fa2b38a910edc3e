"""A consultation's reminders, 24 h and 1 h before, on a real database (issue #12): made for the
owner and the vet when the booking is paid, moved with it, cancelled with it, and sent by the
reminder job in each recipient's language and zone — the hour-before one with the Join button,
even in quiet hours. PostgreSQL and SQLite (`db_session`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from aiogram import Bot
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from bot.reminder_sender import BotReminderSender
from core.dates import DateStyle, format_day
from core.entities import Appointment
from core.enums import AppointmentStatus, ReminderKind
from core.interactors.appointment_reminders import AppointmentReminders
from core.interactors.booking import CancelBookingsOfLeavingOwner, PaymentResult
from core.interactors.reminder_delivery import DeliveryPolicy, SendDueReminders
from core.interactors.reminder_settings import ChooseTimeZone, SetQuietHours
from core.interactors.reminder_times import ReminderTimes
from core.interactors.reminders import DueDateReminders
from core.miniapp_links import MiniAppLinks
from core.payments import STARS_CURRENCY, SuccessfulPayment
from core.ports.reminders import CancelReason
from core.schedule import to_local
from db.models import AppointmentModel, ReminderModel, UserModel
from db.repositories import SqlPetRepository, SqlUserRepository, SqlVetRepository
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.pets import SqlPetAccessRepository
from db.repositories.reminders import SqlReminderRepository
from db.uow import SqlUnitOfWork
from dialogs.widgets.zone_labels import zone_text
from tests.support.booking import (
    Booking,
    MutableClock,
    RecordingGateway,
    World,
    seed_world,
)
from tests.support.chatting import load_texts
from tests.support.recording_session import RecordingSession

# MONDAY_MORNING is 08:00 in Moscow (UTC+3), where the vet works 09:00-12:00; the owner lives
# in Berlin (UTC+2 in June).
MONDAY = date(2025, 6, 2)
TUESDAY = date(2025, 6, 3)
WEDNESDAY = date(2025, 6, 4)
BERLIN = "Europe/Berlin"
MOSCOW = "Europe/Moscow"
HOUR = timedelta(hours=1)
MINIAPP = "https://app.example"


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def booking(db_session: AsyncSession, clock: MutableClock, gateway: RecordingGateway) -> Booking:
    return Booking(db_session, clock, gateway)


@pytest.fixture
async def world(db_session: AsyncSession, booking: Booking) -> World:
    seeded = await seed_world(db_session, base_telegram_id=9_700_000, owners=1)
    await db_session.execute(
        sa.update(UserModel)
        .where(UserModel.telegram_id == seeded.owners[0][0])
        .values(time_zone=BERLIN)
    )
    await db_session.commit()
    await booking.publish(seeded.vet.id)
    return seeded


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


async def _user_id(session: AsyncSession, telegram_id: int) -> int:
    user_id = await session.scalar(
        sa.select(UserModel.id).where(UserModel.telegram_id == telegram_id)
    )
    assert user_id is not None
    return user_id


async def _book(booking: Booking, world: World, day: date, owner_time: str) -> Appointment:
    """Book the slot at `owner_time` on the owner's clock (Berlin: an hour behind the vet)."""
    telegram_id, pet_id = world.owners[0]
    slots = await booking.list_open(telegram_id, world.vet.id, day)
    [slot] = [s for s in slots if s.local_start.strftime("%H:%M") == owner_time]
    held = await booking.hold(telegram_id, pet_id=pet_id, slot_id=slot.slot_id)
    outcome = await booking.confirm(
        SuccessfulPayment(
            payer_telegram_id=telegram_id,
            invoice_payload=f"appointment:{held.id}",
            currency=STARS_CURRENCY,
            total_amount=held.price_amount,
            telegram_payment_charge_id=f"charge-{held.id}",
        )
    )
    assert outcome.result is PaymentResult.CONFIRMED
    return held


async def _rows(session: AsyncSession, appointment_id: int) -> list[ReminderModel]:
    rows = await session.scalars(
        sa.select(ReminderModel)
        .where(ReminderModel.kind == ReminderKind.APPOINTMENT)
        .order_by(ReminderModel.id)
        .execution_options(populate_existing=True)
    )
    return [row for row in rows if row.payload.get("appointment_id") == appointment_id]


def _pending(rows: list[ReminderModel]) -> dict[tuple[int, str | None], datetime]:
    return {
        (row.user_id, row.step): row.due_at
        for row in rows
        if row.sent_at is None and row.cancelled_at is None
    }


async def _hold_only(booking: Booking, world: World) -> Appointment:
    telegram_id, pet_id = world.owners[0]
    [slot, *_] = await booking.list_open(telegram_id, world.vet.id, WEDNESDAY)
    return await booking.hold(telegram_id, pet_id=pet_id, slot_id=slot.slot_id)


async def test_a_paid_booking_gets_a_day_and_an_hour_before_reminder_for_owner_and_vet(
    db_session: AsyncSession, booking: Booking, world: World
) -> None:
    owner_id = await _user_id(db_session, world.owners[0][0])
    held = await _hold_only(booking, world)
    assert await _rows(db_session, held.id) == []  # holds are never reminded

    appointment = await _book(booking, world, TUESDAY, "10:00")

    starts = appointment.starts_at
    assert _pending(await _rows(db_session, appointment.id)) == {
        (owner_id, "before_24h"): starts - 24 * HOUR,
        (owner_id, "before_1h"): starts - HOUR,
        (world.vet.user_id, "before_24h"): starts - 24 * HOUR,
        (world.vet.user_id, "before_1h"): starts - HOUR,
    }


async def test_a_booking_three_hours_ahead_gets_only_the_hour_before_reminders(
    db_session: AsyncSession, booking: Booking, world: World
) -> None:
    appointment = await _book(booking, world, MONDAY, "10:00")  # in 3 h

    rows = _pending(await _rows(db_session, appointment.id))
    assert sorted(step or "" for _, step in rows) == ["before_1h", "before_1h"]
    assert set(rows.values()) == {appointment.starts_at - HOUR}


async def test_a_moved_booking_takes_its_reminders_to_the_new_time(
    db_session: AsyncSession, booking: Booking, world: World
) -> None:
    owner_tg, _ = world.owners[0]
    owner_id = await _user_id(db_session, owner_tg)
    appointment = await _book(booking, world, TUESDAY, "10:00")
    [later] = [
        s
        for s in await booking.list_open(owner_tg, world.vet.id, WEDNESDAY)
        if s.local_start.strftime("%H:%M") == "10:30"
    ]

    moved = await booking.reschedule(owner_tg, appointment.id, later.slot_id)

    rows = await _rows(db_session, appointment.id)
    assert _pending(rows) == {
        (owner_id, "before_24h"): moved.starts_at - 24 * HOUR,
        (owner_id, "before_1h"): moved.starts_at - HOUR,
        (world.vet.user_id, "before_24h"): moved.starts_at - 24 * HOUR,
        (world.vet.user_id, "before_1h"): moved.starts_at - HOUR,
    }
    old = [row for row in rows if row.cancelled_at is not None]
    assert len(old) == 4
    assert {row.cancel_reason for row in old} == {CancelReason.REPLACED.value}
    assert {row.due_at for row in old} == {
        appointment.starts_at - 24 * HOUR,
        appointment.starts_at - HOUR,
    }


def _settings(session: AsyncSession, clock: MutableClock) -> tuple[SetQuietHours, ChooseTimeZone]:
    uow = SqlUnitOfWork(session)
    users = SqlUserRepository(session)
    reminders = SqlReminderRepository(session)
    due_dates = DueDateReminders(reminders, users, SqlPetAccessRepository(session), clock)
    times = ReminderTimes(
        due_dates, reminders, SqlAppointmentRepository(session), SqlVetRepository(session), clock
    )
    return SetQuietHours(uow, users, times), ChooseTimeZone(uow, users, clock, times)


async def test_the_day_before_reminder_follows_its_recipients_clock_settings(
    db_session: AsyncSession, booking: Booking, world: World, clock: MutableClock
) -> None:
    owner_tg, _ = world.owners[0]
    owner_id, vet_id = await _user_id(db_session, owner_tg), world.vet.user_id
    appointment = await _book(booking, world, TUESDAY, "10:00")  # 08:00 UTC
    starts = appointment.starts_at
    set_quiet_hours, choose_zone = _settings(db_session, clock)
    as_booked = {
        (owner_id, "before_24h"): starts - 24 * HOUR,  # 10:00 Berlin, Monday
        (owner_id, "before_1h"): starts - HOUR,
        (vet_id, "before_24h"): starts - 24 * HOUR,  # 11:00 Moscow
        (vet_id, "before_1h"): starts - HOUR,
    }
    assert _pending(await _rows(db_session, appointment.id)) == as_booked

    # Quiet until noon: the owner hears at its end, 12:00 Berlin; no one else moves.
    await set_quiet_hours(owner_tg, time(9, 0), time(12, 0))
    assert _pending(await _rows(db_session, appointment.id)) == {
        **as_booked,
        (owner_id, "before_24h"): starts - 22 * HOUR,
    }

    # In Yekaterinburg (UTC+5) the day before is 13:00 local, out of those quiet hours.
    await choose_zone(owner_tg, "Asia/Yekaterinburg")
    assert _pending(await _rows(db_session, appointment.id)) == as_booked

    # A vet's own zone setting does not move their rows: they hear in their working zone
    # (Moscow), where new quiet hours until noon make it 12:00 Moscow.
    await choose_zone(world.vet_telegram_id, "America/New_York")
    assert _pending(await _rows(db_session, appointment.id)) == as_booked
    await set_quiet_hours(world.vet_telegram_id, time(10, 0), time(12, 0))
    assert _pending(await _rows(db_session, appointment.id)) == {
        **as_booked,
        (vet_id, "before_24h"): starts - 23 * HOUR,
    }


async def _cancel_by_owner(
    booking: Booking, world: World, appointment: Appointment, clock: MutableClock
) -> None:
    await booking.cancel_by_owner(world.owners[0][0], appointment.id)


async def _cancel_by_vet(
    booking: Booking, world: World, appointment: Appointment, clock: MutableClock
) -> None:
    await booking.cancel_by_vet(world.vet_telegram_id, appointment.id, reason="Ill today")


async def _no_show(
    booking: Booking, world: World, appointment: Appointment, clock: MutableClock
) -> None:
    # Nobody sent the reminders meanwhile: they are still pending when the vet fails to come.
    clock.current = appointment.starts_at + timedelta(minutes=30)
    [outcome] = await booking.no_show()
    assert outcome.appointment.status is AppointmentStatus.NO_SHOW_VET


@pytest.mark.parametrize("cancel", [_cancel_by_owner, _cancel_by_vet, _no_show])
async def test_a_cancelled_booking_cancels_its_pending_reminders(
    db_session: AsyncSession,
    booking: Booking,
    world: World,
    clock: MutableClock,
    cancel: Callable[[Booking, World, Appointment, MutableClock], Awaitable[None]],
) -> None:
    appointment = await _book(booking, world, TUESDAY, "10:00")

    await cancel(booking, world, appointment, clock)

    rows = await _rows(db_session, appointment.id)
    assert len(rows) == 4
    assert _pending(rows) == {}
    assert {row.cancel_reason for row in rows} == {CancelReason.APPOINTMENT_CANCELLED.value}


async def test_an_owner_leaving_cancels_the_reminders_of_their_bookings(
    db_session: AsyncSession,
    booking: Booking,
    world: World,
    clock: MutableClock,
    gateway: RecordingGateway,
) -> None:
    appointment = await _book(booking, world, TUESDAY, "10:00")
    users = SqlUserRepository(db_session)
    vets = SqlVetRepository(db_session)
    leaving = CancelBookingsOfLeavingOwner(
        SqlUnitOfWork(db_session),
        users,
        vets,
        SqlPetRepository(db_session),
        booking.appointments,
        booking.payments,
        gateway,
        booking.notices,
        clock,
        AppointmentReminders(SqlReminderRepository(db_session), users, vets, clock),
    )
    owner = await users.get_by_telegram_id(world.owners[0][0])
    assert owner is not None

    [outcome] = await leaving(owner)

    assert outcome.appointment.id == appointment.id
    rows = await _rows(db_session, appointment.id)
    assert len(rows) == 4 and _pending(rows) == {}


def _job(
    session: AsyncSession, clock: MutableClock, texts: FluentRuntimeCore
) -> tuple[SendDueReminders, RecordingSession]:
    telegram = RecordingSession()
    sender = BotReminderSender(
        Bot("123456:TEST-token", session=telegram), texts, MiniAppLinks(MINIAPP)
    )
    job = SendDueReminders(
        SqlUnitOfWork(session),
        SqlReminderRepository(session),
        sender,
        clock,
        DeliveryPolicy(),
        appointment_sender=sender,
    )
    return job, telegram


def _expected(
    texts: FluentRuntimeCore,
    key: str,
    starts_at: datetime,
    zone: str,
    *,
    pet: str,
    other: str,
) -> str:
    local = to_local(starts_at, zone)
    return texts.get(
        key,
        "en",
        date=format_day(local, DateStyle.WEEKDAY, "en"),
        time=f"{local:%H:%M}",
        zone=zone_text(texts, zone, starts_at, "en"),
        pet=pet,
        other=other,
    )


async def test_the_hour_before_reminder_comes_in_quiet_hours_with_the_join_button(
    db_session: AsyncSession,
    booking: Booking,
    world: World,
    clock: MutableClock,
    texts: FluentRuntimeCore,
) -> None:
    owner_tg, _ = world.owners[0]
    # The owner's quiet hours are 06:00-12:00 in Berlin: the consultation, at 10:00 for them
    # (11:00 in Moscow for the vet), has its hour-before reminder at 09:00, inside them.
    await db_session.execute(
        sa.update(UserModel)
        .where(UserModel.telegram_id == owner_tg)
        .values(quiet_hours_start=6 * 60, quiet_hours_end=12 * 60)
    )
    await db_session.commit()
    appointment = await _book(booking, world, MONDAY, "10:00")
    job, telegram = _job(db_session, clock, texts)

    clock.current = appointment.starts_at - HOUR - timedelta(seconds=1)
    assert (await job()).sent == 0
    clock.current = appointment.starts_at - HOUR
    report = await job()

    assert report.sent == 2
    by_chat = {call.chat_id: call for call in telegram.calls_of(SendMessage)}
    assert set(by_chat) == {owner_tg, world.vet_telegram_id}
    owner_message, vet_message = by_chat[owner_tg], by_chat[world.vet_telegram_id]
    assert owner_message.text == _expected(
        texts,
        "msg-appointment-reminder-hour-owner",
        appointment.starts_at,
        BERLIN,
        pet="Cat 0",
        other=world.vet.display_name,
    )
    assert "10:00" in owner_message.text
    assert vet_message.text == _expected(
        texts,
        "msg-appointment-reminder-hour-vet",
        appointment.starts_at,
        MOSCOW,
        pet="Cat 0",
        other="Owner 0",
    )
    assert "11:00" in vet_message.text
    join_url = MiniAppLinks(MINIAPP).call_page(appointment.id)
    for message in (owner_message, vet_message):
        markup = message.reply_markup
        assert isinstance(markup, InlineKeyboardMarkup)
        [[button]] = markup.inline_keyboard
        assert button.web_app is not None and button.web_app.url == join_url
        assert button.callback_data is None  # no Done / Snooze / Stop under an appointment
    assert _pending(await _rows(db_session, appointment.id)) == {}
    assert (await job()).sent == 0  # sent once


async def test_the_day_before_reminder_has_no_buttons_and_a_stale_one_is_not_sent(
    db_session: AsyncSession,
    booking: Booking,
    world: World,
    clock: MutableClock,
    texts: FluentRuntimeCore,
) -> None:
    owner_tg, _ = world.owners[0]
    appointment = await _book(booking, world, TUESDAY, "10:00")
    job, telegram = _job(db_session, clock, texts)

    clock.current = appointment.starts_at - 24 * HOUR
    assert (await job()).sent == 2
    owner_message = next(c for c in telegram.calls_of(SendMessage) if c.chat_id == owner_tg)
    assert owner_message.text == _expected(
        texts,
        "msg-appointment-reminder-day-owner",
        appointment.starts_at,
        BERLIN,
        pet="Cat 0",
        other=world.vet.display_name,
    )
    assert owner_message.reply_markup is None

    # Whatever ends the appointment, a reminder of it left pending is not sent.
    await db_session.execute(
        sa.update(AppointmentModel)
        .where(AppointmentModel.id == appointment.id)
        .values(status=AppointmentStatus.CANCELLED_BY_VET)
    )
    await db_session.commit()
    clock.current = appointment.starts_at - HOUR
    report = await job()
    assert report.sent == 0 and report.skipped == {CancelReason.GONE: 2}
    assert len(telegram.calls_of(SendMessage)) == 2
