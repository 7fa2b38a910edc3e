from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import VetInvite
from db.base import as_utc
from db.models import VetInviteModel


class SqlVetInviteRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        *,
        created_by_user_id: int,
        token_hash: str,
        expires_at: datetime,
        created_at: datetime,
    ) -> VetInvite:
        row = VetInviteModel(
            created_by_user_id=created_by_user_id,
            token_hash=token_hash,
            expires_at=as_utc(expires_at),
            created_at=as_utc(created_at),
        )
        self._session.add(row)
        await self._session.flush()
        return _to_invite(row)

    async def get_by_token_hash(self, token_hash: str) -> VetInvite | None:
        row = await self._session.scalar(
            sa.select(VetInviteModel).where(VetInviteModel.token_hash == token_hash)
        )
        return None if row is None else _to_invite(row)

    async def claim(self, invite_id: int, *, user_id: int, used_at: datetime) -> bool:
        # One statement: the database decides which of two racing claims wins.
        used_at = as_utc(used_at)
        result = await self._session.execute(
            sa.update(VetInviteModel)
            .where(
                VetInviteModel.id == invite_id,
                VetInviteModel.used_at.is_(None),
                VetInviteModel.expires_at > used_at,
            )
            .values(used_at=used_at, used_by_user_id=user_id)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _to_invite(row: VetInviteModel) -> VetInvite:
    return VetInvite(
        id=row.id,
        created_by_user_id=row.created_by_user_id,
        expires_at=row.expires_at,
        used_at=row.used_at,
        used_by_user_id=row.used_by_user_id,
        created_at=row.created_at,
    )
