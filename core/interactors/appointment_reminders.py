"""Reminders of a confirmed consultation, 24 hours and 1 hour before it, to the owner and the vet.

`AppointmentReminders` keeps the rows in step with the appointment: the booking interactors
that confirm, move or cancel one call it inside their own transaction, before its commit (it
never commits), so an appointment's change and its reminders are stored, or not, together.
Holds are never reminded: rows are made only once the appointment is paid for.

The rows name the appointment in their payload (`PAYLOAD_APPOINTMENT_ID`) rather than in a
column of their own: they are found by it only when the appointment changes, and the sending
job reads the appointment's current state with the claim (skipping, as GONE, a reminder of
one that is no longer confirmed), so a row that outlived a change is never sent.

Each party hears in their own zone and quiet hours (core.reminder_schedule.appointment_steps):
the owner in their user's zone, the vet in their working zone — the one their schedule and the
consultation notices use — each with their own quiet hours from /reminders.
"""

from __future__ import annotations

from datetime import datetime

from core.clock import Clock
from core.entities import Appointment, User
from core.enums import ReminderKind
from core.interactors.reminders import quiet_hours_of
from core.ports.reminders import (
    PAYLOAD_APPOINTMENT_ID,
    PAYLOAD_ROLE,
    AppointmentReminderRepository,
    AppointmentRole,
    CancelReason,
    NewReminder,
)
from core.ports.repositories import UserRepository, VetRepository
from core.reminder_schedule import appointment_steps


class AppointmentReminders:
    """Creates, moves and cancels an appointment's reminder rows; part of the caller's
    transaction."""

    def __init__(
        self,
        reminders: AppointmentReminderRepository,
        users: UserRepository,
        vets: VetRepository,
        clock: Clock,
    ) -> None:
        self._reminders = reminders
        self._users = users
        self._vets = vets
        self._clock = clock

    async def confirmed(self, appointment: Appointment) -> None:
        """The appointment is paid for: the reminders still ahead, for both parties."""
        await self._schedule(appointment, appointment.starts_at)

    async def moved(self, appointment: Appointment, *, starts_at: datetime) -> None:
        """The appointment moves to `starts_at`: its pending reminders are replaced by those
        of the new time (a step already sent stays sent; one the new time makes due again,
        such as the day-before one of a consultation moved a week on, comes again)."""
        await self._reminders.cancel_for_appointment(
            appointment.id, reason=CancelReason.REPLACED, at=self._clock.now()
        )
        await self._schedule(appointment, starts_at)

    async def cancelled(self, appointment_id: int) -> None:
        """The appointment will not take place (cancelled, vet no-show, owner left)."""
        await self._reminders.cancel_for_appointment(
            appointment_id, reason=CancelReason.APPOINTMENT_CANCELLED, at=self._clock.now()
        )

    async def _schedule(self, appointment: Appointment, starts_at: datetime) -> None:
        now = self._clock.now()
        recipients: list[tuple[User, AppointmentRole, str]] = []
        owner = await self._users.get(appointment.owner_user_id)
        if owner is not None:
            recipients.append((owner, AppointmentRole.OWNER, owner.time_zone))
        vet = await self._vets.get(appointment.vet_id)
        vet_user = None if vet is None else await self._users.get(vet.user_id)
        if vet is not None and vet_user is not None:
            recipients.append((vet_user, AppointmentRole.VET, vet.time_zone))
        rows = [
            NewReminder(
                user_id=user.id,
                kind=ReminderKind.APPOINTMENT,
                due_at=scheduled.due_at,
                step=scheduled.step.value,
                payload={PAYLOAD_APPOINTMENT_ID: appointment.id, PAYLOAD_ROLE: role.value},
            )
            for user, role, time_zone in recipients
            for scheduled in appointment_steps(
                starts_at, time_zone, now, quiet=quiet_hours_of(user)
            )
        ]
        if rows:
            await self._reminders.add_many(rows)
