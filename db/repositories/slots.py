from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Slot
from core.enums import ACTIVE_APPOINTMENT_STATUSES, AppointmentStatus, SlotStatus
from core.ports.repositories import DuplicateEntityError, EntityNotFoundError
from db.base import as_utc
from db.models import AppointmentModel, SlotModel

_ACTIVE = sorted(ACTIVE_APPOINTMENT_STATUSES)


def occupied_clause() -> sa.ColumnElement[bool]:
    """True for a slot row that an active appointment occupies (as the unique index sees it)."""
    return sa.exists().where(
        AppointmentModel.slot_id == SlotModel.id, AppointmentModel.status.in_(_ACTIVE)
    )


class SqlSlotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, *, vet_id: int, starts_at: datetime, ends_at: datetime) -> Slot:
        # One statement: the duplicate is skipped by the database (two publishers racing lose
        # only that insert, and the transaction goes on) rather than caught in a savepoint
        # around an ORM flush, three round trips and ~1 ms each. Publishing a new vet's weeks
        # adds hundreds of slots (the sandbox's demo vets: 1,344 on a fresh database).
        insert = _insert_slot(self._session).values(
            vet_id=vet_id,
            starts_at=as_utc(starts_at),
            ends_at=as_utc(ends_at),
            status=SlotStatus.OPEN,
        )
        skipping_duplicates = insert.on_conflict_do_nothing(
            index_elements=[SlotModel.vet_id, SlotModel.starts_at]
        )
        row = (
            await self._session.execute(
                skipping_duplicates.returning(SlotModel.id, SlotModel.created_at)
            )
        ).one_or_none()
        if row is None:
            raise DuplicateEntityError("slot", (vet_id, starts_at))
        return Slot(
            id=row.id,
            vet_id=vet_id,
            starts_at=as_utc(starts_at),
            ends_at=as_utc(ends_at),
            status=SlotStatus.OPEN,
            created_at=row.created_at,
        )

    async def get(self, slot_id: int) -> Slot | None:
        row = await self._session.get(SlotModel, slot_id, populate_existing=True)
        return None if row is None else _to_slot(row)

    async def list_for_vet(self, vet_id: int, *, start: datetime, end: datetime) -> list[Slot]:
        rows = await self._session.scalars(
            sa.select(SlotModel)
            .where(
                SlotModel.vet_id == vet_id,
                SlotModel.starts_at >= as_utc(start),
                SlotModel.starts_at < as_utc(end),
            )
            .order_by(SlotModel.starts_at)
            .execution_options(populate_existing=True)
        )
        return [_to_slot(row) for row in rows]

    async def list_open(
        self, vet_id: int, *, start: datetime, end: datetime, now: datetime
    ) -> list[Slot]:
        moment = as_utc(now)
        taken = sa.exists().where(
            AppointmentModel.slot_id == SlotModel.id,
            sa.or_(
                AppointmentModel.status == AppointmentStatus.CONFIRMED,
                sa.and_(
                    AppointmentModel.status == AppointmentStatus.HELD,
                    AppointmentModel.hold_expires_at > moment,
                ),
            ),
        )
        rows = await self._session.scalars(
            sa.select(SlotModel)
            .where(
                SlotModel.vet_id == vet_id,
                SlotModel.status == SlotStatus.OPEN,
                SlotModel.starts_at >= as_utc(start),
                SlotModel.starts_at < as_utc(end),
                SlotModel.starts_at > moment,
                ~taken,
            )
            .order_by(SlotModel.starts_at)
            .execution_options(populate_existing=True)
        )
        return [_to_slot(row) for row in rows]

    async def list_occupied_ids(self, slot_ids: Collection[int]) -> set[int]:
        if not slot_ids:
            return set()
        rows = await self._session.scalars(
            sa.select(AppointmentModel.slot_id).where(
                AppointmentModel.slot_id.in_(list(slot_ids)),
                AppointmentModel.status.in_(_ACTIVE),
            )
        )
        return set(rows)

    async def reopen(self, slot_id: int, *, ends_at: datetime) -> None:
        result = await self._session.execute(
            sa.update(SlotModel)
            .where(SlotModel.id == slot_id)
            .values(status=SlotStatus.OPEN, ends_at=as_utc(ends_at))
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise EntityNotFoundError("slot", slot_id)

    async def close_if_free(self, slot_id: int) -> bool:
        # One conditional UPDATE: a hold placed meanwhile keeps the slot open.
        result = await self._session.execute(
            sa.update(SlotModel)
            .where(SlotModel.id == slot_id, ~occupied_clause())
            .values(status=SlotStatus.CLOSED)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _insert_slot(session: AsyncSession) -> postgresql.Insert | sqlite.Insert:
    """The dialect's INSERT, which has ON CONFLICT (the two backends there are, db.engine)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(SlotModel)
    return sqlite.insert(SlotModel)


def _to_slot(row: SlotModel) -> Slot:
    return Slot(
        id=row.id,
        vet_id=row.vet_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        status=row.status,
        created_at=row.created_at,
    )


if TYPE_CHECKING:
    from core.ports.repositories import SlotRepository

    def _conforms(session: AsyncSession) -> None:
        _repository: SlotRepository = SqlSlotRepository(session)
