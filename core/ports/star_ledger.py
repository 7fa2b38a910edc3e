"""The bot's Telegram Stars transactions, as Telegram records them (`getStarTransactions`).

Telegram keeps every Stars payment made to the bot, whether or not the bot ever processed the
`successful_payment` update. Under long polling an update whose processing failed is not
delivered again, so this ledger is how a payment nobody recorded is found afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

# Telegram's own bound on one page of `getStarTransactions`.
MAX_PAGE_SIZE: Final = 100


@dataclass(frozen=True, slots=True)
class StarTransaction:
    """One transaction of the bot's Stars balance, reduced to what reconciliation needs.

    `id` is Telegram's transaction id: for a user's invoice payment it is the
    `telegram_payment_charge_id` of its `successful_payment`; a refund repeats the id of the
    payment it returns.
    """

    id: str
    amount: int  # whole Stars
    date: datetime  # aware UTC
    # Set only for an incoming payment of one of the bot's invoices by a user; None for
    # refunds, withdrawals, paid media, gifts and everything else.
    payer_telegram_id: int | None
    invoice_payload: str | None


class StarLedger(Protocol):
    async def page(self, *, offset: int, limit: int = MAX_PAGE_SIZE) -> list[StarTransaction]:
        """Transactions `offset` to `offset + limit` of Telegram's list (1 ≤ limit ≤ 100);
        fewer than `limit` means the list ended. Raises whatever the transport raises: a
        reconciliation round that cannot read the ledger is simply tried again later."""
        ...
