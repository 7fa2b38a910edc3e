"""`core.ports.follow_ups.FollowUpRepository`: the reminder rows, plus what follow-ups need.

A follow-up's answer lives in the row's payload (JSON). Storing it is one conditional UPDATE —
"where the payload has no answer yet" — so of two presses racing only one stores: on
PostgreSQL the second waits for the first's row lock and then finds the condition false;
SQLite has one writer at a time.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from core.enums import ReminderKind
from core.ports.follow_ups import PAYLOAD_ANSWER, PAYLOAD_ANSWERED_AT, FollowUpAnswer
from core.ports.reminders import CancelReason
from db.base import as_utc
from db.models import ReminderModel
from db.repositories.reminders import SqlReminderRepository


def _pending() -> sa.ColumnElement[bool]:
    return sa.and_(ReminderModel.sent_at.is_(None), ReminderModel.cancelled_at.is_(None))


class SqlFollowUpRepository(SqlReminderRepository):
    async def cancel_follow_ups(self, pet_id: int, *, reason: CancelReason, at: datetime) -> int:
        result = await self._session.execute(
            sa.update(ReminderModel)
            .where(
                ReminderModel.kind == ReminderKind.FOLLOW_UP,
                ReminderModel.pet_id == pet_id,
                _pending(),
            )
            .values(cancelled_at=as_utc(at), cancel_reason=reason.value)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def record_answer(
        self, reminder_id: int, answer: FollowUpAnswer, *, at: datetime
    ) -> bool:
        payload = await self._session.scalar(
            sa.select(ReminderModel.payload)
            .where(ReminderModel.id == reminder_id)
            .execution_options(populate_existing=True)
        )
        if payload is None or PAYLOAD_ANSWER in payload:
            return False
        stored = {
            **payload,
            PAYLOAD_ANSWER: answer.value,
            PAYLOAD_ANSWERED_AT: as_utc(at).isoformat(),
        }
        result = await self._session.execute(
            sa.update(ReminderModel)
            .where(
                ReminderModel.id == reminder_id,
                # JSON null and a missing key read alike here, on both databases.
                ReminderModel.payload[PAYLOAD_ANSWER].as_string().is_(None),
            )
            .values(payload=stored)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
