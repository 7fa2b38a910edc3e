"""How money-rule changes to a booking reach the other side's chat (issue #10).

Implemented in `bot/booking_notices.py` (texts from the locales, in the recipient's language
and time zone). The interactors call it after their commit; a delivery that fails is the
adapter's to log, never the caller's to retry.
"""

from __future__ import annotations

from typing import Protocol

from core.ports.consultation_notices import ConsultationNotice, Recipient


class BookingNotices(Protocol):
    async def owner_left_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        """The owner deleted their account: this consultation is cancelled, the time is free."""
        ...
