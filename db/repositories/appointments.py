from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Appointment
from core.enums import ACTIVE_APPOINTMENT_STATUSES, AppointmentStatus, SlotStatus
from core.ports.repositories import DuplicateEntityError
from db.base import as_utc
from db.models import AppointmentModel, SlotModel

# The column that records when an appointment reached a status.
_STAMP_COLUMN = {
    AppointmentStatus.CANCELLED_BY_OWNER: "cancelled_at",
    AppointmentStatus.CANCELLED_BY_VET: "cancelled_at",
    AppointmentStatus.NO_SHOW_VET: "cancelled_at",
    AppointmentStatus.COMPLETED: "completed_at",
    AppointmentStatus.CONFIRMED: "confirmed_at",
}


class SqlAppointmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_hold(
        self,
        *,
        slot_id: int,
        vet_id: int,
        owner_user_id: int,
        pet_id: int,
        reason: str | None,
        check_id: int | None,
        price_amount: int,
        currency: str,
        hold_expires_at: datetime,
    ) -> Appointment:
        row = AppointmentModel(
            slot_id=slot_id,
            vet_id=vet_id,
            owner_user_id=owner_user_id,
            pet_id=pet_id,
            status=AppointmentStatus.HELD,
            reason=reason,
            check_id=check_id,
            price_amount=price_amount,
            currency=currency,
            hold_expires_at=as_utc(hold_expires_at),
        )
        try:
            # The partial unique index decides a race between two holds; on PostgreSQL the
            # second insert waits for the first transaction, then fails here.
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as error:
            raise DuplicateEntityError("active appointment of slot", slot_id) from error
        found = await self.get(row.id)
        assert found is not None  # just inserted, in this transaction
        return found

    async def move_to_slot(
        self, appointment_id: int, *, slot_id: int, refund_until: datetime | None = None
    ) -> None:
        values: dict[str, object] = {"slot_id": slot_id}
        if refund_until is not None:
            values["refund_until"] = as_utc(refund_until)
        try:
            async with self._session.begin_nested():
                await self._session.execute(
                    sa.update(AppointmentModel)
                    .where(AppointmentModel.id == appointment_id)
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError as error:
            raise DuplicateEntityError("active appointment of slot", slot_id) from error

    async def get(self, appointment_id: int) -> Appointment | None:
        rows = await self._select(AppointmentModel.id == appointment_id)
        return rows[0] if rows else None

    async def get_active_for_slot(self, slot_id: int) -> Appointment | None:
        rows = await self._select(
            AppointmentModel.slot_id == slot_id,
            AppointmentModel.status.in_(sorted(ACTIVE_APPOINTMENT_STATUSES)),
        )
        return rows[0] if rows else None

    async def expire_holds(self, *, now: datetime, slot_id: int | None = None) -> int:
        conditions: list[sa.ColumnElement[bool]] = [
            AppointmentModel.status == AppointmentStatus.HELD,
            AppointmentModel.hold_expires_at <= as_utc(now),
        ]
        if slot_id is not None:
            conditions.append(AppointmentModel.slot_id == slot_id)
        return await self._expire(*conditions)

    async def release_holds_of_owner(self, owner_user_id: int, *, except_id: int) -> int:
        return await self._expire(
            AppointmentModel.status == AppointmentStatus.HELD,
            AppointmentModel.owner_user_id == owner_user_id,
            AppointmentModel.id != except_id,
        )

    async def _expire(self, *conditions: sa.ColumnElement[bool]) -> int:
        result = await self._session.execute(
            sa.update(AppointmentModel)
            .where(*conditions)
            .values(status=AppointmentStatus.EXPIRED)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def extend_hold(self, appointment_id: int, *, until: datetime) -> bool:
        moment = as_utc(until)
        result = await self._session.execute(
            sa.update(AppointmentModel)
            .where(
                AppointmentModel.id == appointment_id,
                AppointmentModel.status == AppointmentStatus.HELD,
            )
            .values(
                hold_expires_at=sa.case(
                    (AppointmentModel.hold_expires_at >= moment, AppointmentModel.hold_expires_at),
                    else_=sa.literal(moment, AppointmentModel.hold_expires_at.type),
                )
            )
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def confirm(self, appointment_id: int, *, confirmed_at: datetime) -> bool:
        moment = as_utc(confirmed_at)
        slot_bookable = sa.exists().where(
            SlotModel.id == AppointmentModel.slot_id,
            SlotModel.status == SlotStatus.OPEN,
            SlotModel.starts_at > moment,
        )
        try:
            # An expired appointment comes back to life only if nobody else took the slot:
            # the partial unique index refuses a second active row, even from a concurrent
            # transaction (PostgreSQL makes this UPDATE wait for it, then fails).
            async with self._session.begin_nested():
                result = await self._session.execute(
                    sa.update(AppointmentModel)
                    .where(
                        AppointmentModel.id == appointment_id,
                        AppointmentModel.status.in_(
                            [AppointmentStatus.HELD, AppointmentStatus.EXPIRED]
                        ),
                        slot_bookable,
                    )
                    .values(status=AppointmentStatus.CONFIRMED, confirmed_at=moment)
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError as error:
            raise DuplicateEntityError("active appointment of slot", appointment_id) from error
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def set_status(
        self,
        appointment_id: int,
        *,
        status: AppointmentStatus,
        expected: Collection[AppointmentStatus],
        at: datetime,
    ) -> bool:
        values: dict[str, Any] = {"status": status}
        column = _STAMP_COLUMN.get(status)
        if column is not None:
            values[column] = as_utc(at)
        try:
            async with self._session.begin_nested():
                result = await self._session.execute(
                    sa.update(AppointmentModel)
                    .where(
                        AppointmentModel.id == appointment_id,
                        AppointmentModel.status.in_(list(expected)),
                    )
                    .values(**values)
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError as error:
            raise DuplicateEntityError("active appointment of slot", appointment_id) from error
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mark_vet_no_show(self, appointment_id: int, *, at: datetime) -> bool:
        result = await self._session.execute(
            sa.update(AppointmentModel)
            .where(
                AppointmentModel.id == appointment_id,
                AppointmentModel.status == AppointmentStatus.CONFIRMED,
                AppointmentModel.vet_joined_at.is_(None),
            )
            .values(status=AppointmentStatus.NO_SHOW_VET, cancelled_at=as_utc(at))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def list_vet_no_shows(self, *, started_before: datetime) -> list[Appointment]:
        return await self._select(
            AppointmentModel.status == AppointmentStatus.CONFIRMED,
            AppointmentModel.vet_joined_at.is_(None),
            SlotModel.starts_at <= as_utc(started_before),
        )

    async def list_for_owner(
        self,
        owner_user_id: int,
        *,
        statuses: Collection[AppointmentStatus] | None = None,
        starts_after: datetime | None = None,
    ) -> list[Appointment]:
        conditions: list[sa.ColumnElement[bool]] = [
            AppointmentModel.owner_user_id == owner_user_id
        ]
        if statuses is not None:
            conditions.append(AppointmentModel.status.in_(list(statuses)))
        if starts_after is not None:
            conditions.append(SlotModel.starts_at > as_utc(starts_after))
        return await self._select(*conditions)

    async def list_for_vet(
        self,
        vet_id: int,
        *,
        start: datetime,
        end: datetime,
        statuses: Collection[AppointmentStatus] | None = None,
    ) -> list[Appointment]:
        conditions: list[sa.ColumnElement[bool]] = [
            AppointmentModel.vet_id == vet_id,
            SlotModel.starts_at >= as_utc(start),
            SlotModel.starts_at < as_utc(end),
        ]
        if statuses is not None:
            conditions.append(AppointmentModel.status.in_(list(statuses)))
        return await self._select(*conditions)

    async def _select(self, *conditions: sa.ColumnElement[bool]) -> list[Appointment]:
        rows = await self._session.execute(
            sa.select(AppointmentModel, SlotModel.starts_at, SlotModel.ends_at)
            .join(SlotModel, SlotModel.id == AppointmentModel.slot_id)
            .where(*conditions)
            .order_by(SlotModel.starts_at, AppointmentModel.id)
            # Conditional UPDATEs above bypass the identity map: reload what they changed.
            .execution_options(populate_existing=True)
        )
        return [_to_appointment(row, starts_at, ends_at) for row, starts_at, ends_at in rows]


def _to_appointment(row: AppointmentModel, starts_at: datetime, ends_at: datetime) -> Appointment:
    return Appointment(
        id=row.id,
        slot_id=row.slot_id,
        vet_id=row.vet_id,
        owner_user_id=row.owner_user_id,
        pet_id=row.pet_id,
        status=row.status,
        reason=row.reason,
        check_id=row.check_id,
        price_amount=row.price_amount,
        currency=row.currency,
        starts_at=starts_at,
        ends_at=ends_at,
        hold_expires_at=row.hold_expires_at,
        confirmed_at=row.confirmed_at,
        cancelled_at=row.cancelled_at,
        completed_at=row.completed_at,
        vet_joined_at=row.vet_joined_at,
        created_at=row.created_at,
        owner_joined_at=row.owner_joined_at,
        owner_left_at=row.owner_left_at,
        vet_left_at=row.vet_left_at,
        call_ended_at=row.call_ended_at,
        duration_seconds=row.duration_seconds,
        refund_until=row.refund_until,
    )


if TYPE_CHECKING:
    from core.ports.repositories import AppointmentRepository

    def _conforms(session: AsyncSession) -> None:
        _repository: AppointmentRepository = SqlAppointmentRepository(session)
