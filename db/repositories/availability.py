from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import AvailabilityException, AvailabilityRule, ConsultationTiming
from core.ports.repositories import EntityNotFoundError
from db.base import as_utc
from db.models import AvailabilityExceptionModel, AvailabilityRuleModel, VetModel


class SqlAvailabilityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_rules(self, vet_id: int) -> list[AvailabilityRule]:
        rows = await self._session.scalars(
            sa.select(AvailabilityRuleModel)
            .where(AvailabilityRuleModel.vet_id == vet_id)
            .order_by(
                AvailabilityRuleModel.weekday,
                AvailabilityRuleModel.start_time,
                AvailabilityRuleModel.id,
            )
        )
        return [_to_rule(row) for row in rows]

    async def replace_rules(
        self, vet_id: int, windows: Collection[tuple[int, time, time]]
    ) -> list[AvailabilityRule]:
        await self._session.execute(
            sa.delete(AvailabilityRuleModel)
            .where(AvailabilityRuleModel.vet_id == vet_id)
            .execution_options(synchronize_session=False)
        )
        rows = [
            AvailabilityRuleModel(vet_id=vet_id, weekday=weekday, start_time=start, end_time=end)
            for weekday, start, end in sorted(windows)
        ]
        self._session.add_all(rows)
        await self._session.flush()
        return [_to_rule(row) for row in rows]

    async def list_exceptions(
        self, vet_id: int, *, start: datetime, end: datetime
    ) -> list[AvailabilityException]:
        rows = await self._session.scalars(
            sa.select(AvailabilityExceptionModel)
            .where(
                AvailabilityExceptionModel.vet_id == vet_id,
                AvailabilityExceptionModel.starts_at < as_utc(end),
                AvailabilityExceptionModel.ends_at > as_utc(start),
            )
            .order_by(AvailabilityExceptionModel.starts_at, AvailabilityExceptionModel.id)
        )
        return [_to_exception(row) for row in rows]

    async def add_exception(
        self,
        vet_id: int,
        *,
        starts_at: datetime,
        ends_at: datetime,
        is_available: bool,
        reason: str | None = None,
    ) -> AvailabilityException:
        row = AvailabilityExceptionModel(
            vet_id=vet_id,
            starts_at=as_utc(starts_at),
            ends_at=as_utc(ends_at),
            is_available=is_available,
            reason=reason,
        )
        self._session.add(row)
        await self._session.flush()
        return _to_exception(row)

    async def get_exception(self, exception_id: int) -> AvailabilityException | None:
        row = await self._session.get(AvailabilityExceptionModel, exception_id)
        return None if row is None else _to_exception(row)

    async def delete_exception(self, exception_id: int) -> None:
        row = await self._session.get(AvailabilityExceptionModel, exception_id)
        if row is None:
            raise EntityNotFoundError("availability exception", exception_id)
        await self._session.delete(row)
        await self._session.flush()

    async def get_timing(self, vet_id: int) -> ConsultationTiming:
        row = (
            await self._session.execute(
                sa.select(VetModel.consultation_minutes, VetModel.buffer_minutes).where(
                    VetModel.id == vet_id
                )
            )
        ).one_or_none()
        if row is None:
            raise EntityNotFoundError("vet", vet_id)
        return ConsultationTiming(consultation_minutes=row[0], buffer_minutes=row[1])

    async def set_timing(self, vet_id: int, timing: ConsultationTiming) -> None:
        result = await self._session.execute(
            sa.update(VetModel)
            .where(VetModel.id == vet_id)
            .values(
                consultation_minutes=timing.consultation_minutes,
                buffer_minutes=timing.buffer_minutes,
            )
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise EntityNotFoundError("vet", vet_id)


def _to_rule(row: AvailabilityRuleModel) -> AvailabilityRule:
    return AvailabilityRule(
        id=row.id,
        vet_id=row.vet_id,
        weekday=row.weekday,
        start_time=row.start_time,
        end_time=row.end_time,
    )


def _to_exception(row: AvailabilityExceptionModel) -> AvailabilityException:
    return AvailabilityException(
        id=row.id,
        vet_id=row.vet_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        is_available=row.is_available,
        reason=row.reason,
    )


if TYPE_CHECKING:
    from core.ports.repositories import AvailabilityRepository

    def _conforms(session: AsyncSession) -> None:
        _repository: AvailabilityRepository = SqlAvailabilityRepository(session)
