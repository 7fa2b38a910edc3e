"""Reminders: the rows that say who hears what when, and the sender that delivers one.

The repository never commits (core.ports.uow). The sender is implemented in `bot/` (texts
from the locales in the recipient's language, with the Done / Snooze / Stop buttons) and is
called by `SendDueReminders` after the claim is committed, one reminder at a time.
Appointment reminders (24 h and 1 h before a consultation) name their appointment in the
payload, and go to the `AppointmentReminderSender` (no Done / Snooze / Stop buttons there).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Protocol

from core.enums import AppointmentStatus, RecordKind, ReminderKind


class CancelReason(StrEnum):
    """Why a reminder will never be sent (stored in `reminders.cancel_reason`)."""

    REPLACED = "replaced"  # its entry's due date changed, or a newer entry of the product came
    DELETED = "deleted"  # its entry left the card
    STOPPED = "stopped"  # the recipient pressed "Stop for this item"
    DONE = "done"  # someone pressed "Done ✓": cleared for every co-owner
    BLOCKED = "blocked"  # the recipient blocked the bot
    GONE = "gone"  # the entry, the pet or the recipient's access went before it was due
    FAILED = "failed"  # sending kept failing: given up after `MAX_ATTEMPTS` claims
    # The recipient had switched this kind off when the row came due. Not closing: the item's
    # later rows stay pending and go out if the kind is on again by then.
    SWITCHED_OFF = "switched_off"
    # The appointment a reminder is about was cancelled, ended as a no-show, or its owner left.
    APPOINTMENT_CANCELLED = "appointment_cancelled"


# Reasons that close an item for its recipient: a button under an older message is stale.
CLOSING_REASONS: frozenset[CancelReason] = frozenset(
    {CancelReason.REPLACED, CancelReason.DELETED, CancelReason.STOPPED, CancelReason.DONE}
)


@dataclass(frozen=True, slots=True)
class NewReminder:
    user_id: int
    kind: ReminderKind
    due_at: datetime  # aware UTC
    pet_id: int | None = None
    record_id: int | None = None
    step: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    user_id: int
    pet_id: int | None
    record_id: int | None
    kind: ReminderKind
    step: str | None
    due_at: datetime
    payload: Mapping[str, Any]
    sent_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    attempts: int


class AppointmentRole(StrEnum):
    """Whom an appointment reminder is for (stored in its payload): the texts differ."""

    OWNER = "owner"
    VET = "vet"


# Payload keys of an appointment reminder: which appointment, and the recipient's role in it.
PAYLOAD_APPOINTMENT_ID = "appointment_id"
PAYLOAD_ROLE = "role"


@dataclass(frozen=True, slots=True)
class ClaimedAppointment:
    """The appointment a claimed reminder is about, as read with the claim.

    `time_zone` is the recipient's: the owner's own, the vet's working zone (as the
    consultation notices use); `other_name` is the other party's (the vet's display name for
    the owner, the owner's first name for the vet)."""

    appointment_id: int
    status: AppointmentStatus
    starts_at: datetime
    role: AppointmentRole
    time_zone: str
    pet_name: str | None
    other_name: str


@dataclass(frozen=True, slots=True)
class ClaimedReminder:
    """A claimed row with what sending it needs (one joined read, not a query per field).

    The pet and entry fields are None when those rows are gone; `may_see_pet` is False when
    the recipient no longer has editing access to the pet (access revoked, pet archived);
    `kinds_off` are the reminder kinds the recipient has switched off now.
    """

    id: int
    kind: ReminderKind
    step: str | None
    attempts: int
    telegram_id: int
    language: str | None
    blocked: bool
    pet_name: str | None
    may_see_pet: bool
    record_kind: RecordKind | None
    record_title: str | None
    next_due: date | None
    kinds_off: frozenset[ReminderKind]
    # Appointment reminders only: None when the appointment (or its payload) is gone.
    appointment: ClaimedAppointment | None = None


