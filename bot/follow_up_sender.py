"""core's FollowUpSender for the chat: "🩺 How is Rex now?" in the recipient's language, with
the Better / Same / Worse buttons (answered by bot/handlers/follow_ups.py).

The text comes from the locales through the escaping i18n core (bot/i18n.py), so a pet's name
cannot format the message; it goes out the way the other reminders do (bot/reminder_sender.py:
the outbound middleware paces it, waits out 429s and marks people who blocked the bot).
"""

from __future__ import annotations

from typing import Final

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.reminder_sender import BotReminderSender
from core.locales import resolve_locale
from core.ports.follow_ups import FollowUpAnswer, FollowUpMessage
from core.ports.reminders import Delivery

ANSWER_BUTTONS: Final[dict[FollowUpAnswer, str]] = {
    FollowUpAnswer.BETTER: "btn-follow-up-better",
    FollowUpAnswer.SAME: "btn-follow-up-same",
    FollowUpAnswer.WORSE: "btn-follow-up-worse",
}


class FollowUpButton(CallbackData, prefix="fu"):
    """A button under a follow-up; whoever presses it is checked against the row's owner."""

    answer: FollowUpAnswer
    reminder_id: int


def follow_up_keyboard(
    texts: FluentRuntimeCore, locale: str, reminder_id: int
) -> InlineKeyboardMarkup:
    def button(answer: FollowUpAnswer) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            text=texts.get(ANSWER_BUTTONS[answer], locale),
            callback_data=FollowUpButton(answer=answer, reminder_id=reminder_id).pack(),
        )

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(FollowUpAnswer.BETTER), button(FollowUpAnswer.SAME)],
            [button(FollowUpAnswer.WORSE)],
        ]
    )


class BotFollowUpSender(BotReminderSender):
    """The reminder sender, with follow-ups too: one way out to the chat for every kind."""

    def render_follow_up(self, message: FollowUpMessage) -> tuple[str, InlineKeyboardMarkup]:
        locale = resolve_locale(message.language, None)
        text = self._texts.get("msg-follow-up-question", locale, name=message.pet_name)
        return text, follow_up_keyboard(self._texts, locale, message.reminder_id)

    async def send_follow_up(self, message: FollowUpMessage) -> Delivery:
        text, keyboard = self.render_follow_up(message)
        return await self._send(message.telegram_id, message.reminder_id, text, keyboard)
