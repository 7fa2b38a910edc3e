"""How changes to a booking reach the other side's chat (issues #10 and #12).

Implemented in `bot/booking_notices.py` (texts from the locales, in the recipient's language
and time zone). The interactors call it after their commit; a delivery that fails is the
adapter's to log, never the caller's to retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.enums import Species
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


@dataclass(frozen=True, slots=True)
class VetBooking:
    """An owner's booking as the vet's messages describe it (booked, moved, cancelled)."""

    appointment_id: int
    starts_at: datetime  # the current start: after a move, the new one
    pet_name: str | None  # None once the pet was deleted
    pet_species: Species | None
    owner_name: str
    reason: str | None


class BookingNotices(Protocol):
    async def booked_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        """An owner paid for a time of this vet: the new consultation, pet and reason."""
        ...

    async def moved_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        """The owner moved their paid consultation to another time of this vet."""
        ...

    async def owner_cancelled_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        """The owner cancelled their paid consultation: the time is free again."""
        ...

    async def owner_left_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        """The owner deleted their account: this consultation is cancelled, the time is free."""
        ...

    async def vet_cancelled_for_owner(
        self, owner: Recipient, cancellation: VetCancellation
    ) -> None:
        """The vet cancelled (or never joined): the money, the vet's reason, a way to rebook."""
        ...
