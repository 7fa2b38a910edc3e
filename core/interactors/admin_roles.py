"""The admin role follows the configuration (`ADMIN_IDS`), in both directions.

`RegisterUser` grants the role to a configured id when its user writes; this sync, run at
every start-up of a process that serves people (bot and webapp share one start-up), also takes
it away from users whose id is no longer configured. Only the admin role is touched: a former
admin who is a vet stays a vet.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.enums import Role
from core.ports.repositories import UserRepository
from core.ports.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AdminRolesSynced:
    granted: frozenset[int]  # Telegram ids
    revoked: frozenset[int]


class SyncAdminRoles:
    """Make the stored admin roles equal to the configured admin ids (among known users).

    Configured ids nobody has written from yet get the role on first contact instead.
    """

    def __init__(self, uow: UnitOfWork, users: UserRepository, admin_ids: frozenset[int]) -> None:
        self._uow = uow
        self._users = users
        self._admin_ids = admin_ids

    async def __call__(self) -> AdminRolesSynced:
        holders = {user.telegram_id: user for user in await self._users.list_with_role(Role.ADMIN)}
        revoked = frozenset(holders) - self._admin_ids
        for telegram_id in sorted(revoked):
            await self._users.remove_role(holders[telegram_id].id, Role.ADMIN)
        granted: set[int] = set()
        for telegram_id in sorted(self._admin_ids - frozenset(holders)):
            user = await self._users.get_by_telegram_id(telegram_id)
            if user is not None:
                await self._users.add_role(user.id, Role.ADMIN)
                granted.add(telegram_id)
        if revoked or granted:
            await self._uow.commit()
        return AdminRolesSynced(frozenset(granted), revoked)
