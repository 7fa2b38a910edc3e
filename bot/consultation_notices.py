"""core's ConsultationNotices for the chat: the Join messages and the apology for a room that
could not be made, in each person's language and time zone.

Texts come from the locales through the escaping i18n core (bot/i18n.py: every variable is
escaped for HTML, the bot's parse mode); messages go out through the bot, whose outbound
middleware (bot/outbound.py) waits out 429s and marks people who blocked the bot.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    WebAppInfo,
)
from aiogram_i18n.cores import FluentRuntimeCore

from core.dates import DateStyle, format_day
from core.locales import resolve_locale
from core.markup import Markup
from core.ports.consultation_notices import ConsultationNotice, Recipient, ReportNotice
from core.schedule import to_local
from dialogs.widgets.zone_labels import zone_text

logger = logging.getLogger(__name__)

NO_VALUE: Final = "—"
# The report's summary stays one message (4096 characters as the reader sees them): each field
# is cut to its share here, the PDF has them whole.
SUMMARY_LIMITS: Final = {"assessment": 700, "diagnosis": 500, "recommendations": 700}
SUMMARY_PRESCRIPTIONS: Final = 10
SUMMARY_PRESCRIPTION_LENGTH: Final = 120
SUMMARY_NOTE_LENGTH: Final = 300


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking what was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


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

    async def report_ready_for_owner(self, owner: Recipient, notice: ReportNotice) -> None:
        await self._send_report(owner, notice, "msg-report-ready", {})

    async def report_amended_for_owner(self, owner: Recipient, notice: ReportNotice) -> None:
        locale = resolve_locale(owner.language, None)
        amended = to_local(notice.amended_at or notice.starts_at, owner.time_zone)
        await self._send_report(
            owner,
            notice,
            "msg-report-amended",
            {
                "amended_date": format_day(amended, DateStyle.WEEKDAY, locale),
                "amended_time": f"{amended:%H:%M}",
                "note": cut(notice.amendment_note or NO_VALUE, SUMMARY_NOTE_LENGTH),
            },
        )

    async def _send_report(
        self, owner: Recipient, notice: ReportNotice, key: str, extra: dict[str, str]
    ) -> None:
        locale = resolve_locale(owner.language, None)
        text = self._dated(
            key,
            owner,
            notice.starts_at,
            pet=notice.pet_name or NO_VALUE,
            vet=notice.vet_name,
            body=self._report_body(notice, locale),
            **extra,
        )
        if not await self._send(owner, text, None):
            return
        if notice.pdf is None:
            return
        try:
            await self._bot.send_document(
                owner.telegram_id, BufferedInputFile(notice.pdf, filename=notice.pdf_file_name)
            )
        except TelegramForbiddenError:
            pass  # they blocked the bot meanwhile: bot.outbound has marked them
        except Exception:
            logger.exception("could not send the report PDF to chat %s", owner.telegram_id)

    def _report_body(self, notice: ReportNotice, locale: str) -> Markup:
        content = notice.content
        lines: list[str] = []
        for field, value in (
            ("diagnosis", content.diagnosis),
            ("assessment", content.assessment),
            ("recommendations", content.recommendations),
        ):
            if value:
                lines.append(
                    self._texts.get(
                        f"lbl-report-line-{field}", locale, text=cut(value, SUMMARY_LIMITS[field])
                    )
                )
        if content.prescriptions:
            lines.append(self._texts.get("lbl-report-line-prescriptions", locale))
            for row in content.prescriptions[:SUMMARY_PRESCRIPTIONS]:
                details = ", ".join(
                    part for part in (row.dose, row.frequency, row.duration) if part
                )
                lines.append(
                    self._texts.get(
                        "lbl-report-line-prescription",
                        locale,
                        drug=cut(row.drug, SUMMARY_PRESCRIPTION_LENGTH),
                        details=cut(details, SUMMARY_PRESCRIPTION_LENGTH) or "none",
                    )
                )
            left = len(content.prescriptions) - SUMMARY_PRESCRIPTIONS
            if left > 0:
                lines.append(
                    self._texts.get("lbl-report-line-more-prescriptions", locale, count=left)
                )
        if content.follow_up_on is not None:
            lines.append(
                self._texts.get("lbl-report-line-follow-up", locale, date=content.follow_up_on)
            )
        if content.in_person_visit:
            lines.append(self._texts.get("lbl-report-line-in-person", locale))
        return Markup("\n").join(Markup(line) for line in lines)

    def _text(
        self, key: str, recipient: Recipient, notice: ConsultationNotice, **values: str
    ) -> str:
        return self._dated(key, recipient, notice.starts_at, **values)

    def _dated(self, key: str, recipient: Recipient, starts_at: datetime, **values: str) -> str:
        locale = resolve_locale(recipient.language, None)
        local = to_local(starts_at, recipient.time_zone)
        return self._texts.get(
            key,
            locale,
            date=format_day(local, DateStyle.WEEKDAY, locale),
            time=f"{local:%H:%M}",
            zone=zone_text(self._texts, recipient.time_zone, starts_at, locale),
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
    ) -> bool:
        try:
            await self._bot.send_message(recipient.telegram_id, text, reply_markup=markup)
        except TelegramForbiddenError:
            return False  # they blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception(
                "could not message chat %s about a consultation", recipient.telegram_id
            )
            return False
        return True
