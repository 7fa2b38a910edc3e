"""Handlers of the verification dialog: call one interactor, answer the admin, navigate (the
vet hears of the verdict from the interactor, through core's VetNotices)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.vets import GetPendingVet, RejectVet, VerifyVet
from core.vets_errors import NotAnAdminError, PendingVetNotFoundError
from dialogs.states import VetAdminSG
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.stored_media import refuses_file_id

logger = logging.getLogger(__name__)

KEY_VET_ID = "vet_id"


def vet_id_of(manager: DialogManager) -> int | None:
    value = manager.dialog_data.get(KEY_VET_ID)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@inject
async def on_vet_selected(
    callback: CallbackQuery,
    widget: Select[str],
    manager: DialogManager,
    item_id: str,
    get_pending_vet: FromDishka[GetPendingVet],
) -> None:
    # The id comes from callback data: whoever crafted it, the interactor decides.
    try:
        await get_pending_vet(telegram_id_of(manager), int(item_id))
    except (ValueError, PendingVetNotFoundError):
        await notify(manager, "err-vet-pending-not-found")
        return
    except NotAnAdminError:
        await notify(manager, "err-vet-admin-only")
        await manager.done()
        return
    manager.dialog_data[KEY_VET_ID] = int(item_id)
    await manager.switch_to(VetAdminSG.CARD)


@inject
async def on_verify(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    verify_vet: FromDishka[VerifyVet],
) -> None:
    vet_id = vet_id_of(manager)
    try:
        if vet_id is None:
            raise PendingVetNotFoundError(-1)
        verified = await verify_vet(telegram_id_of(manager), vet_id)
    except PendingVetNotFoundError:
        await notify(manager, "err-vet-pending-not-found")
        await manager.switch_to(VetAdminSG.LIST)
        return
    except NotAnAdminError:
        await notify(manager, "err-vet-admin-only")
        await manager.done()
        return
    await say(manager, "msg-vet-verified-admin", name=verified.vet.display_name)
    manager.dialog_data.pop(KEY_VET_ID, None)
    await manager.switch_to(VetAdminSG.LIST)


@inject
async def on_reject(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    reject_vet: FromDishka[RejectVet],
) -> None:
    vet_id = vet_id_of(manager)
    try:
        if vet_id is None:
            raise PendingVetNotFoundError(-1)
        rejected = await reject_vet(telegram_id_of(manager), vet_id)
    except PendingVetNotFoundError:
        await notify(manager, "err-vet-pending-not-found")
        await manager.switch_to(VetAdminSG.LIST)
        return
    except NotAnAdminError:
        await notify(manager, "err-vet-admin-only")
        await manager.done()
        return
    await say(manager, "msg-vet-rejected-admin", name=rejected.display_name)
    manager.dialog_data.pop(KEY_VET_ID, None)
    await manager.switch_to(VetAdminSG.LIST)


@inject
async def on_show_photo(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    get_pending_vet: FromDishka[GetPendingVet],
) -> None:
    """The vet's photo as a message of its own; the card follows below it."""
    # Reloaded here: `manager.load_data()` gives the manager's data, not the card getter's.
    vet_id = vet_id_of(manager)
    try:
        if vet_id is None:
            raise PendingVetNotFoundError(-1)
        pending = await get_pending_vet(telegram_id_of(manager), vet_id)
    except PendingVetNotFoundError:
        await notify(manager, "err-vet-pending-not-found")
        await manager.switch_to(VetAdminSG.LIST)
        return
    except NotAnAdminError:
        await notify(manager, "err-vet-admin-only")
        await manager.done()
        return
    file_id = pending.vet.photo_file_id
    if file_id is None:
        return
    bot: Bot = manager.middleware_data["bot"]
    try:
        await bot.send_photo(callback.from_user.id, file_id)
    except TelegramBadRequest as error:
        if not refuses_file_id(error):
            raise
        # The vet's photo lives only as Telegram's file_id (no stored copy to upload instead).
        logger.warning("Telegram refused vet %s's photo file_id: %s", vet_id, error.message)
        await notify(manager, "err-vet-photo-unavailable")
        return
    manager.show_mode = ShowMode.SEND
