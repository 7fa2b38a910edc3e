"""core's ReminderSender for the chat: "Мурзик — через неделю: прививка «Нобивак»", in the
recipient's language, with Done / Snooze / Stop buttons (answered by bot/handlers/reminders.py);
and core's AppointmentReminderSender: a consultation's reminders 24 h and 1 h before, in the
recipient's language and zone, the hour-before one with the Join button of the consultation
Mini App (as the consultation notices build it), and none of the Done / Snooze / Stop ones.

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
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from aiogram_i18n.cores import FluentRuntimeCore

from bot.outbound import reachable
from core.dates import DateStyle, format_day
from core.enums import RecordKind
from core.locales import resolve_locale
from core.miniapp_links import MiniAppLinks
from core.ports.reminders import AppointmentMessage, AppointmentRole, Delivery, DueDateMessage
from core.reminder_schedule import OVERDUE_STEPS, AppointmentStep, Step
from core.schedule import to_local
from dialogs.widgets.zone_labels import zone_text

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

APPOINTMENT_TEXTS: Final[dict[tuple[AppointmentStep, AppointmentRole], str]] = {
    (AppointmentStep.BEFORE_24H, AppointmentRole.OWNER): "msg-appointment-reminder-day-owner",
    (AppointmentStep.BEFORE_24H, AppointmentRole.VET): "msg-appointment-reminder-day-vet",
    (AppointmentStep.BEFORE_1H, AppointmentRole.OWNER): "msg-appointment-reminder-hour-owner",
    (AppointmentStep.BEFORE_1H, AppointmentRole.VET): "msg-appointment-reminder-hour-vet",
}
NO_VALUE: Final = "—"
NO_LINKS: Final = MiniAppLinks(None)


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
    def __init__(self, bot: Bot, texts: FluentRuntimeCore, links: MiniAppLinks = NO_LINKS) -> None:
        """`links` without an address (the default): appointment reminders come without the
        Join button, as the consultation notices do then."""
        self._bot = bot
        self._texts = texts
        self._links = links

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

    def render_appointment(
        self, message: AppointmentMessage
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        locale = resolve_locale(message.language, None)
        try:
            step = AppointmentStep(message.step)
        except ValueError:
            step = AppointmentStep.BEFORE_24H  # written by a newer version: the plainest text
        local = to_local(message.starts_at, message.time_zone)
        text = self._texts.get(
            APPOINTMENT_TEXTS[step, message.role],
            locale,
            date=format_day(local, DateStyle.WEEKDAY, locale),
            time=f"{local:%H:%M}",
            zone=zone_text(self._texts, message.time_zone, message.starts_at, locale),
            pet=message.pet_name or NO_VALUE,
            other=message.other_name,
        )
        join_url = self._links.call_page(message.appointment_id)
        if step is not AppointmentStep.BEFORE_1H or join_url is None:
            return text, None
        # A web_app button opens the Mini App at an HTTPS URL, in private chats only (these
        # are): https://core.telegram.org/bots/api#inlinekeyboardbutton, #webappinfo.
        join = InlineKeyboardButton(
            text=self._texts.get("btn-consultation-join", locale), web_app=WebAppInfo(url=join_url)
        )
        return text, InlineKeyboardMarkup(inline_keyboard=[[join]])

    async def send_due_date(self, message: DueDateMessage) -> Delivery:
        text, keyboard = self.render(message)
        return await self._send(message.telegram_id, message.reminder_id, text, keyboard)

    async def send_appointment(self, message: AppointmentMessage) -> Delivery:
        text, keyboard = self.render_appointment(message)
        return await self._send(message.telegram_id, message.reminder_id, text, keyboard)

    async def _send(
        self,
        telegram_id: int,
        reminder_id: int,
        text: str,
        keyboard: InlineKeyboardMarkup | None,
    ) -> Delivery:
        try:
            # The job skipped recipients marked as having blocked the bot when it claimed the
            # row: no second look-up per message (10,000 due at once would be 10,000 queries).
            with reachable(telegram_id):
                await self._bot.send_message(telegram_id, text, reply_markup=keyboard)
        except TelegramForbiddenError:
            return Delivery.UNREACHABLE  # bot.outbound has marked them and logged it once
        except Exception:
            logger.exception("could not send reminder %s", reminder_id)
            return Delivery.FAILED
        return Delivery.SENT
