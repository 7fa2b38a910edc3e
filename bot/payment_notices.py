"""core's RecoveredPaymentNotices for the chat: what became of a payment found late, and the
vet's notice of the booking it confirmed (the same text a normal booking sends).

Texts come from the locales through the escaping i18n core (every variable escaped for HTML);
messages go out through the bot, whose outbound middleware waits out 429s and marks people
who blocked the bot.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING, Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram_i18n.cores import FluentRuntimeCore

from bot.consultation_notices import NO_VALUE
from core.dates import DateStyle, format_day
from core.locales import resolve_locale
from core.ports.consultation_notices import Recipient
from core.ports.payment_notices import RecoveredBooking, RecoveredPayment, RecoveredPaymentResult
from core.schedule import to_local
from dialogs.widgets.labels import SPECIES_LABELS
from dialogs.widgets.zone_labels import zone_text

logger = logging.getLogger(__name__)

PAYER_MESSAGES: Final = {
    RecoveredPaymentResult.CONFIRMED: "msg-reconcile-confirmed",
    RecoveredPaymentResult.REFUNDED: "msg-reconcile-refunded",
    RecoveredPaymentResult.REFUND_PENDING: "msg-reconcile-refund-pending",
    RecoveredPaymentResult.REFUND_FAILED: "msg-reconcile-refund-failed",
}
# Without the booking's details (the payer is not its owner): only what became of the money.
PLAIN_PAYER_MESSAGES: Final = {
    RecoveredPaymentResult.REFUNDED: "msg-reconcile-refunded-plain",
    RecoveredPaymentResult.REFUND_PENDING: "msg-reconcile-refund-pending-plain",
    RecoveredPaymentResult.REFUND_FAILED: "msg-reconcile-refund-failed-plain",
}
VET_BOOKED: Final = "msg-appointment-vet-booked"


class BotRecoveredPaymentNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    async def payment_recovered(self, payment: RecoveredPayment) -> None:
        booking = payment.booking
        payer = payment.payer
        if booking is None:
            # A confirmation always has its booking; should one come without, say the least.
            key = PLAIN_PAYER_MESSAGES.get(
                payment.result, PLAIN_PAYER_MESSAGES[RecoveredPaymentResult.REFUND_PENDING]
            )
            await self._send(payer, self._texts.get(key, self._locale(payer)))
            return
        text = self._dated(
            PAYER_MESSAGES[payment.result],
            payer,
            booking.starts_at,
            vet=booking.vet_name,
            pet=booking.pet_name or NO_VALUE,
        )
        await self._send(payer, text)
        if payment.result is RecoveredPaymentResult.CONFIRMED and booking.vet is not None:
            await self._send(booking.vet, self._vet_text(booking, booking.vet))

    def _vet_text(self, booking: RecoveredBooking, vet: Recipient) -> str:
        locale = self._locale(vet)
        species = (
            self._texts.get(SPECIES_LABELS[booking.pet_species], locale)
            if booking.pet_species is not None
            else NO_VALUE
        )
        return self._dated(
            VET_BOOKED,
            vet,
            booking.starts_at,
            pet=booking.pet_name or NO_VALUE,
            species=species,
            owner=booking.owner_name,
            reason=booking.reason or NO_VALUE,
        )

    def _dated(self, key: str, recipient: Recipient, starts_at: datetime, **values: str) -> str:
        locale = self._locale(recipient)
        local = to_local(starts_at, recipient.time_zone)
        return self._texts.get(
            key,
            locale,
            date=format_day(local, DateStyle.WEEKDAY, locale),
            time=f"{local:%H:%M}",
            zone=zone_text(self._texts, recipient.time_zone, starts_at, locale),
            **values,
        )

    @staticmethod
    def _locale(recipient: Recipient) -> str:
        return resolve_locale(recipient.language, None)

    async def _send(self, recipient: Recipient, text: str) -> None:
        try:
            await self._bot.send_message(recipient.telegram_id, text)
        except TelegramForbiddenError:
            pass  # they blocked the bot: bot.outbound has marked them and logged it once
        except Exception:  # the payment is recorded either way; a lost notice is only logged
            logger.exception(
                "could not message chat %s about a late payment", recipient.telegram_id
            )


if TYPE_CHECKING:
    from core.ports.payment_notices import RecoveredPaymentNotices

    def _conforms(bot: Bot, texts: FluentRuntimeCore) -> None:
        _notices: RecoveredPaymentNotices = BotRecoveredPaymentNotices(bot, texts)
