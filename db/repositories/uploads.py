from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.ports.uploads import Upload
from db.base import as_utc
from db.models.uploads import UploadModel


class SqlUploadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        user_id: int,
        pet_id: int | None,
        storage_key: str,
        size_bytes: int,
        created_at: datetime,
    ) -> Upload:
        row = UploadModel(
            user_id=user_id,
            pet_id=pet_id,
            storage_key=storage_key,
            size_bytes=size_bytes,
            created_at=as_utc(created_at),
        )
        self._session.add(row)
        await self._session.flush()
        return _to_upload(row)

    async def get_by_key(self, storage_key: str) -> Upload | None:
        row = await self._session.scalar(
            sa.select(UploadModel).where(UploadModel.storage_key == storage_key)
        )
        return None if row is None else _to_upload(row)

    async def claim(self, storage_key: str, *, user_id: int, claimed_at: datetime) -> bool:
        # Conditional on still pending: the expiry job and the save cannot both win.
        result = await self._session.execute(
            sa.update(UploadModel)
            .where(
                UploadModel.storage_key == storage_key,
                UploadModel.user_id == user_id,
                UploadModel.claimed_at.is_(None),
            )
            .values(claimed_at=as_utc(claimed_at))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def delete_by_key(self, storage_key: str) -> None:
        await self._session.execute(
            sa.delete(UploadModel)
            .where(UploadModel.storage_key == storage_key)
            .execution_options(synchronize_session=False)
        )

    async def delete_pending(self, upload_ids: list[int]) -> list[str]:
        if not upload_ids:
            return []
        # One statement with RETURNING: a row claimed meanwhile is neither deleted nor returned.
        keys = await self._session.scalars(
            sa.delete(UploadModel)
            .where(UploadModel.id.in_(upload_ids), UploadModel.claimed_at.is_(None))
            .returning(UploadModel.storage_key)
            .execution_options(synchronize_session=False)
        )
        return list(keys)

    async def bytes_of_user(self, user_id: int) -> int:
        total = await self._session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(UploadModel.size_bytes), 0)).where(
                UploadModel.user_id == user_id
            )
        )
        return int(total or 0)

    async def pending_older_than(self, moment: datetime, *, limit: int) -> list[Upload]:
        rows = await self._session.scalars(
            sa.select(UploadModel)
            .where(UploadModel.claimed_at.is_(None), UploadModel.created_at < as_utc(moment))
            .order_by(UploadModel.created_at, UploadModel.id)
            .limit(limit)
        )
        return [_to_upload(row) for row in rows]

    async def pending_keys_of_user(self, user_id: int) -> list[str]:
        keys = await self._session.scalars(
            sa.select(UploadModel.storage_key).where(
                UploadModel.user_id == user_id, UploadModel.claimed_at.is_(None)
            )
        )
        return list(keys)

    async def pending_keys_of_pet(self, pet_id: int) -> list[str]:
        keys = await self._session.scalars(
            sa.select(UploadModel.storage_key).where(
                UploadModel.pet_id == pet_id, UploadModel.claimed_at.is_(None)
            )
        )
        return list(keys)


def _to_upload(row: UploadModel) -> Upload:
    return Upload(
        id=row.id,
        user_id=row.user_id,
        pet_id=row.pet_id,
        storage_key=row.storage_key,
        size_bytes=row.size_bytes,
        created_at=as_utc(row.created_at),
        claimed_at=None if row.claimed_at is None else as_utc(row.claimed_at),
    )
