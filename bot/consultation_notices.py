"""core's ConsultationNotices for the chat: the Join messages and the apology for a room that
could not be made, in each person's language and time zone.

Texts come from the locales through the escaping i18n core (bot/i18n.py: every variable is
escaped for HTML, the bot's parse mode); messages go out through the bot, whose outbound
middleware (bot/outbound.py) waits out 429s and marks people who blocked the bot.
"""

from __future__ import annotations

import logging
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from aiogram_i18n.cores import FluentRuntimeCore

from core.locales import resolve_locale
from core.ports.consultation_notices import ConsultationNotice, Recipient
from core.schedule import to_local

logger = logging.getLogger(__name__)

# The booking dialogs' weekday labels, by `date.weekday()` (Monday is 0).
WEEKDAYS: Final = (
    "lbl-booking-weekday-mon",
    "lbl-booking-weekday-tue",
    "lbl-booking-weekday-wed",
    "lbl-booking-weekday-thu",
    "lbl-booking-weekday-fri",
    "lbl-booking-weekday-sat",
    "lbl-booking-weekday-sun",
)
NO_VALUE: Final = "—"


class BotConsultationNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    async def call_ready_for_owner(self, owner: Recipient, notice: ConsultationNotice) -> None:
        locale = resolve_locale(owner.language, None)
        text = self._text(
            "msg-consultation-join-owner",
            owner,
            notice,
            pet=notice.pet_name or NO_VALUE,
            vet=notice.vet_name,
        )
        await self._send(owner, text, self._join_button(notice, locale))

    async def call_ready_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        locale = resolve_locale(vet.language, None)
        text = self._text(
            "msg-consultation-join-vet",
            vet,
            notice,
            pet=notice.pet_name or NO_VALUE,
            owner=notice.owner_name,
            reason=notice.reason or NO_VALUE,
        )
        await self._send(vet, text, self._join_button(notice, locale))

    async def room_failed_for_owner(self, owner: Recipient, notice: ConsultationNotice) -> None:
        text = self._text(
            "msg-consultation-room-failed-owner",
            owner,
            notice,
            pet=notice.pet_name or NO_VALUE,
            vet=notice.vet_name,
        )
        await self._send(owner, text, None)

    async def room_failed_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        text = self._text(
            "msg-consultation-room-failed-vet",
            vet,
            notice,
            pet=notice.pet_name or NO_VALUE,
            owner=notice.owner_name,
        )
        await self._send(vet, text, None)

    def _text(
        self, key: str, recipient: Recipient, notice: ConsultationNotice, **values: str
    ) -> str:
        locale = resolve_locale(recipient.language, None)
        local = to_local(notice.starts_at, recipient.time_zone)
        weekday = self._texts.get(WEEKDAYS[local.weekday()], locale)
        return self._texts.get(
            key,
            locale,
            date=f"{weekday} {local:%d.%m}",
            time=f"{local:%H:%M}",
            zone=recipient.time_zone,
            **values,
        )

    def _join_button(self, notice: ConsultationNotice, locale: str) -> InlineKeyboardMarkup | None:
        if notice.join_url is None:
            return None
        # A web_app button opens the Mini App at an HTTPS URL, in private chats only (these
        # are): https://core.telegram.org/bots/api#inlinekeyboardbutton, #webappinfo.
        return InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=self._texts.get("btn-consultation-join", locale),
                        web_app=WebAppInfo(url=notice.join_url),
                    )
                ]
            ]
        )

    async def _send(
        self, recipient: Recipient, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        try:
            await self._bot.send_message(recipient.telegram_id, text, reply_markup=markup)
        except TelegramForbiddenError:
            pass  # they blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception(
                "could not message chat %s about a consultation", recipient.telegram_id
            )
