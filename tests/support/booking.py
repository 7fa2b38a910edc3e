"""Booking test kit: a settable clock, a recording payment gateway, a seeded world, and the
booking interactors wired on one SQLAlchemy session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Vet
from core.enums import AccessLevel, Role, Species
from core.interactors.appointment_reminders import AppointmentReminders
from core.interactors.booking import (
    AddException,
    BuildInvoice,
    CancelByOwner,
    CancelByVet,
    ConfirmPayment,
    ExpireHolds,
    HandleSuccessfulPayment,
    HandleVetNoShow,
    HoldSlot,
    ListOpenSlots,
    PreCheckout,
    PublishSlots,
    RemoveException,
    RescheduleAppointment,
    RetryRefunds,
    SetWeeklyTemplate,
)
from core.payments import PaymentMethod, RefundOutcome, RefundResult
from core.ports.booking_notices import VetBooking, VetCancellation
from core.ports.consultation_notices import ConsultationNotice, Recipient
from core.schedule import WeeklyWindow
from db.repositories import (
    SqlPetAccessRepository,
    SqlPetRepository,
    SqlSymptomCheckRepository,
    SqlUserRepository,
    SqlVetRepository,
)
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.availability import SqlAvailabilityRepository
from db.repositories.payments import SqlPaymentRepository
from db.repositories.reminders import SqlReminderRepository
from db.repositories.slots import SqlSlotRepository
from db.uow import SqlUnitOfWork

# A Monday, 08:00 in Moscow.
MONDAY_MORNING = datetime(2025, 6, 2, 5, 0, tzinfo=UTC)
VET_ZONE = "Europe/Moscow"


class MutableClock:
    def __init__(self, now: datetime = MONDAY_MORNING) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


@dataclass
class RecordingGateway:
    """Records every refund call; answers REFUNDED, or what `answers` says next."""

    calls: list[tuple[int, str, str]] = field(default_factory=list)
    answers: list[RefundOutcome] = field(default_factory=list)
    refunded: set[str] = field(default_factory=set)

    async def refund(
        self, *, user_telegram_id: int, telegram_payment_charge_id: str, currency: str
    ) -> RefundOutcome:
        self.calls.append((user_telegram_id, telegram_payment_charge_id, currency))
        if self.answers:
            return self.answers.pop(0)
        if telegram_payment_charge_id in self.refunded:
            return RefundOutcome(RefundResult.ALREADY_REFUNDED)
        self.refunded.add(telegram_payment_charge_id)
        return RefundOutcome.refunded()

    @property
    def refunded_charges(self) -> list[str]:
        return [charge for _, charge, _ in self.calls]


@dataclass(frozen=True)
class World:
    vet: Vet
    vet_telegram_id: int
    owners: tuple[tuple[int, int], ...]  # (telegram id, pet id)


async def seed_world(
    session: AsyncSession,
    *,
    base_telegram_id: int,
    owners: int = 2,
    price: int = 250,
    consultation_minutes: int = 30,
    vet_zone: str = VET_ZONE,
) -> World:
    """A vet (Mon–Fri 09:00–12:00 in `vet_zone`, not yet published) and owners with a pet each."""
    users = SqlUserRepository(session)
    pets = SqlPetRepository(session)
    access = SqlPetAccessRepository(session)
    vet_tg = base_telegram_id
    vet_user = await users.add(
        telegram_id=vet_tg,
        first_name="Vet",
        username=None,
        language="en",
        roles=frozenset({Role.VET}),
    )
    vet = await SqlVetRepository(session).add(
        user_id=vet_user.id,
        display_name=f"Dr. {base_telegram_id}",
        species=frozenset({Species.CAT}),
        languages=frozenset({"en"}),
        price_amount=price,
        consultation_minutes=consultation_minutes,
        time_zone=vet_zone,
    )
    await SqlAvailabilityRepository(session).replace_rules(
        vet.id, [(day, time(9), time(12)) for day in range(5)]
    )
    seeded: list[tuple[int, int]] = []
    for index in range(owners):
        telegram_id = base_telegram_id + 1 + index
        owner = await users.add(
            telegram_id=telegram_id, first_name=f"Owner {index}", username=None, language="en"
        )
        pet = await pets.add(name=f"Cat {index}", species=Species.CAT)
        await access.grant(
            pet_id=pet.id, user_id=owner.id, level=AccessLevel.OWNER, granted_at=MONDAY_MORNING
        )
        seeded.append((telegram_id, pet.id))
    await session.commit()
    return World(vet=vet, vet_telegram_id=vet_tg, owners=tuple(seeded))


WEEKDAYS_9_TO_12 = [WeeklyWindow(day, time(9), time(12)) for day in range(5)]


@dataclass
class RecordingBookingNotices:
    """core's BookingNotices for tests: what would have reached each chat."""

    vets_told: list[tuple[Recipient, ConsultationNotice]] = field(default_factory=list)
    owners_told: list[tuple[Recipient, VetCancellation]] = field(default_factory=list)
    # (what happened: "booked", "moved" or "cancelled", to whom, the booking as described)
    vet_bookings: list[tuple[str, Recipient, VetBooking]] = field(default_factory=list)

    async def booked_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        self.vet_bookings.append(("booked", vet, booking))

    async def moved_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        self.vet_bookings.append(("moved", vet, booking))

    async def owner_cancelled_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        self.vet_bookings.append(("cancelled", vet, booking))

    async def owner_left_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        self.vets_told.append((vet, notice))

    async def vet_cancelled_for_owner(
        self, owner: Recipient, cancellation: VetCancellation
    ) -> None:
        self.owners_told.append((owner, cancellation))


