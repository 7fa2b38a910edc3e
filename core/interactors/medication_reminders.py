"""Medication courses: a reminder at each dose time, "Given ✓" shared by the co-owners, and
one more reminder of a dose nobody marked as given within the hour.

Rows (kind MEDICATION, one per dose per recipient, step DoseStep): for every recipient — the
pet's owner and co-owners, as for the next-due reminders — a "dose" row at each of the
entry's dose times (`data["dose_times"]`) on each day of the course, and a "missed" row an
hour after it. The times are the prescription's and local to each recipient's own zone (a
co-owner in Berlin is reminded at 09:00 Berlin time). Quiet hours do not move a dose: the
time is the vet's, and a dose due at 07:00 is due at 07:00.

The rolling window: rows are made from now to the course's last day, but never further than
`WINDOW_DAYS` ahead (an ongoing course, or a long one, would otherwise need rows for ever).
`top_up` makes the rows missing from that window and is called when the entry is added and
whenever the sending job claims one of its "dose" rows — the window is topped up by the doses
themselves, so a course with rows keeps having rows. Nothing doubles: a top-up adds only the
(recipient, dose, step) keys the course has no row for in any state (sent, cancelled or
pending), under a lock of the entry's row, so two schedulers topping up one course take turns
(PostgreSQL; SQLite has one writer anyway). Nothing is lost: each dose row claimed — sent, or
skipped while the kind is switched off — extends the window by the days that became visible.

Deleting the entry cancels its pending rows (DELETED); entries cannot be edited, only deleted
and added again, which makes the new entry's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from core.clock import Clock
from core.entities import MedicalRecord
from core.enums import RecordKind, ReminderKind
from core.errors import DomainError, UserNotFoundError
from core.interactors.pets import EDITORS
from core.interactors.reminders import ReminderNotFoundError, pet_editors
from core.medication_times import course_end_of, course_start_of, dose_due_at, dose_times_of
from core.ports.medication import (
    PAYLOAD_DOSE_AT,
    PAYLOAD_GIVEN_AT,
    PAYLOAD_GIVEN_BY,
    DoseGivenNotice,
    DoseMessage,
    DoseRepository,
    DoseStep,
    MedicationSender,
)
from core.ports.reminders import (
    CancelReason,
    ClaimedReminder,
    Delivery,
    NewReminder,
    ReminderRepository,
)
from core.ports.repositories import (
    MedicalRecordRepository,
    PetAccessRepository,
    PetRepository,
    UserRepository,
)
from core.ports.uow import UnitOfWork
from core.record_data import DATA_DOSE_TIMES
from core.record_input import today_in
from core.reminder_schedule import zone_of
from core.schedule import to_local

logger = logging.getLogger(__name__)

# How far ahead rows are made; the doses' own claims top the window up (module doc).
WINDOW_DAYS: Final = 7
# Rows due this long before now are not looked at by a top-up: it only adds future doses.
_KEYS_LOOKBACK: Final = timedelta(days=2)
# The dose's data key in the entry (`data["dose"]`, written by the card's form).
_DATA_DOSE: Final = "dose"


def _dose_key(day_and_time: datetime) -> str:
    return day_and_time.isoformat(timespec="minutes")


def _dose_time(dose_at: str) -> str:
    """ "2026-06-01T09:00" → "09:00"."""
    return dose_at.rpartition("T")[2]


class MedicationReminders:
    """Creates, tops up and cancels the dose rows of medication entries; part of the caller's
    transaction (never commits)."""

    def __init__(
        self,
        reminders: ReminderRepository,
        doses: DoseRepository,
        users: UserRepository,
        access: PetAccessRepository,
        clock: Clock,
    ) -> None:
        self._reminders = reminders
        self._doses = doses
        self._users = users
        self._access = access
        self._clock = clock

    async def entry_added(self, record: MedicalRecord) -> None:
        if record.kind is RecordKind.MEDICATION and record.data.get(DATA_DOSE_TIMES):
            await self.top_up(record)

    async def entry_removed(self, record: MedicalRecord) -> None:
        if record.kind is RecordKind.MEDICATION:
            await self._reminders.cancel_pending(
                record_ids=[record.id], reason=CancelReason.DELETED, at=self._clock.now()
            )

    async def top_up(self, record: MedicalRecord) -> int:
        """Make the rows the course's window lacks (module doc); how many were made."""
        times = dose_times_of(record.data)
        start = course_start_of(record.data) or record.occurred_at.date()
        end = course_end_of(record.data)
        if not times:
            return 0
        now = self._clock.now()
        await self._doses.lock_course(record.id)
        existing = await self._doses.dose_keys(record.id, since=now - _KEYS_LOOKBACK)
        rows = []
        for recipient in await pet_editors(self._access, self._users, record.pet_id):
            zone = zone_of(recipient.time_zone)
            today = today_in(now, recipient.time_zone)
            last = today + timedelta(days=WINDOW_DAYS - 1)
            if end is not None:
                last = min(last, end)
            day = max(start, today)
            while day <= last:
                for at in times:
                    local = datetime.combine(day, at)
                    # In the recipient's zone, and never moved by their quiet hours: the time
                    # is the prescription's (a 07:00 dose is due at 07:00).
                    due_at = dose_due_at(local, zone)
                    if due_at <= now:
                        continue  # a dose already past when the rows were made: not reminded
                    key = _dose_key(local)
                    for step, step_due in (
                        (DoseStep.DOSE, due_at),
                        (DoseStep.MISSED, dose_due_at(local, zone, missed=True)),
                    ):
                        if (recipient.id, key, step.value) in existing:
                            continue
                        rows.append(
                            NewReminder(
                                user_id=recipient.id,
                                kind=ReminderKind.MEDICATION,
                                due_at=step_due,
                                pet_id=record.pet_id,
                                record_id=record.id,
                                step=step.value,
                                payload={PAYLOAD_DOSE_AT: key},
                            )
                        )
                day += timedelta(days=1)
        if rows:
            await self._reminders.add_many(rows)
        return len(rows)


