"""The buttons under "How is Rex now?" (bot/follow_up_sender.py): Better, Same, Worse → re-check.

Each names a reminder id; the interactor checks it is the presser's, so a crafted id for
someone else's follow-up gets the same short hint as a missing one. The question is edited to
show the answer, without its buttons: Better with a thank-you, Same with what to watch and
when to act, Worse opening a new symptom check of the pet with the earlier answers ticked
(dialogs.navigation.start_recheck). A second press (or a press after the pet went) answers
with a short hint and tidies the buttons away.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram import inject

from bot.follow_up_sender import FollowUpButton
from core.errors import UserNotFoundError
from core.interactors.follow_ups import AnswerFollowUp, FollowUpAnsweredError
from core.interactors.reminders import ReminderClosedError, ReminderNotFoundError
from core.ports.follow_ups import FollowUpAnswer
from dialogs.navigation import start_recheck

logger = logging.getLogger(__name__)

# What the question becomes once answered.
ANSWERED_TEXTS: Final[dict[FollowUpAnswer, str]] = {
    FollowUpAnswer.BETTER: "msg-follow-up-better",
    FollowUpAnswer.SAME: "msg-follow-up-same",
    FollowUpAnswer.WORSE: "msg-follow-up-worse",
}


async def _drop_buttons(callback: CallbackQuery) -> None:
    if not isinstance(callback.message, Message):
        return  # too old for Telegram to show: nothing to tidy
    try:
        await callback.message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        logger.debug("follow-up buttons already gone", exc_info=True)


async def _show_answer(callback: CallbackQuery, text: str) -> None:
    if not isinstance(callback.message, Message):
        return
    try:
        await callback.message.edit_text(text, reply_markup=None)
    except TelegramBadRequest:
        # Edited already (a quick second press got here first): the answer stands.
        logger.debug("follow-up already shows its answer", exc_info=True)


def build_follow_ups_router() -> Router:
    router = Router(name="follow_ups")

    @router.callback_query(FollowUpButton.filter())
    @inject
    async def pressed(
        callback: CallbackQuery,
        callback_data: FollowUpButton,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        answer_follow_up: FromDishka[AnswerFollowUp],
    ) -> None:
        try:
            answered = await answer_follow_up(
                callback.from_user.id, callback_data.reminder_id, callback_data.answer
            )
        except (ReminderNotFoundError, UserNotFoundError):
            await callback.answer(i18n.get("err-follow-up-not-found"), show_alert=True)
            return
        except FollowUpAnsweredError:
            await callback.answer(i18n.get("err-follow-up-answered"), show_alert=True)
            await _drop_buttons(callback)
            return
        except ReminderClosedError:
            await callback.answer(i18n.get("err-follow-up-pet-gone"), show_alert=True)
            await _drop_buttons(callback)
            return
        await callback.answer()
        await _show_answer(
            callback, i18n.get(ANSWERED_TEXTS[answered.answer], name=answered.pet_name)
        )
        if answered.answer is FollowUpAnswer.WORSE:
            await start_recheck(
                dialog_manager,
                answered.pet_id,
                signs=answered.signs,
                details=answered.details,
                reason=answered.reason,
            )

    return router
