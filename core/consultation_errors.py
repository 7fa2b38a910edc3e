"""Typed errors of the consultation area (the Mini App's API). Edges map each to an HTTP status.

Both say as little as possible on purpose: whether an appointment, a pet or a file exists is
itself told only to someone who could have seen it (see `core.interactors.consultation_access`).
"""

from __future__ import annotations

from datetime import datetime

from core.errors import DomainError


class ConsultationAccessDeniedError(DomainError):
    """The caller may not see this (or may not do this with it); also for unknown ids, unless
    the caller could have seen them had they existed."""

    def __init__(self, what: str, action: str) -> None:
        super().__init__(f"you may not {action} {what}")
        self.what = what
        self.action = action


class ConsultationNotFoundError(DomainError):
    """No such thing, told only to a caller who could have seen it (an admin), or a file that
    is missing from a record the caller may read."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")
        self.what = what


class CallNotOpenError(DomainError):
    """The caller may take part in this call, but not now: `state` says why (a
    `core.interactors.consultation_access.CallState` value) and `opens_at` when the window
    opens, for "joining outside the window says when it opens"."""

    def __init__(self, appointment_id: int, state: str, opens_at: datetime) -> None:
        super().__init__(f"the call of appointment {appointment_id} is not open: {state}")
        self.appointment_id = appointment_id
        self.state = state
        self.opens_at = opens_at


class CallRoomNotReadyError(DomainError):
    """The window is open but the room is not made yet (the scheduler makes it within a
    minute, or is retrying a provider failure): the call page asks again shortly."""

    def __init__(self, appointment_id: int) -> None:
        super().__init__(f"the room of appointment {appointment_id} is not ready yet")
        self.appointment_id = appointment_id
