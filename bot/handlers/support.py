"""/paysupport and the admin's Reply button under a forwarded question.

Telegram requires bots that take payments to answer /paysupport: `/paysupport <question>`
sends at once; `/paysupport` alone shows the refund rules and asks for the question.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram import inject

from bot.support_notices import SupportReply
from core.config import Settings
from core.interactors.onboarding import GetUser
from core.interactors.support import AskSupport, CheckSupportStaff
from core.support_errors import EmptySupportTextError, SupportTextTooLongError
from dialogs.states import SupportSG
from dialogs.support.getters import KEY_TICKET


def build_support_router() -> Router:
    router = Router(name="support")

    @router.message(Command("paysupport"), F.chat.type == "private")
    @inject
    async def paysupport(
        message: Message,
        command: CommandObject,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        settings: FromDishka[Settings],
        get_user: FromDishka[GetUser],
        ask_support: FromDishka[AskSupport],
    ) -> None:
        user = await get_user(message.from_user.id)  # type: ignore[union-attr]
        if user is None or user.consented_at is None:
            # Nobody who has not consented has paid: the rules are the whole answer, and
            # nothing they write is stored before consent.
            await message.answer(
                i18n.get("msg-payment-support", cutoff_hours=settings.booking.refund_cutoff_hours)
            )
            return
        try:
            asked = await ask_support(user.telegram_id, command.args)
        except EmptySupportTextError:
            await dialog_manager.start(SupportSG.QUESTION, mode=StartMode.RESET_STACK)
            return
        except SupportTextTooLongError as error:
            await message.answer(i18n.get("err-support-too-long", limit=error.limit))
            await dialog_manager.start(SupportSG.QUESTION, mode=StartMode.RESET_STACK)
            return
        await message.answer(i18n.get("msg-support-received", ticket=asked.ticket_id))

    @router.callback_query(SupportReply.filter())
    @inject
    async def reply(
        callback: CallbackQuery,
        callback_data: SupportReply,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        is_staff: FromDishka[CheckSupportStaff],
    ) -> None:
        chat_id = callback.message.chat.id if callback.message else callback.from_user.id
        if not await is_staff(callback.from_user.id, chat_id):
            await callback.answer(i18n.get("err-support-staff-only"), show_alert=True)
            return
        await callback.answer()
        # On top of whatever the admin had open: answering returns them there.
        await dialog_manager.start(
            SupportSG.ANSWER, data={KEY_TICKET: callback_data.ticket_id}, mode=StartMode.NORMAL
        )

    return router