class Booking:
    """Every booking interactor on one session (one request's worth of DI)."""

    def __init__(
        self,
        session: AsyncSession,
        clock: MutableClock,
        gateway: RecordingGateway,
        *,
        method: PaymentMethod | None = None,
        payments: SqlPaymentRepository | None = None,
        appointments: SqlAppointmentRepository | None = None,
    ) -> None:
        uow = SqlUnitOfWork(session)
        users = SqlUserRepository(session)
        vets = SqlVetRepository(session)
        pets = SqlPetRepository(session)
        access = SqlPetAccessRepository(session)
        checks = SqlSymptomCheckRepository(session)
        availability = SqlAvailabilityRepository(session)
        slots = SqlSlotRepository(session)
        self.appointments = appointments or SqlAppointmentRepository(session)
        self.payments = payments or SqlPaymentRepository(session)
        self.slots = slots
        appts = self.appointments
        pays = self.payments
        self.publish = PublishSlots(uow, vets, availability, slots, clock)
        self.set_template = SetWeeklyTemplate(uow, users, vets, availability, slots, clock)
        self.add_exception = AddException(uow, users, vets, availability, slots, appts, clock)
        self.remove_exception = RemoveException(uow, users, vets, availability, slots, clock)
        self.list_open = ListOpenSlots(users, vets, slots, clock)
        self.hold = HoldSlot(uow, users, pets, access, checks, vets, slots, appts, clock)
        self.invoice = BuildInvoice(users, vets, appts, method or PaymentMethod.stars(), clock)
        self.pre_checkout = PreCheckout(uow, users, slots, appts, clock)
        self.notices = RecordingBookingNotices()
        notices = self.notices
        # The appointment reminders, made, moved and cancelled with the bookings.
        reminders = AppointmentReminders(SqlReminderRepository(session), users, vets, clock)
        self.confirm = ConfirmPayment(uow, users, slots, appts, pays, gateway, clock, reminders)
        # The successful_payment update's path: the confirmation, then the vet's notice.
        self.handle_payment = HandleSuccessfulPayment(
            self.confirm, uow, users, vets, pets, appts, notices
        )
        self.cancel_by_owner = CancelByOwner(
            uow, users, vets, pets, appts, pays, gateway, notices, clock, reminders
        )
        self.cancel_by_vet = CancelByVet(
            uow, users, vets, pets, slots, appts, pays, gateway, notices, clock, reminders
        )
        self.expire_holds = ExpireHolds(uow, appts, clock)
        self.no_show = HandleVetNoShow(
            uow, users, vets, pets, appts, pays, gateway, notices, clock, reminders
        )
        self.retry_refunds = RetryRefunds(uow, pays, gateway, clock)
        self.reschedule = RescheduleAppointment(
            uow, users, vets, pets, slots, appts, notices, clock, reminders
        )
