from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import AppointmentSnapshot, PaymentSnapshot, ReminderSnapshot
from db.models import AppointmentModel, PaymentModel, ReminderModel, SlotModel, UserModel


class SqlAccountDataRepository:
    """Read-only snapshots for the data export, and the user's erasure (a bulk DELETE whose
    cascades and SET NULLs are the foreign keys' own, on both databases)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_appointments(self, user_id: int) -> list[AppointmentSnapshot]:
        rows = await self._session.execute(
            sa.select(AppointmentModel, SlotModel.starts_at)
            .outerjoin(SlotModel, SlotModel.id == AppointmentModel.slot_id)
            .where(AppointmentModel.owner_user_id == user_id)
            .order_by(AppointmentModel.created_at, AppointmentModel.id)
        )
        return [
            AppointmentSnapshot(
                id=row.id,
                pet_id=row.pet_id,
                vet_id=row.vet_id,
                status=row.status.value,
                reason=row.reason,
                starts_at=starts_at,
                price_amount=row.price_amount,
                currency=row.currency,
                created_at=row.created_at,
                confirmed_at=row.confirmed_at,
                cancelled_at=row.cancelled_at,
                completed_at=row.completed_at,
            )
            for row, starts_at in rows
        ]

    async def list_payments(self, user_id: int) -> list[PaymentSnapshot]:
        rows = await self._session.scalars(
            sa.select(PaymentModel)
            .where(PaymentModel.user_id == user_id)
            .order_by(PaymentModel.paid_at, PaymentModel.id)
        )
        return [
            PaymentSnapshot(
                id=row.id,
                appointment_id=row.appointment_id,
                amount=row.amount,
                currency=row.currency,
                status=row.status.value,
                telegram_payment_charge_id=row.telegram_payment_charge_id,
                paid_at=row.paid_at,
                refunded_at=row.refunded_at,
            )
            for row in rows
        ]

    async def list_reminders(self, user_id: int) -> list[ReminderSnapshot]:
        rows = await self._session.scalars(
            sa.select(ReminderModel)
            .where(ReminderModel.user_id == user_id)
            .order_by(ReminderModel.due_at, ReminderModel.id)
        )
        return [
            ReminderSnapshot(
                id=row.id,
                pet_id=row.pet_id,
                kind=row.kind.value,
                due_at=row.due_at,
                sent_at=row.sent_at,
                cancelled_at=row.cancelled_at,
                created_at=row.created_at,
            )
            for row in rows
        ]

    async def delete_user(self, user_id: int) -> None:
        await self._session.flush()  # the session does not autoflush; nothing staged is lost
        await self._session.execute(
            sa.delete(UserModel)
            .where(UserModel.id == user_id)
            .execution_options(synchronize_session=False)
        )
        # Rows of the identity map that the database just deleted by cascade would otherwise
        # be flushed back or read stale later in this session.
        self._session.expunge_all()
