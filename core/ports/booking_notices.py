"""How money-rule changes to a booking reach the other side's chat (issue #10).

Implemented in `bot/booking_notices.py` (texts from the locales, in the recipient's language
and time zone). The interactors call it after their commit; a delivery that fails is the
adapter's to log, never the caller's to retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.payments import RefundState
from core.ports.consultation_notices import ConsultationNotice, Recipient


@dataclass(frozen=True, slots=True)
class VetCancellation:
    """A consultation the vet cancelled, or never came to: what the owner is told."""

    appointment_id: int
    starts_at: datetime
    pet_name: str | None
    vet_name: str
    refund: RefundState
    no_show: bool = False
    reason: str | None = None  # typed by the vet: shown to the owner as it is
    offered_reason: str | None = None  # one of the offered reasons, by its locale key


class BookingNotices(Protocol):
    async def owner_left_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        """The owner deleted their account: this consultation is cancelled, the time is free."""
        ...

    async def vet_cancelled_for_owner(
        self, owner: Recipient, cancellation: VetCancellation
    ) -> None:
        """The vet cancelled (or never joined): the money, the vet's reason, a way to rebook."""
        ...
