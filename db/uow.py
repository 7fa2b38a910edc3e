from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class SqlUnitOfWork:
    """`core.ports.uow.UnitOfWork` over the request's session (shared with its repositories)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def commit(self) -> None:
        await self._session.commit()

    async def rollback(self) -> None:
        await self._session.rollback()
