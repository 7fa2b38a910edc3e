"""Booking and payments: slots from the vet's schedule, holds, invoices, confirmation, refunds.

The life of an appointment: the owner picks a slot → `HoldSlot` reserves it for a few minutes
(HELD) → `BuildInvoice` → Telegram asks `PreCheckout` (answer within 10 s) → the owner pays →
`ConfirmPayment` on `successful_payment` (CONFIRMED) → the consultation. Cancellations and a
vet's no-show refund through the `PaymentGateway`.

Its reminders 24 h and 1 h before (`AppointmentReminders`) are made when it is confirmed,
moved with it and cancelled with it — each time in the transaction of the change, before its
commit, so the appointment and its reminders never disagree.

No double booking, ever: the database allows one active (held or confirmed) appointment per
slot (a partial unique index). Every path that makes an appointment active goes through it, so
two owners racing end with one winner and, if both paid, the other refunded.

Money is handled in two steps so a crash never loses a refund: the payment is first marked
refund-pending in the same transaction as the decision, committed, then the gateway is called
and its answer recorded. `RetryRefunds` picks up whatever stayed pending; refunding twice is
harmless (Telegram answers CHARGE_ALREADY_REFUNDED, which counts as done).

Interactors take the caller's Telegram id and ids from buttons (which anyone can craft): an
appointment that is not the caller's is reported exactly like a missing one. They return codes
and DTOs, never text.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from core.booking_errors import (
    AppointmentNotCancellableError,
    AppointmentNotFoundError,
    AppointmentNotMovableError,
    AvailabilityExceptionNotFoundError,
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
    VetNotFoundError,
)
from core.clock import Clock
from core.entities import (
    Appointment,
    AvailabilityException,
    AvailabilityRule,
    ConsultationTiming,
    Payment,
    Slot,
    User,
    Vet,
)
from core.enums import AccessLevel, AppointmentStatus, PaymentStatus, SlotStatus
from core.errors import UserNotFoundError
from core.interactors.appointment_reminders import AppointmentReminders
from core.payments import (
    INVOICE_DESCRIPTION_KEY,
    INVOICE_PRICE_LABEL_KEY,
    INVOICE_TITLE_KEY,
    REFUND_ERROR_NO_USER,
    STARS_CURRENCY,
    Invoice,
    PaymentGateway,
    PaymentMethod,
    RefundOutcome,
    SuccessfulPayment,
    invoice_payload,
    parse_invoice_payload,
)
from core.payments import RefundState as RefundState  # callers read it with the outcomes
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from core.ports.booking_notices import BookingNotices, VetBooking, VetCancellation
from core.ports.consultation_notices import ConsultationNotice, Recipient
from core.ports.repositories import (
    AppointmentRepository,
    AvailabilityRepository,
    DuplicateEntityError,
    PaymentRepository,
    PetAccessRepository,
    PetRepository,
    SlotRepository,
    SymptomCheckRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from core.schedule import (
    ExceptionWindow,
    SlotTime,
    WeeklyWindow,
    generate_slots,
    local_day_bounds,
    local_today,
    to_local,
)

logger = logging.getLogger(__name__)

# Defaults of the tunables; the composition root passes the configured values.
DEFAULT_HOLD_MINUTES: Final = 10
# A successful pre-checkout stretches the hold by this much, so a payment completing right at
# the hold's end does not lose the slot to the periodic expiry.
DEFAULT_CHECKOUT_GRACE_MINUTES: Final = 3
DEFAULT_REFUND_CUTOFF_HOURS: Final = 24
DEFAULT_NO_SHOW_GRACE_MINUTES: Final = 10
DEFAULT_PUBLISH_DAYS: Final = 14

MAX_REASON_LENGTH: Final = 1000
# A vet's reason for cancelling, read by the owner in one short message.
MAX_CANCEL_REASON_LENGTH: Final = 300
MIN_CONSULTATION_MINUTES: Final = 10
MAX_CONSULTATION_MINUTES: Final = 180
MAX_BUFFER_MINUTES: Final = 120
MAX_EXCEPTION_DAYS: Final = 92

# Who may book for a pet: those who may edit its card (a viewer may not spend money on it).
BOOKERS: Final = frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER})
_CANCELLED: Final = frozenset(
    {
        AppointmentStatus.CANCELLED_BY_OWNER,
        AppointmentStatus.CANCELLED_BY_VET,
        AppointmentStatus.NO_SHOW_VET,
        AppointmentStatus.COMPLETED,
    }
)


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublishResult:
    added: int = 0
    reopened: int = 0  # existing slots opened again or given a new length
    closed: int = 0  # free slots the schedule no longer has


@dataclass(frozen=True, slots=True)
class OpenSlot:
    """A free slot as an owner sees it: UTC instants and the same in the owner's zone."""

    slot_id: int
    starts_at: datetime
    ends_at: datetime
    local_start: datetime
    local_end: datetime


@dataclass(frozen=True, slots=True)
class PreCheckoutDecision:
    ok: bool
    reason: CheckoutDeclineReason | None = None
    appointment_id: int | None = None


class PaymentResult(StrEnum):
    CONFIRMED = "confirmed"
    # Not confirmed (the slot went to someone else, or the booking was cancelled meanwhile):
    # the bot apologizes, says what happened to the money, and offers other slots.
    REFUNDED = "refunded"
    REFUND_PENDING = "refund_pending"  # will be retried
    REFUND_FAILED = "refund_failed"  # a person handles it (/paysupport)


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    result: PaymentResult
    payment_id: int
    appointment_id: int | None
    reason: CheckoutDeclineReason | None = None  # why it was not confirmed
    duplicate: bool = False  # a redelivered update: already handled, say nothing new


@dataclass(frozen=True, slots=True)
class CancelOutcome:
    """The appointment after the change, and what happened to the money."""

    appointment: Appointment
    refund: RefundState


@dataclass(frozen=True, slots=True)
class HoldRelease:
    released: bool  # False: nothing to release (paid meanwhile, or closed already)
    status: AppointmentStatus  # the appointment's status afterwards


@dataclass(frozen=True, slots=True)
class ExceptionAdded:
    exception: AvailabilityException
    published: PublishResult
    # Time off over booked consultations leaves them in place: the vet decides (CancelByVet).
    conflicting: tuple[Appointment, ...]


@dataclass(frozen=True, slots=True)
class VetSchedule:
    vet: Vet
    rules: tuple[AvailabilityRule, ...]
    timing: ConsultationTiming
    exceptions: tuple[AvailabilityException, ...]  # not yet over


# --- shared helpers --------------------------------------------------------------------------


async def _user(users: UserRepository, telegram_id: int) -> User:
    user = await users.get_by_telegram_id(telegram_id)
    if user is None:
        raise UserNotFoundError(telegram_id)
    return user


