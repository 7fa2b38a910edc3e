"""Sending due reminders exactly once, however many schedulers run and whenever one dies.

`SendDueReminders` (run every few seconds by the scheduler's "send-reminders" job):

1. claims a batch — one atomic UPDATE marks up to `batch` due, unsent, uncancelled rows with
   this run's token and the time (db.repositories.reminders: `FOR UPDATE SKIP LOCKED` on
   PostgreSQL, so a second scheduler running by mistake takes other rows, never the same);
2. commits the claim, then sends each row through the `ReminderSender` port;
3. marks each row sent (under its token) and commits right after its own send.

A claim older than `lease` may be taken again: that is how the rows of a scheduler killed
mid-batch are sent by a later run, and not before the lease is over. The one duplicate this
allows: the message whose send had reached Telegram when the process died, before its
`sent_at` was committed — at most one per dead run (sends are one at a time), re-sent after
the lease. A run stops sending its batch well before the lease could run out
(`DeliveryPolicy.send_within`) and hands the rest back, so a live run never races a second
one over the same row.

Why the existing `telemed-pet scheduler` rather than taskiq's schedule source: the rows are
already the truth (created and cancelled in the transactions that change the card), and a
claim in the same database gives exactly-once across two schedulers by itself; a second copy
of each reminder in Redis would have to be kept in step with them and cancelled with them.

Rows whose recipient blocked the bot, whose entry or pet is gone, or whose recipient lost
access are cancelled with the reason, not sent. A send that fails otherwise keeps its claim
and is tried again after the lease, at most `max_attempts` times.

A row of a kind its recipient switched off (/reminders) is cancelled as `SWITCHED_OFF` when it
comes due, one row at a time: the item's later rows stay pending, so a kind switched back on
brings the next steps of the entries already in the card. Rows are not left pending while the
kind is off: they would pile up as due and all go out at once the moment it is on again.

Appointment reminders (core.interactors.appointment_reminders) go through the same claim, to
the `AppointmentReminderSender`; one whose appointment is no longer confirmed, or has begun,
is cancelled as GONE — the appointment's state read with the claim is the last word, whatever
row a change might have left behind.

Medication doses (core.interactors.medication_reminders) go through the same claim too; their
`MedicationDelivery` tops up the course's window when a dose row is claimed, checks the row
and sends it with "Given ✓".
Triage follow-ups (core.interactors.follow_ups) go through the same claim too, to the
`FollowUpSender`, skipped as GONE when the pet or the recipient's access to it went.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from core.clock import Clock
from core.enums import AppointmentStatus, ReminderKind
from core.interactors.follow_ups import follow_up_message, follow_up_skip_reason
from core.interactors.medication_reminders import MedicationDelivery
from core.interactors.reminders import DUE_DATE_KINDS
from core.ports.follow_ups import FollowUpSender
from core.ports.reminders import (
    AppointmentMessage,
    AppointmentReminderSender,
    CancelReason,
    ClaimedAppointment,
    ClaimedReminder,
    Delivery,
    DueDateMessage,
    ReminderRepository,
    ReminderSender,
)
from core.ports.uow import UnitOfWork
from core.reminder_schedule import Step

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    # Rows per claim: a second of sending at Telegram's ~30 messages/s overall, for each of the
    # `senders` runs of a round.
    batch: int = 25
    # Runs of one round at once (bot.periodic.send_due_reminders), each on its own connection
    # and claiming its own rows: one run sends one message at a time, so alone it would go at
    # 1 / (Telegram's round trip + the row's update) — about 16 messages/s 50 ms away — while
    # the outbound pacing (bot.outbound) is what should set the rate.
    senders: int = 4
    # How long a claim keeps other runs away; far beyond a batch's sending time.
    lease: timedelta = timedelta(minutes=5)
    # A run sends its batch only this long after claiming it, then gives the rest back.
    send_within: timedelta = timedelta(minutes=4)
    max_attempts: int = 5


@dataclass(slots=True)
class DeliveryReport:
    sent: int = 0
    skipped: dict[CancelReason, int] = field(default_factory=dict)
    failed: int = 0
    handed_back: int = 0

    def skip(self, reason: CancelReason) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def add(self, other: DeliveryReport) -> None:
        """Count another run's report in (the runs of one round)."""
        self.sent += other.sent
        self.failed += other.failed
        self.handed_back += other.handed_back
        for reason, count in other.skipped.items():
            self.skipped[reason] = self.skipped.get(reason, 0) + count


