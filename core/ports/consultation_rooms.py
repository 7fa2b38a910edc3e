"""Storage of the consultation's video room and of the call's record on the appointment."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core.entities import Appointment, ConsultationRoom
from core.ports.video import ParticipantRole


class ConsultationRoomRepository(Protocol):
    """Rooms (one per appointment, unique) and the call's columns of the appointment.

    Every change that must happen once is a conditional UPDATE returning whether this caller
    made it, so two scheduler runs overlapping (or a restart half-way) never act twice.
    """

    async def list_awaiting_room(
        self, *, starts_before: datetime, ends_after: datetime
    ) -> list[Appointment]:
        """Confirmed appointments starting at or before `starts_before` and ending after
        `ends_after` (their call window is open) whose room is not made yet and not closed, by
        start time. Whether a retry is due is the caller's to decide (`next_attempt_at`)."""
        ...

    async def get(self, appointment_id: int) -> ConsultationRoom | None: ...

    async def add_if_absent(
        self, *, appointment_id: int, provider: str, expires_at: datetime, at: datetime
    ) -> ConsultationRoom:
        """The appointment's room row, inserted now unless it exists (also when another
        transaction inserted it a moment ago)."""
        ...

    async def mark_opened(
        self, room_id: int, *, provider_room_id: str, provider_url: str | None, at: datetime
    ) -> bool:
        """The provider made the room; False if it was recorded already."""
        ...

    async def mark_failed(self, room_id: int, *, error: str, next_attempt_at: datetime) -> int:
        """One more failed try: the count after it."""
        ...

    async def claim_join_notice(self, room_id: int, *, at: datetime) -> bool:
        """True for the one caller that is to send the Join messages."""
        ...

    async def claim_failure_notice(self, room_id: int, *, at: datetime) -> bool:
        """True for the one caller that is to tell both sides the room could not be made."""
        ...

    async def list_to_close(self, *, ended_before: datetime) -> list[ConsultationRoom]:
        """Rooms not closed yet whose appointment ended before `ended_before` (the window is
        over) or is no longer confirmed or completed (cancelled, missed)."""
        ...

    async def mark_closed(self, room_id: int, *, at: datetime) -> bool:
        """Closed now; False if it was closed already."""
        ...

    async def record_join(
        self, appointment_id: int, *, role: ParticipantRole, at: datetime
    ) -> bool:
        """The participant is in the call: their first join is kept (set only the first
        time), their last leave is cleared. True if this was their first join."""
        ...

    async def record_leave(
        self, appointment_id: int, *, role: ParticipantRole, at: datetime
    ) -> None:
        """The participant left (for now): their last leave is `at`."""
        ...

    async def finish_call(
        self, appointment_id: int, *, ended_at: datetime, duration_seconds: int | None
    ) -> bool:
        """Store when the call ended and how long both were in it; False if stored already."""
        ...