async def _vet_of(users: UserRepository, vets: VetRepository, telegram_id: int) -> Vet:
    user = await _user(users, telegram_id)
    vet = await vets.get_by_user_id(user.id)
    if vet is None:
        raise NotAVetError(telegram_id)
    return vet


async def _active_vet(vets: VetRepository, vet_id: int) -> Vet:
    vet = await vets.get(vet_id)
    if vet is None or not vet.is_active:
        raise VetNotFoundError(vet_id)
    return vet


class _Publisher:
    """Brings a vet's future slots in line with the schedule (idempotent).

    Free slots the schedule no longer has are closed (kept: old appointments point at them);
    occupied ones are never touched, and no new slot may overlap one of them.
    """

    def __init__(
        self,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        days_ahead: int,
    ) -> None:
        self._availability = availability
        self._slots = slots
        self._clock = clock
        self._days_ahead = days_ahead

    async def publish(self, vet: Vet) -> PublishResult:
        if not vet.is_active:
            return PublishResult()
        now = self._clock.now()
        first_day = local_today(now, vet.time_zone)
        last_day = first_day + timedelta(days=self._days_ahead - 1)
        range_start, _ = local_day_bounds(first_day, vet.time_zone)
        _, range_end = local_day_bounds(last_day, vet.time_zone)
        timing = await self._availability.get_timing(vet.id)
        rules = await self._availability.list_rules(vet.id)
        exceptions = await self._availability.list_exceptions(
            vet.id, start=range_start, end=range_end
        )
        desired = [
            slot
            for slot in generate_slots(
                [WeeklyWindow(rule.weekday, rule.start_time, rule.end_time) for rule in rules],
                [ExceptionWindow(e.starts_at, e.ends_at, e.is_available) for e in exceptions],
                time_zone=vet.time_zone,
                first_day=first_day,
                last_day=last_day,
                consultation_minutes=timing.consultation_minutes,
                buffer_minutes=timing.buffer_minutes,
            )
            if slot.starts_at > now
        ]
        existing = [
            slot
            for slot in await self._slots.list_for_vet(vet.id, start=now, end=range_end)
            if slot.starts_at > now
        ]
        occupied = await self._slots.list_occupied_ids([slot.id for slot in existing])
        by_start = {slot.starts_at: slot for slot in existing}
        booked = [slot for slot in existing if slot.id in occupied]

        added = reopened = closed = 0
        wanted: set[datetime] = set()
        for wanted_time in desired:
            if any(
                _overlaps(wanted_time, other) and other.starts_at != wanted_time.starts_at
                for other in booked
            ):
                continue
            wanted.add(wanted_time.starts_at)
            current = by_start.get(wanted_time.starts_at)
            if current is None:
                try:
                    await self._slots.add(
                        vet_id=vet.id, starts_at=wanted_time.starts_at, ends_at=wanted_time.ends_at
                    )
                    added += 1
                except DuplicateEntityError:
                    pass  # another publisher added it a moment ago
            elif current.id in occupied:
                continue
            elif current.status is not SlotStatus.OPEN or current.ends_at != wanted_time.ends_at:
                await self._slots.reopen(current.id, ends_at=wanted_time.ends_at)
                reopened += 1
        for slot in existing:
            if slot.starts_at in wanted or slot.status is not SlotStatus.OPEN:
                continue
            if slot.id not in occupied and await self._slots.close_if_free(slot.id):
                closed += 1
        return PublishResult(added=added, reopened=reopened, closed=closed)


def refund_deadline(appointment: Appointment, cutoff: timedelta) -> datetime:
    """The last moment an owner's cancellation is refunded in full.

    One rule for moving and cancelling: the deadline is the earliest of `start - cutoff` over
    every start the paid appointment has had. Moving never buys time back: a booking moved
    after its deadline (or to a later day) is refunded only as its first time would have been.
    """
    current = appointment.starts_at - cutoff
    if appointment.refund_until is None:
        return current
    return min(appointment.refund_until, current)


def _overlaps(slot: SlotTime, other: Slot) -> bool:
    return slot.starts_at < other.ends_at and other.starts_at < slot.ends_at


class _Refunder:
    """Calls the gateway for a payment already marked refund-pending, records the answer."""

    def __init__(
        self, uow: UnitOfWork, payments: PaymentRepository, gateway: PaymentGateway, clock: Clock
    ) -> None:
        self._uow = uow
        self._payments = payments
        self._gateway = gateway
        self._clock = clock

    async def refund(
        self, payment: Payment, *, payer_telegram_id: int | None = None
    ) -> RefundState:
        telegram_id = (
            payer_telegram_id if payer_telegram_id is not None else payment.user_telegram_id
        )
        if telegram_id is None:
            outcome = RefundOutcome.failed(REFUND_ERROR_NO_USER)
        else:
            try:
                outcome = await self._gateway.refund(
                    user_telegram_id=telegram_id,
                    telegram_payment_charge_id=payment.telegram_payment_charge_id,
                    currency=payment.currency,
                )
            except Exception as error:  # a gateway bug must not lose the record: retry later
                logger.exception("refund of payment %s raised", payment.id)
                outcome = RefundOutcome.failed(repr(error)[:500], retryable=True)
        if outcome.done:
            await self._payments.record_refund(payment.id, refunded_at=self._clock.now())
            state = RefundState.REFUNDED
        else:
            reason = outcome.reason or "unknown"
            await self._payments.record_refund_error(
                payment.id, error=reason, final=not outcome.retryable
            )
            state = RefundState.PENDING if outcome.retryable else RefundState.FAILED
            logger.warning("refund of payment %s failed: %s", payment.id, reason)
        await self._uow.commit()
        return state

    async def refund_all_paid(self, appointment_id: int) -> RefundState:
        """Mark every paid payment of the appointment for refund, commit, then refund each.

        The caller has staged the appointment's change: it is committed with the marks.
        """
        claimed = [
            payment
            for payment in await self._payments.list_for_appointment(appointment_id)
            if payment.status is PaymentStatus.PAID
            and await self._payments.request_refund(payment.id)
        ]
        await self._uow.commit()
        if not claimed:
            return RefundState.NOT_PAID
        states = [await self.refund(payment) for payment in claimed]
        return _worst(states)


_STATE_RANK: Final = {
    RefundState.NOT_PAID: 0,
    RefundState.NOT_DUE: 0,
    RefundState.REFUNDED: 1,
    RefundState.PENDING: 2,
    RefundState.FAILED: 3,
}


def _worst(states: Sequence[RefundState]) -> RefundState:
    return max(states, key=_STATE_RANK.__getitem__)


