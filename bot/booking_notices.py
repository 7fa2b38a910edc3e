"""core's BookingNotices for the chat: the vet learns that an owner booked, moved or cancelled
a consultation (or that an owner's deletion cancelled it), and the owner that the vet cancelled
or never came, each in their own language and time zone (see bot/consultation_notices.py).

`BookAgain` lives here, with the button that carries it; bot/handlers/payments.py answers it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from bot.consultation_notices import NO_VALUE
from core.dates import DateStyle, format_day
from core.locales import resolve_locale
from core.payments import RefundState
from core.ports.booking_notices import VetBooking, VetCancellation
from core.ports.consultation_notices import ConsultationNotice, Recipient
from core.schedule import to_local
from dialogs.widgets.labels import SPECIES_LABELS
from dialogs.widgets.zone_labels import zone_text

logger = logging.getLogger(__name__)

# What a vet's cancellation did to the owner's money, in the owner's words.
VET_CANCELLED_MESSAGES: dict[RefundState, str] = {
    RefundState.REFUNDED: "msg-appointment-owner-vet-cancelled-refunded",
    RefundState.PENDING: "msg-appointment-owner-vet-cancelled-refund-pending",
    RefundState.FAILED: "msg-appointment-owner-vet-cancelled-refund-failed",
    RefundState.NOT_PAID: "msg-appointment-owner-vet-cancelled-not-paid",
    RefundState.NOT_DUE: "msg-appointment-owner-vet-cancelled-refunded",
}
NO_SHOW_MESSAGE = "msg-appointment-owner-vet-no-show"
VET_BOOKED: Final = "msg-appointment-vet-booked"
VET_MOVED: Final = "msg-appointment-vet-moved"
VET_OWNER_CANCELLED: Final = "msg-appointment-vet-cancelled"
# Abbreviations with a name of their own in a language (МСК in Russian).


class BookAgain(CallbackData, prefix="book_again"):
    """ "Choose another time" under a refund apology: the same pet, vet and reason."""

    appointment_id: int


class BotBookingNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    async def booked_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        await self._tell_vet(VET_BOOKED, vet, booking)

    async def moved_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        await self._tell_vet(VET_MOVED, vet, booking)

    async def owner_cancelled_for_vet(self, vet: Recipient, booking: VetBooking) -> None:
        await self._tell_vet(VET_OWNER_CANCELLED, vet, booking)

    async def _tell_vet(self, key: str, vet: Recipient, booking: VetBooking) -> None:
        locale = resolve_locale(vet.language, None)
        species = (
            NO_VALUE
            if booking.pet_species is None
            else self._texts.get(SPECIES_LABELS[booking.pet_species], locale)
        )
        text = self._texts.get(
            key,
            locale,
            pet=booking.pet_name or NO_VALUE,
            species=species,
            owner=booking.owner_name,
            reason=booking.reason or NO_VALUE,
            **self._when(booking.starts_at, vet, locale),
        )
        try:
            await self._bot.send_message(vet.telegram_id, text)
        except TelegramForbiddenError:
            pass  # the vet blocked the bot: bot.outbound has marked them and logged it once
        except Exception:  # the booking stands anyway; a lost notice is only logged
            logger.exception("could not tell the vet of appointment %s", booking.appointment_id)

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
            zone=zone_text(self._texts, vet.time_zone, notice.starts_at, locale),
        )
        try:
            await self._bot.send_message(vet.telegram_id, text)
        except TelegramForbiddenError:
            pass  # the vet blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception("could not tell the vet of appointment %s", notice.appointment_id)

    async def vet_cancelled_for_owner(
        self, owner: Recipient, cancellation: VetCancellation
    ) -> None:
        locale = resolve_locale(owner.language, None)
        local = to_local(cancellation.starts_at, owner.time_zone)
        key = (
            NO_SHOW_MESSAGE
            if cancellation.no_show
            else VET_CANCELLED_MESSAGES[cancellation.refund]
        )
        text = self._texts.get(
            key,
            locale,
            pet=cancellation.pet_name or NO_VALUE,
            vet=cancellation.vet_name,
            date=format_day(local, DateStyle.WEEKDAY, locale),
            time=f"{local:%H:%M}",
            zone=zone_text(self._texts, owner.time_zone, cancellation.starts_at, locale),
        )
        reason = cancellation.reason
        if cancellation.offered_reason is not None:
            reason = self._texts.get(cancellation.offered_reason, locale)
        if reason is not None:
            why = self._texts.get("msg-money-owner-vet-reason", locale, reason=reason)
            text = f"{text}\n\n{why}"
        again = BookAgain(appointment_id=cancellation.appointment_id).pack()
        button = InlineKeyboardButton(
            text=self._texts.get("btn-booking-other-time", locale), callback_data=again
        )
        try:
            await self._bot.send_message(
                owner.telegram_id,
                text,
                reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]),
            )
        except TelegramForbiddenError:
            pass  # the owner blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception(
                "could not tell the owner of appointment %s", cancellation.appointment_id
            )

    def _when(self, instant: datetime, recipient: Recipient, locale: str) -> dict[str, str]:
        """`date`, `time` and `zone` message arguments: the instant in the recipient's zone."""
        local = to_local(instant, recipient.time_zone)
        return {
            "date": format_day(local, DateStyle.WEEKDAY, locale),
            "time": f"{local:%H:%M}",
            "zone": zone_text(self._texts, recipient.time_zone, instant, locale),
        }
