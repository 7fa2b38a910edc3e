"""The buttons under a reminder (bot/reminder_sender.py): Done ✓, Snooze, Stop for this item.

Each names a reminder id; the interactor checks it is the presser's, so a crafted id for
someone else's reminder gets the same short hint as a missing one. A button whose item was
already done, stopped or replaced answers that it is out of date. The buttons leave the
message once pressed, so the chat shows which reminders were dealt with.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import DialogManager, StartMode
from aiogram_i18n import I18nContext
from dishka import FromDishka
from dishka.integrations.aiogram import inject

from bot.reminder_sender import ReminderAction, ReminderButton
from core.errors import UserNotFoundError
from core.interactors.reminders import (
    MarkReminderDone,
    ReminderClosedError,
    ReminderNotFoundError,
    SnoozeReminder,
    StopReminderItem,
)
from dialogs.states import RecordsSG
from dialogs.widgets.pet_context import KEY_PET_ID

logger = logging.getLogger(__name__)


async def _drop_buttons(callback: CallbackQuery) -> None:
    if not isinstance(callback.message, Message):
        return  # too old for Telegram to show: nothing to tidy
    try:
        await callback.message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        # Already without buttons (a second quick press): the answer is what matters.
        logger.debug("reminder buttons already gone", exc_info=True)


def build_reminders_router() -> Router:
    router = Router(name="reminders")

    @router.callback_query(ReminderButton.filter())
    @inject
    async def pressed(
        callback: CallbackQuery,
        callback_data: ReminderButton,
        dialog_manager: DialogManager,
        i18n: I18nContext,
        done: FromDishka[MarkReminderDone],
        snooze: FromDishka[SnoozeReminder],
        stop: FromDishka[StopReminderItem],
    ) -> None:
        telegram_id = callback.from_user.id
        reminder_id = callback_data.reminder_id
        action = callback_data.action
        try:
            if action is ReminderAction.SNOOZE:
                snoozed = await snooze(telegram_id, reminder_id)
                await callback.answer(i18n.get("msg-reminder-snoozed", day=snoozed.day))
            elif action is ReminderAction.STOP:
                await stop(telegram_id, reminder_id)
                await callback.answer(i18n.get("msg-reminder-stopped"))
            else:
                item = await done(telegram_id, reminder_id)
                await callback.answer()
        except (ReminderNotFoundError, UserNotFoundError):
            await callback.answer(i18n.get("err-reminder-not-found"), show_alert=True)
            return
        except ReminderClosedError:
            await callback.answer(i18n.get("err-reminder-stale"), show_alert=True)
            await _drop_buttons(callback)
            return
        await _drop_buttons(callback)
        if action is not ReminderAction.DONE:
            return
        if isinstance(callback.message, Message):
            await callback.message.answer(i18n.get("msg-reminder-done"))
        if item.pet_id is not None:
            # The pet's card, where the new entry is added (its Add button); opening the form
            # prefilled is the next slice of issue #12.
            await dialog_manager.start(
                RecordsSG.LIST, data={KEY_PET_ID: item.pet_id}, mode=StartMode.RESET_STACK
            )

    return router