class SendDueReminders:
    """Claim the due reminders and send each once (see the module doc); returns the counts."""

    def __init__(
        self,
        uow: UnitOfWork,
        reminders: ReminderRepository,
        sender: ReminderSender,
        clock: Clock,
        policy: DeliveryPolicy,
        appointment_sender: AppointmentReminderSender | None = None,
        medication: MedicationDelivery | None = None,
        follow_up_sender: FollowUpSender | None = None,
    ) -> None:
        """`appointment_sender` None: this job sends no appointment reminders (their rows
        fail as a kind it cannot send), as before that kind existed; `medication` None and
        `follow_up_sender` None: the same for medication doses and triage follow-ups."""
        self._medication = medication
        self._uow = uow
        self._reminders = reminders
        self._sender = sender
        self._appointment_sender = appointment_sender
        self._follow_up_sender = follow_up_sender
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> DeliveryReport:
        report = DeliveryReport()
        while True:
            claimed_at = self._clock.now()
            token = uuid.uuid4().hex
            claimed = await self._reminders.claim_due(
                now=claimed_at,
                stale_before=claimed_at - self._policy.lease,
                token=token,
                limit=self._policy.batch,
            )
            await self._uow.commit()
            for position, item in enumerate(claimed):
                if self._clock.now() - claimed_at >= self._policy.send_within:
                    await self._hand_back(claimed[position:], token, report)
                    return report
                await self._deliver(item, token, report)
            if len(claimed) < self._policy.batch:
                return report

    async def _deliver(self, item: ClaimedReminder, token: str, report: DeliveryReport) -> None:
        if item.kind is ReminderKind.MEDICATION and self._medication is not None:
            await self._medication.claimed(item)
        reason = self._reason_to_skip(item)
        if reason is None:
            delivery = await self._send(item)
            if delivery is Delivery.SENT:
                if not await self._reminders.mark_sent(item.id, token=token, at=self._clock.now()):
                    # Another run took the row over: this send outlived the lease (see above).
                    logger.warning("reminder %s was sent after its claim ran out", item.id)
                await self._uow.commit()
                report.sent += 1
                return
            if delivery is Delivery.FAILED:
                # The claim stays: another try once the lease is over.
                report.failed += 1
                return
            reason = CancelReason.BLOCKED
        await self._reminders.skip(item.id, token=token, reason=reason, at=self._clock.now())
        await self._uow.commit()
        report.skip(reason)

    def _reason_to_skip(self, item: ClaimedReminder) -> CancelReason | None:
        if item.blocked:
            return CancelReason.BLOCKED
        if item.attempts > self._policy.max_attempts:
            logger.warning("reminder %s given up after %s attempts", item.id, item.attempts)
            return CancelReason.FAILED
        if item.kind is ReminderKind.APPOINTMENT and self._appointment_sender is not None:
            return self._reason_to_skip_appointment(item)
        if item.kind is ReminderKind.MEDICATION and self._medication is not None:
            return self._medication.reason_to_skip(item)
        if item.kind is ReminderKind.FOLLOW_UP and self._follow_up_sender is not None:
            return follow_up_skip_reason(item)
        if item.kind not in DUE_DATE_KINDS.values():
            logger.error("reminder %s has a kind this job cannot send: %s", item.id, item.kind)
            return CancelReason.FAILED
        if (
            not item.may_see_pet
            or item.pet_name is None
            or item.record_kind is None
            or item.record_title is None
            or item.next_due is None
        ):
            return CancelReason.GONE
        if item.kind in item.kinds_off:
            return CancelReason.SWITCHED_OFF
        return None

    def _reason_to_skip_appointment(self, item: ClaimedReminder) -> CancelReason | None:
        appointment = item.appointment
        if (
            appointment is None
            or appointment.status is not AppointmentStatus.CONFIRMED
            or appointment.starts_at <= self._clock.now()
        ):
            return CancelReason.GONE
        if item.kind in item.kinds_off:
            return CancelReason.SWITCHED_OFF
        return None

    async def _send(self, item: ClaimedReminder) -> Delivery:
        try:
            return await self._send_by_kind(item)
        except Exception:
            # The ports promise not to raise; a bug in one must not stop the other rows.
            logger.exception("sending reminder %s failed", item.id)
            return Delivery.FAILED

    async def _send_by_kind(self, item: ClaimedReminder) -> Delivery:
        # Each kind's fields were checked by `_reason_to_skip`; asserted for the type checker.
        if item.kind is ReminderKind.APPOINTMENT:
            assert item.appointment is not None and self._appointment_sender is not None
            return await self._appointment_sender.send_appointment(
                appointment_message(item, item.appointment)
            )
        if item.kind is ReminderKind.MEDICATION and self._medication is not None:
            return await self._medication.send(item)
        if item.kind is ReminderKind.FOLLOW_UP:
            assert self._follow_up_sender is not None
            return await self._follow_up_sender.send_follow_up(follow_up_message(item))
        assert item.pet_name is not None and item.record_kind is not None
        assert item.record_title is not None and item.next_due is not None
        return await self._sender.send_due_date(
            DueDateMessage(
                reminder_id=item.id,
                telegram_id=item.telegram_id,
                language=item.language,
                step=item.step or Step.DUE.value,
                record_kind=item.record_kind,
                pet_name=item.pet_name,
                title=item.record_title,
                next_due=item.next_due,
            )
        )

    async def _hand_back(
        self, rest: list[ClaimedReminder], token: str, report: DeliveryReport
    ) -> None:
        for item in rest:
            await self._reminders.release(item.id, token=token)
        await self._uow.commit()
        report.handed_back += len(rest)


def appointment_message(
    item: ClaimedReminder, appointment: ClaimedAppointment
) -> AppointmentMessage:
    return AppointmentMessage(
        reminder_id=item.id,
        telegram_id=item.telegram_id,
        language=item.language,
        step=item.step or "",
        role=appointment.role,
        appointment_id=appointment.appointment_id,
        starts_at=appointment.starts_at,
        time_zone=appointment.time_zone,
        pet_name=appointment.pet_name,
        other_name=appointment.other_name,
    )
