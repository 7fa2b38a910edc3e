from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time
from typing import Final

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from core.entities import User
from core.enums import ReminderKind, Role
from core.ports.repositories import DuplicateEntityError, EntityNotFoundError
from core.quiet_hours import from_minutes, to_minutes
from db.base import as_utc
from db.models import UserModel, UserRoleModel

# Opens every update, so built once: a statement object keeps its cache key (SQLAlchemy
# memoizes it), and building and keying a new one cost more than running it on SQLite. The
# roles are joined in: the model's own `selectin` would send a second statement.
_BY_TELEGRAM_ID: Final = (
    sa.select(UserModel)
    .options(joinedload(UserModel.role_rows))
    .where(UserModel.telegram_id == sa.bindparam("telegram_id"))
)


class SqlUserRepository:
    """Users over the request's session, each loaded (roles included) once per request.

    One update asks for its sender several times (the registering middleware, the locale,
    filters, getters, interactors), and a `select` by Telegram id always goes to the database,
    roles too. So the rows this repository loaded are remembered by Telegram id and answered
    from the session as long as the session still holds them, loaded and current: writes
    through this repository change that very row, so a read after a write sees it, and a
    rollback (which expires rows) or `expunge_all` (account deletion) makes the next read query
    again. `get` by id needs no map of its own: `Session.get` answers from the session first,
    and the session holds rows only weakly, so the map's references are what keep them there.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._loaded: dict[int, UserModel] = {}

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        row = self._loaded_row(telegram_id)
        if row is None:
            result = await self._session.execute(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
            row = result.unique().scalar_one_or_none()
            if row is None:
                return None
            self._remember(row)
        return _to_user(row)

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
        self._remember(row)
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
        row = self._loaded_row(telegram_id)
        if row is not None:
            return row.blocked_bot_at is not None
        # The column alone: asked before every notice to another person, roles not needed.
        blocked_at = await self._session.scalar(
            sa.select(UserModel.blocked_bot_at).where(UserModel.telegram_id == telegram_id)
        )
        return blocked_at is not None

    # --- reminder settings (core.ports.repositories.UserSettingsRepository) ----------------

    async def set_time_zone(self, user_id: int, time_zone: str, chosen_at: datetime) -> None:
        row = await self._get(user_id)
        row.time_zone = time_zone
        row.time_zone_chosen_at = as_utc(chosen_at)
        await self._session.flush()

    async def set_likely_time_zone(self, user_id: int, time_zone: str) -> None:
        row = await self._get(user_id)
        row.time_zone = time_zone
        await self._session.flush()

    async def set_reminder_kinds_off(
        self, user_id: int, kinds_off: Collection[ReminderKind]
    ) -> None:
        row = await self._get(user_id)
        # Sorted: one set, one stored spelling. A new list, so the JSON column sees a change.
        row.reminder_kinds_off = sorted({str(kind) for kind in kinds_off})
        await self._session.flush()

    async def set_quiet_hours(self, user_id: int, start: time, end: time) -> None:
        row = await self._get(user_id)
        row.quiet_hours_start = to_minutes(start)
        row.quiet_hours_end = to_minutes(end)
        await self._session.flush()

    def _remember(self, row: UserModel) -> None:
        self._loaded[row.telegram_id] = row

    def _loaded_row(self, telegram_id: int) -> UserModel | None:
        """The row loaded earlier in this request, if the session still vouches for it."""
        row = self._loaded.get(telegram_id)
        if row is None:
            return None
        state = sa.inspect(row)
        # persistent: still in this session and not deleted; nothing unloaded: not expired by
        # a rollback or `expire`, so every column and the roles are what the database holds.
        if state.persistent and not state.unloaded and row.telegram_id == telegram_id:
            return row
        del self._loaded[telegram_id]
        return None

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
        time_zone_chosen_at=row.time_zone_chosen_at,
        reminder_kinds_off=_kinds(row.reminder_kinds_off),
        quiet_hours_start=from_minutes(row.quiet_hours_start),
        quiet_hours_end=from_minutes(row.quiet_hours_end),
    )


def _kinds(stored: list[str] | None) -> frozenset[ReminderKind]:
    # A value a later release no longer knows is dropped rather than failing every update.
    known = {kind.value for kind in ReminderKind}
    return frozenset(ReminderKind(value) for value in stored or () if value in known)