class _Teller:
    """What a booking notice is read from and sent through; the tellers below say who hears
    what."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        notices: BookingNotices,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._pets = pets
        self._notices = notices


class _VetBookingTeller(_Teller):
    """Tells the vet that an owner booked, moved or cancelled, after the change is committed:
    reads what the message needs, ends the read (SQLite's lock) before talking to Telegram,
    and never lets a failed delivery undo what the owner did."""

    async def booked(self, appointment: Appointment) -> None:
        await self._tell(appointment, self._notices.booked_for_vet)

    async def moved(self, appointment: Appointment) -> None:
        await self._tell(appointment, self._notices.moved_for_vet)

    async def cancelled(self, appointment: Appointment) -> None:
        await self._tell(appointment, self._notices.owner_cancelled_for_vet)

    async def _tell(
        self,
        appointment: Appointment,
        send: Callable[[Recipient, VetBooking], Awaitable[None]],
    ) -> None:
        vet = await self._vets.get(appointment.vet_id)
        vet_user = None if vet is None else await self._users.get(vet.user_id)
        owner = await self._users.get(appointment.owner_user_id)
        pet = await self._pets.get(appointment.pet_id)
        await self._uow.rollback()
        if vet is None or vet_user is None or owner is None or vet_user.blocked_bot_at is not None:
            return
        recipient = Recipient(
            telegram_id=vet_user.telegram_id, language=vet_user.language, time_zone=vet.time_zone
        )
        booking = VetBooking(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            pet_name=None if pet is None else pet.name,
            pet_species=None if pet is None else pet.species,
            owner_name=owner.first_name,
            reason=appointment.reason,
        )
        try:
            await send(recipient, booking)
        except Exception:  # what the owner did stands; the adapter logs its failures
            logger.exception("the vet of appointment %s was not told", appointment.id)


# --- schedule (vets) -------------------------------------------------------------------------


class PublishSlots:
    """Materialize a vet's slots for the next days from the schedule (periodic; idempotent)."""

    def __init__(
        self,
        uow: UnitOfWork,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        days_ahead: int = DEFAULT_PUBLISH_DAYS,
    ) -> None:
        self._uow = uow
        self._vets = vets
        self._publisher = _Publisher(availability, slots, clock, days_ahead)

    async def __call__(self, vet_id: int) -> PublishResult:
        vet = await self._vets.get(vet_id)
        if vet is None:
            raise VetNotFoundError(vet_id)
        result = await self._publisher.publish(vet)
        await self._uow.commit()
        return result


class GetMySchedule:
    """The calling vet's template, timing and the exceptions still ahead (for /schedule)."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        clock: Clock,
    ) -> None:
        self._users = users
        self._vets = vets
        self._availability = availability
        self._clock = clock

    async def __call__(self, telegram_id: int) -> VetSchedule:
        vet = await _vet_of(self._users, self._vets, telegram_id)
        now = self._clock.now()
        return VetSchedule(
            vet=vet,
            rules=tuple(await self._availability.list_rules(vet.id)),
            timing=await self._availability.get_timing(vet.id),
            exceptions=tuple(
                await self._availability.list_exceptions(
                    vet.id, start=now, end=now + timedelta(days=366)
                )
            ),
        )


class SetWeeklyTemplate:
    """Replace the calling vet's weekly windows (and optionally the timing), then re-publish.

    Booked slots stay as they are even when the new template drops their time.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        days_ahead: int = DEFAULT_PUBLISH_DAYS,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._availability = availability
        self._publisher = _Publisher(availability, slots, clock, days_ahead)

    async def __call__(
        self,
        telegram_id: int,
        windows: Collection[WeeklyWindow],
        timing: ConsultationTiming | None = None,
    ) -> PublishResult:
        vet = await _vet_of(self._users, self._vets, telegram_id)
        if timing is not None:
            _check_timing(timing)
        effective = timing or await self._availability.get_timing(vet.id)
        _check_windows(windows, effective)
        if timing is not None:
            await self._availability.set_timing(vet.id, timing)
        await self._availability.replace_rules(
            vet.id, [(window.weekday, window.start, window.end) for window in windows]
        )
        result = await self._publisher.publish(vet)
        await self._uow.commit()
        return result


class AddException:
    """Time off or extra hours for the calling vet, then re-publish."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        clock: Clock,
        days_ahead: int = DEFAULT_PUBLISH_DAYS,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._availability = availability
        self._appointments = appointments
        self._clock = clock
        self._publisher = _Publisher(availability, slots, clock, days_ahead)

    async def __call__(
        self,
        telegram_id: int,
        *,
        starts_at: datetime,
        ends_at: datetime,
        is_available: bool,
        reason: str | None = None,
    ) -> ExceptionAdded:
        vet = await _vet_of(self._users, self._vets, telegram_id)
        if starts_at >= ends_at:
            raise ScheduleInputError(ScheduleInputErrorReason.EXCEPTION_EMPTY)
        if ends_at <= self._clock.now():
            raise ScheduleInputError(ScheduleInputErrorReason.EXCEPTION_IN_PAST)
        if ends_at - starts_at > timedelta(days=MAX_EXCEPTION_DAYS):
            raise ScheduleInputError(ScheduleInputErrorReason.EXCEPTION_TOO_LONG)
        if reason is not None and len(reason) > 256:
            raise ReasonTooLongError(256)
        exception = await self._availability.add_exception(
            vet.id,
            starts_at=starts_at,
            ends_at=ends_at,
            is_available=is_available,
            reason=reason,
        )
        published = await self._publisher.publish(vet)
        conflicting: tuple[Appointment, ...] = ()
        if not is_available:
            # Booked consultations overlapping the time off (those starting inside it, and
            # one that started before and runs into it).
            candidates = await self._appointments.list_for_vet(
                vet.id,
                start=starts_at - timedelta(days=1),
                end=ends_at,
                statuses=[AppointmentStatus.HELD, AppointmentStatus.CONFIRMED],
            )
            conflicting = tuple(a for a in candidates if a.ends_at > starts_at)
        await self._uow.commit()
        return ExceptionAdded(exception=exception, published=published, conflicting=conflicting)


class RemoveException:
    """Delete one of the calling vet's exceptions, then re-publish."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        availability: AvailabilityRepository,
        slots: SlotRepository,
        clock: Clock,
        days_ahead: int = DEFAULT_PUBLISH_DAYS,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._availability = availability
        self._publisher = _Publisher(availability, slots, clock, days_ahead)

    async def __call__(self, telegram_id: int, exception_id: int) -> PublishResult:
        vet = await _vet_of(self._users, self._vets, telegram_id)
        exception = await self._availability.get_exception(exception_id)
        if exception is None or exception.vet_id != vet.id:
            raise AvailabilityExceptionNotFoundError(exception_id)
        await self._availability.delete_exception(exception_id)
        result = await self._publisher.publish(vet)
        await self._uow.commit()
        return result


def _check_timing(timing: ConsultationTiming) -> None:
    if not MIN_CONSULTATION_MINUTES <= timing.consultation_minutes <= MAX_CONSULTATION_MINUTES:
        raise ScheduleInputError(ScheduleInputErrorReason.CONSULTATION_LENGTH)
    if not 0 <= timing.buffer_minutes <= MAX_BUFFER_MINUTES:
        raise ScheduleInputError(ScheduleInputErrorReason.BUFFER_LENGTH)


def _check_windows(windows: Collection[WeeklyWindow], timing: ConsultationTiming) -> None:
    by_day: dict[int, list[WeeklyWindow]] = {}
    for window in windows:
        if not 0 <= window.weekday <= 6:
            raise ScheduleInputError(ScheduleInputErrorReason.WEEKDAY)
        if window.start >= window.end:
            raise ScheduleInputError(ScheduleInputErrorReason.WINDOW_EMPTY)
        length = _minutes(window.end.hour, window.end.minute) - _minutes(
            window.start.hour, window.start.minute
        )
        if length < timing.consultation_minutes:
            raise ScheduleInputError(ScheduleInputErrorReason.WINDOW_TOO_SHORT)
        by_day.setdefault(window.weekday, []).append(window)
    for day_windows in by_day.values():
        ordered = sorted(day_windows)
        for before, after in itertools.pairwise(ordered):
            if after.start < before.end:
                raise ScheduleInputError(ScheduleInputErrorReason.WINDOWS_OVERLAP)


def _minutes(hour: int, minute: int) -> int:
    return hour * 60 + minute


# --- finding and holding a slot (owners) -----------------------------------------------------


class ListOpenSlots:
    """Free slots of a vet on one day of the owner's calendar, in the owner's time zone."""

    def __init__(
        self, users: UserRepository, vets: VetRepository, slots: SlotRepository, clock: Clock
    ) -> None:
        self._users = users
        self._vets = vets
        self._slots = slots
        self._clock = clock

    async def __call__(self, telegram_id: int, vet_id: int, day: date) -> list[OpenSlot]:
        user = await _user(self._users, telegram_id)
        vet = await _active_vet(self._vets, vet_id)
        start, end = local_day_bounds(day, user.time_zone)
        slots = await self._slots.list_open(vet.id, start=start, end=end, now=self._clock.now())
        return [_open_slot(slot, user.time_zone) for slot in slots]


class ListOpenDays:
    """The days of the owner's calendar on which a vet has free slots, in the coming days."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        slots: SlotRepository,
        clock: Clock,
        days_ahead: int = DEFAULT_PUBLISH_DAYS,
    ) -> None:
        self._users = users
        self._vets = vets
        self._slots = slots
        self._clock = clock
        self._days_ahead = days_ahead

    async def __call__(self, telegram_id: int, vet_id: int) -> list[date]:
        user = await _user(self._users, telegram_id)
        vet = await _active_vet(self._vets, vet_id)
        now = self._clock.now()
        first_day = local_today(now, user.time_zone)
        start, _ = local_day_bounds(first_day, user.time_zone)
        _, end = local_day_bounds(first_day + timedelta(days=self._days_ahead), user.time_zone)
        slots = await self._slots.list_open(vet.id, start=start, end=end, now=now)
        return sorted({to_local(slot.starts_at, user.time_zone).date() for slot in slots})


def _open_slot(slot: Slot, time_zone: str) -> OpenSlot:
    return OpenSlot(
        slot_id=slot.id,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        local_start=to_local(slot.starts_at, time_zone),
        local_end=to_local(slot.ends_at, time_zone),
    )


class HoldSlot:
    """Reserve a slot for the owner's pet while they pay (HELD until `hold_expires_at`).

    Stale holds on the slot are expired first; the owner's other holds are released (one
    choice at a time). Two owners racing for one slot: the database lets one hold in, the
    other gets `SlotTakenError`.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        checks: SymptomCheckRepository,
        vets: VetRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        clock: Clock,
        hold_minutes: int = DEFAULT_HOLD_MINUTES,
    ) -> None:
        self._uow = uow
        self._users = users
        self._pets = pets
        self._access = access
        self._checks = checks
        self._vets = vets
        self._slots = slots
        self._appointments = appointments
        self._clock = clock
        self._hold = timedelta(minutes=hold_minutes)

    async def __call__(
        self,
        telegram_id: int,
        *,
        pet_id: int,
        slot_id: int,
        reason: str | None = None,
        check_id: int | None = None,
    ) -> Appointment:
        now = self._clock.now()
        if reason is not None and len(reason) > MAX_REASON_LENGTH:
            raise ReasonTooLongError(MAX_REASON_LENGTH)
        user = await _user(self._users, telegram_id)
        level = await self._access.get_level(user.id, pet_id)
        pet = await self._pets.get(pet_id) if level is not None else None
        if level is None or pet is None:
            raise PetNotFoundError(pet_id)
        if level not in BOOKERS:
            raise PetAccessDeniedError(pet_id, "book for")
        if pet.is_archived:
            raise PetArchivedError(pet_id)
        if check_id is not None:
            check = await self._checks.get(check_id)
            # A crafted id must not attach someone else's check for the vet to read.
            if check is None or check.pet_id != pet_id:
                check_id = None
        slot = await self._slots.get(slot_id)
        if slot is None:
            raise SlotNotFoundError(slot_id)
        vet = await self._vets.get(slot.vet_id)
        if vet is None or not vet.is_active or slot.status is not SlotStatus.OPEN:
            raise SlotUnavailableError(slot_id)
        if slot.starts_at <= now:
            raise SlotUnavailableError(slot_id)

        await self._appointments.expire_holds(now=now, slot_id=slot_id)
        try:
            appointment = await self._appointments.add_hold(
                slot_id=slot_id,
                vet_id=vet.id,
                owner_user_id=user.id,
                pet_id=pet_id,
                reason=reason,
                check_id=check_id,
                price_amount=vet.price_amount,
                currency=vet.currency,
                hold_expires_at=now + self._hold,
            )
        except DuplicateEntityError as error:
            await self._uow.rollback()
            raise SlotTakenError(slot_id) from error
        await self._appointments.release_holds_of_owner(user.id, except_id=appointment.id)
        await self._uow.commit()
        return appointment


