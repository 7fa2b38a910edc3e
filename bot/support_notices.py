"""core's SupportNotices for the chat: a /paysupport question for staff (with a Reply button)
and an admin's answer for the asker, each in its reader's language.

Texts come from the locales through the escaping i18n core (bot/i18n.py: every variable is
escaped for HTML, so the owner's words cannot format or break the message); messages go out
through the bot, whose outbound middleware waits out 429s and marks people who blocked it.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from core.locales import resolve_locale
from core.markup import Markup
from core.ports.support import AnswerNotice, QuestionNotice, StaffRecipient

logger = logging.getLogger(__name__)

NO_VALUE: Final = "—"
# The asker's question as quoted back under the answer: enough to recognise it.
QUOTE_LENGTH: Final = 300
PAYMENT_STATUS_LABELS: Final = {
    "paid": "lbl-support-payment-paid",
    "refunded": "lbl-support-payment-refunded",
    "refund_failed": "lbl-support-payment-refund-failed",
    "refund_pending": "lbl-support-payment-refund-pending",
}


class SupportReply(CallbackData, prefix="support_reply"):
    """The Reply button under a question: whoever presses it is checked again on arrival."""

    ticket_id: int


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking what was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class BotSupportNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    async def question_for_staff(self, staff: StaffRecipient, notice: QuestionNotice) -> bool:
        locale = resolve_locale(staff.language, None)
        payments = [
            self._texts.get(
                "lbl-support-payment",
                locale,
                appointment=str(payment.appointment_id) if payment.appointment_id else NO_VALUE,
                amount=str(payment.amount),
                currency=payment.currency,
                status=self._texts.get(
                    PAYMENT_STATUS_LABELS.get(payment.status, "lbl-support-payment-paid"),
                    locale,
                ),
            )
            for payment in notice.recent_payments
        ]
        text = self._texts.get(
            "msg-support-question-staff",
            locale,
            ticket=str(notice.ticket_id),
            name=notice.asker_name,
            username=f"@{notice.asker_username}" if notice.asker_username else NO_VALUE,
            user_id=str(notice.asker_telegram_id),
            language=notice.asker_language or NO_VALUE,
            question=notice.question,
            payments=(
                Markup("\n").join(Markup(line) for line in payments)
                if payments
                else self._texts.get("lbl-support-no-payments", locale)
            ),
        )
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=self._texts.get("btn-support-reply", locale),
                        callback_data=SupportReply(ticket_id=notice.ticket_id).pack(),
                    )
                ]
            ]
        )
        return await self._send(staff.chat_id, text, markup)

    async def answer_for_asker(self, notice: AnswerNotice) -> bool:
        locale = resolve_locale(notice.asker_language, None)
        text = self._texts.get(
            "msg-support-answer",
            locale,
            ticket=str(notice.ticket_id),
            question=cut(notice.question, QUOTE_LENGTH),
            answer=notice.answer,
        )
        return await self._send(notice.asker_telegram_id, text, None)

    async def _send(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> bool:
        try:
            await self._bot.send_message(chat_id, text, reply_markup=markup)
        except TelegramForbiddenError:
            return False  # they blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception("could not deliver a support message to chat %s", chat_id)
            return False
        return True
