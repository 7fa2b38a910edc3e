"""Reminders of the medical card's next-due dates, and the buttons under them.

`DueDateReminders` keeps the rows in step with the card: the interactors that add or delete a
vaccination or parasite treatment call it inside their own transaction (it never commits), so
an entry and its reminders are stored, or not, together. One row per recipient — the pet's
owner and every co-owner, each on their own time zone and quiet hours (their /reminders
settings) — per remaining step (core.reminder_schedule). Sending is
`core.interactors.reminder_delivery`.

Rows are made even for a kind the recipient switched off: the sending job skips those while
the kind is off (CancelReason.SWITCHED_OFF), so switching it back on brings the later steps of
the entries already in the card, with nothing to rebuild.

The buttons ("Done ✓", "Snooze", "Stop for this item") name a reminder id, so each interactor
checks the reminder is the presser's: another user's id reads exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from core.clock import Clock
from core.entities import MedicalRecord, User
from core.enums import RecordKind, ReminderKind
from core.errors import DomainError, UserNotFoundError
from core.interactors.pets import EDITORS
from core.medication_times import dose_due_at
from core.ports.medication import PAYLOAD_DOSE_AT, DoseStep
from core.ports.reminders import CancelReason, NewReminder, Reminder, ReminderRepository
from core.ports.repositories import PetAccessRepository, UserRepository
from core.ports.uow import UnitOfWork
from core.reminder_schedule import (
    STEP_DAYS,
    QuietHours,
    Step,
    due_date_steps,
    remaining_steps,
    snoozed_until,
    zone_of,
)

# The card kinds with a next due date and the reminder kind each becomes.
DUE_DATE_KINDS: dict[RecordKind, ReminderKind] = {
    RecordKind.VACCINATION: ReminderKind.VACCINATION,
    RecordKind.PARASITE_TREATMENT: ReminderKind.PARASITE_TREATMENT,
}
# Payload key: the due date a row was made for (ISO), which tells a later reader which date
# the row was about should the entry's date ever change.
PAYLOAD_NEXT_DUE = "next_due"


def quiet_hours_of(user: User) -> QuietHours:
    """The user's own quiet hours, as their settings hold them (equal ends: none)."""
    return QuietHours(user.quiet_hours_start, user.quiet_hours_end)


async def pet_editors(
    access: PetAccessRepository, users: UserRepository, pet_id: int
) -> list[User]:
    """Who hears of a pet's card: its owner and co-owners (viewers only look)."""
    editors = []
    for row in await access.list_for_pet(pet_id):
        if row.level not in EDITORS:
            continue
        user = await users.get(row.user_id)
        if user is not None:
            editors.append(user)
    return editors


class ReminderNotFoundError(DomainError):
    """No such reminder *for this user*: someone else's reads the same as a missing one."""

    def __init__(self, reminder_id: int) -> None:
        super().__init__(f"reminder {reminder_id} not found")
        self.reminder_id = reminder_id


class ReminderClosedError(DomainError):
    """The item is done, stopped, replaced or deleted: the button pressed is stale."""

    def __init__(self, reminder_id: int, reason: CancelReason) -> None:
        super().__init__(f"reminder {reminder_id} is closed ({reason})")
        self.reminder_id = reminder_id
        self.reason = reason