class ExpireHolds:
    """Mark every hold past its expiry expired (periodic); how many were."""

    def __init__(self, uow: UnitOfWork, appointments: AppointmentRepository, clock: Clock) -> None:
        self._uow = uow
        self._appointments = appointments
        self._clock = clock

    async def __call__(self) -> int:
        count = await self._appointments.expire_holds(now=self._clock.now())
        await self._uow.commit()
        return count


# --- paying ----------------------------------------------------------------------------------


class BuildInvoice:
    """The invoice for a held appointment of the caller, in the configured payment method."""

    def __init__(
        self,
        users: UserRepository,
        vets: VetRepository,
        appointments: AppointmentRepository,
        method: PaymentMethod,
        clock: Clock,
    ) -> None:
        self._users = users
        self._vets = vets
        self._appointments = appointments
        self._method = method
        self._clock = clock

    async def __call__(self, telegram_id: int, appointment_id: int) -> Invoice:
        user = await _user(self._users, telegram_id)
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.owner_user_id != user.id:
            raise AppointmentNotFoundError(appointment_id)
        hold_live = (
            appointment.hold_expires_at is not None
            and appointment.hold_expires_at > self._clock.now()
        )
        if appointment.status is not AppointmentStatus.HELD or not hold_live:
            raise HoldNotPayableError(appointment_id, appointment.status.value)
        is_stars = appointment.currency == STARS_CURRENCY
        if is_stars != self._method.is_stars:
            raise PaymentMethodMismatchError(appointment.currency)
        vet = await self._vets.get(appointment.vet_id)
        if vet is None:
            raise AppointmentNotFoundError(appointment_id)
        return Invoice(
            appointment_id=appointment.id,
            payload=invoice_payload(appointment.id),
            title_key=INVOICE_TITLE_KEY,
            description_key=INVOICE_DESCRIPTION_KEY,
            price_label_key=INVOICE_PRICE_LABEL_KEY,
            currency=appointment.currency,
            amount=appointment.price_amount,
            provider_token=self._method.provider_token,
            vet_display_name=vet.display_name,
            starts_at=appointment.starts_at,
            time_zone=user.time_zone,
        )


