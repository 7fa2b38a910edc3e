"""An in-memory `ReminderRepository` for interactor unit tests: rows kept as `Reminder`s.

The claim (a database's atomic UPDATE) is tested on PostgreSQL and SQLite in
tests/integration/test_reminders.py, not here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from datetime import datetime

from core.ports.reminders import CLOSING_REASONS, CancelReason, NewReminder, Reminder


class FakeReminders:
    def __init__(self) -> None:
        self.rows: dict[int, Reminder] = {}

    async def add_many(self, reminders: Sequence[NewReminder]) -> None:
        for new in reminders:
            reminder_id = len(self.rows) + 1
            self.rows[reminder_id] = Reminder(
                id=reminder_id,
                user_id=new.user_id,
                pet_id=new.pet_id,
                record_id=new.record_id,
                kind=new.kind,
                step=new.step,
                due_at=new.due_at,
                payload=dict(new.payload),
                sent_at=None,
                cancelled_at=None,
                cancel_reason=None,
                attempts=0,
            )

    async def get(self, reminder_id: int) -> Reminder | None:
        return self.rows.get(reminder_id)

    async def cancel_pending(
        self,
        *,
        record_ids: Collection[int],
        reason: CancelReason,
        at: datetime,
        user_id: int | None = None,
    ) -> int:
        cancelled = 0
        for row in list(self.rows.values()):
            if (
                row.record_id in record_ids
                and row.sent_at is None
                and row.cancelled_at is None
                and (user_id is None or row.user_id == user_id)
            ):
                self.rows[row.id] = dataclasses.replace(
                    row, cancelled_at=at, cancel_reason=reason.value
                )
                cancelled += 1
        return cancelled

    async def cancel_pending_for_pet(
        self, *, pet_id: int, user_id: int, reason: CancelReason, at: datetime
    ) -> int:
        mine = [r for r in self.pending() if (r.pet_id, r.user_id) == (pet_id, user_id)]
        for row in mine:
            self.rows[row.id] = dataclasses.replace(
                row, cancelled_at=at, cancel_reason=reason.value
            )
        return len(mine)

    async def list_pending_for_user(self, user_id: int) -> list[Reminder]:
        return sorted(
            (r for r in self.pending() if r.user_id == user_id), key=lambda r: (r.due_at, r.id)
        )

    async def move(self, reminder_id: int, *, due_at: datetime) -> None:
        self.rows[reminder_id] = dataclasses.replace(self.rows[reminder_id], due_at=due_at)

    async def closed_for(self, record_id: int, user_id: int) -> CancelReason | None:
        mine = [r for r in self.rows.values() if (r.record_id, r.user_id) == (record_id, user_id)]
        if any(r.sent_at is None and r.cancelled_at is None for r in mine):
            return None
        cancelled = [r for r in mine if r.cancelled_at is not None]
        if not cancelled:
            return None
        last = max(cancelled, key=lambda r: (r.cancelled_at, r.id))
        reason = CancelReason(str(last.cancel_reason))
        return reason if reason in CLOSING_REASONS else None

    def pending(self) -> list[Reminder]:
        return [r for r in self.rows.values() if r.sent_at is None and r.cancelled_at is None]
