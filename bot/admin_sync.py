"""Start-up step of every process built by `bot.factory`: admin roles follow `ADMIN_IDS`."""

from __future__ import annotations

import logging

from dishka import AsyncContainer

from core.interactors.admin_roles import AdminRolesSynced, SyncAdminRoles

logger = logging.getLogger(__name__)


async def sync_admin_roles(container: AsyncContainer) -> AdminRolesSynced:
    # Not caught: a process that cannot tell who its admins are must not start serving with
    # the roles of an older configuration.
    async with container() as request:
        synced = await (await request.get(SyncAdminRoles))()
    if synced.granted or synced.revoked:
        logger.info(
            "admin roles synced with ADMIN_IDS: granted %s, revoked %s",
            sorted(synced.granted),
            sorted(synced.revoked),
        )
    return synced
