"""core's MedicationSender for the chat: "💊 Rex: Synulox, 50 mg — 09:00 dose" with "Given ✓"
(answered by bot/handlers/medication.py), the missed-dose reminder an hour later, and the
edit of an earlier dose message once someone gave the dose ("✓ Given by Ann at 09:05").

Texts come from the locales through the escaping i18n core (bot/i18n.py), so a drug's, a
pet's or a person's name cannot format the message; messages go out through the bot, whose
outbound middleware paces them, waits out 429s and marks people who blocked it.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.outbound import reachable
from core.interactors.medication_reminders import GivenDose
from core.locales import resolve_locale
from core.ports.medication import DoseGivenNotice, DoseMessage, DoseStep, SentDose
from core.ports.reminders import Delivery

logger = logging.getLogger(__name__)

STEP_TEXTS: Final[dict[str, str]] = {
    DoseStep.DOSE.value: "msg-medication-dose",
    DoseStep.MISSED.value: "msg-medication-missed",
}


class DoseButton(CallbackData, prefix="dose"):
    """ "Given ✓" under a dose reminder; the interactor checks the presser's reminder id."""

    reminder_id: int


def dose_text(
    texts: FluentRuntimeCore,
    locale: str,
    *,
    step: str,
    pet_name: str,
    drug: str,
    dose: str,
    dose_time: str,
) -> str:
    return texts.get(
        STEP_TEXTS.get(step, "msg-medication-dose"),
        locale,
        name=pet_name,
        drug=drug,
        dose=dose,
        time=dose_time,
    )


def given_text(texts: FluentRuntimeCore, locale: str, dose: GivenDose | DoseGivenNotice) -> str:
    """The dose message as it reads once given: its text and who gave it, when."""
    body = dose_text(
        texts,
        locale,
        step=dose.step,
        pet_name=dose.pet_name,
        drug=dose.drug,
        dose=dose.dose,
        dose_time=dose.dose_time,
    )
    by = dose.given_by if isinstance(dose, DoseGivenNotice) else None
    if by is None:
        line = texts.get("msg-medication-given", locale, at=dose.given_at)
    else:
        line = texts.get("msg-medication-given-by", locale, by=by, at=dose.given_at)
    return f"{body}\n\n{line}"


class BotMedicationSender:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    def render(self, message: DoseMessage) -> tuple[str, InlineKeyboardMarkup]:
        locale = resolve_locale(message.language, None)
        text = dose_text(
            self._texts,
            locale,
            step=message.step,
            pet_name=message.pet_name,
            drug=message.drug,
            dose=message.dose,
            dose_time=message.dose_time,
        )
        given = InlineKeyboardButton(
            text=self._texts.get("btn-medication-given", locale),
            callback_data=DoseButton(reminder_id=message.reminder_id).pack(),
        )
        return text, InlineKeyboardMarkup(inline_keyboard=[[given]])

    async def send_dose(self, message: DoseMessage) -> SentDose:
        text, keyboard = self.render(message)
        try:
            # As bot/reminder_sender.py: the job skipped recipients marked as blocked.
            with reachable(message.telegram_id):
                sent = await self._bot.send_message(
                    message.telegram_id, text, reply_markup=keyboard
                )
        except TelegramForbiddenError:
            return SentDose(Delivery.UNREACHABLE)
        except Exception:
            logger.exception("could not send dose reminder %s", message.reminder_id)
            return SentDose(Delivery.FAILED)
        return SentDose(Delivery.SENT, sent.message_id)

    async def show_given(self, notice: DoseGivenNotice) -> None:
        locale = resolve_locale(notice.language, None)
        try:
            await self._bot.edit_message_text(
                given_text(self._texts, locale, notice),
                chat_id=notice.telegram_id,
                message_id=notice.message_id,
                reply_markup=None,
            )
        except TelegramForbiddenError:
            logger.info("dose message %s: its chat blocked the bot", notice.message_id)
        except TelegramBadRequest:
            # Deleted by its reader, or too old to edit: nothing left to show it on.
            logger.info("dose message %s could not be edited", notice.message_id, exc_info=True)
        except Exception:
            logger.exception("could not edit dose message %s", notice.message_id)
