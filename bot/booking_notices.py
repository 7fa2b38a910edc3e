"""core's BookingNotices for the chat: the vet learns that an owner's deletion cancelled a
consultation, in the vet's language and time zone (see bot/consultation_notices.py)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram_i18n.cores import FluentRuntimeCore

from bot.consultation_notices import NO_VALUE
from core.dates import DateStyle, format_day
from core.locales import resolve_locale
from core.ports.consultation_notices import ConsultationNotice, Recipient
from core.schedule import to_local

logger = logging.getLogger(__name__)


class BotBookingNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    async def owner_left_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        locale = resolve_locale(vet.language, None)
        local = to_local(notice.starts_at, vet.time_zone)
        text = self._texts.get(
            "msg-money-vet-owner-left",
            locale,
            owner=notice.owner_name,
            pet=notice.pet_name or NO_VALUE,
            date=format_day(local, DateStyle.WEEKDAY, locale),
            time=f"{local:%H:%M}",
            zone=vet.time_zone,
        )
        try:
            await self._bot.send_message(vet.telegram_id, text)
        except TelegramForbiddenError:
            pass  # the vet blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception("could not tell the vet of appointment %s", notice.appointment_id)
