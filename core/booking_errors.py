"""Typed errors and reason codes of booking and payments. Edges map each to a message."""

from __future__ import annotations

from enum import StrEnum

from core.errors import DomainError


class VetNotFoundError(DomainError):
    """No such vet, or one not taking bookings."""

    def __init__(self, vet_id: int) -> None:
        super().__init__(f"vet {vet_id} not found")
        self.vet_id = vet_id


class NotAVetError(DomainError):
    """The caller has no vet profile (a vet command from someone else)."""

    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"user {telegram_id} is not a vet")
        self.telegram_id = telegram_id


class SlotNotFoundError(DomainError):
    def __init__(self, slot_id: int) -> None:
        super().__init__(f"slot {slot_id} not found")
        self.slot_id = slot_id


class SlotTakenError(DomainError):
    """Someone else holds or booked the slot: offer the other free times."""

    def __init__(self, slot_id: int) -> None:
        super().__init__(f"slot {slot_id} is taken")
        self.slot_id = slot_id


class SlotUnavailableError(DomainError):
    """The slot was withdrawn by the vet, or its time has come."""

    def __init__(self, slot_id: int) -> None:
        super().__init__(f"slot {slot_id} is not bookable")
        self.slot_id = slot_id


class AppointmentNotFoundError(DomainError):
    """No such appointment *for this user*: someone else's is reported like a missing one."""

    def __init__(self, appointment_id: int) -> None:
        super().__init__(f"appointment {appointment_id} not found")
        self.appointment_id = appointment_id


class AppointmentNotCancellableError(DomainError):
    """Already cancelled, expired, completed, or the consultation has begun."""

    def __init__(self, appointment_id: int, status: str) -> None:
        super().__init__(f"appointment {appointment_id} cannot be cancelled ({status})")
        self.appointment_id = appointment_id
        self.status = status


class AppointmentNotMovableError(DomainError):
    """Only a confirmed appointment that has not started can move to another time."""

    def __init__(self, appointment_id: int) -> None:
        super().__init__(f"appointment {appointment_id} cannot be moved")
        self.appointment_id = appointment_id


class HoldNotPayableError(DomainError):
    """An invoice was asked for an appointment that is no longer held (expired, paid...)."""

    def __init__(self, appointment_id: int, status: str) -> None:
        super().__init__(f"appointment {appointment_id} is not awaiting payment ({status})")
        self.appointment_id = appointment_id
        self.status = status


class PaymentMethodMismatchError(DomainError):
    """The vet's price currency does not fit the configured payment method (configuration)."""

    def __init__(self, currency: str) -> None:
        super().__init__(f"currency {currency!r} does not fit the configured payment method")
        self.currency = currency


class AvailabilityExceptionNotFoundError(DomainError):
    """No such exception in the calling vet's schedule."""

    def __init__(self, exception_id: int) -> None:
        super().__init__(f"availability exception {exception_id} not found")
        self.exception_id = exception_id


class ScheduleInputErrorReason(StrEnum):
    WEEKDAY = "weekday"  # not 0..6
    WINDOW_EMPTY = "window_empty"  # start not before end
    WINDOWS_OVERLAP = "windows_overlap"  # two windows of one weekday overlap
    WINDOW_TOO_SHORT = "window_too_short"  # shorter than one consultation
    CONSULTATION_LENGTH = "consultation_length"  # out of bounds
    BUFFER_LENGTH = "buffer_length"  # out of bounds
    EXCEPTION_EMPTY = "exception_empty"  # start not before end
    EXCEPTION_IN_PAST = "exception_in_past"
    EXCEPTION_TOO_LONG = "exception_too_long"


class ScheduleInputError(DomainError):
    def __init__(self, reason: ScheduleInputErrorReason) -> None:
        super().__init__(reason.value)
        self.reason = reason


class ReasonTooLongError(DomainError):
    """The owner's reason for the visit exceeds `max_length` characters."""

    def __init__(self, max_length: int) -> None:
        super().__init__(f"reason longer than {max_length}")
        self.max_length = max_length


class CheckoutDeclineReason(StrEnum):
    """Why a pre-checkout query is declined; the bot answers with a localized message."""

    UNKNOWN_INVOICE = "unknown_invoice"  # not our payload, or no such appointment
    NOT_YOURS = "not_yours"  # someone else's invoice forwarded
    HOLD_EXPIRED = "hold_expired"  # choose the time again
    SLOT_TAKEN = "slot_taken"  # the slot went to someone else meanwhile
    SLOT_UNAVAILABLE = "slot_unavailable"  # withdrawn by the vet, or already started
    ALREADY_PAID = "already_paid"
    CANCELLED = "cancelled"
    PRICE_CHANGED = "price_changed"  # amount or currency differ from the appointment's
