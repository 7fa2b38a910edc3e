"""Vet and admin commands: /vet_invite, /vets_pending, /vet_profile, /schedule, /today, /queue,
and the body of `/start vet_<token>`. `bot.handlers.commands` includes this router."""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram import inject

from bot.menu_commands import set_vet_menu_commands
from core.booking_errors import NotAVetError
from core.errors import UserNotFoundError
from core.interactors.booking import GetMySchedule
from core.interactors.vets import (
    AcceptVetInvite,
    CreateVetInvite,
    GetMyVetProfile,
    GetVetDay,
    GetVetQueue,
    ListPendingVets,
    vet_invite_token_from_payload,
)
from core.miniapp_links import MiniAppLinks
from core.sharing_errors import TooManyInviteAttemptsError
from core.vets_errors import (
    AlreadyAVetError,
    NotAnAdminError,
    VetInviteError,
    VetInviteExpiredError,
    VetInviteNotFoundError,
    VetInviteUsedError,
)
from dialogs.states import VetAdminSG, VetProfileSG, VetScheduleSG
from dialogs.vet_schedule.agenda import AgendaKind, AgendaPage, agenda_view

logger = logging.getLogger(__name__)

VET_INVITE_ERRORS: Final[dict[type[VetInviteError], str]] = {
    VetInviteNotFoundError: "err-vet-invite-not-found",
    VetInviteExpiredError: "err-vet-invite-expired",
    VetInviteUsedError: "err-vet-invite-used",
    AlreadyAVetError: "err-vet-invite-already-vet",
}


async def accept_vet_invite_from_start(
    message: Message, payload: str | None, i18n: I18nContext, accept_vet_invite: AcceptVetInvite
) -> bool | None:
    """Take up the vet invite in a `/start` payload, telling the user how it went.

    None: the payload is no vet invite; True: accepted; False: refused (and said why).
    """
    token = vet_invite_token_from_payload(payload)
    if token is None or message.from_user is None:
        return None
    try:
        accepted = await accept_vet_invite(message.from_user.id, token)
    except VetInviteError as error:
        # Logged without the token: it is a credential until it expires.
        logger.info("vet invite refused: %s", error)
        await message.answer(i18n.get(VET_INVITE_ERRORS.get(type(error), "err-vet-invite-used")))
        return False
    except TooManyInviteAttemptsError as error:
        logger.info("vet invite not checked: %s", error)
        await message.answer(i18n.get("err-invite-too-many-attempts", minutes=error.minutes))
        return False
    logger.info("vet %s joined by invite", accepted.vet.id)
    await message.answer(i18n.get("msg-vet-invite-accepted"))
    if message.bot is not None:
        await _set_menu(message.bot, i18n, message.chat.id)
    return True


async def refresh_vet_menu(
    message: Message, i18n: I18nContext, get_my_vet_profile: GetMyVetProfile
) -> None:
    """On `/start`: a vet's chat gets the vet menu again (vets made before the menu existed,
    a menu lost to a failed call, a language the vet has since chosen)."""
    if message.from_user is None or message.bot is None:
        return
    try:
        await get_my_vet_profile(message.from_user.id)
    except (NotAVetError, UserNotFoundError):
        return
    await _set_menu(message.bot, i18n, message.chat.id)


async def _set_menu(bot: Bot, i18n: I18nContext, chat_id: int) -> None:
    try:
        await set_vet_menu_commands(bot, i18n.get, chat_id, i18n.locale)
    except Exception:  # the menu is a convenience: never fail the acceptance over it
        logger.warning("could not set the vet menu of chat %s", chat_id, exc_info=True)


