"""Issue #10, money rules: refunds after a reschedule, account deletion, cancelled holds, the
paying window after payment, the refund rule shown before paying, a vet's cancellation.

Interactor tests run on PostgreSQL and SQLite (`db_url`); the chat tests through
aiogram-dialog's BotClient on SQLite, like tests/integration/test_booking_dialog.py.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from aiogram.methods import SendInvoice, SendMessage
from aiogram.types import Message
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from aiogram_i18n.cores import FluentRuntimeCore
from sqlalchemy.ext.asyncio import AsyncSession

from core.booking_errors import ReasonTooLongError
from core.config import Settings
from core.entities import Appointment
from core.enums import AppointmentStatus
from core.interactors.booking import ExpireHolds, OpenSlot, PaymentResult, RefundState
from core.payments import STARS_CURRENCY, SuccessfulPayment
from core.ports.repositories import AppointmentRepository, SlotRepository, UserRepository
from tests.integration.test_booking_dialog import (
    SUNDAY_NOON,
    VET_NAME,
    VET_TELEGRAM_ID,
    FixedClockProvider,
    _add_pet,
    _add_vet,
    _book_until_summary,
    _pay_button,
    _pre_checkout,
    _successful_payment,
    _tap,
    chat_first_time,
)
from tests.support.booking import Booking, MutableClock, RecordingGateway, World, seed_world
from tests.support.chatting import USER_ID, Chatting, load_texts, open_chat
from tests.support.time_zones import choose_time_zone

MONDAY = date(2025, 6, 2)
TUESDAY = date(2025, 6, 3)
FRIDAY = date(2025, 6, 6)


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()  # Monday 08:00 in Moscow (05:00 UTC)


@pytest.fixture
def gateway() -> RecordingGateway:
    return RecordingGateway()


@pytest.fixture
def booking(db_session: AsyncSession, clock: MutableClock, gateway: RecordingGateway) -> Booking:
    return Booking(db_session, clock, gateway)


@pytest.fixture
async def world(db_session: AsyncSession, booking: Booking) -> World:
    seeded = await seed_world(db_session, base_telegram_id=9_300_000)
    await booking.publish(seeded.vet.id)
    return seeded


async def _open(booking: Booking, world: World, day: date) -> list[OpenSlot]:
    return await booking.list_open(world.owners[0][0], world.vet.id, day)


async def _book(booking: Booking, world: World, day: date, charge: str) -> Appointment:
    telegram_id, pet_id = world.owners[0]
    slot = (await _open(booking, world, day))[0]
    held = await booking.hold(telegram_id, pet_id=pet_id, slot_id=slot.slot_id)
    outcome = await booking.confirm(
        SuccessfulPayment(
            payer_telegram_id=telegram_id,
            invoice_payload=f"appointment:{held.id}",
            currency=STARS_CURRENCY,
            total_amount=held.price_amount,
            telegram_payment_charge_id=charge,
        )
    )
    assert outcome.result is PaymentResult.CONFIRMED
    return held


# --- 1. reschedule + cancel: the deadline of the earliest start holds -----------------------


async def test_moving_after_the_cutoff_then_cancelling_refunds_nothing(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    owner_tg, _ = world.owners[0]
    booked = await _book(booking, world, TUESDAY, "charge-late-move")  # Tue 09:00 Moscow
    # 12.6 h before Tuesday's start: past the 24-hour cutoff. Move to Friday, then cancel.
    clock.current = booked.starts_at - timedelta(hours=12.6)
    friday = (await _open(booking, world, FRIDAY))[0]
    moved = await booking.reschedule(owner_tg, booked.id, friday.slot_id)
    assert moved.starts_at - clock.now() > timedelta(hours=24)

    outcome = await booking.cancel_by_owner(owner_tg, booked.id)

    assert outcome.refund is RefundState.NOT_DUE
    assert outcome.appointment.status is AppointmentStatus.CANCELLED_BY_OWNER
    assert gateway.calls == []


async def test_moving_later_keeps_the_first_deadline_and_moving_earlier_brings_it_forward(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    owner_tg, _ = world.owners[0]
    booked = await _book(booking, world, TUESDAY, "charge-moves")  # deadline Mon 09:00 Moscow
    friday = (await _open(booking, world, FRIDAY))[0]
    moved = await booking.reschedule(owner_tg, booked.id, friday.slot_id)
    assert moved.refund_until == booked.starts_at - timedelta(hours=24)

    # Before Tuesday's deadline: still the full refund.
    clock.current = booked.starts_at - timedelta(hours=25)
    outcome = await booking.cancel_by_owner(owner_tg, booked.id)
    assert outcome.refund is RefundState.REFUNDED
    assert gateway.refunded_charges == ["charge-moves"]


async def test_a_move_to_an_earlier_time_takes_that_times_deadline(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    owner_tg, _ = world.owners[0]
    booked = await _book(booking, world, FRIDAY, "charge-earlier")
    tuesday = (await _open(booking, world, TUESDAY))[0]
    await booking.reschedule(owner_tg, booked.id, tuesday.slot_id)
    # 23 h before Tuesday: inside Tuesday's cutoff, though days before Friday's.
    clock.current = tuesday.starts_at - timedelta(hours=23)
    outcome = await booking.cancel_by_owner(owner_tg, booked.id)
    assert outcome.refund is RefundState.NOT_DUE
    assert gateway.calls == []


# --- 6. a vet's cancellation carries a bounded reason and refunds in full ---------------------


async def test_a_vets_cancellation_with_an_overlong_reason_changes_nothing(
    booking: Booking, world: World, gateway: RecordingGateway
) -> None:
    booked = await _book(booking, world, TUESDAY, "charge-vet")
    with pytest.raises(ReasonTooLongError):
        await booking.cancel_by_vet(world.vet_telegram_id, booked.id, reason="x" * 301)
    with pytest.raises(ReasonTooLongError):
        await booking.cancel_by_vet(world.vet_telegram_id, booked.id, reason="   ")
    assert gateway.calls == []
    outcome = await booking.cancel_by_vet(world.vet_telegram_id, booked.id, reason="I am ill")
    assert outcome.appointment.status is AppointmentStatus.CANCELLED_BY_VET
    assert outcome.refund is RefundState.REFUNDED
    assert gateway.refunded_charges == ["charge-vet"]


# --- the chat: the paying window (3, 4, 5) ---------------------------------------------------


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
def sunday_clock() -> MutableClock:
    return MutableClock(SUNDAY_NOON)


@pytest.fixture
async def chat(settings: Settings, sunday_clock: MutableClock) -> AsyncIterator[Chatting]:
    async with open_chat(settings, FixedClockProvider(sunday_clock)) as opened:
        await opened.send("/start")
        await opened.click("🇬🇧 English")
        await opened.click("Continue ▶️")
        await opened.click("✅ I agree")
        await choose_time_zone(opened)  # booking asks nothing (its own test: booking dialog)
        yield opened


async def _paying(chat: Chatting, texts: FluentRuntimeCore) -> tuple[SendInvoice, Message]:
    """Booked Tuesday 07:00 Moscow (43 h ahead), the invoice sent; the paying window."""
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat, "Tue 3 Jun")
    invoice = await _pay_button(chat, texts)
    return invoice, chat.window()


async def _status(chat: Chatting, invoice: SendInvoice) -> AppointmentStatus:
    async with chat.container() as request:
        found = await (await request.get(AppointmentRepository)).get(
            int(invoice.payload.split(":")[1])
        )
    assert found is not None
    status: AppointmentStatus = found.status
    return status


async def _click(chat: Chatting, message: Message, text: str) -> None:
    chat.messages.reset_history()
    chat.session.reset()
    await chat.client.click(message, InlineButtonTextLocator(re.escape(text)))


def _refunds(chat: Chatting) -> int:
    return [type(call).__name__ for call in chat.session.calls].count("RefundStarPayment")


async def test_the_refund_rule_of_the_slot_is_shown_before_paying(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    _, paying = await _paying(chat, texts)
    # Tuesday 07:00 Moscow: a full refund until Monday 07:00, in the owner's zone.
    assert texts.get(
        "msg-payment-refund-until",
        "en",
        refund_date="Mon 2 Jun",
        refund_time="07:00",
        zone="MSK (UTC+3)",
        cutoff_hours=24,
    ) in (paying.text or "")


async def test_the_refund_rule_says_no_refund_for_a_slot_inside_the_cutoff(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat, "Mon 2 Jun")  # 16 h ahead
    await _pay_button(chat, texts)
    assert texts.get("msg-payment-refund-none", "en", cutoff_hours=24) in (
        chat.window().text or ""
    )


async def test_cancel_in_the_paying_window_releases_the_hold_and_voids_its_invoice(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    invoice, paying = await _paying(chat, texts)

    await _click(chat, paying, texts.get("btn-booking-cancel", "en"))

    assert chat.session.sent_texts() == [texts.get("msg-money-hold-released", "en")]
    assert await _status(chat, invoice) is AppointmentStatus.CANCELLED_BY_OWNER
    # The old invoice is declined before any money moves...
    answer = await _pre_checkout(chat, invoice, "q-after-cancel")
    assert answer.ok is False
    assert answer.error_message == texts.get("err-payment-cancelled", "en")
    # ...and a payment that comes anyway is refunded, with the owner told why.
    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-after-cancel")
    assert _refunds(chat) == 1
    told = [call.text for call in chat.session.calls_of(SendMessage) if call.chat_id == USER_ID]
    assert told == [texts.get("msg-money-paid-after-cancel-refunded", "en")]
    assert await _status(chat, invoice) is AppointmentStatus.CANCELLED_BY_OWNER


async def test_another_time_in_the_paying_window_releases_the_hold_first(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    invoice, paying = await _paying(chat, texts)
    await _click(chat, paying, texts.get("btn-booking-other-time", "en"))
    assert (chat.window().text or "").startswith(texts.get("msg-booking-day", "en"))
    assert await _status(chat, invoice) is AppointmentStatus.CANCELLED_BY_OWNER
    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-old-invoice")
    assert _refunds(chat) == 1


@pytest.mark.parametrize("button", ["btn-booking-other-time", "btn-booking-cancel"])
async def test_the_paying_windows_buttons_after_payment_say_paid_and_book_nothing(
    chat: Chatting, texts: FluentRuntimeCore, button: str
) -> None:
    invoice, paying = await _paying(chat, texts)
    await _successful_payment(chat, invoice, "charge-paid")
    assert await _status(chat, invoice) is AppointmentStatus.CONFIRMED

    await _click(chat, paying, texts.get(button, "en"))

    assert chat.session.sent_texts() == [texts.get("msg-money-booking-already-paid", "en")]
    assert await _status(chat, invoice) is AppointmentStatus.CONFIRMED
    assert _refunds(chat) == 0
    assert chat.session.calls_of(SendInvoice) == []
    # No booking window came back: nothing starts from the old message.
    assert all(
        not (message.text or "").startswith(texts.get("msg-booking-day", "en"))
        for message in chat.messages.sent_messages
    )


async def test_the_paying_windows_buttons_after_the_hold_expired_say_closed(
    chat: Chatting, texts: FluentRuntimeCore, sunday_clock: MutableClock
) -> None:
    invoice, paying = await _paying(chat, texts)
    sunday_clock.advance(minutes=30)
    async with chat.container() as request:
        await (await request.get(ExpireHolds))()
    await _click(chat, paying, texts.get("btn-booking-other-time", "en"))
    assert chat.session.sent_texts() == [texts.get("msg-money-booking-closed", "en")]
    assert all(
        not (message.text or "").startswith(texts.get("msg-booking-day", "en"))
        for message in chat.messages.sent_messages
    )
    # The owner left it: its invoice, paid late with the slot still free, no longer books.
    assert await _status(chat, invoice) is AppointmentStatus.CANCELLED_BY_OWNER
    chat.session.reset()
    await _successful_payment(chat, invoice, "charge-after-expiry")
    assert _refunds(chat) == 1


# --- 2. /delete_me with a paid booking ahead -------------------------------------------------


async def _delete_me(chat: Chatting) -> None:
    await chat.send("/delete_me")
    await chat.click("Continue ▶️")
    chat.session.reset()
    await chat.click("🗑 Yes, delete everything")


def _to_vet(chat: Chatting) -> list[str]:
    return [
        call.text for call in chat.session.calls_of(SendMessage) if call.chat_id == VET_TELEGRAM_ID
    ]


async def _slot_is_open(chat: Chatting, invoice: SendInvoice) -> bool:
    async with chat.container() as request:
        appointment = await (await request.get(AppointmentRepository)).get(
            int(invoice.payload.split(":")[1])
        )
        if appointment is None:  # gone with the account: the slot decides
            return True
        slot = await (await request.get(SlotRepository)).get(appointment.slot_id)
        active = await (await request.get(AppointmentRepository)).get_active_for_slot(
            appointment.slot_id
        )
    return slot is not None and active is None


@pytest.mark.parametrize(
    ("day", "refunds", "starts"),
    [("Tue 3 Jun", 1, "Tue 3 Jun 09:00"), ("Mon 2 Jun", 0, "Mon 2 Jun 09:00")],
    ids=["before-the-cutoff-refunded", "inside-the-cutoff-not-refunded"],
)
async def test_deleting_the_account_cancels_a_paid_booking_by_the_refund_rule_and_tells_the_vet(
    chat: Chatting, texts: FluentRuntimeCore, day: str, refunds: int, starts: str
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat, day)
    invoice = await _pay_button(chat, texts)
    await _successful_payment(chat, invoice, f"charge-delete-{refunds}")
    async with chat.container() as request:
        owner = await (await request.get(UserRepository)).get_by_telegram_id(USER_ID)
        assert owner is not None
        [appointment] = await (await request.get(AppointmentRepository)).list_for_owner(owner.id)
    assert appointment.status is AppointmentStatus.CONFIRMED

    await _delete_me(chat)

    assert _refunds(chat) == refunds
    [told] = _to_vet(chat)
    # The vet's own language and zone (Yekaterinburg: the owner's 07:00 is the vet's 09:00).
    date_part, time_part = starts.rsplit(" ", 1)
    assert told == texts.get(
        "msg-money-vet-owner-left",
        "en",
        owner=f"User_{USER_ID}",
        pet="Murka",
        date=date_part,
        time=time_part,
        zone="UTC+5",  # as people name it (dialogs/widgets/zone_labels.py)
    )
    assert await _slot_is_open(chat, invoice)


async def test_after_a_move_the_cancel_question_shows_the_first_deadline(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    await _add_pet(chat)
    await _add_vet(chat)
    await _book_until_summary(chat, "Tue 3 Jun")  # refundable until Mon 2 Jun 07:00 Moscow
    invoice = await _pay_button(chat, texts)
    await _successful_payment(chat, invoice, "charge-move-card")
    await chat.send("/appointments")
    await _tap(chat, VET_NAME)
    await _tap(chat, texts.get("btn-appointment-reschedule", "en"))
    await _tap(chat, "Thu 5 Jun")
    await _tap(chat, chat_first_time(chat))
    await _tap(chat, texts.get("btn-booking-move", "en"))

    await chat.send("/appointments")
    await _tap(chat, VET_NAME)
    first_deadline = texts.get(
        "msg-payment-refund-until",
        "en",
        refund_date="Mon 2 Jun",
        refund_time="07:00",
        zone="MSK (UTC+3)",
        cutoff_hours=24,
    )
    card = chat.window().text or ""
    assert first_deadline in card
    assert texts.get("msg-money-move-keeps-deadline", "en") in card
    await _tap(chat, texts.get("btn-appointment-cancel", "en"))
    assert first_deadline in (chat.window().text or "")