class PreCheckout:
    """Answer Telegram's pre-checkout query: is this hold still valid at this price?

    Must answer within 10 s: a few indexed reads and, when fine, one UPDATE stretching the
    hold a little so that the payment completing now cannot lose the slot to the expiry job.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        clock: Clock,
        checkout_grace_minutes: int = DEFAULT_CHECKOUT_GRACE_MINUTES,
    ) -> None:
        self._uow = uow
        self._users = users
        self._slots = slots
        self._appointments = appointments
        self._clock = clock
        self._grace = timedelta(minutes=checkout_grace_minutes)

    async def __call__(
        self, *, telegram_id: int, payload: str, total_amount: int, currency: str
    ) -> PreCheckoutDecision:
        now = self._clock.now()
        appointment_id = parse_invoice_payload(payload)
        appointment = (
            None if appointment_id is None else await self._appointments.get(appointment_id)
        )
        if appointment is None:
            return PreCheckoutDecision(ok=False, reason=CheckoutDeclineReason.UNKNOWN_INVOICE)
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None or user.id != appointment.owner_user_id:
            return _decline(CheckoutDeclineReason.NOT_YOURS, appointment)
        reason = await _why_not_payable(self._slots, self._appointments, appointment, now)
        if reason is None and (
            total_amount != appointment.price_amount or currency != appointment.currency
        ):
            reason = CheckoutDeclineReason.PRICE_CHANGED
        if reason is not None:
            return _decline(reason, appointment)
        await self._appointments.extend_hold(appointment.id, until=now + self._grace)
        await self._uow.commit()
        return PreCheckoutDecision(ok=True, appointment_id=appointment.id)


def _decline(reason: CheckoutDeclineReason, appointment: Appointment) -> PreCheckoutDecision:
    return PreCheckoutDecision(ok=False, reason=reason, appointment_id=appointment.id)


async def _why_not_payable(
    slots: SlotRepository,
    appointments: AppointmentRepository,
    appointment: Appointment,
    now: datetime,
) -> CheckoutDeclineReason | None:
    if appointment.status is AppointmentStatus.CONFIRMED:
        return CheckoutDeclineReason.ALREADY_PAID
    if appointment.status in _CANCELLED:
        return CheckoutDeclineReason.CANCELLED
    slot = await slots.get(appointment.slot_id)
    if slot is None or slot.status is not SlotStatus.OPEN or slot.starts_at <= now:
        return CheckoutDeclineReason.SLOT_UNAVAILABLE
    if appointment.status is AppointmentStatus.EXPIRED:
        active = await appointments.get_active_for_slot(appointment.slot_id)
        if active is not None and active.id != appointment.id:
            return CheckoutDeclineReason.SLOT_TAKEN
        return CheckoutDeclineReason.HOLD_EXPIRED
    if appointment.hold_expires_at is None or appointment.hold_expires_at <= now:
        return CheckoutDeclineReason.HOLD_EXPIRED
    return None


class ConfirmPayment:
    """Handle `successful_payment`: record it once, confirm the appointment, or refund.

    The payment row is inserted first (insert-or-ignore on the charge id): a redelivered update
    finds it and gets the first outcome back, marked `duplicate`. The appointment is confirmed
    if it is still held — or expired with the slot still free (the money was taken while the
    hold ran out: the owner keeps the time). Otherwise, including when another owner's
    concurrent confirmation wins the slot in the database, this payment is refunded.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        clock: Clock,
        reminders: AppointmentReminders,
    ) -> None:
        self._uow = uow
        self._users = users
        self._slots = slots
        self._appointments = appointments
        self._payments = payments
        self._clock = clock
        self._reminders = reminders
        self._refunder = _Refunder(uow, payments, gateway, clock)

    async def __call__(self, paid: SuccessfulPayment) -> PaymentOutcome:
        now = self._clock.now()
        user = await self._users.get_by_telegram_id(paid.payer_telegram_id)
        appointment_id = parse_invoice_payload(paid.invoice_payload)
        appointment = (
            None if appointment_id is None else await self._appointments.get(appointment_id)
        )
        payment, added = await self._payments.add_if_absent(
            telegram_payment_charge_id=paid.telegram_payment_charge_id,
            provider_payment_charge_id=paid.provider_payment_charge_id,
            appointment_id=None if appointment is None else appointment.id,
            user_id=None if user is None else user.id,
            invoice_payload=paid.invoice_payload,
            amount=paid.total_amount,
            currency=paid.currency,
            paid_at=now,
        )
        if not added:
            await self._uow.rollback()
            return _replay(payment)

        reason = _mismatch(paid, user, appointment)
        if reason is None and appointment is not None:
            try:
                confirmed = await self._appointments.confirm(appointment.id, confirmed_at=now)
            except DuplicateEntityError:
                confirmed, reason = False, CheckoutDeclineReason.SLOT_TAKEN
            if confirmed:
                await self._reminders.confirmed(appointment)
                await self._uow.commit()
                return PaymentOutcome(
                    result=PaymentResult.CONFIRMED,
                    payment_id=payment.id,
                    appointment_id=appointment.id,
                )
            current = await self._appointments.get(appointment.id)
            if reason is None and current is not None:
                reason = await _why_not_payable(self._slots, self._appointments, current, now)
            if current is not None and current.status is AppointmentStatus.HELD:
                # Held on a slot that was withdrawn or has begun: let the hold go.
                await self._appointments.set_status(
                    current.id,
                    status=AppointmentStatus.EXPIRED,
                    expected=[AppointmentStatus.HELD],
                    at=now,
                )
        # Decided and recorded in one commit, so a crash before the gateway call leaves a
        # pending refund for RetryRefunds, never a payment nobody refunds.
        await self._payments.request_refund(payment.id)
        await self._uow.commit()
        state = await self._refunder.refund(payment, payer_telegram_id=paid.payer_telegram_id)
        logger.info("payment %s not confirmed (%s): refund %s", payment.id, reason, state)
        return PaymentOutcome(
            result=_REFUND_RESULT[state],
            payment_id=payment.id,
            appointment_id=payment.appointment_id,
            reason=reason or CheckoutDeclineReason.SLOT_UNAVAILABLE,
        )


