"""`core.ports.medication.DoseRepository` over SQLAlchemy, PostgreSQL and SQLite alike.

A dose's rows are found by the entry and the dose named in their payload (`payload ->>
'dose_at'` on PostgreSQL, `json_extract` on SQLite), among the entry's rows only (indexed by
`record_id`).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import ReminderKind
from core.ports.medication import PAYLOAD_DOSE_AT, PAYLOAD_GIVEN_AT, PAYLOAD_GIVEN_BY, DoseRow
from core.ports.reminders import CancelReason
from db.base import as_utc
from db.models import MedicalRecordModel, ReminderModel, UserModel


def _of_course(record_id: int) -> sa.ColumnElement[bool]:
    return sa.and_(
        ReminderModel.record_id == record_id, ReminderModel.kind == ReminderKind.MEDICATION
    )


def _of_dose(record_id: int, dose_at: str) -> sa.ColumnElement[bool]:
    return sa.and_(
        _of_course(record_id), ReminderModel.payload[PAYLOAD_DOSE_AT].as_string() == dose_at
    )


class SqlDoseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def lock_course(self, record_id: int) -> None:
        # SQLite renders no FOR UPDATE and needs none: one writer at a time.
        await self._session.execute(
            sa.select(MedicalRecordModel.id)
            .where(MedicalRecordModel.id == record_id)
            .with_for_update()
        )

    async def dose_keys(self, record_id: int, *, since: datetime) -> set[tuple[int, str, str]]:
        rows = await self._session.execute(
            sa.select(ReminderModel.user_id, ReminderModel.step, ReminderModel.payload).where(
                _of_course(record_id), ReminderModel.due_at >= as_utc(since)
            )
        )
        return {
            (user_id, str((payload or {}).get(PAYLOAD_DOSE_AT)), step or "")
            for user_id, step, payload in rows
        }

    async def rows_of_dose(self, record_id: int, dose_at: str) -> list[DoseRow]:
        rows = await self._session.execute(
            sa.select(
                ReminderModel, UserModel.telegram_id, UserModel.language, UserModel.time_zone
            )
            .join(UserModel, UserModel.id == ReminderModel.user_id)
            .where(_of_dose(record_id, dose_at))
            .order_by(ReminderModel.due_at, ReminderModel.id)
            .execution_options(populate_existing=True)
        )
        return [
            DoseRow(
                id=row.id,
                user_id=row.user_id,
                step=row.step,
                telegram_id=telegram_id,
                language=language,
                time_zone=time_zone,
                sent=row.sent_at is not None,
                message_id=row.message_id,
                payload=dict(row.payload or {}),
            )
            for row, telegram_id, language, time_zone in rows
        ]

    async def mark_given(self, record_id: int, dose_at: str, *, by: str, at: datetime) -> None:
        rows = await self._session.scalars(
            sa.select(ReminderModel)
            .where(_of_dose(record_id, dose_at))
            .execution_options(populate_existing=True)
        )
        for row in rows:
            row.payload = {
                **(row.payload or {}),
                PAYLOAD_GIVEN_BY: by,
                PAYLOAD_GIVEN_AT: as_utc(at).isoformat(),
            }
            if row.sent_at is None and row.cancelled_at is None:
                row.cancelled_at = as_utc(at)
                row.cancel_reason = CancelReason.DONE.value
        await self._session.flush()

    async def set_message_id(self, reminder_id: int, message_id: int) -> None:
        await self._session.execute(
            sa.update(ReminderModel)
            .where(ReminderModel.id == reminder_id)
            .values(message_id=message_id)
            .execution_options(synchronize_session=False)
        )
