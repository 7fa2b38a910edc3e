"""Booking repositories and their constraints, on PostgreSQL and SQLite (see `db_url`)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import ConsultationTiming
from core.enums import AppointmentStatus, PaymentStatus, SlotStatus
from core.ports.repositories import DuplicateEntityError, EntityNotFoundError
from db.models import AppointmentModel, VetModel
from db.repositories import SqlUserRepository
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.availability import SqlAvailabilityRepository
from db.repositories.payments import SqlPaymentRepository
from db.repositories.slots import SqlSlotRepository
from tests.support.booking import World, seed_world

NOW = datetime(2025, 6, 2, 5, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=4)


async def _world(session: AsyncSession) -> World:
    return await seed_world(session, base_telegram_id=9_200_000)


async def _slot(session: AsyncSession, world: World, starts_at: datetime = LATER) -> int:
    slot = await SqlSlotRepository(session).add(
        vet_id=world.vet.id, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=30)
    )
    return slot.id


async def _owner_user_id(session: AsyncSession, world: World, owner: int = 0) -> int:
    user = await SqlUserRepository(session).get_by_telegram_id(world.owners[owner][0])
    assert user is not None
    return user.id


async def _hold(
    session: AsyncSession,
    world: World,
    slot_id: int,
    owner: int = 0,
    expires_at: datetime = NOW + timedelta(minutes=10),
) -> int:
    appointment = await SqlAppointmentRepository(session).add_hold(
        slot_id=slot_id,
        vet_id=world.vet.id,
        owner_user_id=await _owner_user_id(session, world, owner),
        pet_id=world.owners[owner][1],
        reason="limping",
        check_id=None,
        price_amount=250,
        currency="XTR",
        hold_expires_at=expires_at,
    )
    return appointment.id


async def test_weekly_rules_are_replaced_whole_and_listed_in_order(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    availability = SqlAvailabilityRepository(db_session)

    stored = await availability.replace_rules(
        world.vet.id, [(2, time(14), time(18)), (0, time(9), time(12)), (0, time(13), time(15))]
    )

    listed = await availability.list_rules(world.vet.id)
    assert listed == stored
    assert [(r.weekday, r.start_time, r.end_time) for r in listed] == [
        (0, time(9), time(12)),
        (0, time(13), time(15)),
        (2, time(14), time(18)),
    ]
    await availability.replace_rules(world.vet.id, [])
    assert await availability.list_rules(world.vet.id) == []


async def test_exceptions_are_found_by_overlap_and_deleted(db_session: AsyncSession) -> None:
    world = await _world(db_session)
    availability = SqlAvailabilityRepository(db_session)
    off = await availability.add_exception(
        world.vet.id, starts_at=NOW, ends_at=NOW + timedelta(days=1), is_available=False
    )
    extra = await availability.add_exception(
        world.vet.id,
        starts_at=NOW + timedelta(days=3),
        ends_at=NOW + timedelta(days=3, hours=2),
        is_available=True,
        reason="Saturday clinic",
    )

    found = await availability.list_exceptions(
        world.vet.id, start=NOW + timedelta(hours=12), end=NOW + timedelta(days=5)
    )
    assert found == [off, extra]
    assert (
        await availability.list_exceptions(
            world.vet.id, start=NOW + timedelta(days=1), end=NOW + timedelta(days=3)
        )
        == []
    )  # touching ends do not overlap
    assert await availability.get_exception(extra.id) == extra

    await availability.delete_exception(off.id)
    assert await availability.get_exception(off.id) is None
    with pytest.raises(EntityNotFoundError):
        await availability.delete_exception(off.id)


async def test_timing_defaults_to_no_buffer_and_is_stored(db_session: AsyncSession) -> None:
    world = await _world(db_session)
    availability = SqlAvailabilityRepository(db_session)

    assert await availability.get_timing(world.vet.id) == ConsultationTiming(30, 0)
    await availability.set_timing(world.vet.id, ConsultationTiming(45, 15))
    assert await availability.get_timing(world.vet.id) == ConsultationTiming(45, 15)
    with pytest.raises(EntityNotFoundError):
        await availability.get_timing(999_999)
    with pytest.raises(EntityNotFoundError):
        await availability.set_timing(999_999, ConsultationTiming(45, 15))


async def test_buffer_column_has_a_server_default(db_session: AsyncSession) -> None:
    world = await _world(db_session)
    buffer = await db_session.scalar(
        sa.select(VetModel.buffer_minutes).where(VetModel.id == world.vet.id)
    )
    assert buffer == 0


async def test_a_duplicate_slot_is_refused_and_the_session_survives(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    slots = SqlSlotRepository(db_session)
    slot_id = await _slot(db_session, world)

    with pytest.raises(DuplicateEntityError):
        await _slot(db_session, world)

    slot = await slots.get(slot_id)
    assert slot is not None and slot.status is SlotStatus.OPEN
    assert slot.starts_at == LATER and slot.starts_at.tzinfo is UTC


async def test_an_added_slot_is_what_was_stored(db_session: AsyncSession) -> None:
    # add() answers from its INSERT ... RETURNING, not from a loaded row: the two must agree.
    world = await _world(db_session)
    slots = SqlSlotRepository(db_session)
    moscow = LATER.astimezone(timezone(timedelta(hours=3)))
    added = await slots.add(
        vet_id=world.vet.id, starts_at=moscow, ends_at=moscow + timedelta(minutes=30)
    )

    assert added == await slots.get(added.id)
    assert added.starts_at == LATER and added.starts_at.tzinfo is UTC
    assert added.status is SlotStatus.OPEN and added.created_at.tzinfo is UTC


async def test_another_vets_slot_at_the_same_time_is_no_duplicate(
    db_session: AsyncSession,
) -> None:
    # The conflict that add() skips is the (vet, start) pair, not the start alone.
    world = await _world(db_session)
    other = await seed_world(db_session, base_telegram_id=9_210_000)
    first = await _slot(db_session, world)
    second = await _slot(db_session, other)

    assert first != second
    every = await SqlSlotRepository(db_session).list_for_vet(
        other.vet.id, start=NOW, end=NOW + timedelta(days=1)
    )
    assert [slot.id for slot in every] == [second]


async def test_open_slots_exclude_booked_and_live_holds_but_not_lapsed_ones(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    slots = SqlSlotRepository(db_session)
    ids = [await _slot(db_session, world, LATER + timedelta(minutes=30 * i)) for i in range(5)]
    await _hold(db_session, world, ids[0])  # live
    await _hold(db_session, world, ids[1], expires_at=NOW - timedelta(minutes=1))  # lapsed
    confirmed = await _hold(db_session, world, ids[2])
    assert await SqlAppointmentRepository(db_session).confirm(confirmed, confirmed_at=NOW)
    assert await slots.close_if_free(ids[3])
    past = await _slot(db_session, world, NOW - timedelta(hours=1))

    found = await slots.list_open(
        world.vet.id, start=NOW - timedelta(days=1), end=NOW + timedelta(days=1), now=NOW
    )

    assert [slot.id for slot in found] == [ids[1], ids[4]]
    assert await slots.list_occupied_ids([*ids, past]) == {ids[0], ids[1], ids[2]}
    every = await slots.list_for_vet(world.vet.id, start=NOW, end=NOW + timedelta(days=1))
    assert [slot.id for slot in every] == ids


async def test_an_occupied_slot_cannot_be_closed_and_a_closed_one_reopens(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    slots = SqlSlotRepository(db_session)
    held_slot, free_slot = (
        await _slot(db_session, world),
        await _slot(db_session, world, LATER + timedelta(hours=1)),
    )
    await _hold(db_session, world, held_slot)

    assert not await slots.close_if_free(held_slot)
    assert await slots.close_if_free(free_slot)
    closed = await slots.get(free_slot)
    assert closed is not None and closed.status is SlotStatus.CLOSED

    new_end = LATER + timedelta(hours=2)
    await slots.reopen(free_slot, ends_at=new_end)
    reopened = await slots.get(free_slot)
    assert reopened is not None and reopened.status is SlotStatus.OPEN
    assert reopened.ends_at == new_end
    with pytest.raises(EntityNotFoundError):
        await slots.reopen(999_999, ends_at=new_end)


async def test_one_active_appointment_per_slot_and_holds_expire(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    appointments = SqlAppointmentRepository(db_session)
    slot_id = await _slot(db_session, world)
    first = await _hold(db_session, world, slot_id)

    with pytest.raises(DuplicateEntityError):
        await _hold(db_session, world, slot_id, owner=1)

    assert await appointments.expire_holds(now=NOW, slot_id=slot_id) == 0  # still live
    assert await appointments.expire_holds(now=NOW + timedelta(minutes=10), slot_id=slot_id) == 1
    expired = await appointments.get(first)
    assert expired is not None and expired.status is AppointmentStatus.EXPIRED
    second = await _hold(db_session, world, slot_id, owner=1)
    active = await appointments.get_active_for_slot(slot_id)
    assert active is not None and active.id == second
    assert active.starts_at == LATER and active.ends_at == LATER + timedelta(minutes=30)


async def test_confirming_revives_an_expired_hold_only_while_the_slot_is_free(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    appointments = SqlAppointmentRepository(db_session)
    slot_id = await _slot(db_session, world)
    lapsed = await _hold(db_session, world, slot_id, expires_at=NOW)
    await appointments.expire_holds(now=NOW)
    taker = await _hold(db_session, world, slot_id, owner=1)

    with pytest.raises(DuplicateEntityError):
        await appointments.confirm(lapsed, confirmed_at=NOW)

    # The session is still usable; the live hold confirms; the lapsed one stays expired.
    assert await appointments.confirm(taker, confirmed_at=NOW)
    assert not await appointments.confirm(taker, confirmed_at=NOW)  # already confirmed
    confirmed = await appointments.get(taker)
    assert confirmed is not None and confirmed.confirmed_at == NOW
    still = await appointments.get(lapsed)
    assert still is not None and still.status is AppointmentStatus.EXPIRED

    # Cancelled, the slot is free: the expired appointment may come back.
    assert await appointments.set_status(
        taker,
        status=AppointmentStatus.CANCELLED_BY_OWNER,
        expected=[AppointmentStatus.CONFIRMED],
        at=NOW,
    )
    assert await appointments.confirm(lapsed, confirmed_at=NOW)


async def test_confirming_refuses_a_closed_or_started_slot(db_session: AsyncSession) -> None:
    world = await _world(db_session)
    appointments = SqlAppointmentRepository(db_session)
    slot_id = await _slot(db_session, world)
    held = await _hold(db_session, world, slot_id)

    assert not await appointments.confirm(held, confirmed_at=LATER)  # the slot has begun
    await db_session.execute(
        sa.update(AppointmentModel)
        .where(AppointmentModel.id == held)
        .values(status=AppointmentStatus.EXPIRED)
    )
    assert await SqlSlotRepository(db_session).close_if_free(slot_id)
    assert not await appointments.confirm(held, confirmed_at=NOW)


async def test_status_changes_are_conditional_and_stamped(db_session: AsyncSession) -> None:
    world = await _world(db_session)
    appointments = SqlAppointmentRepository(db_session)
    held = await _hold(db_session, world, await _slot(db_session, world))

    assert not await appointments.set_status(
        held,
        status=AppointmentStatus.CANCELLED_BY_VET,
        expected=[AppointmentStatus.CONFIRMED],
        at=NOW,
    )
    assert await appointments.set_status(
        held, status=AppointmentStatus.CANCELLED_BY_VET, expected=[AppointmentStatus.HELD], at=NOW
    )
    cancelled = await appointments.get(held)
    assert cancelled is not None
    assert (cancelled.status, cancelled.cancelled_at) == (AppointmentStatus.CANCELLED_BY_VET, NOW)


async def test_holds_are_extended_and_an_owners_other_holds_released(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    appointments = SqlAppointmentRepository(db_session)
    first = await _hold(db_session, world, await _slot(db_session, world))
    second = await _hold(
        db_session, world, await _slot(db_session, world, LATER + timedelta(hours=1))
    )

    until = NOW + timedelta(minutes=30)
    assert await appointments.extend_hold(second, until=until)
    assert await appointments.extend_hold(second, until=NOW)  # never shortened
    extended = await appointments.get(second)
    assert extended is not None and extended.hold_expires_at == until

    owner_id = await _owner_user_id(db_session, world)
    assert await appointments.release_holds_of_owner(owner_id, except_id=second) == 1
    released = await appointments.get(first)
    assert released is not None and released.status is AppointmentStatus.EXPIRED
    assert not await appointments.extend_hold(first, until=until)


async def test_vet_no_shows_are_listed_and_marked_once(db_session: AsyncSession) -> None:
    world = await _world(db_session)
    appointments = SqlAppointmentRepository(db_session)
    missed = await _hold(db_session, world, await _slot(db_session, world))
    joined = await _hold(
        db_session, world, await _slot(db_session, world, LATER + timedelta(minutes=30)), owner=1
    )
    for appointment_id in (missed, joined):
        assert await appointments.confirm(appointment_id, confirmed_at=NOW)
    await db_session.execute(
        sa.update(AppointmentModel)
        .where(AppointmentModel.id == joined)
        .values(vet_joined_at=LATER)
    )

    assert await appointments.list_vet_no_shows(started_before=NOW) == []
    listed = await appointments.list_vet_no_shows(started_before=LATER + timedelta(hours=1))
    assert [a.id for a in listed] == [missed]

    assert await appointments.mark_vet_no_show(missed, at=LATER)
    assert not await appointments.mark_vet_no_show(missed, at=LATER)
    assert not await appointments.mark_vet_no_show(joined, at=LATER)
    owner_id = await _owner_user_id(db_session, world)
    mine = await appointments.list_for_owner(owner_id)
    assert [(a.id, a.status) for a in mine] == [(missed, AppointmentStatus.NO_SHOW_VET)]
    agenda = await appointments.list_for_vet(
        world.vet.id,
        start=NOW,
        end=NOW + timedelta(days=1),
        statuses=[AppointmentStatus.CONFIRMED],
    )
    assert [a.id for a in agenda] == [joined]


async def test_a_payment_is_stored_once_per_charge_and_refunded_once(
    db_session: AsyncSession,
) -> None:
    world = await _world(db_session)
    payments = SqlPaymentRepository(db_session)
    appointment_id = await _hold(db_session, world, await _slot(db_session, world))
    fields = {
        "telegram_payment_charge_id": "stxCharge1",
        "provider_payment_charge_id": None,
        "appointment_id": appointment_id,
        "user_id": await _owner_user_id(db_session, world),
        "invoice_payload": f"appointment:{appointment_id}",
        "amount": 250,
        "currency": "XTR",
        "paid_at": NOW,
    }

    payment, added = await payments.add_if_absent(**fields)  # type: ignore[arg-type]
    again, added_again = await payments.add_if_absent(**fields)  # type: ignore[arg-type]

    assert (added, added_again) == (True, False)
    assert again == payment
    assert payment.status is PaymentStatus.PAID
    assert payment.user_telegram_id == world.owners[0][0]
    assert await payments.get_by_charge_id("stxCharge1") == payment
    assert await payments.list_for_appointment(appointment_id) == [payment]

    assert await payments.request_refund(payment.id)
    assert not await payments.request_refund(payment.id)  # one claimant
    assert await payments.list_pending_refunds() == [await payments.get(payment.id)]
    await payments.record_refund_error(payment.id, error="Too Many Requests", final=False)
    pending = await payments.get(payment.id)
    assert pending is not None and pending.status is PaymentStatus.REFUND_PENDING
    assert pending.refund_error == "Too Many Requests"

    await payments.record_refund(payment.id, refunded_at=LATER)
    refunded = await payments.get(payment.id)
    assert refunded is not None
    assert (refunded.status, refunded.refunded_at, refunded.refund_error) == (
        PaymentStatus.REFUNDED,
        LATER,
        None,
    )
    assert await payments.list_pending_refunds() == []
    with pytest.raises(EntityNotFoundError):
        await payments.record_refund(999_999, refunded_at=LATER)


async def test_a_final_refund_failure_is_kept_for_a_person(db_session: AsyncSession) -> None:
    payments = SqlPaymentRepository(db_session)
    payment, _ = await payments.add_if_absent(
        telegram_payment_charge_id="fiat-1",
        provider_payment_charge_id="prov-1",
        appointment_id=None,
        user_id=None,
        invoice_payload="appointment:1",
        amount=150000,
        currency="RUB",
        paid_at=NOW,
    )
    assert payment.user_telegram_id is None
    assert await payments.request_refund(payment.id)
    await payments.record_refund_error(payment.id, error="provider_refund_unsupported", final=True)
    failed = await payments.get(payment.id)
    assert failed is not None and failed.status is PaymentStatus.REFUND_FAILED
    assert await payments.list_pending_refunds() == []
