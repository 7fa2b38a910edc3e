from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import User
from core.enums import Role
from core.ports.repositories import DuplicateEntityError, EntityNotFoundError
from db.base import as_utc
from db.models import UserModel, UserRoleModel


class SqlUserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        row = await self._session.scalar(
            sa.select(UserModel).where(UserModel.telegram_id == telegram_id)
        )
        return None if row is None else _to_user(row)

    async def get(self, user_id: int) -> User | None:
        row = await self._session.get(UserModel, user_id)
        return None if row is None else _to_user(row)

    async def add(
        self,
        *,
        telegram_id: int,
        first_name: str,
        username: str | None,
        language: str | None,
        roles: frozenset[Role] = frozenset({Role.OWNER}),
    ) -> User:
        row = UserModel(
            telegram_id=telegram_id,
            first_name=first_name,
            username=username,
            language=language,
            role_rows=[UserRoleModel(role=role) for role in sorted(roles)],
        )
        try:
            # A savepoint, so the race of two first updates from one user costs only this
            # insert and the caller can re-read the winner's row in the same transaction.
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError as error:
            raise DuplicateEntityError("user", telegram_id) from error
        return _to_user(row)

    async def update_profile(self, user_id: int, *, first_name: str, username: str | None) -> None:
        row = await self._get(user_id)
        row.first_name = first_name
        row.username = username
        await self._session.flush()

    async def set_language(self, user_id: int, language: str) -> None:
        row = await self._get(user_id)
        row.language = language
        await self._session.flush()

    async def set_consent(self, user_id: int, consented_at: datetime) -> None:
        row = await self._get(user_id)
        row.consented_at = as_utc(consented_at)
        await self._session.flush()

    async def add_role(self, user_id: int, role: Role) -> None:
        row = await self._get(user_id)
        if all(existing.role != role for existing in row.role_rows):
            row.role_rows.append(UserRoleModel(role=role))
            await self._session.flush()

    async def remove_role(self, user_id: int, role: Role) -> None:
        row = await self._get(user_id)
        # delete-orphan: dropping the row from the collection deletes it at the flush.
        row.role_rows = [existing for existing in row.role_rows if existing.role != role]
        await self._session.flush()

    async def list_with_role(self, role: Role) -> list[User]:
        rows = await self._session.scalars(
            sa.select(UserModel)
            .join(UserRoleModel, UserRoleModel.user_id == UserModel.id)
            .where(UserRoleModel.role == role)
            .order_by(UserModel.id)
        )
        return [_to_user(row) for row in rows]

    async def mark_bot_blocked(self, telegram_id: int, blocked_at: datetime) -> bool:
        # One conditional UPDATE: two failed sends racing to mark the same user both succeed,
        # and the first instant stays.
        result = await self._session.execute(
            sa.update(UserModel)
            .where(UserModel.telegram_id == telegram_id, UserModel.blocked_bot_at.is_(None))
            .values(blocked_bot_at=as_utc(blocked_at))
            # A row already loaded in this session (RegisterUser's) must see the new value.
            .execution_options(synchronize_session="fetch")
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def clear_bot_blocked(self, user_id: int) -> None:
        row = await self._get(user_id)
        row.blocked_bot_at = None
        await self._session.flush()

    async def is_bot_blocked(self, telegram_id: int) -> bool:
        # The column alone: asked before every notice to another person, roles not needed.
        blocked_at = await self._session.scalar(
            sa.select(UserModel.blocked_bot_at).where(UserModel.telegram_id == telegram_id)
        )
        return blocked_at is not None

    async def _get(self, user_id: int) -> UserModel:
        row = await self._session.get(UserModel, user_id)
        if row is None:
            raise EntityNotFoundError("user", user_id)
        return row


def _to_user(row: UserModel) -> User:
    return User(
        id=row.id,
        telegram_id=row.telegram_id,
        first_name=row.first_name,
        username=row.username,
        language=row.language,
        time_zone=row.time_zone,
        roles=frozenset(role_row.role for role_row in row.role_rows),
        consented_at=row.consented_at,
        created_at=row.created_at,
        blocked_bot_at=row.blocked_bot_at,
    )