class MedicationDelivery:
    """The sending job's part for medication rows (core.interactors.reminder_delivery calls it):
    the window's top-up on a claimed dose, the checks, and the send with its message id."""

    def __init__(
        self,
        uow: UnitOfWork,
        reminders: ReminderRepository,
        doses: DoseRepository,
        records: MedicalRecordRepository,
        schedule: MedicationReminders,
        sender: MedicationSender,
    ) -> None:
        self._uow = uow
        self._reminders = reminders
        self._doses = doses
        self._records = records
        self._schedule = schedule
        self._sender = sender

    async def claimed(self, item: ClaimedReminder) -> None:
        """A dose row was claimed (to be sent or skipped): the course's window moves on.
        Committed at once, so the entry's lock is not held over the send."""
        if item.step != DoseStep.DOSE.value:
            return
        reminder = await self._reminders.get(item.id)
        if reminder is None or reminder.record_id is None:
            return
        record = await self._records.get(reminder.record_id)
        if record is None:
            return
        await self._schedule.top_up(record)
        await self._uow.commit()

    def reason_to_skip(self, item: ClaimedReminder) -> CancelReason | None:
        if not item.may_see_pet or item.pet_name is None or item.record_title is None:
            return CancelReason.GONE
        if ReminderKind.MEDICATION in item.kinds_off:
            return CancelReason.SWITCHED_OFF
        return None

    async def send(self, item: ClaimedReminder) -> Delivery:
        reminder = await self._reminders.get(item.id)
        record = None
        if reminder is not None and reminder.record_id is not None:
            record = await self._records.get(reminder.record_id)
        dose_at = None if reminder is None else reminder.payload.get(PAYLOAD_DOSE_AT)
        if record is None or item.pet_name is None or not isinstance(dose_at, str):
            return Delivery.FAILED  # gone between the claim and now: the next claim skips it
        message = DoseMessage(
            reminder_id=item.id,
            telegram_id=item.telegram_id,
            language=item.language,
            step=item.step or DoseStep.DOSE.value,
            pet_name=item.pet_name,
            drug=record.title,
            dose=str(record.data.get(_DATA_DOSE) or ""),
            dose_time=_dose_time(dose_at),
        )
        sent = await self._sender.send_dose(message)
        if sent.message_id is not None:
            await self._doses.set_message_id(item.id, sent.message_id)
        return sent.delivery


