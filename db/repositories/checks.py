from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import CheckPhoto, SymptomCheck
from core.enums import CheckStatus, Urgency
from core.ports.repositories import DuplicateEntityError, EntityNotFoundError
from db.base import as_utc
from db.models import CheckPhotoModel, SymptomCheckModel


class SqlSymptomCheckRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        pet_id: int,
        user_id: int,
        answers: Mapping[str, Any],
        idempotency_key: str | None,
        submitted_at: datetime,
    ) -> SymptomCheck:
        row = SymptomCheckModel(
            pet_id=pet_id,
            user_id=user_id,
            answers=dict(answers),
            idempotency_key=idempotency_key,
            status=CheckStatus.QUEUED,
            submitted_at=as_utc(submitted_at),
            attempts=0,
            model_used=False,
        )
        try:
            # A savepoint: a double-pressed "submit" loses only this insert.
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as error:
            raise DuplicateEntityError("symptom check", idempotency_key) from error
        await self._session.refresh(row)
        return _to_check(row)

    async def get(self, check_id: int) -> SymptomCheck | None:
        row = await self._session.get(SymptomCheckModel, check_id, populate_existing=True)
        return None if row is None else _to_check(row)

    async def get_by_idempotency_key(self, key: str) -> SymptomCheck | None:
        row = await self._session.scalar(
            sa.select(SymptomCheckModel).where(SymptomCheckModel.idempotency_key == key)
        )
        return None if row is None else _to_check(row)

    async def add_photo(
        self,
        check_id: int,
        *,
        position: int,
        storage_key: str,
        content_type: str,
        size_bytes: int,
        telegram_file_id: str | None,
    ) -> CheckPhoto:
        row = CheckPhotoModel(
            check_id=check_id,
            position=position,
            storage_key=storage_key,
            content_type=content_type,
            size_bytes=size_bytes,
            telegram_file_id=telegram_file_id,
        )
        self._session.add(row)
        await self._session.flush()
        return _to_photo(row)

    async def list_photos(self, check_id: int) -> list[CheckPhoto]:
        rows = await self._session.scalars(
            sa.select(CheckPhotoModel)
            .where(CheckPhotoModel.check_id == check_id)
            .order_by(CheckPhotoModel.position)
        )
        return [_to_photo(row) for row in rows]

    async def set_photo_findings(
        self, photo_id: int, findings: Collection[Mapping[str, Any]]
    ) -> None:
        row = await self._session.get(CheckPhotoModel, photo_id)
        if row is None:
            raise EntityNotFoundError("check photo", photo_id)
        row.findings = {"items": [dict(finding) for finding in findings]}
        await self._session.flush()

    async def save_result(
        self,
        check_id: int,
        *,
        status: CheckStatus,
        urgency: Urgency,
        result: Mapping[str, Any],
        rules_version: str,
        model_used: bool,
        model_version: str | None,
        completed_at: datetime | None,
        error: str | None = None,
    ) -> None:
        row = await self._get(check_id)
        row.status = status
        row.urgency = urgency
        row.result = dict(result)
        row.rules_version = rules_version
        row.model_used = model_used
        row.model_version = model_version
        row.completed_at = None if completed_at is None else as_utc(completed_at)
        row.error = error
        await self._session.flush()

    async def start_attempt(self, check_id: int) -> int:
        row = await self._get(check_id)
        row.attempts += 1
        row.status = CheckStatus.ANALYSING
        await self._session.flush()
        return row.attempts

    async def mark_notified(self, check_id: int, notified_at: datetime) -> None:
        row = await self._get(check_id)
        row.notified_at = as_utc(notified_at)
        await self._session.flush()

    async def claim_notification(self, check_id: int, notified_at: datetime) -> bool:
        # One conditional UPDATE: the database decides the race, not a read-then-write.
        result = await self._session.execute(
            sa.update(SymptomCheckModel)
            .where(SymptomCheckModel.id == check_id, SymptomCheckModel.notified_at.is_(None))
            .values(notified_at=as_utc(notified_at))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release_notification(self, check_id: int) -> None:
        await self._session.execute(
            sa.update(SymptomCheckModel)
            .where(SymptomCheckModel.id == check_id)
            .values(notified_at=None)
            .execution_options(synchronize_session=False)
        )

    async def list_undelivered(
        self, *, unchanged_since: datetime, submitted_after: datetime, limit: int
    ) -> list[int]:
        rows = await self._session.scalars(
            sa.select(SymptomCheckModel.id)
            .where(
                SymptomCheckModel.notified_at.is_(None),
                # Drafts were never queued; every other status owes the owner a result.
                SymptomCheckModel.status.in_(
                    [CheckStatus.QUEUED, CheckStatus.ANALYSING, CheckStatus.DONE]
                ),
                SymptomCheckModel.submitted_at > as_utc(submitted_after),
                SymptomCheckModel.updated_at < as_utc(unchanged_since),
            )
            .order_by(SymptomCheckModel.id)
            .limit(limit)
        )
        return list(rows)

    async def touch(self, check_ids: Collection[int], at: datetime) -> None:
        if not check_ids:
            return
        await self._session.execute(
            sa.update(SymptomCheckModel)
            .where(SymptomCheckModel.id.in_(list(check_ids)))
            .values(updated_at=as_utc(at))
            .execution_options(synchronize_session=False)
        )

    async def list_for_pet(self, pet_id: int, *, limit: int = 20) -> list[SymptomCheck]:
        rows = await self._session.scalars(
            sa.select(SymptomCheckModel)
            .where(SymptomCheckModel.pet_id == pet_id)
            .order_by(SymptomCheckModel.created_at.desc(), SymptomCheckModel.id.desc())
            .limit(limit)
        )
        return [_to_check(row) for row in rows]

    async def _get(self, check_id: int) -> SymptomCheckModel:
        row = await self._session.get(SymptomCheckModel, check_id)
        if row is None:
            raise EntityNotFoundError("symptom check", check_id)
        return row


def _to_check(row: SymptomCheckModel) -> SymptomCheck:
    return SymptomCheck(
        id=row.id,
        pet_id=row.pet_id,
        user_id=row.user_id,
        status=row.status,
        answers=dict(row.answers or {}),
        urgency=row.urgency,
        result=None if row.result is None else dict(row.result),
        rules_version=row.rules_version,
        model_used=row.model_used,
        model_version=row.model_version,
        error=row.error,
        attempts=row.attempts,
        created_at=row.created_at,
        submitted_at=row.submitted_at,
        completed_at=row.completed_at,
        notified_at=row.notified_at,
    )


def _to_photo(row: CheckPhotoModel) -> CheckPhoto:
    items = (row.findings or {}).get("items") if row.findings is not None else None
    return CheckPhoto(
        id=row.id,
        check_id=row.check_id,
        position=row.position,
        storage_key=row.storage_key,
        content_type=row.content_type,
        size_bytes=row.size_bytes,
        telegram_file_id=row.telegram_file_id,
        findings=None if items is None else tuple(dict(item) for item in items),
    )
