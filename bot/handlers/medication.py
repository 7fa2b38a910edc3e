""" "Given ✓" under a dose reminder (bot/medication_sender.py).

The interactor closes the dose for everyone and edits the co-owners' copies; this handler
edits the presser's own message to "✓ Given at 09:05". A dose someone else marked already
answers by whom and when; a reminder of a deleted entry, or someone else's (a crafted id),
answers that there is no such reminder.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import FromDishka
from dishka.integrations.aiogram import inject

from bot.medication_sender import DoseButton, given_text
from core.errors import UserNotFoundError
from core.interactors.medication_reminders import DoseAlreadyGivenError, MarkDoseGiven
from core.interactors.reminders import ReminderNotFoundError

logger = logging.getLogger(__name__)


async def _drop_buttons(callback: CallbackQuery) -> None:
    if not isinstance(callback.message, Message):
        return
    try:
        await callback.message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        logger.debug("dose buttons already gone", exc_info=True)


def build_medication_router() -> Router:
    router = Router(name="medication")

    @router.callback_query(DoseButton.filter())
    @inject
    async def given(
        callback: CallbackQuery,
        callback_data: DoseButton,
        i18n: I18nContext,
        mark_given: FromDishka[MarkDoseGiven],
        texts: FromDishka[FluentRuntimeCore],
    ) -> None:
        try:
            dose = await mark_given(callback.from_user.id, callback_data.reminder_id)
        except (ReminderNotFoundError, UserNotFoundError):
            await callback.answer(i18n.get("err-reminder-not-found"), show_alert=True)
            await _drop_buttons(callback)
            return
        except DoseAlreadyGivenError as error:
            await callback.answer(
                i18n.get("msg-medication-already-given", by=error.given_by, at=error.given_at),
                show_alert=True,
            )
            await _drop_buttons(callback)
            return
        await callback.answer()
        if not isinstance(callback.message, Message):
            return  # too old for Telegram to show
        try:
            await callback.message.edit_text(
                given_text(texts, i18n.locale, dose), reply_markup=None
            )
        except TelegramBadRequest:
            logger.debug("dose message already shows it was given", exc_info=True)

    return router
