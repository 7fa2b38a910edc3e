from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Payment
from core.enums import PaymentStatus
from core.ports.repositories import EntityNotFoundError
from db.base import as_utc
from db.models import PaymentModel, UserModel


class SqlPaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_if_absent(
        self,
        *,
        telegram_payment_charge_id: str,
        provider_payment_charge_id: str | None,
        appointment_id: int | None,
        user_id: int | None,
        invoice_payload: str,
        amount: int,
        currency: str,
        paid_at: datetime,
    ) -> tuple[Payment, bool]:
        row = PaymentModel(
            telegram_payment_charge_id=telegram_payment_charge_id,
            provider_payment_charge_id=provider_payment_charge_id,
            appointment_id=appointment_id,
            user_id=user_id,
            invoice_payload=invoice_payload,
            amount=amount,
            currency=currency,
            status=PaymentStatus.PAID,
            paid_at=as_utc(paid_at),
        )
        try:
            # Insert-or-ignore through the unique charge id, portable to both databases; a
            # concurrent duplicate waits for the first transaction on PostgreSQL, then fails.
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            existing = await self.get_by_charge_id(telegram_payment_charge_id)
            if existing is None:  # some other constraint failed: not a duplicate
                raise
            return existing, False
        added = await self.get(row.id)
        assert added is not None  # just inserted, in this transaction
        return added, True

    async def get(self, payment_id: int) -> Payment | None:
        rows = await self._select(PaymentModel.id == payment_id)
        return rows[0] if rows else None

    async def get_by_charge_id(self, telegram_payment_charge_id: str) -> Payment | None:
        rows = await self._select(
            PaymentModel.telegram_payment_charge_id == telegram_payment_charge_id
        )
        return rows[0] if rows else None

    async def list_for_appointment(self, appointment_id: int) -> list[Payment]:
        return await self._select(PaymentModel.appointment_id == appointment_id)

    async def request_refund(self, payment_id: int) -> bool:
        result = await self._session.execute(
            sa.update(PaymentModel)
            .where(PaymentModel.id == payment_id, PaymentModel.status == PaymentStatus.PAID)
            .values(status=PaymentStatus.REFUND_PENDING)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def record_refund(self, payment_id: int, *, refunded_at: datetime) -> None:
        await self._update(
            payment_id,
            status=PaymentStatus.REFUNDED,
            refunded_at=as_utc(refunded_at),
            refund_error=None,
        )

    async def record_refund_error(self, payment_id: int, *, error: str, final: bool) -> None:
        status = PaymentStatus.REFUND_FAILED if final else PaymentStatus.REFUND_PENDING
        await self._update(payment_id, status=status, refund_error=error)

    async def list_pending_refunds(self, *, limit: int = 100) -> list[Payment]:
        return await self._select(PaymentModel.status == PaymentStatus.REFUND_PENDING, limit=limit)

    async def _update(self, payment_id: int, **values: object) -> None:
        result = await self._session.execute(
            sa.update(PaymentModel)
            .where(PaymentModel.id == payment_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise EntityNotFoundError("payment", payment_id)

    async def _select(
        self, *conditions: sa.ColumnElement[bool], limit: int | None = None
    ) -> list[Payment]:
        query = (
            sa.select(PaymentModel, UserModel.telegram_id)
            .outerjoin(UserModel, UserModel.id == PaymentModel.user_id)
            .where(*conditions)
            .order_by(PaymentModel.paid_at, PaymentModel.id)
            .execution_options(populate_existing=True)
        )
        if limit is not None:
            query = query.limit(limit)
        rows = await self._session.execute(query)
        return [_to_payment(row, telegram_id) for row, telegram_id in rows]


def _to_payment(row: PaymentModel, user_telegram_id: int | None) -> Payment:
    return Payment(
        id=row.id,
        appointment_id=row.appointment_id,
        user_id=row.user_id,
        user_telegram_id=user_telegram_id,
        telegram_payment_charge_id=row.telegram_payment_charge_id,
        provider_payment_charge_id=row.provider_payment_charge_id,
        invoice_payload=row.invoice_payload,
        amount=row.amount,
        currency=row.currency,
        status=row.status,
        paid_at=row.paid_at,
        refunded_at=row.refunded_at,
        refund_error=row.refund_error,
    )


if TYPE_CHECKING:
    from core.ports.repositories import PaymentRepository

    def _conforms(session: AsyncSession) -> None:
        _repository: PaymentRepository = SqlPaymentRepository(session)
