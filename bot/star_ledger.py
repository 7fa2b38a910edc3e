"""`core.ports.star_ledger.StarLedger` over the Bot API's `getStarTransactions`."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from aiogram import Bot
from aiogram.enums import TransactionPartnerUserTransactionTypeEnum
from aiogram.types import StarTransaction as TelegramStarTransaction
from aiogram.types import TransactionPartnerUser

from core.ports.star_ledger import MAX_PAGE_SIZE, StarTransaction


def from_telegram(transaction: TelegramStarTransaction) -> StarTransaction:
    date = transaction.date
    if date.tzinfo is None:
        date = date.replace(tzinfo=UTC)
    payer_telegram_id = invoice_payload = None
    source = transaction.source
    # Only an incoming (`source`) user payment of an invoice is one of our sales; a refund
    # has a `receiver` instead and repeats the payment's id, so it is never taken for one.
    if (
        isinstance(source, TransactionPartnerUser)
        and source.transaction_type == TransactionPartnerUserTransactionTypeEnum.INVOICE_PAYMENT
        and source.invoice_payload is not None
    ):
        payer_telegram_id = source.user.id
        invoice_payload = source.invoice_payload
    return StarTransaction(
        id=transaction.id,
        amount=transaction.amount,
        date=date,
        payer_telegram_id=payer_telegram_id,
        invoice_payload=invoice_payload,
    )


class TelegramStarLedger:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def page(self, *, offset: int, limit: int = MAX_PAGE_SIZE) -> list[StarTransaction]:
        result = await self._bot.get_star_transactions(offset=offset, limit=limit)
        return [from_telegram(transaction) for transaction in result.transactions]


if TYPE_CHECKING:
    from core.ports.star_ledger import StarLedger

    def _conforms(bot: Bot) -> None:
        _ledger: StarLedger = TelegramStarLedger(bot)