def build_vets_router() -> Router:
    router = Router(name="vets")
    router.message.filter(F.chat.type == "private")

    @router.message(Command("vet_invite"))
    @inject
    async def vet_invite(
        message: Message,
        bot: Bot,
        i18n: I18nContext,
        create_vet_invite: FromDishka[CreateVetInvite],
    ) -> None:
        try:
            issued = await create_vet_invite(message.from_user.id)  # type: ignore[union-attr]
        except NotAnAdminError:
            await message.answer(i18n.get("err-vet-admin-only"))
            return
        me = await bot.me()
        link = f"https://t.me/{me.username}?start={issued.start_payload}"
        await message.answer(i18n.get("msg-vet-invite-link", hours=issued.valid_hours, link=link))

    @router.message(Command("vets_pending"))
    @inject
    async def vets_pending(
        message: Message,
        i18n: I18nContext,
        dialog_manager: DialogManager,
        list_pending_vets: FromDishka[ListPendingVets],
    ) -> None:
        try:
            await list_pending_vets(message.from_user.id)  # type: ignore[union-attr]
        except NotAnAdminError:
            await message.answer(i18n.get("err-vet-admin-only"))
            return
        await dialog_manager.start(VetAdminSG.LIST, mode=StartMode.RESET_STACK)

    @router.message(Command("vet_profile"))
    @inject
    async def vet_profile(
        message: Message,
        i18n: I18nContext,
        dialog_manager: DialogManager,
        get_my_vet_profile: FromDishka[GetMyVetProfile],
    ) -> None:
        try:
            await get_my_vet_profile(message.from_user.id)  # type: ignore[union-attr]
        except NotAVetError:
            await message.answer(i18n.get("err-vet-only"))
            return
        await dialog_manager.start(VetProfileSG.NAME, mode=StartMode.RESET_STACK)

    @router.message(Command("schedule"))
    @inject
    async def schedule(
        message: Message,
        i18n: I18nContext,
        dialog_manager: DialogManager,
        get_my_schedule: FromDishka[GetMySchedule],
    ) -> None:
        try:
            await get_my_schedule(message.from_user.id)  # type: ignore[union-attr]
        except NotAVetError:
            await message.answer(i18n.get("err-vet-only"))
            return
        await dialog_manager.start(VetScheduleSG.MAIN, mode=StartMode.RESET_STACK)

    @router.message(Command("today"))
    @inject
    async def today(
        message: Message,
        i18n: I18nContext,
        get_vet_day: FromDishka[GetVetDay],
        links: FromDishka[MiniAppLinks],
    ) -> None:
        try:
            agenda = await get_vet_day(message.from_user.id)  # type: ignore[union-attr]
        except NotAVetError:
            await message.answer(i18n.get("err-vet-only"))
            return
        view = agenda_view(i18n, agenda, links, kind="today")
        await message.answer(view.text, reply_markup=view.markup)

    @router.message(Command("queue"))
    @inject
    async def queue(
        message: Message,
        i18n: I18nContext,
        get_vet_queue: FromDishka[GetVetQueue],
        links: FromDishka[MiniAppLinks],
    ) -> None:
        try:
            agenda = await get_vet_queue(message.from_user.id)  # type: ignore[union-attr]
        except NotAVetError:
            await message.answer(i18n.get("err-vet-only"))
            return
        view = agenda_view(i18n, agenda, links, kind="queue")
        await message.answer(view.text, reply_markup=view.markup)

    @router.callback_query(AgendaPage.filter())
    @inject
    async def agenda_page(
        callback: CallbackQuery,
        callback_data: AgendaPage,
        i18n: I18nContext,
        get_vet_day: FromDishka[GetVetDay],
        get_vet_queue: FromDishka[GetVetQueue],
        links: FromDishka[MiniAppLinks],
    ) -> None:
        # The list is read again: a page button of an older message shows the agenda as it
        # is now (the page clamped), never a stale one.
        kind: AgendaKind = "today" if callback_data.kind == "today" else "queue"
        load = get_vet_day if kind == "today" else get_vet_queue
        try:
            agenda = await load(callback.from_user.id)
        except NotAVetError:
            await callback.answer(i18n.get("err-vet-only"), show_alert=True)
            return
        view = agenda_view(i18n, agenda, links, kind=kind, page=callback_data.page)
        if isinstance(callback.message, Message):
            try:
                await callback.message.edit_text(view.text, reply_markup=view.markup)
            except TelegramBadRequest as error:
                # Two quick taps on the same page: Telegram refuses an edit that changes nothing.
                if "message is not modified" not in str(error):
                    raise
        await callback.answer()

    return router
