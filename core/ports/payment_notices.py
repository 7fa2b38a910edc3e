"""How a payment found late (by reconciliation, not by its `successful_payment` update) reaches
the payer's and the vet's chats.

Implemented in `bot/` (texts from the locales, in each person's language and time zone). The
interactor calls it after its commit, once per payment it recorded; a delivery that fails is
the adapter's to log, never the caller's to retry (the payment is recorded either way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from core.enums import Species
from core.ports.consultation_notices import Recipient


class RecoveredPaymentResult(StrEnum):
    CONFIRMED = "confirmed"
    # Not confirmed (the hold was gone and the slot taken, the time has passed...): the money
    # goes back, and the payer is told which of these happened to it.
    REFUNDED = "refunded"
    REFUND_PENDING = "refund_pending"
    REFUND_FAILED = "refund_failed"


@dataclass(frozen=True, slots=True)
class RecoveredBooking:
    """The appointment the payment was for, as the messages describe it."""

    appointment_id: int
    starts_at: datetime
    vet_name: str
    vet: Recipient | None  # None once the vet's account is gone
    pet_name: str | None  # None once the pet was deleted
    pet_species: Species | None
    owner_name: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class RecoveredPayment:
    payer: Recipient
    result: RecoveredPaymentResult
    # None when the payer is not the appointment's owner (nothing of it is shown to them).
    booking: RecoveredBooking | None


class RecoveredPaymentNotices(Protocol):
    async def payment_recovered(self, payment: RecoveredPayment) -> None:
        """Tell the payer what became of a payment the bot had missed (confirmed, or refunded);
        on a confirmation, tell the vet of the new appointment as a normal booking does."""
        ...
