"""`core.payments.PaymentGateway` over the Bot API: Stars refunds through `refundStarPayment`.

Fiat charges made through a provider cannot be refunded with the Bot API (the provider's back
office does it): they come back as failed, not retryable, so a person handles them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from core.payments import REFUND_ERROR_PROVIDER, STARS_CURRENCY, RefundOutcome

logger = logging.getLogger(__name__)

ALREADY_REFUNDED_ERROR: Final = "CHARGE_ALREADY_REFUNDED"


class TelegramPaymentGateway:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def refund(
        self, *, user_telegram_id: int, telegram_payment_charge_id: str, currency: str
    ) -> RefundOutcome:
        if currency != STARS_CURRENCY:
            return RefundOutcome.failed(REFUND_ERROR_PROVIDER)
        try:
            await self._bot.refund_star_payment(
                user_id=user_telegram_id, telegram_payment_charge_id=telegram_payment_charge_id
            )
        except TelegramBadRequest as error:
            if ALREADY_REFUNDED_ERROR in error.message:
                return RefundOutcome.already_refunded()
            # Telegram refused this charge for good (unknown charge, wrong user...).
            logger.warning("refund refused for charge %s: %s", telegram_payment_charge_id, error)
            return RefundOutcome.failed(error.message)
        except (TelegramNetworkError, TelegramRetryAfter, TelegramServerError) as error:
            # No retry loop here: bot.outbound already waited out flood control as long as it
            # allows; what is left is for the retry-refunds job, later.
            return RefundOutcome.failed(error.message, retryable=True)
        except TelegramAPIError as error:  # forbidden, unauthorized...: not ours to retry
            return RefundOutcome.failed(error.message)
        return RefundOutcome.refunded()


if TYPE_CHECKING:
    from core.payments import PaymentGateway

    def _conforms(bot: Bot) -> None:
        _gateway: PaymentGateway = TelegramPaymentGateway(bot)