class ReminderRepository(Protocol):
    async def add_many(self, reminders: Sequence[NewReminder]) -> None:
        """Insert the rows (not yet claimed, sent or cancelled)."""
        ...

    async def get(self, reminder_id: int) -> Reminder | None: ...

    async def cancel_pending(
        self,
        *,
        record_ids: Collection[int],
        reason: CancelReason,
        at: datetime,
        user_id: int | None = None,
    ) -> int:
        """Cancel the unsent, uncancelled rows of these entries (of one user when given),
        claimed or not; how many were cancelled."""
        ...

    async def cancel_pending_for_pet(
        self, *, pet_id: int, user_id: int, reason: CancelReason, at: datetime
    ) -> int:
        """Cancel one user's unsent, uncancelled rows about this pet, of every kind, claimed
        or not; how many were cancelled."""
        ...

    async def closed_for(self, record_id: int, user_id: int) -> CancelReason | None:
        """Why this entry's reminders are closed for this user, if they are: none of their
        rows of it is pending, and the one cancelled last was cancelled for one of the
        `CLOSING_REASONS`. An entry whose reminders were resumed (pending again) is open."""
        ...

    async def list_pending_for_user(self, user_id: int) -> list[Reminder]:
        """The user's unsent, uncancelled rows (claimed or not), soonest first."""
        ...

    async def move(self, reminder_id: int, *, due_at: datetime) -> None:
        """Set a pending row's time (the user's zone or quiet hours changed)."""
        ...

    async def claim_due(
        self, *, now: datetime, stale_before: datetime, token: str, limit: int
    ) -> list[ClaimedReminder]:
        """Atomically take up to `limit` pending rows due by `now` — unclaimed, or claimed
        before `stale_before` (a run that died) — under `token`, oldest due first. Rows that
        another transaction is claiming at the same moment are skipped, never shared."""
        ...

    async def mark_sent(self, reminder_id: int, *, token: str, at: datetime) -> bool:
        """Record the send, if the row is still under `token` and unsent."""
        ...

    async def release(self, reminder_id: int, *, token: str) -> None:
        """Give a claim back after a failed send: the next run may take the row at once."""
        ...

    async def skip(
        self, reminder_id: int, *, token: str, reason: CancelReason, at: datetime
    ) -> None:
        """Cancel a claimed row that will not be sent (blocked recipient, entry gone, ...)."""
        ...


class AppointmentReminderRepository(Protocol):
    """The rows of appointment reminders, found by the appointment id in their payload."""

    async def add_many(self, reminders: Sequence[NewReminder]) -> None: ...

    async def cancel_for_appointment(
        self, appointment_id: int, *, reason: CancelReason, at: datetime
    ) -> int:
        """Cancel the appointment's unsent, uncancelled reminders (claimed or not); how many."""
        ...


class Delivery(StrEnum):
    SENT = "sent"
    UNREACHABLE = "unreachable"  # the recipient blocked the bot or deleted their account
    FAILED = "failed"  # anything else: worth another try later


@dataclass(frozen=True, slots=True)
class DueDateMessage:
    """A vaccination's or parasite treatment's reminder, as its recipient reads it."""

    reminder_id: int
    telegram_id: int
    language: str | None
    step: str
    record_kind: RecordKind
    pet_name: str
    title: str
    next_due: date


class ReminderSender(Protocol):
    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        """Send one reminder with its buttons; never raises for a failed delivery.

        The caller has checked that the recipient is not marked as having blocked the bot.
        """
        ...


@dataclass(frozen=True, slots=True)
class AppointmentMessage:
    """A reminder of a confirmed consultation, as its recipient reads it."""

    reminder_id: int
    telegram_id: int
    language: str | None
    step: str  # core.reminder_schedule.AppointmentStep
    role: AppointmentRole
    appointment_id: int
    starts_at: datetime
    time_zone: str
    pet_name: str | None
    other_name: str


class AppointmentReminderSender(Protocol):
    async def send_appointment(self, message: AppointmentMessage) -> Delivery:
        """Send one appointment reminder (the hour-before one with the Join button, none of
        the Done / Snooze / Stop ones); never raises for a failed delivery."""
        ...
