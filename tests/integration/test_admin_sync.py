"""Issue #10: the admin role follows ADMIN_IDS at every start-up, revoking as well as granting.

Start-up here is the dispatcher's (`dp.emit_startup`), which sandbox, run and webapp all go
through; `open_chat` emits it as they do.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.enums import Role
from core.interactors.admin_roles import SyncAdminRoles
from core.interactors.onboarding import GetUser
from core.ports.repositories import UserRepository
from core.ports.uow import UnitOfWork
from db.repositories.users import SqlUserRepository
from db.uow import SqlUnitOfWork
from tests.support.chatting import USER_ID, open_chat

OTHER_ID = 5_000_000_777


async def _roles(settings: Settings, telegram_id: int) -> frozenset[Role]:
    async with open_chat(settings) as chat, chat.container() as request:
        user = await (await request.get(GetUser))(telegram_id)
        assert user is not None
        roles: frozenset[Role] = user.roles
        return roles


async def test_an_id_removed_from_admin_ids_loses_admin_but_keeps_vet(settings: Settings) -> None:
    as_admin = settings.model_copy(update={"admin_ids": frozenset({USER_ID})})
    async with open_chat(as_admin) as chat:
        await chat.send("/start")
        async with chat.container() as request:
            users = await request.get(UserRepository)
            user = await users.get_by_telegram_id(USER_ID)
            assert user is not None and Role.ADMIN in user.roles
            await users.add_role(user.id, Role.VET)
            await (await request.get(UnitOfWork)).commit()

    # The next start with USER_ID gone from ADMIN_IDS, before that person writes anything.
    assert await _roles(settings, USER_ID) == {Role.OWNER, Role.VET}


async def test_an_id_added_to_admin_ids_is_admin_from_the_start(settings: Settings) -> None:
    async with open_chat(settings) as chat:
        await chat.send("/start")
    assert await _roles(settings, USER_ID) == {Role.OWNER}

    as_admin = settings.model_copy(update={"admin_ids": frozenset({USER_ID})})
    assert await _roles(as_admin, USER_ID) == {Role.OWNER, Role.ADMIN}


async def test_sync_touches_only_the_admin_role(db_session: AsyncSession) -> None:
    """Both backends: the repository queries behind the sync."""
    users = SqlUserRepository(db_session)
    kept = await users.add(
        telegram_id=OTHER_ID,
        first_name="",
        username=None,
        language=None,
        roles=frozenset({Role.OWNER, Role.ADMIN}),
    )
    dropped = await users.add(
        telegram_id=OTHER_ID + 1,
        first_name="",
        username=None,
        language=None,
        roles=frozenset({Role.OWNER, Role.VET, Role.ADMIN}),
    )
    promoted = await users.add(
        telegram_id=OTHER_ID + 2,
        first_name="",
        username=None,
        language=None,
    )
    sync = SyncAdminRoles(
        SqlUnitOfWork(db_session), users, frozenset({OTHER_ID, OTHER_ID + 2, OTHER_ID + 3})
    )

    synced = await sync()

    assert synced.revoked == {OTHER_ID + 1}
    assert synced.granted == {OTHER_ID + 2}  # OTHER_ID + 3 has never written: nothing to grant
    roles = {user.id: user.roles for user in [kept, dropped, promoted]}
    for user_id in roles:
        found = await users.get(user_id)
        assert found is not None
        roles[user_id] = found.roles
    assert roles == {
        kept.id: {Role.OWNER, Role.ADMIN},
        dropped.id: {Role.OWNER, Role.VET},
        promoted.id: {Role.OWNER, Role.ADMIN},
    }
    # A second start changes nothing.
    assert await sync() == type(synced)(frozenset(), frozenset())
