"""The vet hears of what owners and admins did through core ports, told by the interactors after
their commit (issue #12): booked, moved, cancelled by the owner; verified or rejected.

On PostgreSQL and SQLite (see `db_url`), with recording doubles of the ports; what the bot then
sends is checked through the dialogs (tests/integration/test_booking_dialog.py,
test_vet_onboarding.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Appointment
from core.enums import AppointmentStatus, Role, Species
from core.interactors.booking import PaymentResult, PublishSlots, RefundState
from core.interactors.vets import RejectVet, VerifyVet
from core.payments import STARS_CURRENCY, SuccessfulPayment
from core.ports.consultation_notices import Recipient
from db.models import VetModel
from db.repositories import SqlUserRepository, SqlVetRepository
from db.repositories.availability import SqlAvailabilityRepository
from db.repositories.slots import SqlSlotRepository
from db.uow import SqlUnitOfWork
from tests.support.booking import (
    MONDAY_MORNING,
    VET_ZONE,
    Booking,
    MutableClock,
    RecordingGateway,
    World,
    seed_world,
)

MONDAY = date(2025, 6, 2)
TUESDAY = date(2025, 6, 3)
ADMIN_TG = 9_300_900
PENDING_VET_TG = 9_300_901


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
    seeded = await seed_world(db_session, base_telegram_id=9_300_000)
    await booking.publish(seeded.vet.id)
    return seeded


async def _hold(booking: Booking, world: World, day: date, index: int) -> Appointment:
    owner_tg, pet_id = world.owners[0]
    slot = (await booking.list_open(owner_tg, world.vet.id, day))[index]
    return await booking.hold(owner_tg, pet_id=pet_id, slot_id=slot.slot_id, reason="sneezing")


def _paid(world: World, appointment: Appointment, charge: str) -> SuccessfulPayment:
    return SuccessfulPayment(
        payer_telegram_id=world.owners[0][0],
        invoice_payload=f"appointment:{appointment.id}",
        currency=STARS_CURRENCY,
        total_amount=appointment.price_amount,
        telegram_payment_charge_id=charge,
    )


async def _book(booking: Booking, world: World, day: date, charge: str) -> Appointment:
    held = await _hold(booking, world, day, 0)
    outcome = await booking.handle_payment(_paid(world, held, charge))
    assert outcome.result is PaymentResult.CONFIRMED
    return held


def _vet(world: World) -> Recipient:
    return Recipient(telegram_id=world.vet_telegram_id, language="en", time_zone=VET_ZONE)


async def test_a_paid_booking_tells_the_vet_once(booking: Booking, world: World) -> None:
    held = await _hold(booking, world, MONDAY, 0)
    paid = _paid(world, held, "charge-told")

    outcome = await booking.handle_payment(paid)

    assert outcome.result is PaymentResult.CONFIRMED
    [(what, vet, told)] = booking.notices.vet_bookings
    assert (what, vet) == ("booked", _vet(world))
    assert (told.appointment_id, told.starts_at) == (held.id, held.starts_at)
    assert (told.pet_name, told.pet_species) == ("Cat 0", Species.CAT)
    assert (told.owner_name, told.reason) == ("Owner 0", "sneezing")
    confirmed = await booking.appointments.get(held.id)
    assert confirmed is not None and confirmed.status is AppointmentStatus.CONFIRMED

    # Telegram redelivers the update: the vet is not told twice.
    again = await booking.handle_payment(paid)
    assert again.duplicate
    assert len(booking.notices.vet_bookings) == 1


async def test_a_refunded_payment_tells_the_vet_nothing(booking: Booking, world: World) -> None:
    held = await _hold(booking, world, MONDAY, 0)
    await booking.cancel_by_owner(world.owners[0][0], held.id)  # a hold: the vet never knew

    outcome = await booking.handle_payment(_paid(world, held, "charge-after-cancel"))

    assert outcome.result is PaymentResult.REFUNDED
    assert booking.notices.vet_bookings == []


async def test_confirm_payment_alone_tells_no_one(booking: Booking, world: World) -> None:
    # Reconciliation records a late payment with ConfirmPayment and tells the vet itself.
    held = await _hold(booking, world, MONDAY, 0)
    outcome = await booking.confirm(_paid(world, held, "charge-late"))
    assert outcome.result is PaymentResult.CONFIRMED
    assert booking.notices.vet_bookings == []


async def test_moving_a_booking_tells_the_vet_the_new_time(booking: Booking, world: World) -> None:
    booked = await _book(booking, world, MONDAY, "charge-move")
    later = (await booking.list_open(world.owners[0][0], world.vet.id, TUESDAY))[2]

    moved = await booking.reschedule(world.owners[0][0], booked.id, later.slot_id)

    [_, (what, vet, told)] = booking.notices.vet_bookings
    assert (what, vet) == ("moved", _vet(world))
    assert (told.appointment_id, told.starts_at) == (booked.id, later.starts_at)
    assert moved.starts_at == later.starts_at


async def test_the_owner_cancelling_a_paid_booking_tells_the_vet(
    booking: Booking, world: World
) -> None:
    booked = await _book(booking, world, TUESDAY, "charge-cancel")

    outcome = await booking.cancel_by_owner(world.owners[0][0], booked.id)

    assert outcome.refund is RefundState.REFUNDED
    [_, (what, vet, told)] = booking.notices.vet_bookings
    assert (what, vet, told.appointment_id) == ("cancelled", _vet(world), booked.id)


async def test_a_vet_who_blocked_the_bot_is_not_told(
    booking: Booking, world: World, db_session: AsyncSession
) -> None:
    await SqlUserRepository(db_session).mark_bot_blocked(world.vet_telegram_id, MONDAY_MORNING)
    await db_session.commit()
    booked = await _book(booking, world, TUESDAY, "charge-blocked")
    await booking.cancel_by_owner(world.owners[0][0], booked.id)
    assert booking.notices.vet_bookings == []


async def test_a_failing_notice_never_undoes_the_booking(
    booking: Booking, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: object) -> None:
        raise RuntimeError("Telegram is down")

    monkeypatch.setattr(booking.notices, "booked_for_vet", broken)
    held = await _hold(booking, world, MONDAY, 0)

    outcome = await booking.handle_payment(_paid(world, held, "charge-broken"))

    assert outcome.result is PaymentResult.CONFIRMED
    confirmed = await booking.appointments.get(held.id)
    assert confirmed is not None and confirmed.status is AppointmentStatus.CONFIRMED


# --- an admin's verdict ------------------------------------------------------------------------


@dataclass
class RecordingVetNotices:
    """core's VetNotices for tests: (verdict, to whom)."""

    told: list[tuple[str, Recipient]] = field(default_factory=list)

    async def verified_for_vet(self, vet: Recipient) -> None:
        self.told.append(("verified", vet))

    async def rejected_for_vet(self, vet: Recipient) -> None:
        self.told.append(("rejected", vet))


