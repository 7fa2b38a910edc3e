"""Booking end to end through the interactors, on PostgreSQL and SQLite (see `db_url`)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.booking_errors import (
    AppointmentNotCancellableError,
    AppointmentNotFoundError,
    AppointmentNotMovableError,
    AvailabilityExceptionNotFoundError,
    CheckoutDeclineReason,
    NotAVetError,
    SlotTakenError,
)
from core.entities import Appointment, ConsultationTiming
from core.enums import AppointmentStatus, PaymentStatus, SlotStatus
from core.interactors.booking import OpenSlot, PaymentResult, RefundState
from core.payments import STARS_CURRENCY, RefundOutcome, SuccessfulPayment
from core.schedule import WeeklyWindow
from db.models import AppointmentModel
from tests.support.booking import (
    WEEKDAYS_9_TO_12,
    Booking,
    MutableClock,
    RecordingGateway,
    World,
    seed_world,
)

MONDAY = date(2025, 6, 2)
TUESDAY = date(2025, 6, 3)


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
    seeded = await seed_world(db_session, base_telegram_id=9_100_000)
    await booking.publish(seeded.vet.id)
    return seeded


async def _open(booking: Booking, world: World, day: date, owner: int = 0) -> list[OpenSlot]:
    return await booking.list_open(world.owners[owner][0], world.vet.id, day)


async def _hold(booking: Booking, world: World, slot_id: int, owner: int = 0) -> Appointment:
    telegram_id, pet_id = world.owners[owner]
    return await booking.hold(telegram_id, pet_id=pet_id, slot_id=slot_id, reason="sneezing")


def _paid(
    world: World, appointment: Appointment, charge: str, owner: int = 0
) -> SuccessfulPayment:
    return SuccessfulPayment(
        payer_telegram_id=world.owners[owner][0],
        invoice_payload=f"appointment:{appointment.id}",
        currency=STARS_CURRENCY,
        total_amount=appointment.price_amount,
        telegram_payment_charge_id=charge,
    )


async def _book(
    booking: Booking, world: World, day: date, index: int, charge: str, owner: int = 0
) -> Appointment:
    slot = (await _open(booking, world, day, owner))[index]
    held = await _hold(booking, world, slot.slot_id, owner)
    outcome = await booking.confirm(_paid(world, held, charge, owner))
    assert outcome.result is PaymentResult.CONFIRMED
    return held


async def test_hold_pre_checkout_and_payment_confirm_the_appointment_once(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    owner_tg, _ = world.owners[0]
    free = await _open(booking, world, MONDAY)
    assert [slot.local_start.strftime("%H:%M") for slot in free] == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]

    held = await _hold(booking, world, free[0].slot_id)
    assert held.status is AppointmentStatus.HELD
    assert held.hold_expires_at == clock.now() + timedelta(minutes=10)
    assert free[0].slot_id not in [slot.slot_id for slot in await _open(booking, world, MONDAY, 1)]

    invoice = await booking.invoice(owner_tg, held.id)
    assert (invoice.currency, invoice.amount, invoice.provider_token) == ("XTR", 250, None)
    assert invoice.payload == f"appointment:{held.id}"

    decision = await booking.pre_checkout(
        telegram_id=owner_tg, payload=invoice.payload, total_amount=250, currency="XTR"
    )
    assert decision.ok and decision.reason is None

    paid = _paid(world, held, "charge-1")
    outcome = await booking.confirm(paid)
    assert outcome.result is PaymentResult.CONFIRMED
    assert not outcome.duplicate
    confirmed = await booking.appointments.get(held.id)
    assert confirmed is not None and confirmed.status is AppointmentStatus.CONFIRMED

    again = await booking.confirm(paid)  # Telegram redelivers the update
    assert again.result is PaymentResult.CONFIRMED and again.duplicate
    assert again.payment_id == outcome.payment_id
    assert len(await booking.payments.list_for_appointment(held.id)) == 1
    assert gateway.calls == []


async def test_pre_checkout_declines_with_a_reason(
    booking: Booking, world: World, clock: MutableClock
) -> None:
    owner_tg, _ = world.owners[0]
    other_tg, _ = world.owners[1]
    slot = (await _open(booking, world, MONDAY))[0]
    held = await _hold(booking, world, slot.slot_id)
    payload = f"appointment:{held.id}"

    async def reason(telegram_id: int, payload: str, amount: int = 250) -> object:
        decision = await booking.pre_checkout(
            telegram_id=telegram_id, payload=payload, total_amount=amount, currency="XTR"
        )
        assert decision.ok is (decision.reason is None)
        return decision.reason

    assert await reason(owner_tg, payload, amount=200) is CheckoutDeclineReason.PRICE_CHANGED
    assert await reason(other_tg, payload) is CheckoutDeclineReason.NOT_YOURS
    assert await reason(owner_tg, "appointment:999999") is CheckoutDeclineReason.UNKNOWN_INVOICE
    assert await reason(owner_tg, "something else") is CheckoutDeclineReason.UNKNOWN_INVOICE

    clock.advance(minutes=11)
    assert await reason(owner_tg, payload) is CheckoutDeclineReason.HOLD_EXPIRED

    # Another owner takes the freed slot: now it is gone, not just expired.
    await _hold(booking, world, slot.slot_id, owner=1)
    assert await reason(owner_tg, payload) is CheckoutDeclineReason.SLOT_TAKEN


async def test_a_second_hold_on_a_live_hold_is_refused(booking: Booking, world: World) -> None:
    slot = (await _open(booking, world, MONDAY))[0]
    await _hold(booking, world, slot.slot_id)
    with pytest.raises(SlotTakenError):
        await _hold(booking, world, slot.slot_id, owner=1)


async def test_a_new_hold_releases_the_owners_previous_one(booking: Booking, world: World) -> None:
    first, second = (await _open(booking, world, MONDAY))[:2]
    previous = await _hold(booking, world, first.slot_id)
    await _hold(booking, world, second.slot_id)
    released = await booking.appointments.get(previous.id)
    assert released is not None and released.status is AppointmentStatus.EXPIRED
    assert first.slot_id in [slot.slot_id for slot in await _open(booking, world, MONDAY, 1)]


async def test_payment_arriving_after_expiry_keeps_the_slot_if_still_free(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    slot = (await _open(booking, world, MONDAY))[0]
    held = await _hold(booking, world, slot.slot_id)
    clock.advance(minutes=15)
    assert await booking.expire_holds() == 1

    outcome = await booking.confirm(_paid(world, held, "late-charge"))

    assert outcome.result is PaymentResult.CONFIRMED
    assert gateway.calls == []


async def test_payment_for_a_slot_taken_meanwhile_is_refunded(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    slot = (await _open(booking, world, MONDAY))[0]
    first = await _hold(booking, world, slot.slot_id)
    clock.advance(minutes=11)
    second = await _hold(booking, world, slot.slot_id, owner=1)

    outcome = await booking.confirm(_paid(world, first, "charge-late"))

    assert outcome.result is PaymentResult.REFUNDED
    assert outcome.reason is CheckoutDeclineReason.SLOT_TAKEN
    assert gateway.calls == [(world.owners[0][0], "charge-late", "XTR")]
    (payment,) = await booking.payments.list_for_appointment(first.id)
    assert payment.status is PaymentStatus.REFUNDED and payment.refunded_at is not None
    still = await booking.appointments.get(second.id)
    assert still is not None and still.status is AppointmentStatus.HELD
    # The repeated update changes nothing and refunds nothing twice.
    again = await booking.confirm(_paid(world, first, "charge-late"))
    assert again.duplicate and again.result is PaymentResult.REFUNDED
    assert len(gateway.calls) == 1


async def test_owner_cancelling_early_is_refunded(
    booking: Booking, world: World, gateway: RecordingGateway
) -> None:
    appointment = await _book(booking, world, TUESDAY, 0, "charge-early")  # 25 h ahead

    outcome = await booking.cancel_by_owner(world.owners[0][0], appointment.id)

    assert outcome.refund is RefundState.REFUNDED
    assert outcome.appointment.status is AppointmentStatus.CANCELLED_BY_OWNER
    assert outcome.appointment.cancelled_at is not None
    assert gateway.calls == [(world.owners[0][0], "charge-early", "XTR")]
    (payment,) = await booking.payments.list_for_appointment(appointment.id)
    assert payment.status is PaymentStatus.REFUNDED
    # The time is free again for others.
    assert appointment.slot_id in [s.slot_id for s in await _open(booking, world, TUESDAY, 1)]
    with pytest.raises(AppointmentNotCancellableError):
        await booking.cancel_by_owner(world.owners[0][0], appointment.id)


async def test_owner_cancelling_late_gets_no_refund(
    booking: Booking, world: World, gateway: RecordingGateway
) -> None:
    appointment = await _book(booking, world, MONDAY, 0, "charge-late-cancel")  # 1 h ahead

    outcome = await booking.cancel_by_owner(world.owners[0][0], appointment.id)

    assert outcome.refund is RefundState.NOT_DUE
    assert outcome.appointment.status is AppointmentStatus.CANCELLED_BY_OWNER
    assert gateway.calls == []
    (payment,) = await booking.payments.list_for_appointment(appointment.id)
    assert payment.status is PaymentStatus.PAID


async def test_only_the_booking_owner_may_cancel(booking: Booking, world: World) -> None:
    appointment = await _book(booking, world, TUESDAY, 0, "charge-mine")
    with pytest.raises(AppointmentNotFoundError):
        await booking.cancel_by_owner(world.owners[1][0], appointment.id)


async def test_vet_cancellation_always_refunds_and_withdraws_the_slot(
    booking: Booking, world: World, gateway: RecordingGateway
) -> None:
    appointment = await _book(booking, world, MONDAY, 1, "charge-vet")  # late: still refunded

    outcome = await booking.cancel_by_vet(
        world.vet_telegram_id,
        appointment.id,
        reason="Я заболела",
        offered_reason="lbl-money-vet-reason-emergency",
    )

    assert outcome.refund is RefundState.REFUNDED
    assert outcome.appointment.status is AppointmentStatus.CANCELLED_BY_VET
    assert gateway.calls == [(world.owners[0][0], "charge-vet", "XTR")]
    # The owner is told through the port, after the commit: the money, and the offered reason
    # by its key (read in the owner's language), not the vet's words for it.
    [(owner, told)] = booking.notices.owners_told
    assert owner.telegram_id == world.owners[0][0]
    assert (told.appointment_id, told.refund, told.no_show) == (
        appointment.id,
        RefundState.REFUNDED,
        False,
    )
    assert (told.reason, told.offered_reason) == (None, "lbl-money-vet-reason-emergency")
    slot = await booking.slots.get(appointment.slot_id)
    assert slot is not None and slot.status is SlotStatus.CLOSED
    with pytest.raises(NotAVetError):
        await booking.cancel_by_vet(world.owners[1][0], appointment.id)


async def test_vet_no_show_is_refunded_automatically(
    db_session: AsyncSession,
    booking: Booking,
    world: World,
    clock: MutableClock,
    gateway: RecordingGateway,
) -> None:
    missed = await _book(booking, world, MONDAY, 0, "charge-missed")  # 09:00
    attended = await _book(booking, world, MONDAY, 0, "charge-attended", owner=1)  # 09:30
    clock.advance(hours=1, minutes=5)  # 09:05 Moscow: the vet may still come
    assert await booking.no_show() == []
    await db_session.execute(
        sa.update(AppointmentModel)
        .where(AppointmentModel.id == attended.id)
        .values(vet_joined_at=clock.now() + timedelta(minutes=25))
    )

    clock.advance(minutes=40)  # 09:45: 45 min after the first start, 15 after the second
    outcomes = await booking.no_show()

    assert [(o.appointment.id, o.refund) for o in outcomes] == [(missed.id, RefundState.REFUNDED)]
    assert outcomes[0].appointment.status is AppointmentStatus.NO_SHOW_VET
    assert gateway.calls == [(world.owners[0][0], "charge-missed", "XTR")]
    [(owner, told)] = booking.notices.owners_told  # the apology, once
    assert (owner.telegram_id, told.appointment_id, told.no_show) == (
        world.owners[0][0],
        missed.id,
        True,
    )
    assert await booking.no_show() == []
    assert len(booking.notices.owners_told) == 1


async def test_charge_already_refunded_counts_as_done(
    booking: Booking, world: World, gateway: RecordingGateway
) -> None:
    appointment = await _book(booking, world, TUESDAY, 0, "charge-twice")
    gateway.answers.append(RefundOutcome.already_refunded())

    outcome = await booking.cancel_by_vet(world.vet_telegram_id, appointment.id)

    assert outcome.refund is RefundState.REFUNDED
    (payment,) = await booking.payments.list_for_appointment(appointment.id)
    assert payment.status is PaymentStatus.REFUNDED and payment.refund_error is None


async def test_failed_refunds_are_recorded_and_retried(
    booking: Booking, world: World, gateway: RecordingGateway
) -> None:
    retried = await _book(booking, world, TUESDAY, 0, "charge-retry")
    manual = await _book(booking, world, TUESDAY, 1, "charge-manual", owner=1)
    gateway.answers += [
        RefundOutcome.failed("Too Many Requests", retryable=True),
        RefundOutcome.failed("provider_refund_unsupported"),
    ]

    first = await booking.cancel_by_vet(world.vet_telegram_id, retried.id)
    second = await booking.cancel_by_vet(world.vet_telegram_id, manual.id)

    assert (first.refund, second.refund) == (RefundState.PENDING, RefundState.FAILED)
    (pending,) = await booking.payments.list_for_appointment(retried.id)
    assert pending.status is PaymentStatus.REFUND_PENDING
    assert pending.refund_error == "Too Many Requests"
    (failed,) = await booking.payments.list_for_appointment(manual.id)
    assert failed.status is PaymentStatus.REFUND_FAILED
    assert failed.refund_error == "provider_refund_unsupported"

    assert await booking.retry_refunds() == 1
    (done,) = await booking.payments.list_for_appointment(retried.id)
    assert done.status is PaymentStatus.REFUNDED
    assert await booking.retry_refunds() == 0


async def test_schedule_edits_republish_slots_and_keep_booked_ones(
    booking: Booking, world: World, clock: MutableClock
) -> None:
    booked = await _book(booking, world, MONDAY, 2, "charge-kept")  # Monday 10:00–10:30

    # Mondays only, afternoons, one-hour consultations with a 15-minute pause.
    result = await booking.set_template(
        world.vet_telegram_id,
        [WeeklyWindow(0, time(14), time(17))],
        ConsultationTiming(consultation_minutes=60, buffer_minutes=15),
    )

    assert result.added >= 2 and result.closed > 0
    monday = await _open(booking, world, MONDAY, 1)
    assert [s.local_start.strftime("%H:%M") for s in monday] == ["14:00", "15:15"]
    assert await _open(booking, world, TUESDAY, 1) == []
    kept = await booking.appointments.get(booked.id)
    assert kept is not None and kept.status is AppointmentStatus.CONFIRMED
    slot = await booking.slots.get(booked.slot_id)
    assert slot is not None and slot.status is SlotStatus.OPEN

    # Back to the mornings: closed slots open again, none overlaps the booked one.
    await booking.set_template(world.vet_telegram_id, WEEKDAYS_9_TO_12, ConsultationTiming(30, 0))
    monday = await _open(booking, world, MONDAY, 1)
    assert [s.local_start.strftime("%H:%M") for s in monday] == [
        "09:00",
        "09:30",
        "10:30",
        "11:00",
        "11:30",
    ]

    # A day off over Tuesday closes its slots; extra hours on Saturday add some.
    tuesday_start = clock.now() + timedelta(days=1) - timedelta(hours=8)
    added = await booking.add_exception(
        world.vet_telegram_id,
        starts_at=tuesday_start,
        ends_at=tuesday_start + timedelta(days=1),
        is_available=False,
        reason="conference",
    )
    assert added.conflicting == ()
    assert await _open(booking, world, TUESDAY, 1) == []
    saturday_noon = clock.now() + timedelta(days=5, hours=4)
    extra = await booking.add_exception(
        world.vet_telegram_id,
        starts_at=saturday_noon,
        ends_at=saturday_noon + timedelta(hours=1),
        is_available=True,
    )
    saturday = await _open(booking, world, date(2025, 6, 7), 1)
    assert [s.local_start.strftime("%H:%M") for s in saturday] == ["12:00", "12:30"]
    removed = await booking.remove_exception(world.vet_telegram_id, extra.exception.id)
    assert removed.closed == 2
    assert await _open(booking, world, date(2025, 6, 7), 1) == []
    with pytest.raises(AvailabilityExceptionNotFoundError):
        await booking.remove_exception(world.vet_telegram_id, extra.exception.id)

    # Time off over the booked consultation reports it for the vet to decide.
    conflict = await booking.add_exception(
        world.vet_telegram_id,
        starts_at=booked.starts_at - timedelta(minutes=5),
        ends_at=booked.starts_at + timedelta(minutes=5),
        is_available=False,
    )
    assert [a.id for a in conflict.conflicting] == [booked.id]


async def test_publishing_twice_changes_nothing(booking: Booking, world: World) -> None:
    again = await booking.publish(world.vet.id)
    assert (again.added, again.reopened, again.closed) == (0, 0, 0)


async def test_a_confirmed_appointment_moves_to_another_time_with_its_payment(
    booking: Booking, world: World, clock: MutableClock, gateway: RecordingGateway
) -> None:
    owner_tg, _ = world.owners[0]
    booked = await _book(booking, world, MONDAY, 0, "charge-move")  # 09:00
    later = (await _open(booking, world, TUESDAY))[2]  # Tuesday 10:00

    moved = await booking.reschedule(owner_tg, booked.id, later.slot_id)

    assert moved.status is AppointmentStatus.CONFIRMED
    assert (moved.slot_id, moved.starts_at) == (later.slot_id, later.starts_at)
    # Monday 09:00 is free for others again; nothing was refunded or charged.
    assert booked.slot_id in [slot.slot_id for slot in await _open(booking, world, MONDAY, 1)]
    assert gateway.calls == []
    [payment] = await booking.payments.list_for_appointment(booked.id)
    assert payment.telegram_payment_charge_id == "charge-move"


async def test_moving_onto_a_taken_time_or_after_the_start_is_refused(
    booking: Booking, world: World, clock: MutableClock
) -> None:
    owner_tg, _ = world.owners[0]
    mine = await _book(booking, world, MONDAY, 0, "charge-mine")
    theirs = await _book(booking, world, MONDAY, 1, "charge-theirs", owner=1)
    with pytest.raises(SlotTakenError):
        await booking.reschedule(owner_tg, mine.id, theirs.slot_id)
    # Someone else's appointment is not the caller's to move.
    free = (await _open(booking, world, TUESDAY))[0]
    with pytest.raises(AppointmentNotFoundError):
        await booking.reschedule(owner_tg, theirs.id, free.slot_id)
    clock.current = mine.starts_at + timedelta(minutes=1)
    with pytest.raises(AppointmentNotMovableError):
        await booking.reschedule(owner_tg, mine.id, free.slot_id)
