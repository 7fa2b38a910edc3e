"""The buttons under a reminder (bot/reminder_sender.py): Done ✓, Snooze, Stop for this item.

Each names a reminder id; the interactor checks it is the presser's, so a crafted id for
someone else's reminder gets the same short hint as a missing one. A button whose item was
already done, stopped or replaced answers that it is out of date. The buttons leave the
message once pressed, so the chat shows which reminders were dealt with.

Done opens the new entry's form like the one reminded of: its kind chosen, its product offered
to confirm, the pet's card under it (dialogs.navigation.start_record_form).
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
from core.interactors.records import GetRecord, RecordNotFoundError, RecordView
from core.interactors.reminders import (
    DoneItem,
    MarkReminderDone,
    ReminderClosedError,
    ReminderNotFoundError,
    SnoozeReminder,
    StopReminderItem,
)
from dialogs.navigation import start_record_form
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


async def _reminded_entry(
    telegram_id: int, item: DoneItem, get_record: GetRecord
) -> RecordView | None:
    """The entry a reminder was about, as the presser may see it; None when it is gone."""
    if item.record_id is None:
        return None
    try:
        return await get_record(telegram_id, item.record_id, pet_id=item.pet_id)
    except RecordNotFoundError:
        return None


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
        get_record: FromDishka[GetRecord],
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
        entry = await _reminded_entry(telegram_id, item, get_record)
        if entry is not None:
            # The next dose, written like the last: a tap or two, and its next due date brings
            # the next reminders (the card's own sync on adding an entry).
            if isinstance(callback.message, Message):
                await callback.message.answer(i18n.get("msg-reminder-done-form"))
            record = entry.entry.record
            await start_record_form(dialog_manager, entry.pet.pet.id, record.kind, record.title)
            return
        if isinstance(callback.message, Message):
            await callback.message.answer(i18n.get("msg-reminder-done"))
        if item.pet_id is not None:
            # The entry is gone (deleted meanwhile): the pet's card, where a new one is added.
            await dialog_manager.start(
                RecordsSG.LIST, data={KEY_PET_ID: item.pet_id}, mode=StartMode.RESET_STACK
            )

    return router
