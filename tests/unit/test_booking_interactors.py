"""Booking interactors on in-memory repositories: access, validation, money rules."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.methods import RefundStarPayment

from bot.payments import TelegramPaymentGateway
from core.booking_errors import (
    AppointmentNotFoundError,
    CheckoutDeclineReason,
    HoldNotPayableError,
    NotAVetError,
    PaymentMethodMismatchError,
    ReasonTooLongError,
    ScheduleInputError,
    ScheduleInputErrorReason,
    SlotNotFoundError,
    SlotTakenError,
    SlotUnavailableError,
)
from core.entities import (
    Appointment,
    AvailabilityException,
    AvailabilityRule,
    ConsultationTiming,
    Payment,
    Pet,
    Slot,
    SymptomCheck,
    User,
    Vet,
)
from core.enums import (
    ACTIVE_APPOINTMENT_STATUSES,
    AccessLevel,
    AppointmentStatus,
    CheckStatus,
    PaymentStatus,
    Role,
    Sex,
    SlotStatus,
    Species,
)
from core.errors import UserNotFoundError
from core.interactors.appointment_reminders import AppointmentReminders
from core.interactors.booking import (
    AddException,
    BuildInvoice,
    CancelByOwner,
    ConfirmPayment,
    HoldSlot,
    ListOpenSlots,
    PaymentResult,
    PreCheckout,
    RefundState,
    RetryRefunds,
    SetWeeklyTemplate,
)
from core.payments import (
    REFUND_ERROR_PROVIDER,
    PaymentMethod,
    RefundOutcome,
    RefundResult,
    SuccessfulPayment,
    invoice_payload,
    parse_invoice_payload,
)
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from core.ports.reminders import CancelReason, NewReminder
from core.ports.repositories import (
    DuplicateEntityError,
    EntityNotFoundError,
    PetAccessRepository,
    PetRepository,
    SymptomCheckRepository,
    VetRepository,
)
from core.schedule import WeeklyWindow
from tests.support.booking import RecordingBookingNotices

NOW = datetime(2025, 6, 2, 5, 0, tzinfo=UTC)  # Monday 08:00 Moscow
HOUR = timedelta(hours=1)
OWNER_TG, COOWNER_TG, VIEWER_TG, STRANGER_TG, VET_TG, NY_TG = 1, 2, 3, 4, 5, 6


class Clock:
    def __init__(self) -> None:
        self.current = NOW

    def now(self) -> datetime:
        return self.current


class Uow:
    def __init__(self) -> None:
        self.commits = 0
        self.rollbacks = 0

    async def commit(self) -> None:
        self.commits += 1

    async def rollback(self) -> None:
        self.rollbacks += 1


class ReminderRows:
    """The appointment reminders' rows as `AppointmentReminders` writes and cancels them."""

    def __init__(self) -> None:
        self.added: list[NewReminder] = []
        self.cancelled: list[tuple[int, CancelReason]] = []

    async def add_many(self, reminders: Sequence[NewReminder]) -> None:
        self.added.extend(reminders)

    async def cancel_for_appointment(
        self, appointment_id: int, *, reason: CancelReason, at: datetime
    ) -> int:
        self.cancelled.append((appointment_id, reason))
        return 0


