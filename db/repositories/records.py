from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import MedicalRecord
from core.enums import RecordKind
from core.ports.repositories import EntityNotFoundError
from db.base import as_utc
from db.models import MedicalRecordModel


class SqlMedicalRecordRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        pet_id: int,
        kind: RecordKind,
        title: str,
        occurred_at: datetime,
        details: str | None = None,
        data: Mapping[str, Any] | None = None,
        next_due_at: datetime | None = None,
        author_user_id: int | None = None,
        attachment_key: str | None = None,
        attachment_content_type: str | None = None,
    ) -> MedicalRecord:
        row = MedicalRecordModel(
            pet_id=pet_id,
            kind=kind,
            title=title,
            occurred_at=as_utc(occurred_at),
            details=details,
            # A copy: the caller's mapping must not alias the ORM state.
            data=dict(data or {}),
            next_due_at=None if next_due_at is None else as_utc(next_due_at),
            author_user_id=author_user_id,
            attachment_key=attachment_key,
            attachment_content_type=attachment_content_type,
        )
        self._session.add(row)
        await self._session.flush()
        return _to_record(row)

    async def get(self, record_id: int) -> MedicalRecord | None:
        row = await self._session.get(MedicalRecordModel, record_id)
        return None if row is None else _to_record(row)

    async def list_for_pet(
        self,
        pet_id: int,
        *,
        kinds: Collection[RecordKind] | None = None,
        limit: int | None = 20,
        offset: int = 0,
    ) -> list[MedicalRecord]:
        query = (
            sa.select(MedicalRecordModel)
            .where(*_conditions(pet_id, kinds))
            # id breaks ties so pages never overlap or skip rows.
            .order_by(MedicalRecordModel.occurred_at.desc(), MedicalRecordModel.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [_to_record(row) for row in await self._session.scalars(query)]

    async def count_by_kind(self, pet_id: int) -> dict[RecordKind, int]:
        query = (
            sa.select(MedicalRecordModel.kind, sa.func.count())
            .where(MedicalRecordModel.pet_id == pet_id)
            .group_by(MedicalRecordModel.kind)
        )
        return dict((await self._session.execute(query)).all())

    async def delete(self, record_id: int) -> None:
        row = await self._session.get(MedicalRecordModel, record_id)
        if row is None:
            raise EntityNotFoundError("medical record", record_id)
        await self._session.delete(row)
        await self._session.flush()


def _conditions(pet_id: int, kinds: Collection[RecordKind] | None) -> list[sa.ColumnElement[bool]]:
    conditions = [MedicalRecordModel.pet_id == pet_id]
    if kinds is not None:
        conditions.append(MedicalRecordModel.kind.in_(list(kinds)))
    return conditions


def _to_record(row: MedicalRecordModel) -> MedicalRecord:
    return MedicalRecord(
        id=row.id,
        pet_id=row.pet_id,
        kind=row.kind,
        title=row.title,
        occurred_at=row.occurred_at,
        details=row.details,
        data=dict(row.data),
        next_due_at=row.next_due_at,
        author_user_id=row.author_user_id,
        attachment_key=row.attachment_key,
        attachment_content_type=row.attachment_content_type,
        created_at=row.created_at,
    )