class DoseAlreadyGivenError(DomainError):
    """Someone marked this dose as given before: by whom, at what local time (the presser's)."""

    def __init__(self, given_by: str, given_at: str) -> None:
        super().__init__("dose already given")
        self.given_by = given_by
        self.given_at = given_at


@dataclass(frozen=True, slots=True)
class GivenDose:
    """The dose as the presser's own message shows it now."""

    step: str
    pet_name: str
    drug: str
    dose: str
    dose_time: str
    given_at: str  # "HH:MM" in the presser's zone


class MarkDoseGiven:
    """ "Given ✓": the dose is closed for everyone — the pending rows of it (the co-owners'
    not yet sent, everyone's missed-dose reminder) are cancelled as DONE, and every message
    already sent about it, but the one pressed, is edited through the `MedicationSender` to
    say it was given, and by whom (after the commit)."""

    def __init__(
        self,
        uow: UnitOfWork,
        reminders: ReminderRepository,
        doses: DoseRepository,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        records: MedicalRecordRepository,
        sender: MedicationSender,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._reminders = reminders
        self._doses = doses
        self._users = users
        self._pets = pets
        self._access = access
        self._records = records
        self._sender = sender
        self._clock = clock

    async def __call__(self, telegram_id: int, reminder_id: int) -> GivenDose:
        user = await self._users.get_by_telegram_id(telegram_id)
        if user is None:
            raise UserNotFoundError(telegram_id)
        reminder = await self._reminders.get(reminder_id)
        if (
            reminder is None
            or reminder.user_id != user.id
            or reminder.kind is not ReminderKind.MEDICATION
            or reminder.record_id is None
            or reminder.pet_id is None
        ):
            raise ReminderNotFoundError(reminder_id)
        dose_at = reminder.payload.get(PAYLOAD_DOSE_AT)
        record = await self._records.get(reminder.record_id)
        pet = await self._pets.get(reminder.pet_id)
        level = await self._access.get_level(user.id, reminder.pet_id)
        if not isinstance(dose_at, str) or record is None or pet is None or level not in EDITORS:
            raise ReminderNotFoundError(reminder_id)
        # Two co-owners pressing at once take turns: the second reads the first's name.
        await self._doses.lock_course(record.id)
        rows = await self._doses.rows_of_dose(record.id, dose_at)
        for row in rows:
            by, at = row.payload.get(PAYLOAD_GIVEN_BY), row.payload.get(PAYLOAD_GIVEN_AT)
            if isinstance(by, str) and isinstance(at, str):
                local = to_local(datetime.fromisoformat(at), user.time_zone)
                raise DoseAlreadyGivenError(by, f"{local:%H:%M}")
        now = self._clock.now()
        await self._doses.mark_given(record.id, dose_at, by=user.first_name, at=now)
        await self._uow.commit()
        dose = str(record.data.get(_DATA_DOSE) or "")
        for row in rows:
            if row.id == reminder_id or not row.sent or row.message_id is None:
                continue
            notice = DoseGivenNotice(
                telegram_id=row.telegram_id,
                language=row.language,
                message_id=row.message_id,
                step=row.step or DoseStep.DOSE.value,
                pet_name=pet.name,
                drug=record.title,
                dose=dose,
                dose_time=_dose_time(dose_at),
                given_by=None if row.user_id == user.id else user.first_name,
                given_at=f"{to_local(now, row.time_zone):%H:%M}",
            )
            try:
                await self._sender.show_given(notice)
            except Exception:
                # The port promises not to raise; one chat's failure must not hide the rest.
                logger.exception("could not show dose %s as given to %s", dose_at, row.user_id)
        return GivenDose(
            step=reminder.step or DoseStep.DOSE.value,
            pet_name=pet.name,
            drug=record.title,
            dose=dose,
            dose_time=_dose_time(dose_at),
            given_at=f"{to_local(now, user.time_zone):%H:%M}",
        )
