"""Slash commands: the public contract of DESIGN.md. Each opens a dialog or answers at once."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.state import State
from aiogram.types import Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from dishka import AsyncContainer, FromDishka
from dishka.integrations.aiogram import inject

from bot.handlers.account import open_invite_from_start, send_export
from bot.handlers.support import build_support_router
from bot.handlers.vets import accept_vet_invite_from_start, build_vets_router, refresh_vet_menu
from core.booking_errors import NotAVetError
from core.errors import UserNotFoundError
from core.interactors.consultation_access import ConsultationWindows
from core.interactors.export import ExportMyData
from core.interactors.onboarding import GetUser
from core.interactors.sharing import AcceptInvite
from core.interactors.vets import AcceptVetInvite, GetMyVetProfile
from dialogs.navigation import start_home
from dialogs.pets import start_my_pets
from dialogs.records import start_records
from dialogs.states import (
    AccountSG,
    AppointmentsSG,
    BookingSG,
    CheckSG,
    LanguageSG,
    SettingsSG,
    VetProfileSG,
)

# Commands that open a feature's first window, for consented users only.
CONSENTED_COMMANDS: dict[str, State] = {
    "check": CheckSG.PET,
    "book": BookingSG.PET,
    "appointments": AppointmentsSG.LIST,
    "reminders": SettingsSG.MAIN,
}


def _minutes(span: timedelta) -> int:
    return int(span.total_seconds() // 60)


def build_commands_router() -> Router:
    router = Router(name="commands")
    # Commands are for the private chat with the bot; groups are not part of the product.
    router.message.filter(F.chat.type == "private")
    router.include_router(build_vets_router())  # /vet_invite, /schedule, /today, /queue...
    router.include_router(build_support_router())  # /paysupport and the admins' Reply button

    @router.message(CommandStart())
    @inject
    async def start(
        message: Message,
        command: CommandObject,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        get_user: FromDishka[GetUser],
        accept_vet_invite: FromDishka[AcceptVetInvite],
        get_my_vet_profile: FromDishka[GetMyVetProfile],
        dishka_container: AsyncContainer,
    ) -> None:
        # `/start vet_<token>`: an admin's invite to become a vet (see core.interactors.vets).
        vet_joined = await accept_vet_invite_from_start(
            message, command.args, i18n, accept_vet_invite
        )
        user = await get_user(message.from_user.id)  # type: ignore[union-attr]
        if not vet_joined:
            await refresh_vet_menu(message, i18n, get_my_vet_profile)
        if vet_joined and user is not None and user.consented_at is not None:
            await dialog_manager.start(VetProfileSG.NAME, mode=StartMode.RESET_STACK)
            return
        # `/start inv_<token>`: a pet shared through an invite link (see core.interactors.sharing):
        # its card at once, or after language and consent for a newcomer.
        # AcceptInvite is built only for an invite: it tells the owner through the bot, which
        # every other /start would resolve for nothing.
        accept_invite = partial(dishka_container.get, AcceptInvite)
        if await open_invite_from_start(dialog_manager, command.args, user, accept_invite):
            return
        await start_home(dialog_manager, user)

    @router.message(Command("export"))
    @inject
    async def export(
        message: Message, i18n: I18nContext, export_my_data: FromDishka[ExportMyData]
    ) -> None:
        await send_export(message, i18n, export_my_data)

    @router.message(Command("delete_me"))
    async def delete_me(message: Message, dialog_manager: DialogManager) -> None:
        await dialog_manager.start(AccountSG.DELETE_WARNING, mode=StartMode.RESET_STACK)

    @router.message(Command("help"))
    @inject
    async def help_(
        message: Message,
        i18n: I18nContext,
        get_my_vet_profile: FromDishka[GetMyVetProfile],
        windows: FromDishka[ConsultationWindows],
    ) -> None:
        try:
            await get_my_vet_profile(message.from_user.id)  # type: ignore[union-attr]
        except (NotAVetError, UserNotFoundError):
            await message.answer(i18n.get("msg-help"))
            return
        # Everyone's help, then the vet's own work (msg-help-vet includes msg-help).
        await message.answer(
            i18n.get(
                "msg-help-vet",
                brief_minutes=_minutes(windows.brief_opens_before),
                call_minutes=_minutes(windows.call_opens_before),
            )
        )

    @router.message(Command("cancel"))
    @inject
    async def cancel(
        message: Message,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        get_user: FromDishka[GetUser],
    ) -> None:
        if not dialog_manager.has_context():
            await message.answer(i18n.get("msg-nothing-to-cancel"))
            return
        await dialog_manager.reset_stack()
        await message.answer(i18n.get("msg-cancelled"))
        await start_home(dialog_manager, await get_user(message.from_user.id))  # type: ignore[union-attr]

    @router.message(Command("language"))
    @inject
    async def language(
        message: Message, dialog_manager: DialogManager, get_user: FromDishka[GetUser]
    ) -> None:
        user = await get_user(message.from_user.id)  # type: ignore[union-attr]
        if user is None or user.consented_at is None:
            # Onboarding opens with the language choice anyway.
            await start_home(dialog_manager, user)
            return
        await start_home(dialog_manager, user)
        # On top of the main menu, so "back" and the choice itself return there.
        await dialog_manager.start(LanguageSG.SELECT, mode=StartMode.NORMAL)

    @router.message(Command("pets"))
    @inject
    async def pets(
        message: Message, dialog_manager: DialogManager, get_user: FromDishka[GetUser]
    ) -> None:
        user = await get_user(message.from_user.id)  # type: ignore[union-attr]
        await start_my_pets(dialog_manager, user)

    @router.message(Command("records"))
    @inject
    async def records(
        message: Message, dialog_manager: DialogManager, get_user: FromDishka[GetUser]
    ) -> None:
        user = await get_user(message.from_user.id)  # type: ignore[union-attr]
        await start_records(dialog_manager, user)

    @router.message(Command(*CONSENTED_COMMANDS))
    @inject
    async def consented_feature(
        message: Message,
        command: CommandObject,
        dialog_manager: DialogManager,
        get_user: FromDishka[GetUser],
    ) -> None:
        """A feature that needs the user's consent first: without it, onboarding opens."""
        user = await get_user(message.from_user.id)  # type: ignore[union-attr]
        if user is None or user.consented_at is None:
            await start_home(dialog_manager, user)
            return
        await dialog_manager.start(CONSENTED_COMMANDS[command.command], mode=StartMode.RESET_STACK)

    return router
