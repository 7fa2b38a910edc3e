"""No double booking under real concurrency: separate connections racing on PostgreSQL.

Each racer runs in its own session and connection; a barrier holds them until all have
reached the same point of their transactions, so the database (not luck in scheduling) has to
decide. Runs on a database of its own: these tests commit for real.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime
from typing import Any, TypeVar

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.booking_errors import CheckoutDeclineReason, SlotTakenError
from core.entities import Appointment, Payment
from core.enums import AppointmentStatus, PaymentStatus
from core.interactors.booking import PaymentOutcome, PaymentResult
from core.payments import STARS_CURRENCY, SuccessfulPayment
from db.engine import create_engine, create_session_maker
from db.migrate import upgrade_to_head_async
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.payments import SqlPaymentRepository
from tests.integration.conftest import PostgresServer
from tests.support.booking import Booking, MutableClock, RecordingGateway, World, seed_world

pytestmark = pytest.mark.postgres

MONDAY = date(2025, 6, 2)
RACE_TIMEOUT_S = 30
T = TypeVar("T")


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


class _BarrierAppointments(SqlAppointmentRepository):
    """Waits for the other racers after expiring stale holds, just before inserting its own."""

    def __init__(self, session: AsyncSession, barrier: asyncio.Barrier) -> None:
        super().__init__(session)
        self._barrier = barrier

    async def expire_holds(self, *, now: datetime, slot_id: int | None = None) -> int:
        count = await super().expire_holds(now=now, slot_id=slot_id)
        await self._barrier.wait()
        return count


class _BarrierPayments(SqlPaymentRepository):
    """Waits for the other racers before or after inserting its payment row."""

    def __init__(self, session: AsyncSession, barrier: asyncio.Barrier, *, after: bool) -> None:
        super().__init__(session)
        self._barrier = barrier
        self._after = after

    async def add_if_absent(self, **fields: Any) -> tuple[Payment, bool]:
        if not self._after:
            await self._barrier.wait()
        result = await super().add_if_absent(**fields)
        if self._after:
            await self._barrier.wait()
        return result


async def _in_session(
    sessions: async_sessionmaker[AsyncSession], work: Callable[[AsyncSession], Awaitable[T]]
) -> T:
    async with sessions() as session:
        return await work(session)


async def _race(*racers: Awaitable[Any]) -> list[Any]:
    async with asyncio.timeout(RACE_TIMEOUT_S):
        return await asyncio.gather(*racers, return_exceptions=True)


def _paid(world: World, owner: int, appointment: Appointment, charge: str) -> SuccessfulPayment:
    return SuccessfulPayment(
        payer_telegram_id=world.owners[owner][0],
        invoice_payload=f"appointment:{appointment.id}",
        currency=STARS_CURRENCY,
        total_amount=appointment.price_amount,
        telegram_payment_charge_id=charge,
    )


async def _setup(
    sessions: async_sessionmaker[AsyncSession], base_telegram_id: int, clock: MutableClock
) -> tuple[World, list[int]]:
    """A world with published slots; the Monday slot ids of the vet."""
    gateway = RecordingGateway()

    async def work(session: AsyncSession) -> tuple[World, list[int]]:
        world = await seed_world(session, base_telegram_id=base_telegram_id)
        booking = Booking(session, clock, gateway)
        await booking.publish(world.vet.id)
        free = await booking.list_open(world.owners[0][0], world.vet.id, MONDAY)
        return world, [slot.slot_id for slot in free]

    return await _in_session(sessions, work)


async def _hold(
    sessions: async_sessionmaker[AsyncSession],
    booking_for: Callable[[AsyncSession], Booking],
    world: World,
    owner: int,
    slot_id: int,
) -> Appointment:
    async def work(session: AsyncSession) -> Appointment:
        telegram_id, pet_id = world.owners[owner]
        return await booking_for(session).hold(telegram_id, pet_id=pet_id, slot_id=slot_id)

    return await _in_session(sessions, work)


async def _pay(
    sessions: async_sessionmaker[AsyncSession],
    booking_for: Callable[[AsyncSession], Booking],
    paid: SuccessfulPayment,
) -> PaymentOutcome:
    async def work(session: AsyncSession) -> PaymentOutcome:
        return await booking_for(session).confirm(paid)

    return await _in_session(sessions, work)


async def test_two_concurrent_holds_on_one_slot_let_exactly_one_in(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = MutableClock()
    world, slot_ids = await _setup(sessions, 8_100_000, clock)
    gateway = RecordingGateway()

    for slot_id in slot_ids[:3]:
        barrier = asyncio.Barrier(2)

        def racing(session: AsyncSession, barrier: asyncio.Barrier = barrier) -> Booking:
            appointments = _BarrierAppointments(session, barrier)
            return Booking(session, clock, gateway, appointments=appointments)

        results = await _race(
            _hold(sessions, racing, world, 0, slot_id), _hold(sessions, racing, world, 1, slot_id)
        )

        held = [r for r in results if isinstance(r, Appointment)]
        refused = [r for r in results if isinstance(r, SlotTakenError)]
        assert (len(held), len(refused)) == (1, 1), results
        assert held[0].status is AppointmentStatus.HELD


async def _pay_race_round(
    sessions: async_sessionmaker[AsyncSession],
    world: World,
    clock: MutableClock,
    gateway: RecordingGateway,
    slot_id: int,
    charges: tuple[str, str],
    *,
    first_hold_live: bool,
) -> None:
    def plain(session: AsyncSession) -> Booking:
        return Booking(session, clock, gateway)

    # Owner 0 holds and lets the hold lapse; owner 1 then holds the freed slot. Both pay late
    # (Telegram may deliver `successful_payment` after a hold ran out).
    first = await _hold(sessions, plain, world, 0, slot_id)
    clock.advance(minutes=11)
    second = await _hold(sessions, plain, world, 1, slot_id)
    if not first_hold_live:
        clock.advance(minutes=11)
    barrier = asyncio.Barrier(2)

    def racing(session: AsyncSession) -> Booking:
        payments = _BarrierPayments(session, barrier, after=True)
        return Booking(session, clock, gateway, payments=payments)

    outcomes = await _race(
        _pay(sessions, racing, _paid(world, 0, first, charges[0])),
        _pay(sessions, racing, _paid(world, 1, second, charges[1])),
    )

    assert all(isinstance(o, PaymentOutcome) for o in outcomes), outcomes
    assert sorted(o.result for o in outcomes) == [PaymentResult.CONFIRMED, PaymentResult.REFUNDED]
    winner = next(o for o in outcomes if o.result is PaymentResult.CONFIRMED)
    loser = next(o for o in outcomes if o.result is PaymentResult.REFUNDED)
    assert loser.reason is CheckoutDeclineReason.SLOT_TAKEN
    if first_hold_live:
        assert winner.appointment_id == second.id  # a live hold keeps its slot
    # Otherwise either may win: the database decided.

    async def check(session: AsyncSession) -> None:
        booking = plain(session)
        active = await booking.appointments.get_active_for_slot(slot_id)
        assert active is not None and active.id == winner.appointment_id
        assert active.status is AppointmentStatus.CONFIRMED
        won = await booking.payments.list_for_appointment(winner.appointment_id or 0)
        lost = await booking.payments.list_for_appointment(loser.appointment_id or 0)
        assert [p.status for p in won] == [PaymentStatus.PAID]
        assert [p.status for p in lost] == [PaymentStatus.REFUNDED]
        assert gateway.refunded_charges[-1] == lost[0].telegram_payment_charge_id

    await _in_session(sessions, check)


@pytest.mark.parametrize("first_hold_live", [False, True], ids=["both-expired", "one-live"])
async def test_two_owners_paying_for_one_slot_at_once_one_confirmed_other_refunded(
    sessions: async_sessionmaker[AsyncSession], first_hold_live: bool
) -> None:
    clock = MutableClock()
    base = 8_200_000 if first_hold_live else 8_300_000
    world, slot_ids = await _setup(sessions, base, clock)
    gateway = RecordingGateway()

    for round_number, slot_id in enumerate(slot_ids[:3]):
        charges = (f"race-{base}-{round_number}-0", f"race-{base}-{round_number}-1")
        await _pay_race_round(
            sessions, world, clock, gateway, slot_id, charges, first_hold_live=first_hold_live
        )
        assert len(gateway.calls) == round_number + 1  # one refund per round, never two


async def test_the_same_successful_payment_delivered_twice_at_once_confirms_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = MutableClock()
    world, slot_ids = await _setup(sessions, 8_400_000, clock)
    gateway = RecordingGateway()

    def plain(session: AsyncSession) -> Booking:
        return Booking(session, clock, gateway)

    def racing(session: AsyncSession) -> Booking:
        payments = _BarrierPayments(session, barrier, after=False)
        return Booking(session, clock, gateway, payments=payments)

    held = await _hold(sessions, plain, world, 0, slot_ids[0])
    paid = _paid(world, 0, held, "duplicate-charge")
    barrier = asyncio.Barrier(2)

    outcomes = await _race(_pay(sessions, racing, paid), _pay(sessions, racing, paid))

    assert all(isinstance(o, PaymentOutcome) for o in outcomes), outcomes
    assert [o.result for o in outcomes] == [PaymentResult.CONFIRMED] * 2
    assert sorted(o.duplicate for o in outcomes) == [False, True]
    assert outcomes[0].payment_id == outcomes[1].payment_id
    assert gateway.calls == []

    async def check(session: AsyncSession) -> None:
        booking = plain(session)
        assert len(await booking.payments.list_for_appointment(held.id)) == 1
        confirmed = await booking.appointments.get(held.id)
        assert confirmed is not None and confirmed.status is AppointmentStatus.CONFIRMED

    await _in_session(sessions, check)