class HandleSuccessfulPayment:
    """The `successful_payment` update: `ConfirmPayment`, then the vet hears of the new booking
    (`BookingNotices.booked_for_vet`) once it is committed; a redelivered update tells no one.

    `ReconcileStarPayments` calls `ConfirmPayment` itself and tells the vet in its own notice of
    the late payment, so the vet hears of a booking once, whichever path recorded it.
    """

    def __init__(
        self,
        confirm: ConfirmPayment,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        notices: BookingNotices,
    ) -> None:
        self._confirm = confirm
        self._appointments = appointments
        self._tell_vet = _VetBookingTeller(uow, users, vets, pets, notices)

    async def __call__(self, paid: SuccessfulPayment) -> PaymentOutcome:
        outcome = await self._confirm(paid)
        if (
            outcome.duplicate
            or outcome.result is not PaymentResult.CONFIRMED
            or outcome.appointment_id is None
        ):
            return outcome
        appointment = await self._appointments.get(outcome.appointment_id)
        if appointment is not None:
            await self._tell_vet.booked(appointment)
        return outcome


_REFUND_RESULT: Final = {
    RefundState.REFUNDED: PaymentResult.REFUNDED,
    RefundState.PENDING: PaymentResult.REFUND_PENDING,
    RefundState.FAILED: PaymentResult.REFUND_FAILED,
    RefundState.NOT_PAID: PaymentResult.REFUND_PENDING,  # not reached: this payment is paid
    RefundState.NOT_DUE: PaymentResult.REFUND_PENDING,  # likewise
}

_REPLAYED: Final = {
    # A payment left paid by its first handling is one that confirmed its appointment: every
    # other path marks it for refund in the same commit.
    PaymentStatus.PAID: PaymentResult.CONFIRMED,
    PaymentStatus.REFUNDED: PaymentResult.REFUNDED,
    PaymentStatus.REFUND_PENDING: PaymentResult.REFUND_PENDING,
    PaymentStatus.REFUND_FAILED: PaymentResult.REFUND_FAILED,
}


def _replay(payment: Payment) -> PaymentOutcome:
    return PaymentOutcome(
        result=_REPLAYED[payment.status],
        payment_id=payment.id,
        appointment_id=payment.appointment_id,
        duplicate=True,
    )


def _mismatch(
    paid: SuccessfulPayment, user: User | None, appointment: Appointment | None
) -> CheckoutDeclineReason | None:
    if appointment is None:
        return CheckoutDeclineReason.UNKNOWN_INVOICE
    if user is None or user.id != appointment.owner_user_id:
        return CheckoutDeclineReason.NOT_YOURS
    if paid.total_amount != appointment.price_amount or paid.currency != appointment.currency:
        return CheckoutDeclineReason.PRICE_CHANGED
    return None


class RetryRefunds:
    """Try again every refund still pending (periodic); how many are done now."""

    def __init__(
        self, uow: UnitOfWork, payments: PaymentRepository, gateway: PaymentGateway, clock: Clock
    ) -> None:
        self._payments = payments
        self._refunder = _Refunder(uow, payments, gateway, clock)

    async def __call__(self, *, limit: int = 100) -> int:
        done = 0
        for payment in await self._payments.list_pending_refunds(limit=limit):
            if await self._refunder.refund(payment) is RefundState.REFUNDED:
                done += 1
        return done


# --- cancelling ------------------------------------------------------------------------------


class CancelByOwner:
    """The owner cancels their appointment (or drops their hold).

    A confirmed appointment is refunded in full when cancelled before its `refund_deadline`
    (`refund_cutoff_hours` before the earliest start it had: a reschedule keeps the deadline);
    later, it is cancelled without a refund (the vet kept the time free).
    Only the owner who booked may cancel, not co-owners of the pet. The vet of a confirmed
    appointment is told (`BookingNotices`); a hold they never heard of ends quietly.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        refund_cutoff_hours: int = DEFAULT_REFUND_CUTOFF_HOURS,
    ) -> None:
        self._uow = uow
        self._users = users
        self._appointments = appointments
        self._clock = clock
        self._reminders = reminders
        self._cutoff = timedelta(hours=refund_cutoff_hours)
        self._refunder = _Refunder(uow, payments, gateway, clock)
        self._tell_vet = _VetBookingTeller(uow, users, vets, pets, notices)

    async def __call__(self, telegram_id: int, appointment_id: int) -> CancelOutcome:
        now = self._clock.now()
        user = await _user(self._users, telegram_id)
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.owner_user_id != user.id:
            raise AppointmentNotFoundError(appointment_id)
        cancellable = appointment.status in {
            AppointmentStatus.HELD,
            AppointmentStatus.CONFIRMED,
        } and (appointment.status is AppointmentStatus.HELD or appointment.starts_at > now)
        changed = cancellable and await self._appointments.set_status(
            appointment_id,
            status=AppointmentStatus.CANCELLED_BY_OWNER,
            expected=[appointment.status],
            at=now,
        )
        if not changed:
            await self._uow.rollback()
            raise AppointmentNotCancellableError(appointment_id, appointment.status.value)
        if appointment.status is AppointmentStatus.CONFIRMED:
            await self._reminders.cancelled(appointment_id)  # a hold has none
        if appointment.status is AppointmentStatus.CONFIRMED and (
            now > refund_deadline(appointment, self._cutoff)
        ):
            await self._uow.commit()
            refund = RefundState.NOT_DUE
        else:
            refund = await self._refunder.refund_all_paid(appointment_id)
        cancelled = await self._reload(appointment_id)
        if appointment.status is AppointmentStatus.CONFIRMED:
            await self._tell_vet.cancelled(appointment)
        return CancelOutcome(appointment=cancelled, refund=refund)

    async def _reload(self, appointment_id: int) -> Appointment:
        appointment = await self._appointments.get(appointment_id)
        if appointment is None:  # deleted with its user in between: nothing to show
            raise AppointmentNotFoundError(appointment_id)
        return appointment


class ReleaseHold:
    """The owner leaves the paying window ("Cancel booking", "Another time"): the hold ends now.

    A hold, live or expired, becomes CANCELLED_BY_OWNER: the slot is free at once, the invoice
    already sent is declined at pre-checkout, and a payment that still arrives is refunded
    (`ConfirmPayment` would revive an expired hold, never a cancelled one). `released` is True
    only for a hold that was still live: an expired one is closed, not to be continued. A
    booking paid meanwhile is never touched: the caller learns its status and says so.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        appointments: AppointmentRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._users = users
        self._appointments = appointments
        self._clock = clock

    async def __call__(self, telegram_id: int, appointment_id: int) -> HoldRelease:
        user = await _user(self._users, telegram_id)
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.owner_user_id != user.id:
            raise AppointmentNotFoundError(appointment_id)
        now = self._clock.now()
        live = (
            appointment.status is AppointmentStatus.HELD
            and appointment.hold_expires_at is not None
            and appointment.hold_expires_at > now
        )
        releasable = [AppointmentStatus.HELD, AppointmentStatus.EXPIRED]
        if appointment.status in releasable and await self._appointments.set_status(
            appointment_id,
            status=AppointmentStatus.CANCELLED_BY_OWNER,
            expected=releasable,
            at=now,
        ):
            await self._uow.commit()
            return HoldRelease(released=live, status=AppointmentStatus.CANCELLED_BY_OWNER)
        await self._uow.rollback()
        current = await self._appointments.get(appointment_id)
        status = appointment.status if current is None else current.status
        return HoldRelease(released=False, status=status)


