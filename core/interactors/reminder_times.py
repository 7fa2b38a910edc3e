"""A user's pending reminders follow their clock: a new time zone or new quiet hours move them.

`ReminderTimes.user_clock_changed` is what the settings and onboarding interactors call inside
their own transaction (it never commits), with the user as they will be:
- next-due reminders move to the same local morning in the new zone, out of the quiet hours
  (`DueDateReminders.user_clock_changed`);
- the day-before reminder of a consultation is timed again by the rule it was made with
  (core.reminder_schedule.appointment_steps): out of the recipient's quiet hours, never later
  than the evening before. An owner hears in their own zone; a vet in their working zone, which
  their own settings do not change — only their quiet hours move a vet's rows. The hour-before
  reminder is an instant before the start, whatever the clock: it never moves;
- a triage follow-up is timed again from its result's time (core.interactors.follow_ups).

Medication doses keep their local time in the new zone (`DueDateReminders` moves them).
"""

from __future__ import annotations

from datetime import datetime

from core.clock import Clock
from core.entities import User
from core.enums import AppointmentStatus, ReminderKind
from core.interactors.follow_ups import follow_up_due_again
from core.interactors.reminders import DueDateReminders, quiet_hours_of
from core.ports.reminders import (
    PAYLOAD_APPOINTMENT_ID,
    PAYLOAD_ROLE,
    AppointmentRole,
    Reminder,
    ReminderRepository,
)
from core.ports.repositories import AppointmentRepository, VetRepository
from core.reminder_schedule import AppointmentStep, appointment_steps


class ReminderTimes:
    def __init__(
        self,
        due_dates: DueDateReminders,
        reminders: ReminderRepository,
        appointments: AppointmentRepository,
        vets: VetRepository,
        clock: Clock,
    ) -> None:
        self._due_dates = due_dates
        self._reminders = reminders
        self._appointments = appointments
        self._vets = vets
        self._clock = clock

    async def user_clock_changed(self, user: User) -> int:
        """`user` holds the new zone or quiet hours; how many pending rows moved."""
        moved = await self._due_dates.user_clock_changed(user)
        now = self._clock.now()
        for reminder in await self._reminders.list_pending_for_user(user.id):
            if reminder.kind is ReminderKind.FOLLOW_UP:
                due_at = follow_up_due_again(
                    reminder.payload, user.time_zone, quiet_hours_of(user)
                )
            elif (
                reminder.kind is ReminderKind.APPOINTMENT
                and reminder.step == AppointmentStep.BEFORE_24H.value
            ):
                due_at = await self._day_before(reminder, user, now)
            else:
                continue
            if due_at is not None and due_at != reminder.due_at:
                await self._reminders.move(reminder.id, due_at=due_at)
                moved += 1
        return moved

    async def _day_before(self, reminder: Reminder, user: User, now: datetime) -> datetime | None:
        """The row's new time; None to leave it (its appointment or payload is gone — the
        sending job skips it — or its new time has passed: then the old one stands)."""
        try:
            appointment_id = int(reminder.payload[PAYLOAD_APPOINTMENT_ID])
            role = AppointmentRole(reminder.payload[PAYLOAD_ROLE])
        except (KeyError, TypeError, ValueError):
            return None
        appointment = await self._appointments.get(appointment_id)
        if appointment is None or appointment.status is not AppointmentStatus.CONFIRMED:
            return None
        time_zone = user.time_zone
        if role is AppointmentRole.VET:
            vet = await self._vets.get(appointment.vet_id)
            if vet is None:
                return None
            time_zone = vet.time_zone
        steps = appointment_steps(
            appointment.starts_at, time_zone, now, quiet=quiet_hours_of(user)
        )
        return next(
            (step.due_at for step in steps if step.step is AppointmentStep.BEFORE_24H), None
        )