class DueDateReminders:
    """Creates and cancels the reminder rows of card entries; part of the caller's transaction."""

    def __init__(
        self,
        reminders: ReminderRepository,
        users: UserRepository,
        access: PetAccessRepository,
        clock: Clock,
    ) -> None:
        self._reminders = reminders
        self._users = users
        self._access = access
        self._clock = clock

    async def entry_added(self, record: MedicalRecord, *, replaces: Collection[int]) -> None:
        """A new entry is now its product's latest: the older entries' reminders stop
        (`replaces`), and the new next due date, if any, gets its own."""
        kind = DUE_DATE_KINDS.get(record.kind)
        if kind is None:
            return
        now = self._clock.now()
        await self._reminders.cancel_pending(
            record_ids=replaces, reason=CancelReason.REPLACED, at=now
        )
        await self._schedule(record, kind, now, resumed=False)

    async def entry_removed(
        self, record: MedicalRecord, *, successor: MedicalRecord | None = None
    ) -> None:
        """The entry leaves the card: its unsent reminders with it (before the row goes, so
        the reason is on record even where the foreign key's cascade removes them after).

        `successor`: the product's entry that is its latest again (the newer one was a
        mistake, say); its remaining reminders come back, except for whoever had pressed
        Done or Stop on it."""
        kind = DUE_DATE_KINDS.get(record.kind)
        if kind is None:
            return
        now = self._clock.now()
        await self._reminders.cancel_pending(
            record_ids=[record.id], reason=CancelReason.DELETED, at=now
        )
        if successor is not None:
            await self._reminders.cancel_pending(
                record_ids=[successor.id], reason=CancelReason.REPLACED, at=now
            )
            await self._schedule(successor, kind, now, resumed=True)

    async def user_clock_changed(self, user: User) -> int:
        """The user's time zone or quiet hours changed (`user` holds the new ones): their
        pending next-due reminders move to the same local morning in the zone, out of the
        quiet hours (DST included); snoozed ones keep their instant; medication doses keep
        their local time (quiet hours never move them). Called by the settings
        interactors inside their transaction; how many moved.

        A step moved to a moment already past (a zone further east) is due at once: the next
        run sends it, rather than losing it.
        """
        quiet = quiet_hours_of(user)
        moved = 0
        for reminder in await self._reminders.list_pending_for_user(user.id):
            if reminder.kind is ReminderKind.MEDICATION:
                moved += await self._move_dose(reminder, user)
                continue
            raw_due = reminder.payload.get(PAYLOAD_NEXT_DUE)
            try:
                step = Step(reminder.step or "")
                next_due = date.fromisoformat(str(raw_due))
            except ValueError:
                continue  # not a next-due reminder (another kind, or written by a later slice)
            if step not in STEP_DAYS:
                continue  # snoozed: "tomorrow" was an instant the user chose
            steps = due_date_steps(next_due, user.time_zone, quiet=quiet)
            due_at = next(s.due_at for s in steps if s.step is step)
            if due_at != reminder.due_at:
                await self._reminders.move(reminder.id, due_at=due_at)
                moved += 1
        return moved

    async def member_joined(self, record: MedicalRecord, member: User) -> None:
        """`member` can now edit the entry's pet (a co-owner joined): they get the entry's
        remaining reminders, unless they had closed it before (Done or Stop, then left and
        came back). `record` is its product's latest entry."""
        kind = DUE_DATE_KINDS.get(record.kind)
        if kind is not None:
            await self._schedule(record, kind, self._clock.now(), resumed=True, only=member)

    async def _move_dose(self, reminder: Reminder, user: User) -> int:
        """A medication dose keeps its local time in the new zone (core.medication_times)."""
        raw = reminder.payload.get(PAYLOAD_DOSE_AT)
        try:
            dose_at = datetime.fromisoformat(str(raw))
        except ValueError:
            return 0
        missed = reminder.step == DoseStep.MISSED.value
        due_at = dose_due_at(dose_at, zone_of(user.time_zone), missed=missed)
        if due_at == reminder.due_at:
            return 0
        await self._reminders.move(reminder.id, due_at=due_at)
        return 1

    async def _schedule(
        self,
        record: MedicalRecord,
        kind: ReminderKind,
        now: datetime,
        *,
        resumed: bool,
        only: User | None = None,
    ) -> None:
        if record.next_due_at is None:
            return
        next_due = record.next_due_at.date()
        rows = []
        recipients = (
            [only]
            if only is not None
            else await pet_editors(self._access, self._users, record.pet_id)
        )
        for recipient in recipients:
            if resumed and await self._reminders.closed_for(record.id, recipient.id) in (
                CancelReason.DONE,
                CancelReason.STOPPED,
            ):
                continue
            quiet = quiet_hours_of(recipient)
            for scheduled in remaining_steps(next_due, recipient.time_zone, now, quiet=quiet):
                rows.append(
                    NewReminder(
                        user_id=recipient.id,
                        kind=kind,
                        due_at=scheduled.due_at,
                        pet_id=record.pet_id,
                        record_id=record.id,
                        step=scheduled.step.value,
                        payload={PAYLOAD_NEXT_DUE: next_due.isoformat()},
                    )
                )
        if rows:
            await self._reminders.add_many(rows)


