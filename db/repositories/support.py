from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.ports.repositories import EntityNotFoundError
from core.ports.support import SupportTicket
from db.base import as_utc
from db.models import SupportTicketModel


class SqlSupportTicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, *, user_id: int, question: str, created_at: datetime) -> SupportTicket:
        row = SupportTicketModel(user_id=user_id, question=question, created_at=as_utc(created_at))
        self._session.add(row)
        await self._session.flush()
        return _to_ticket(row)

    async def get(self, ticket_id: int) -> SupportTicket | None:
        row = await self._session.get(SupportTicketModel, ticket_id)
        return None if row is None else _to_ticket(row)

    async def mark_answered(
        self, ticket_id: int, *, by_user_id: int | None, answered_at: datetime
    ) -> None:
        result = await self._session.execute(
            sa.update(SupportTicketModel)
            .where(SupportTicketModel.id == ticket_id)
            .values(answered_at=as_utc(answered_at), answered_by_user_id=by_user_id)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise EntityNotFoundError("support ticket", ticket_id)


def _to_ticket(row: SupportTicketModel) -> SupportTicket:
    return SupportTicket(
        id=row.id,
        user_id=row.user_id,
        question=row.question,
        created_at=row.created_at,
        answered_at=row.answered_at,
        answered_by_user_id=row.answered_by_user_id,
    )