class Store:
    """Every repository the booking interactors use, over dicts (no transactions)."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.pets: dict[int, Pet] = {}
        self.levels: dict[tuple[int, int], AccessLevel] = {}
        self.checks: dict[int, SymptomCheck] = {}
        self.vets: dict[int, Vet] = {}
        self.rules: dict[int, list[AvailabilityRule]] = {}
        self.timing: dict[int, ConsultationTiming] = {}
        self.slots: dict[int, Slot] = {}
        self.appointments: dict[int, Appointment] = {}
        self.payments: dict[int, Payment] = {}

    # users
    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return next((u for u in self.users.values() if u.telegram_id == telegram_id), None)

    # slots
    async def get_slot(self, slot_id: int) -> Slot | None:
        return self.slots.get(slot_id)

    def occupied(self, slot_id: int) -> bool:
        return any(
            a.slot_id == slot_id and a.status in ACTIVE_APPOINTMENT_STATUSES
            for a in self.appointments.values()
        )


class Users:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        return await self.s.get_by_telegram_id(telegram_id)

    async def get(self, user_id: int) -> User | None:
        return self.s.users.get(user_id)

    async def add(self, **_: Any) -> User:
        raise NotImplementedError

    async def update_profile(self, user_id: int, *, first_name: str, username: str | None) -> None:
        raise NotImplementedError

    async def set_language(self, user_id: int, language: str) -> None:
        raise NotImplementedError

    async def set_consent(self, user_id: int, consented_at: datetime) -> None:
        raise NotImplementedError

    async def add_role(self, user_id: int, role: Role) -> None:
        raise NotImplementedError

    async def remove_role(self, user_id: int, role: Role) -> None:
        raise NotImplementedError

    async def list_with_role(self, role: Role) -> list[User]:
        raise NotImplementedError

    async def mark_bot_blocked(self, telegram_id: int, blocked_at: datetime) -> bool:
        raise NotImplementedError

    async def clear_bot_blocked(self, user_id: int) -> None:
        raise NotImplementedError

    async def is_bot_blocked(self, telegram_id: int) -> bool:
        raise NotImplementedError


class Pets:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def get(self, pet_id: int) -> Pet | None:
        return self.s.pets.get(pet_id)


class Access:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def get_level(self, user_id: int, pet_id: int) -> AccessLevel | None:
        return self.s.levels.get((user_id, pet_id))


class Checks:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def get(self, check_id: int) -> SymptomCheck | None:
        return self.s.checks.get(check_id)


class Vets:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def get(self, vet_id: int) -> Vet | None:
        return self.s.vets.get(vet_id)

    async def get_by_user_id(self, user_id: int) -> Vet | None:
        return next((v for v in self.s.vets.values() if v.user_id == user_id), None)


class Availability:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def list_rules(self, vet_id: int) -> list[AvailabilityRule]:
        return list(self.s.rules.get(vet_id, []))

    async def replace_rules(
        self, vet_id: int, windows: Collection[tuple[int, time, time]]
    ) -> list[AvailabilityRule]:
        self.s.rules[vet_id] = [
            AvailabilityRule(i, vet_id, day, start, end)
            for i, (day, start, end) in enumerate(sorted(windows), 1)
        ]
        return self.s.rules[vet_id]

    async def list_exceptions(
        self, vet_id: int, *, start: datetime, end: datetime
    ) -> list[AvailabilityException]:
        return []

    async def add_exception(
        self,
        vet_id: int,
        *,
        starts_at: datetime,
        ends_at: datetime,
        is_available: bool,
        reason: str | None = None,
    ) -> AvailabilityException:
        return AvailabilityException(1, vet_id, starts_at, ends_at, is_available, reason)

    async def get_exception(self, exception_id: int) -> AvailabilityException | None:
        return None

    async def delete_exception(self, exception_id: int) -> None:
        raise EntityNotFoundError("availability exception", exception_id)

    async def get_timing(self, vet_id: int) -> ConsultationTiming:
        return self.s.timing.get(vet_id, ConsultationTiming(30, 0))

    async def set_timing(self, vet_id: int, timing: ConsultationTiming) -> None:
        self.s.timing[vet_id] = timing


class Slots:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def add(self, *, vet_id: int, starts_at: datetime, ends_at: datetime) -> Slot:
        if any(x.vet_id == vet_id and x.starts_at == starts_at for x in self.s.slots.values()):
            raise DuplicateEntityError("slot", starts_at)
        slot = Slot(len(self.s.slots) + 1, vet_id, starts_at, ends_at, SlotStatus.OPEN, NOW)
        self.s.slots[slot.id] = slot
        return slot

    async def get(self, slot_id: int) -> Slot | None:
        return self.s.slots.get(slot_id)

    async def list_for_vet(self, vet_id: int, *, start: datetime, end: datetime) -> list[Slot]:
        return sorted(
            (
                x
                for x in self.s.slots.values()
                if x.vet_id == vet_id and start <= x.starts_at < end
            ),
            key=lambda x: x.starts_at,
        )

    async def list_open(
        self, vet_id: int, *, start: datetime, end: datetime, now: datetime
    ) -> list[Slot]:
        return [
            x
            for x in await self.list_for_vet(vet_id, start=start, end=end)
            if x.status is SlotStatus.OPEN and x.starts_at > now and not self.s.occupied(x.id)
        ]

    async def list_occupied_ids(self, slot_ids: Collection[int]) -> set[int]:
        return {i for i in slot_ids if self.s.occupied(i)}

    async def reopen(self, slot_id: int, *, ends_at: datetime) -> None:
        self.s.slots[slot_id] = dataclasses.replace(
            self.s.slots[slot_id], status=SlotStatus.OPEN, ends_at=ends_at
        )

    async def close_if_free(self, slot_id: int) -> bool:
        if self.s.occupied(slot_id):
            return False
        self.s.slots[slot_id] = dataclasses.replace(
            self.s.slots[slot_id], status=SlotStatus.CLOSED
        )
        return True


class Appointments:
    def __init__(self, store: Store) -> None:
        self.s = store

    def _put(self, appointment_id: int, **changes: Any) -> None:
        self.s.appointments[appointment_id] = dataclasses.replace(
            self.s.appointments[appointment_id], **changes
        )

    async def add_hold(
        self,
        *,
        slot_id: int,
        vet_id: int,
        owner_user_id: int,
        pet_id: int,
        reason: str | None,
        check_id: int | None,
        price_amount: int,
        currency: str,
        hold_expires_at: datetime,
    ) -> Appointment:
        if self.s.occupied(slot_id):
            raise DuplicateEntityError("active appointment of slot", slot_id)
        slot = self.s.slots[slot_id]
        appointment = Appointment(
            id=len(self.s.appointments) + 1,
            slot_id=slot_id,
            vet_id=vet_id,
            owner_user_id=owner_user_id,
            pet_id=pet_id,
            status=AppointmentStatus.HELD,
            reason=reason,
            check_id=check_id,
            price_amount=price_amount,
            currency=currency,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            hold_expires_at=hold_expires_at,
            confirmed_at=None,
            cancelled_at=None,
            completed_at=None,
            vet_joined_at=None,
            created_at=NOW,
        )
        self.s.appointments[appointment.id] = appointment
        return appointment

    async def get(self, appointment_id: int) -> Appointment | None:
        return self.s.appointments.get(appointment_id)

    async def move_to_slot(
        self, appointment_id: int, *, slot_id: int, refund_until: datetime | None = None
    ) -> None:
        if self.s.occupied(slot_id):
            raise DuplicateEntityError("active appointment of slot", slot_id)
        slot = self.s.slots[slot_id]
        self._put(appointment_id, slot_id=slot_id, starts_at=slot.starts_at, ends_at=slot.ends_at)
        if refund_until is not None:
            self._put(appointment_id, refund_until=refund_until)

    async def get_active_for_slot(self, slot_id: int) -> Appointment | None:
        return next(
            (
                a
                for a in self.s.appointments.values()
                if a.slot_id == slot_id and a.status in ACTIVE_APPOINTMENT_STATUSES
            ),
            None,
        )

    async def expire_holds(self, *, now: datetime, slot_id: int | None = None) -> int:
        stale = [
            a.id
            for a in self.s.appointments.values()
            if a.status is AppointmentStatus.HELD
            and a.hold_expires_at is not None
            and a.hold_expires_at <= now
            and (slot_id is None or a.slot_id == slot_id)
        ]
        for appointment_id in stale:
            self._put(appointment_id, status=AppointmentStatus.EXPIRED)
        return len(stale)

    async def release_holds_of_owner(self, owner_user_id: int, *, except_id: int) -> int:
        held = [
            a.id
            for a in self.s.appointments.values()
            if a.status is AppointmentStatus.HELD
            and a.owner_user_id == owner_user_id
            and a.id != except_id
        ]
        for appointment_id in held:
            self._put(appointment_id, status=AppointmentStatus.EXPIRED)
        return len(held)

    async def extend_hold(self, appointment_id: int, *, until: datetime) -> bool:
        a = self.s.appointments[appointment_id]
        if a.status is not AppointmentStatus.HELD:
            return False
        self._put(appointment_id, hold_expires_at=max(until, a.hold_expires_at or until))
        return True

    async def confirm(self, appointment_id: int, *, confirmed_at: datetime) -> bool:
        a = self.s.appointments[appointment_id]
        slot = self.s.slots[a.slot_id]
        ok = (
            a.status in {AppointmentStatus.HELD, AppointmentStatus.EXPIRED}
            and slot.status is SlotStatus.OPEN
            and slot.starts_at > confirmed_at
        )
        if not ok:
            return False
        other = await self.get_active_for_slot(a.slot_id)
        if other is not None and other.id != appointment_id:
            raise DuplicateEntityError("active appointment of slot", a.slot_id)
        self._put(appointment_id, status=AppointmentStatus.CONFIRMED, confirmed_at=confirmed_at)
        return True

    async def set_status(
        self,
        appointment_id: int,
        *,
        status: AppointmentStatus,
        expected: Collection[AppointmentStatus],
        at: datetime,
    ) -> bool:
        if self.s.appointments[appointment_id].status not in expected:
            return False
        self._put(appointment_id, status=status, cancelled_at=at)
        return True

    async def mark_vet_no_show(self, appointment_id: int, *, at: datetime) -> bool:
        return await self.set_status(
            appointment_id,
            status=AppointmentStatus.NO_SHOW_VET,
            expected=[AppointmentStatus.CONFIRMED],
            at=at,
        )

    async def list_vet_no_shows(self, *, started_before: datetime) -> list[Appointment]:
        return []

    async def list_for_owner(
        self,
        owner_user_id: int,
        *,
        statuses: Collection[AppointmentStatus] | None = None,
        starts_after: datetime | None = None,
    ) -> list[Appointment]:
        return [a for a in self.s.appointments.values() if a.owner_user_id == owner_user_id]

    async def list_for_vet(
        self,
        vet_id: int,
        *,
        start: datetime,
        end: datetime,
        statuses: Collection[AppointmentStatus] | None = None,
    ) -> list[Appointment]:
        return []


class Payments:
    def __init__(self, store: Store) -> None:
        self.s = store

    def _put(self, payment_id: int, **changes: Any) -> None:
        self.s.payments[payment_id] = dataclasses.replace(self.s.payments[payment_id], **changes)

    async def add_if_absent(
        self,
        *,
        telegram_payment_charge_id: str,
        provider_payment_charge_id: str | None,
        appointment_id: int | None,
        user_id: int | None,
        invoice_payload: str,
        amount: int,
        currency: str,
        paid_at: datetime,
    ) -> tuple[Payment, bool]:
        existing = await self.get_by_charge_id(telegram_payment_charge_id)
        if existing is not None:
            return existing, False
        user = self.s.users.get(user_id) if user_id is not None else None
        payment = Payment(
            id=len(self.s.payments) + 1,
            appointment_id=appointment_id,
            user_id=user_id,
            user_telegram_id=None if user is None else user.telegram_id,
            telegram_payment_charge_id=telegram_payment_charge_id,
            provider_payment_charge_id=provider_payment_charge_id,
            invoice_payload=invoice_payload,
            amount=amount,
            currency=currency,
            status=PaymentStatus.PAID,
            paid_at=paid_at,
            refunded_at=None,
            refund_error=None,
        )
        self.s.payments[payment.id] = payment
        return payment, True

    async def get(self, payment_id: int) -> Payment | None:
        return self.s.payments.get(payment_id)

    async def get_by_charge_id(self, telegram_payment_charge_id: str) -> Payment | None:
        return next(
            (
                p
                for p in self.s.payments.values()
                if p.telegram_payment_charge_id == telegram_payment_charge_id
            ),
            None,
        )

    async def list_for_appointment(self, appointment_id: int) -> list[Payment]:
        return [p for p in self.s.payments.values() if p.appointment_id == appointment_id]

    async def request_refund(self, payment_id: int) -> bool:
        if self.s.payments[payment_id].status is not PaymentStatus.PAID:
            return False
        self._put(payment_id, status=PaymentStatus.REFUND_PENDING)
        return True

    async def record_refund(self, payment_id: int, *, refunded_at: datetime) -> None:
        self._put(payment_id, status=PaymentStatus.REFUNDED, refunded_at=refunded_at)

    async def record_refund_error(self, payment_id: int, *, error: str, final: bool) -> None:
        status = PaymentStatus.REFUND_FAILED if final else PaymentStatus.REFUND_PENDING
        self._put(payment_id, status=status, refund_error=error)

    async def list_pending_refunds(self, *, limit: int = 100) -> list[Payment]:
        return [p for p in self.s.payments.values() if p.status is PaymentStatus.REFUND_PENDING]


class Gateway:
    def __init__(self) -> None:
        self.calls: list[tuple[int, str, str]] = []
        self.answers: list[RefundOutcome | Exception] = []

    async def refund(
        self, *, user_telegram_id: int, telegram_payment_charge_id: str, currency: str
    ) -> RefundOutcome:
        self.calls.append((user_telegram_id, telegram_payment_charge_id, currency))
        if self.answers:
            answer = self.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        return RefundOutcome.refunded()


def _user(user_id: int, telegram_id: int, zone: str = "Europe/Moscow") -> User:
    return User(
        id=user_id,
        telegram_id=telegram_id,
        first_name="U",
        username=None,
        language="en",
        time_zone=zone,
        roles=frozenset({Role.OWNER}),
        consented_at=NOW,
        created_at=NOW,
    )


def _pet(pet_id: int, archived: bool = False) -> Pet:
    return Pet(
        id=pet_id,
        name="Cat",
        species=Species.CAT,
        breed=None,
        sex=Sex.UNKNOWN,
        neutered=None,
        birth_date=None,
        birth_date_is_approximate=False,
        weight_grams=None,
        photo_file_id=None,
        photo_key=None,
        allergies=None,
        chronic_conditions=None,
        archived_at=NOW if archived else None,
        created_at=NOW,
    )


def _check(check_id: int, pet_id: int) -> SymptomCheck:
    return SymptomCheck(
        id=check_id,
        pet_id=pet_id,
        user_id=1,
        status=CheckStatus.DONE,
        answers={},
        urgency=None,
        result=None,
        rules_version=None,
        model_used=False,
        model_version=None,
        error=None,
        attempts=0,
        created_at=NOW,
        submitted_at=NOW,
        completed_at=NOW,
        notified_at=None,
    )


class Env:
    """One vet (user 5, price 250 XTR) with slots at +2 h, +26 h and a closed one; pets 1, 2."""

    def __init__(self) -> None:
        self.store = s = Store()
        for user_id, tg in [(1, OWNER_TG), (2, COOWNER_TG), (3, VIEWER_TG), (4, STRANGER_TG)]:
            s.users[user_id] = _user(user_id, tg)
        s.users[5] = _user(5, VET_TG)
        s.users[6] = _user(6, NY_TG, "America/New_York")
        s.pets = {1: _pet(1), 2: _pet(2, archived=True)}
        s.levels = {
            (1, 1): AccessLevel.OWNER,
            (2, 1): AccessLevel.CO_OWNER,
            (3, 1): AccessLevel.VIEWER,
            (1, 2): AccessLevel.OWNER,
            (6, 1): AccessLevel.CO_OWNER,
        }
        s.checks = {10: _check(10, 1), 11: _check(11, 99)}
        s.vets[1] = Vet(
            id=1,
            user_id=5,
            display_name="Dr. A",
            bio=None,
            species=frozenset({Species.CAT}),
            languages=frozenset({"en"}),
            price_amount=250,
            currency="XTR",
            consultation_minutes=30,
            time_zone="Europe/Moscow",
            photo_key=None,
            is_active=True,
            created_at=NOW,
        )
        for slot_id, hours in [(1, 2), (2, 26)]:
            start = NOW + timedelta(hours=hours)
            s.slots[slot_id] = Slot(
                slot_id, 1, start, start + timedelta(minutes=30), SlotStatus.OPEN, NOW
            )
        closed = NOW + timedelta(hours=3)
        s.slots[3] = Slot(3, 1, closed, closed + timedelta(minutes=30), SlotStatus.CLOSED, NOW)
        self.uow = Uow()
        self.clock = Clock()
        self.gateway = Gateway()
        # Partial fakes: only what the booking interactors call.
        self.vets = cast(VetRepository, Vets(s))
        self.pets = cast(PetRepository, Pets(s))
        self.access = cast(PetAccessRepository, Access(s))
        self.checks = cast(SymptomCheckRepository, Checks(s))
        self.users = Users(s)
        self.slots, self.appointments, self.payments = Slots(s), Appointments(s), Payments(s)
        self.availability = Availability(s)
        self.notices = RecordingBookingNotices()
        self.reminder_rows = ReminderRows()
        self.reminders = AppointmentReminders(
            self.reminder_rows, self.users, self.vets, self.clock
        )

    def cancel_by_owner(self, refund_cutoff_hours: int = 24) -> CancelByOwner:
        return CancelByOwner(
            self.uow,
            self.users,
            self.vets,
            self.pets,
            self.appointments,
            self.payments,
            self.gateway,
            self.notices,
            self.clock,
            self.reminders,
            refund_cutoff_hours=refund_cutoff_hours,
        )

    def hold(self, hold_minutes: int = 10) -> HoldSlot:
        return HoldSlot(
            self.uow,
            self.users,
            self.pets,
            self.access,
            self.checks,
            self.vets,
            self.slots,
            self.appointments,
            self.clock,
            hold_minutes=hold_minutes,
        )

    def confirm(self) -> ConfirmPayment:
        return ConfirmPayment(
            self.uow,
            self.users,
            self.slots,
            self.appointments,
            self.payments,
            self.gateway,
            self.clock,
            self.reminders,
        )

    def paid(
        self, appointment: Appointment, charge: str, payer: int = OWNER_TG
    ) -> SuccessfulPayment:
        return SuccessfulPayment(
            payer_telegram_id=payer,
            invoice_payload=invoice_payload(appointment.id),
            currency="XTR",
            total_amount=250,
            telegram_payment_charge_id=charge,
        )

    async def booked(self, slot_id: int, charge: str = "c1") -> Appointment:
        held = await self.hold()(OWNER_TG, pet_id=1, slot_id=slot_id)
        outcome = await self.confirm()(self.paid(held, charge))
        assert outcome.result is PaymentResult.CONFIRMED
        return held


@pytest.fixture
def env() -> Env:
    return Env()


# --- holding ---------------------------------------------------------------------------------


async def test_owner_and_co_owner_may_hold_a_slot_for_the_pet(env: Env) -> None:
    held = await env.hold(hold_minutes=7)(COOWNER_TG, pet_id=1, slot_id=1, reason="cough")
    assert held.status is AppointmentStatus.HELD
    assert held.hold_expires_at == NOW + timedelta(minutes=7)
    assert (held.price_amount, held.currency, held.reason) == (250, "XTR", "cough")
    assert env.uow.commits == 1


@pytest.mark.parametrize(
    ("telegram_id", "pet_id", "error"),
    [
        (VIEWER_TG, 1, PetAccessDeniedError),
        (STRANGER_TG, 1, PetNotFoundError),
        (OWNER_TG, 404, PetNotFoundError),
        (OWNER_TG, 2, PetArchivedError),
        (999, 1, UserNotFoundError),
    ],
)
async def test_holding_needs_booking_rights_to_a_live_pet(
    env: Env, telegram_id: int, pet_id: int, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await env.hold()(telegram_id, pet_id=pet_id, slot_id=1)
    assert env.store.appointments == {}


async def test_closed_started_and_unknown_slots_cannot_be_held(env: Env) -> None:
    with pytest.raises(SlotUnavailableError):
        await env.hold()(OWNER_TG, pet_id=1, slot_id=3)
    with pytest.raises(SlotNotFoundError):
        await env.hold()(OWNER_TG, pet_id=1, slot_id=404)
    env.clock.current = NOW + timedelta(hours=2)
    with pytest.raises(SlotUnavailableError):
        await env.hold()(OWNER_TG, pet_id=1, slot_id=1)


async def test_a_taken_slot_rolls_back_and_says_so(env: Env) -> None:
    await env.hold()(OWNER_TG, pet_id=1, slot_id=1)
    with pytest.raises(SlotTakenError):
        await env.hold()(COOWNER_TG, pet_id=1, slot_id=1)
    assert env.uow.rollbacks == 1


async def test_a_crafted_check_id_of_another_pet_is_not_attached(env: Env) -> None:
    own = await env.hold()(OWNER_TG, pet_id=1, slot_id=1, check_id=10)
    other = await env.hold()(OWNER_TG, pet_id=1, slot_id=2, check_id=11)
    assert (own.check_id, other.check_id) == (10, None)


async def test_an_overlong_reason_is_refused(env: Env) -> None:
    with pytest.raises(ReasonTooLongError):
        await env.hold()(OWNER_TG, pet_id=1, slot_id=1, reason="x" * 1001)


async def test_open_slots_are_shown_in_the_owners_zone(env: Env) -> None:
    listing = ListOpenSlots(env.users, env.vets, env.slots, env.clock)
    # NOW + 2 h is 10:00 in Moscow, 03:00 in New York (EDT), on 2025-06-02 in both.
    (moscow,) = await listing(OWNER_TG, 1, date(2025, 6, 2))
    (new_york,) = await listing(NY_TG, 1, date(2025, 6, 2))
    assert moscow.local_start.strftime("%H:%M %z") == "10:00 +0300"
    assert new_york.local_start.strftime("%H:%M %z") == "03:00 -0400"
    assert moscow.starts_at == new_york.starts_at


# --- invoices and pre-checkout ---------------------------------------------------------------


def _invoicer(env: Env, method: PaymentMethod) -> BuildInvoice:
    return BuildInvoice(env.users, env.vets, env.appointments, method, env.clock)


async def test_stars_invoice_and_provider_invoice(env: Env) -> None:
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=1)
    invoice = await _invoicer(env, PaymentMethod.stars())(OWNER_TG, held.id)
    assert (invoice.currency, invoice.amount, invoice.provider_token) == ("XTR", 250, None)
    assert parse_invoice_payload(invoice.payload) == held.id
    assert invoice.starts_at == NOW + timedelta(hours=2)

    with pytest.raises(PaymentMethodMismatchError):  # a provider cannot charge Stars
        await _invoicer(env, PaymentMethod.provider("TOKEN"))(OWNER_TG, held.id)
    env.store.appointments[held.id] = dataclasses.replace(
        held, currency="RUB", price_amount=150000
    )
    fiat = await _invoicer(env, PaymentMethod.provider("TOKEN"))(OWNER_TG, held.id)
    assert (fiat.currency, fiat.amount, fiat.provider_token) == ("RUB", 150000, "TOKEN")


async def test_no_invoice_for_someone_elses_or_a_lapsed_hold(env: Env) -> None:
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=1)
    with pytest.raises(AppointmentNotFoundError):
        await _invoicer(env, PaymentMethod.stars())(COOWNER_TG, held.id)
    env.clock.current = NOW + timedelta(minutes=10)
    with pytest.raises(HoldNotPayableError):
        await _invoicer(env, PaymentMethod.stars())(OWNER_TG, held.id)


async def test_pre_checkout_stretches_the_hold_and_declines_what_is_not_payable(
    env: Env,
) -> None:
    checkout = PreCheckout(env.uow, env.users, env.slots, env.appointments, env.clock)
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=1)
    payload = invoice_payload(held.id)
    env.clock.current = NOW + timedelta(minutes=9)

    ok = await checkout(telegram_id=OWNER_TG, payload=payload, total_amount=250, currency="XTR")
    assert ok.ok and ok.appointment_id == held.id
    stretched = env.store.appointments[held.id].hold_expires_at
    assert stretched == NOW + timedelta(minutes=12)

    wrong = await checkout(telegram_id=OWNER_TG, payload=payload, total_amount=250, currency="RUB")
    assert wrong.reason is CheckoutDeclineReason.PRICE_CHANGED
    await env.confirm()(env.paid(held, "c1"))
    paid = await checkout(telegram_id=OWNER_TG, payload=payload, total_amount=250, currency="XTR")
    assert paid.reason is CheckoutDeclineReason.ALREADY_PAID


# --- confirming and refunding ----------------------------------------------------------------


async def test_a_payment_for_an_unknown_invoice_is_recorded_and_refunded(env: Env) -> None:
    outcome = await env.confirm()(
        SuccessfulPayment(
            payer_telegram_id=OWNER_TG,
            invoice_payload="something-else",
            currency="XTR",
            total_amount=5,
            telegram_payment_charge_id="odd",
        )
    )
    assert outcome.result is PaymentResult.REFUNDED
    assert outcome.reason is CheckoutDeclineReason.UNKNOWN_INVOICE
    assert env.gateway.calls == [(OWNER_TG, "odd", "XTR")]
    (payment,) = env.store.payments.values()
    assert payment.appointment_id is None and payment.status is PaymentStatus.REFUNDED


async def test_a_payment_for_a_cancelled_hold_is_refunded(env: Env) -> None:
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=1)
    cancelled = await env.cancel_by_owner()(OWNER_TG, held.id)
    assert cancelled.refund is RefundState.NOT_PAID
    assert env.notices.vet_bookings == []  # the vet never heard of a hold

    outcome = await env.confirm()(env.paid(held, "after-cancel"))
    assert outcome.result is PaymentResult.REFUNDED
    assert outcome.reason is CheckoutDeclineReason.CANCELLED


async def test_a_paid_booking_gets_reminders_for_both_parties_until_it_is_cancelled(
    env: Env,
) -> None:
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=2)  # NOW + 26 h: 10:00 Moscow
    assert env.reminder_rows.added == []  # a hold is never reminded
    await env.confirm()(env.paid(held, "c-reminded"))

    added = {(r.user_id, r.step): r for r in env.reminder_rows.added}
    assert {key: r.due_at for key, r in added.items()} == {
        (1, "before_24h"): held.starts_at - 24 * HOUR,
        (1, "before_1h"): held.starts_at - HOUR,
        (5, "before_24h"): held.starts_at - 24 * HOUR,  # the vet's user
        (5, "before_1h"): held.starts_at - HOUR,
    }
    assert {r.payload["role"] for r in added.values()} == {"owner", "vet"}
    assert {r.payload["appointment_id"] for r in added.values()} == {held.id}

    await env.cancel_by_owner()(OWNER_TG, held.id)
    assert env.reminder_rows.cancelled == [(held.id, CancelReason.APPOINTMENT_CANCELLED)]


async def test_a_booking_three_hours_ahead_or_less_gets_only_the_hour_before_reminder(
    env: Env,
) -> None:
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=1)  # NOW + 2 h
    await env.confirm()(env.paid(held, "c-soon"))
    assert sorted((r.user_id, r.step) for r in env.reminder_rows.added) == [
        (1, "before_1h"),
        (5, "before_1h"),
    ]


async def test_a_gateway_that_raises_leaves_the_refund_pending_for_a_retry(env: Env) -> None:
    held = await env.hold()(OWNER_TG, pet_id=1, slot_id=1)
    env.store.slots[1] = dataclasses.replace(env.store.slots[1], status=SlotStatus.CLOSED)
    env.gateway.answers.append(RuntimeError("connection reset"))

    outcome = await env.confirm()(env.paid(held, "c-raise"))

    assert outcome.result is PaymentResult.REFUND_PENDING
    assert outcome.reason is CheckoutDeclineReason.SLOT_UNAVAILABLE
    (payment,) = env.store.payments.values()
    assert payment.status is PaymentStatus.REFUND_PENDING
    assert payment.refund_error is not None and "connection reset" in payment.refund_error
    # The hold on the withdrawn slot is let go.
    assert env.store.appointments[held.id].status is AppointmentStatus.EXPIRED

    retry = RetryRefunds(env.uow, env.payments, env.gateway, env.clock)
    assert await retry() == 1
    assert env.store.payments[payment.id].status is PaymentStatus.REFUNDED


@pytest.mark.parametrize(
    ("hours_before", "cutoff_hours", "refund"),
    [
        (24, 24, RefundState.REFUNDED),  # exactly at the cutoff: still refunded
        (23.99, 24, RefundState.NOT_DUE),
        (2, 2, RefundState.REFUNDED),  # the cutoff is configurable
        (1.5, 2, RefundState.NOT_DUE),
    ],
)
async def test_owner_refund_depends_on_the_configured_cutoff(
    env: Env, hours_before: float, cutoff_hours: int, refund: RefundState
) -> None:
    booked = await env.booked(2)  # starts at NOW + 26 h
    env.clock.current = booked.starts_at - timedelta(hours=hours_before)
    outcome = await env.cancel_by_owner(refund_cutoff_hours=cutoff_hours)(OWNER_TG, booked.id)
    assert outcome.refund is refund
    assert outcome.appointment.status is AppointmentStatus.CANCELLED_BY_OWNER
    # Refunded or not, the vet of a paid consultation hears that the time is free again.
    [(what, vet, booking)] = env.notices.vet_bookings
    assert what == "cancelled"
    assert (vet.telegram_id, vet.time_zone) == (VET_TG, "Europe/Moscow")
    assert (booking.appointment_id, booking.starts_at) == (booked.id, booked.starts_at)


# --- the vet's schedule ----------------------------------------------------------------------


def _template(env: Env) -> SetWeeklyTemplate:
    return SetWeeklyTemplate(
        env.uow,
        env.users,
        env.vets,
        env.availability,
        env.slots,
        env.clock,
    )


@pytest.mark.parametrize(
    ("windows", "timing", "reason"),
    [
        ([WeeklyWindow(7, time(9), time(12))], None, ScheduleInputErrorReason.WEEKDAY),
        ([WeeklyWindow(0, time(12), time(9))], None, ScheduleInputErrorReason.WINDOW_EMPTY),
        ([WeeklyWindow(0, time(9), time(9, 20))], None, ScheduleInputErrorReason.WINDOW_TOO_SHORT),
        (
            [WeeklyWindow(0, time(9), time(12)), WeeklyWindow(0, time(11), time(13))],
            None,
            ScheduleInputErrorReason.WINDOWS_OVERLAP,
        ),
        ([], ConsultationTiming(5, 0), ScheduleInputErrorReason.CONSULTATION_LENGTH),
        ([], ConsultationTiming(30, 500), ScheduleInputErrorReason.BUFFER_LENGTH),
    ],
)
async def test_a_bad_template_is_refused_with_a_reason(
    env: Env,
    windows: list[WeeklyWindow],
    timing: ConsultationTiming | None,
    reason: ScheduleInputErrorReason,
) -> None:
    with pytest.raises(ScheduleInputError) as caught:
        await _template(env)(VET_TG, windows, timing)
    assert caught.value.reason is reason
    assert env.uow.commits == 0


async def test_a_template_publishes_slots_and_adjacent_windows_are_fine(env: Env) -> None:
    result = await _template(env)(
        VET_TG,
        [WeeklyWindow(1, time(9), time(10)), WeeklyWindow(1, time(10), time(11))],
        ConsultationTiming(60, 0),
    )
    # Two Tuesdays in the next 14 days, two one-hour slots each: the existing Tuesday 10:00
    # slot is reused with its new length; the Monday one, no longer in the template, closes.
    assert (result.added, result.reopened, result.closed) == (3, 1, 1)
    assert env.store.slots[2].ends_at - env.store.slots[2].starts_at == timedelta(hours=1)
    assert env.store.slots[1].status is SlotStatus.CLOSED
    assert env.store.timing[1] == ConsultationTiming(60, 0)


async def test_only_vets_edit_schedules(env: Env) -> None:
    with pytest.raises(NotAVetError):
        await _template(env)(OWNER_TG, [])


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (
            NOW + timedelta(hours=2),
            NOW + timedelta(hours=1),
            ScheduleInputErrorReason.EXCEPTION_EMPTY,
        ),
        (
            NOW - timedelta(days=2),
            NOW - timedelta(days=1),
            ScheduleInputErrorReason.EXCEPTION_IN_PAST,
        ),
        (NOW, NOW + timedelta(days=200), ScheduleInputErrorReason.EXCEPTION_TOO_LONG),
    ],
)
async def test_a_bad_exception_is_refused_with_a_reason(
    env: Env, start: datetime, end: datetime, reason: ScheduleInputErrorReason
) -> None:
    add = AddException(
        env.uow,
        env.users,
        env.vets,
        env.availability,
        env.slots,
        env.appointments,
        env.clock,
    )
    with pytest.raises(ScheduleInputError) as caught:
        await add(VET_TG, starts_at=start, ends_at=end, is_available=False)
    assert caught.value.reason is reason


# --- payments abstraction and the Telegram gateway -------------------------------------------


def test_payloads_round_trip_and_foreign_ones_are_not_ours() -> None:
    assert parse_invoice_payload(invoice_payload(42)) == 42
    for foreign in [
        "",
        "appointment:",
        "appointment:-1",
        "appointment:1x",
        "appointment:٣",
        "x:1",
    ]:
        assert parse_invoice_payload(foreign) is None
    with pytest.raises(ValueError, match="token"):
        PaymentMethod.provider("")
    assert PaymentMethod.stars().is_stars and not PaymentMethod.provider("T").is_stars


class FakeBot:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.calls: list[Mapping[str, Any]] = []

    async def refund_star_payment(self, **kwargs: Any) -> bool:
        self.calls.append(kwargs)
        if self.error is not None:
            raise self.error
        return True


_METHOD = RefundStarPayment(user_id=1, telegram_payment_charge_id="c")


@pytest.mark.parametrize(
    ("error", "result", "retryable"),
    [
        (None, RefundResult.REFUNDED, False),
        (
            TelegramBadRequest(_METHOD, "Bad Request: CHARGE_ALREADY_REFUNDED"),
            RefundResult.ALREADY_REFUNDED,
            False,
        ),
        (TelegramBadRequest(_METHOD, "Bad Request: CHARGE_NOT_FOUND"), RefundResult.FAILED, False),
        (TelegramNetworkError(_METHOD, "timeout"), RefundResult.FAILED, True),
    ],
)
async def test_telegram_gateway_maps_the_bot_api_answers(
    error: Exception | None, result: RefundResult, retryable: bool
) -> None:
    bot = FakeBot(error)
    gateway = TelegramPaymentGateway(cast(Bot, bot))
    outcome = await gateway.refund(
        user_telegram_id=7, telegram_payment_charge_id="stx1", currency="XTR"
    )
    assert (outcome.result, outcome.retryable) == (result, retryable)
    assert outcome.done is (result is not RefundResult.FAILED)
    assert bot.calls == [{"user_id": 7, "telegram_payment_charge_id": "stx1"}]


async def test_telegram_gateway_does_not_try_to_refund_fiat() -> None:
    bot = FakeBot()
    gateway = TelegramPaymentGateway(cast(Bot, bot))
    outcome = await gateway.refund(
        user_telegram_id=7, telegram_payment_charge_id="prov", currency="RUB"
    )
    assert (outcome.result, outcome.reason, outcome.retryable) == (
        RefundResult.FAILED,
        REFUND_ERROR_PROVIDER,
        False,
    )
    assert bot.calls == []