class CancelBookingsOfLeavingOwner:
    """`/delete_me` with bookings ahead: one policy, the owner's own cancellation rule.

    Before the account goes, each upcoming booking of the owner is cancelled by the owner:
    a hold simply ends; a paid consultation is refunded in full before its `refund_deadline`,
    not after (as `CancelByOwner`), and its vet is told either way (`BookingNotices`). The
    refunds are made now, while the payer's Telegram id is still known. Returns the outcomes.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        refund_cutoff_hours: int = DEFAULT_REFUND_CUTOFF_HOURS,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._pets = pets
        self._appointments = appointments
        self._notices = notices
        self._clock = clock
        self._reminders = reminders
        self._cutoff = timedelta(hours=refund_cutoff_hours)
        self._refunder = _Refunder(uow, payments, gateway, clock)

    async def __call__(self, owner: User) -> list[CancelOutcome]:
        now = self._clock.now()
        outcomes: list[CancelOutcome] = []
        upcoming = await self._appointments.list_for_owner(
            owner.id, statuses=[AppointmentStatus.HELD, AppointmentStatus.CONFIRMED]
        )
        for appointment in upcoming:
            if appointment.status is AppointmentStatus.CONFIRMED and appointment.starts_at <= now:
                continue  # begun or over: nothing left to cancel
            if not await self._appointments.set_status(
                appointment.id,
                status=AppointmentStatus.CANCELLED_BY_OWNER,
                expected=[appointment.status],
                at=now,
            ):
                continue  # changed meanwhile (paid, cancelled): its own path handles it
            if appointment.status is AppointmentStatus.HELD:
                await self._uow.commit()  # the vet never heard of a hold
                continue
            await self._reminders.cancelled(appointment.id)
            if now > refund_deadline(appointment, self._cutoff):
                await self._uow.commit()
                refund = RefundState.NOT_DUE
            else:
                refund = await self._refunder.refund_all_paid(appointment.id)
            outcomes.append(CancelOutcome(appointment=appointment, refund=refund))
            await self._tell_vet(owner, appointment)
        return outcomes

    async def _tell_vet(self, owner: User, appointment: Appointment) -> None:
        vet = await self._vets.get(appointment.vet_id)
        vet_user = None if vet is None else await self._users.get(vet.user_id)
        pet = await self._pets.get(appointment.pet_id)
        await self._uow.rollback()  # end the read before talking to Telegram (SQLite locks)
        if vet is None or vet_user is None or vet_user.blocked_bot_at is not None:
            return
        recipient = Recipient(
            telegram_id=vet_user.telegram_id, language=vet_user.language, time_zone=vet.time_zone
        )
        notice = ConsultationNotice(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            ends_at=appointment.ends_at,
            pet_name=None if pet is None else pet.name,
            vet_name=vet.display_name,
            owner_name=owner.first_name,
            reason=appointment.reason,
            join_url=None,
        )
        try:
            await self._notices.owner_left_for_vet(recipient, notice)
        except Exception:  # the cancellation and refund stand; the adapter logs its failures
            logger.exception("the vet of appointment %s was not told", appointment.id)


class _VetCancellationTeller(_Teller):
    """Tells the owner that the vet cancelled or never came, after the change is committed:
    reads what the message needs, ends the read (SQLite's lock) before talking to Telegram,
    and never lets a failed delivery undo the cancellation or its refund."""

    async def __call__(
        self,
        appointment: Appointment,
        refund: RefundState,
        *,
        no_show: bool = False,
        reason: str | None = None,
        offered_reason: str | None = None,
    ) -> None:
        owner = await self._users.get(appointment.owner_user_id)
        vet = await self._vets.get(appointment.vet_id)
        pet = await self._pets.get(appointment.pet_id)
        await self._uow.rollback()
        if owner is None or vet is None or owner.blocked_bot_at is not None:
            return
        recipient = Recipient(
            telegram_id=owner.telegram_id, language=owner.language, time_zone=owner.time_zone
        )
        cancellation = VetCancellation(
            appointment_id=appointment.id,
            starts_at=appointment.starts_at,
            pet_name=None if pet is None else pet.name,
            vet_name=vet.display_name,
            refund=refund,
            no_show=no_show,
            reason=reason,
            offered_reason=offered_reason,
        )
        try:
            await self._notices.vet_cancelled_for_owner(recipient, cancellation)
        except Exception:  # the cancellation and refund stand; the adapter logs its failures
            logger.exception("the owner of appointment %s was not told", appointment.id)


class CancelByVet:
    """The vet cancels an appointment: always a full refund; the slot is withdrawn.

    The bot asks the vet to confirm with a reason first (the owner's message carries it);
    `reason` is checked here so that no path sends the owner an unbounded text.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._slots = slots
        self._appointments = appointments
        self._clock = clock
        self._reminders = reminders
        self._refunder = _Refunder(uow, payments, gateway, clock)
        self._tell_owner = _VetCancellationTeller(uow, users, vets, pets, notices)

    async def __call__(
        self,
        telegram_id: int,
        appointment_id: int,
        *,
        reason: str | None = None,
        offered_reason: str | None = None,
    ) -> CancelOutcome:
        """`reason` is typed by the vet; `offered_reason` names one of the offered reasons by
        its locale key, so the owner reads it in their own language."""
        if reason is not None and not 0 < len(reason.strip()) <= MAX_CANCEL_REASON_LENGTH:
            raise ReasonTooLongError(MAX_CANCEL_REASON_LENGTH)
        now = self._clock.now()
        vet = await _vet_of(self._users, self._vets, telegram_id)
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.vet_id != vet.id:
            raise AppointmentNotFoundError(appointment_id)
        changed = appointment.status in {
            AppointmentStatus.HELD,
            AppointmentStatus.CONFIRMED,
        } and await self._appointments.set_status(
            appointment_id,
            status=AppointmentStatus.CANCELLED_BY_VET,
            expected=[AppointmentStatus.HELD, AppointmentStatus.CONFIRMED],
            at=now,
        )
        if not changed:
            await self._uow.rollback()
            raise AppointmentNotCancellableError(appointment_id, appointment.status.value)
        if appointment.status is AppointmentStatus.CONFIRMED:
            await self._reminders.cancelled(appointment_id)  # a hold has none
        # The vet cannot make that time: nobody else should book it either.
        await self._slots.close_if_free(appointment.slot_id)
        refund = await self._refunder.refund_all_paid(appointment_id)
        cancelled = await self._appointments.get(appointment_id)
        await self._tell_owner(
            appointment,
            refund,
            reason=reason if offered_reason is None else None,
            offered_reason=offered_reason,
        )
        return CancelOutcome(appointment=cancelled or appointment, refund=refund)


class HandleVetNoShow:
    """Confirmed consultations the vet has not joined `grace_minutes` after the start become
    NO_SHOW_VET and are refunded in full (periodic). Returns them, for the notifications."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        appointments: AppointmentRepository,
        payments: PaymentRepository,
        gateway: PaymentGateway,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        grace_minutes: int = DEFAULT_NO_SHOW_GRACE_MINUTES,
    ) -> None:
        self._uow = uow
        self._appointments = appointments
        self._clock = clock
        self._reminders = reminders
        self._grace = timedelta(minutes=grace_minutes)
        self._refunder = _Refunder(uow, payments, gateway, clock)
        self._tell_owner = _VetCancellationTeller(uow, users, vets, pets, notices)

    async def __call__(self) -> list[CancelOutcome]:
        now = self._clock.now()
        outcomes: list[CancelOutcome] = []
        for appointment in await self._appointments.list_vet_no_shows(
            started_before=now - self._grace
        ):
            if not await self._appointments.mark_vet_no_show(appointment.id, at=now):
                continue  # the vet joined meanwhile, or another run got it
            await self._reminders.cancelled(appointment.id)
            refund = await self._refunder.refund_all_paid(appointment.id)
            updated = await self._appointments.get(appointment.id)
            outcomes.append(CancelOutcome(appointment=updated or appointment, refund=refund))
        await self._uow.commit()
        for outcome in outcomes:  # an apology, the refund, a way to rebook
            await self._tell_owner(outcome.appointment, outcome.refund, no_show=True)
        return outcomes


# --- the owner's list ------------------------------------------------------------------------


class ListMyAppointments:
    """The caller's held and confirmed appointments that have not ended, by start."""

    def __init__(
        self, users: UserRepository, appointments: AppointmentRepository, clock: Clock
    ) -> None:
        self._users = users
        self._appointments = appointments
        self._clock = clock

    async def __call__(self, telegram_id: int) -> list[Appointment]:
        user = await _user(self._users, telegram_id)
        now = self._clock.now()
        upcoming = await self._appointments.list_for_owner(
            user.id,
            statuses=[AppointmentStatus.HELD, AppointmentStatus.CONFIRMED],
            starts_after=now - timedelta(days=1),
        )
        return [
            a
            for a in upcoming
            if a.ends_at > now
            and not (
                a.status is AppointmentStatus.HELD
                and (a.hold_expires_at is None or a.hold_expires_at <= now)
            )
        ]


class RescheduleAppointment:
    """Move the caller's confirmed appointment to another free time of the same vet.

    The payment stays with the appointment: moving is neither a cancellation nor a new
    purchase. The refund deadline is carried over (`refund_deadline`): the earlier of the one
    in force and the new start's. The old time is free again as soon as this commits; then the
    vet is told the new time (`BookingNotices`).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        slots: SlotRepository,
        appointments: AppointmentRepository,
        notices: BookingNotices,
        clock: Clock,
        reminders: AppointmentReminders,
        refund_cutoff_hours: int = DEFAULT_REFUND_CUTOFF_HOURS,
    ) -> None:
        self._uow = uow
        self._users = users
        self._vets = vets
        self._slots = slots
        self._appointments = appointments
        self._clock = clock
        self._reminders = reminders
        self._cutoff = timedelta(hours=refund_cutoff_hours)
        self._tell_vet = _VetBookingTeller(uow, users, vets, pets, notices)

    async def __call__(self, telegram_id: int, appointment_id: int, slot_id: int) -> Appointment:
        now = self._clock.now()
        user = await _user(self._users, telegram_id)
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.owner_user_id != user.id:
            raise AppointmentNotFoundError(appointment_id)
        if appointment.status is not AppointmentStatus.CONFIRMED or appointment.starts_at <= now:
            raise AppointmentNotMovableError(appointment_id)
        slot = await self._slots.get(slot_id)
        if slot is None:
            raise SlotNotFoundError(slot_id)
        vet = await self._vets.get(slot.vet_id)
        unavailable = (
            vet is None
            or not vet.is_active
            or slot.vet_id != appointment.vet_id
            or slot.status is not SlotStatus.OPEN
            or slot.starts_at <= now
        )
        if unavailable:
            raise SlotUnavailableError(slot_id)
        await self._appointments.expire_holds(now=now, slot_id=slot_id)
        try:
            await self._appointments.move_to_slot(
                appointment_id,
                slot_id=slot_id,
                refund_until=min(
                    refund_deadline(appointment, self._cutoff), slot.starts_at - self._cutoff
                ),
            )
        except DuplicateEntityError as error:
            await self._uow.rollback()
            raise SlotTakenError(slot_id) from error
        await self._reminders.moved(appointment, starts_at=slot.starts_at)
        await self._uow.commit()
        moved = await self._appointments.get(appointment_id)
        if moved is None:  # deleted meanwhile with the owner's account
            raise AppointmentNotFoundError(appointment_id)
        await self._tell_vet.moved(moved)
        return moved