@dataclass(frozen=True, slots=True)
class PressedReminder:
    user: User
    reminder: Reminder


class _Presses:
    """The reminder a button names, if it is the presser's and its item is still open."""

    def __init__(self, reminders: ReminderRepository, users: UserRepository) -> None:
        self._reminders = reminders
        self._users = users

    async def load(self, telegram_id: int, reminder_id: int) -> PressedReminder:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        reminder = await self._reminders.get(reminder_id)
        if reminder is None or reminder.user_id != user.id:
            raise ReminderNotFoundError(reminder_id)
        if reminder.record_id is not None:
            reason = await self._reminders.closed_for(reminder.record_id, user.id)
            if reason is not None:
                raise ReminderClosedError(reminder_id, reason)
        return PressedReminder(user, reminder)


class _ReminderButton:
    """A button under a reminder: what its interactor reads and writes."""

    def __init__(
        self,
        uow: UnitOfWork,
        reminders: ReminderRepository,
        users: UserRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._presses = _Presses(reminders, users)
        self._reminders = reminders
        self._clock = clock


@dataclass(frozen=True, slots=True)
class Snoozed:
    due_at: datetime  # aware UTC
    day: date  # its date on the presser's own calendar


class SnoozeReminder(_ReminderButton):
    """The "remind me tomorrow" button: one more reminder of the item a day later, out of
    the presser's quiet hours."""

    async def __call__(self, telegram_id: int, reminder_id: int) -> Snoozed:
        pressed = await self._presses.load(telegram_id, reminder_id)
        reminder = pressed.reminder
        time_zone = pressed.user.time_zone
        due_at = snoozed_until(self._clock.now(), time_zone, quiet=quiet_hours_of(pressed.user))
        await self._reminders.add_many(
            [
                NewReminder(
                    user_id=reminder.user_id,
                    kind=reminder.kind,
                    due_at=due_at,
                    pet_id=reminder.pet_id,
                    record_id=reminder.record_id,
                    step=Step.SNOOZED.value,
                    payload=reminder.payload,
                )
            ]
        )
        await self._uow.commit()
        return Snoozed(due_at, due_at.astimezone(zone_of(time_zone)).date())


class StopReminderItem(_ReminderButton):
    """The "stop for this item" button: the presser's remaining reminders of this entry are
    cancelled (the co-owners keep theirs)."""

    async def __call__(self, telegram_id: int, reminder_id: int) -> None:
        pressed = await self._presses.load(telegram_id, reminder_id)
        record_id = pressed.reminder.record_id
        if record_id is None:
            return
        await self._reminders.cancel_pending(
            record_ids=[record_id],
            reason=CancelReason.STOPPED,
            at=self._clock.now(),
            user_id=pressed.user.id,
        )
        await self._uow.commit()


@dataclass(frozen=True, slots=True)
class DoneItem:
    """What "Done ✓" leads to: a new entry of this kind in this pet's card, written like the
    entry the reminder was about (`record_id`, None for reminders about no entry)."""

    pet_id: int | None
    kind: ReminderKind
    record_id: int | None = None


class MarkReminderDone(_ReminderButton):
    """The "Done ✓" button: the item's remaining reminders are cancelled for every recipient — one
    co-owner's Done clears it for all. The new dose itself is a new card entry."""

    async def __call__(self, telegram_id: int, reminder_id: int) -> DoneItem:
        pressed = await self._presses.load(telegram_id, reminder_id)
        reminder = pressed.reminder
        if reminder.record_id is not None:
            await self._reminders.cancel_pending(
                record_ids=[reminder.record_id], reason=CancelReason.DONE, at=self._clock.now()
            )
            await self._uow.commit()
        return DoneItem(reminder.pet_id, reminder.kind, reminder.record_id)