@dataclass
class Verdicts:
    verify: VerifyVet
    reject: RejectVet
    notices: RecordingVetNotices
    vet_id: int


@pytest.fixture
async def verdicts(db_session: AsyncSession, clock: MutableClock) -> Verdicts:
    users = SqlUserRepository(db_session)
    vets = SqlVetRepository(db_session)
    await users.add(
        telegram_id=ADMIN_TG,
        first_name="Admin",
        username=None,
        language="en",
        roles=frozenset({Role.ADMIN}),
    )
    person = await users.add(
        telegram_id=PENDING_VET_TG,
        first_name="Anna",
        username=None,
        language="ru",
        roles=frozenset({Role.VET}),
    )
    vet = await vets.add(
        user_id=person.id,
        display_name="Dr. Anna",
        species=frozenset({Species.CAT}),
        languages=frozenset({"ru"}),
        price_amount=250,
        time_zone="Asia/Yekaterinburg",
        is_active=False,
        verified=False,
    )
    # The form was sent: the profile waits for an admin.
    await db_session.execute(
        sa.update(VetModel).where(VetModel.id == vet.id).values(submitted_at=MONDAY_MORNING)
    )
    await db_session.commit()
    uow = SqlUnitOfWork(db_session)
    publish = PublishSlots(
        uow, vets, SqlAvailabilityRepository(db_session), SqlSlotRepository(db_session), clock
    )
    notices = RecordingVetNotices()
    return Verdicts(
        verify=VerifyVet(uow, users, vets, publish, notices, clock),
        reject=RejectVet(uow, users, vets, notices),
        notices=notices,
        vet_id=vet.id,
    )


ANNA = Recipient(telegram_id=PENDING_VET_TG, language="ru", time_zone="Asia/Yekaterinburg")


async def test_verifying_a_vet_tells_the_vet(verdicts: Verdicts) -> None:
    verified = await verdicts.verify(ADMIN_TG, verdicts.vet_id)
    assert verified.vet.is_active
    assert verdicts.notices.told == [("verified", ANNA)]


async def test_rejecting_a_vet_tells_the_vet(verdicts: Verdicts, db_session: AsyncSession) -> None:
    rejected = await verdicts.reject(ADMIN_TG, verdicts.vet_id)
    assert rejected.display_name == "Dr. Anna"
    assert verdicts.notices.told == [("rejected", ANNA)]
    assert await SqlVetRepository(db_session).get(verdicts.vet_id) is None
