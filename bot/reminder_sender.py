"""core's ReminderSender for the chat: "Мурзик — через неделю: прививка «Нобивак»", in the
recipient's language, with Done / Snooze / Stop buttons (answered by bot/handlers/reminders.py).

Texts come from the locales through the escaping i18n core (bot/i18n.py), so a product's or a
pet's name cannot format the message; the message goes out through the bot, whose outbound
middleware paces it, waits out 429s and marks people who blocked it (bot/outbound.py).
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.outbound import reachable
from core.enums import RecordKind
from core.locales import resolve_locale
from core.ports.reminders import Delivery, DueDateMessage
from core.reminder_schedule import OVERDUE_STEPS, Step

logger = logging.getLogger(__name__)

STEP_TEXTS: Final[dict[Step, str]] = {
    Step.BEFORE_7D: "msg-reminder-before-7d",
    Step.DUE: "msg-reminder-due",
    Step.SNOOZED: "msg-reminder-again",
    **dict.fromkeys(OVERDUE_STEPS, "msg-reminder-overdue"),
}
ITEM_LABELS: Final[dict[RecordKind, str]] = {
    RecordKind.VACCINATION: "lbl-reminder-item-vaccination",
    RecordKind.PARASITE_TREATMENT: "lbl-reminder-item-parasite-treatment",
}


class ReminderAction(StrEnum):
    DONE = "done"
    SNOOZE = "snooze"
    STOP = "stop"


class ReminderButton(CallbackData, prefix="rem"):
    """A button under a reminder; whoever presses it is checked against the reminder's owner."""

    action: ReminderAction
    reminder_id: int


def reminder_keyboard(
    texts: FluentRuntimeCore, locale: str, reminder_id: int
) -> InlineKeyboardMarkup:
    def button(action: ReminderAction, key: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=texts.get(key, locale),
            callback_data=ReminderButton(action=action, reminder_id=reminder_id).pack(),
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(ReminderAction.DONE, "btn-reminder-done")],
            [
                button(ReminderAction.SNOOZE, "btn-reminder-snooze"),
                button(ReminderAction.STOP, "btn-reminder-stop"),
            ],
        ]
    )


class BotReminderSender:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    def render(self, message: DueDateMessage) -> tuple[str, InlineKeyboardMarkup]:
        locale = resolve_locale(message.language, None)
        try:
            step = Step(message.step)
        except ValueError:
            step = Step.DUE  # a step written by a newer version: the plainest text
        item = self._texts.get(ITEM_LABELS[message.record_kind], locale, title=message.title)
        text = self._texts.get(
            STEP_TEXTS[step], locale, name=message.pet_name, item=item, due=message.next_due
        )
        return text, reminder_keyboard(self._texts, locale, message.reminder_id)

    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        text, keyboard = self.render(message)
        try:
            # The job skipped recipients marked as having blocked the bot when it claimed the
            # row: no second look-up per message (10,000 due at once would be 10,000 queries).
            with reachable(message.telegram_id):
                await self._bot.send_message(message.telegram_id, text, reply_markup=keyboard)
        except TelegramForbiddenError:
            return Delivery.UNREACHABLE  # bot.outbound has marked them and logged it once
        except Exception:
            logger.exception("could not send reminder %s", message.reminder_id)
            return Delivery.FAILED
        return Delivery.SENT
