"""Payments behind one abstraction: Telegram Stars by default, a fiat provider when configured.

Telegram does the charging; the bot sends an invoice, answers the pre-checkout query and
receives `successful_payment`. What differs between the two methods is the invoice (currency,
provider token) and refunds: Stars are refunded through the Bot API (`refundStarPayment`),
fiat charges cannot be (the provider's own back office does it), so a fiat refund is recorded
as failed with a reason, for a person to handle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final, Protocol

STARS_CURRENCY: Final = "XTR"

# Invoice payloads name the appointment they pay for; Telegram allows 1–128 bytes.
_PAYLOAD_PREFIX: Final = "appointment:"

INVOICE_TITLE_KEY: Final = "invoice-consultation-title"
INVOICE_DESCRIPTION_KEY: Final = "invoice-consultation-description"
INVOICE_PRICE_LABEL_KEY: Final = "invoice-consultation-price"

# Why a refund could not be made; stored in payments.refund_error.
REFUND_ERROR_PROVIDER: Final = "provider_refund_unsupported"
REFUND_ERROR_NO_USER: Final = "payer_unknown"


@dataclass(frozen=True, slots=True)
class PaymentMethod:
    """How invoices are paid: Stars (no token) or a payment provider's token from BotFather."""

    provider_token: str | None = None

    @property
    def is_stars(self) -> bool:
        return self.provider_token is None

    @classmethod
    def stars(cls) -> PaymentMethod:
        return cls()

    @classmethod
    def provider(cls, token: str) -> PaymentMethod:
        if not token:
            raise ValueError("a provider payment method needs a token")
        return cls(provider_token=token)


@dataclass(frozen=True, slots=True)
class Invoice:
    """What the bot needs to call `send_invoice`; texts are locale keys, times UTC.

    Stars invoices have exactly one price and no provider token (Telegram's rule).
    """

    appointment_id: int
    payload: str
    title_key: str
    description_key: str
    price_label_key: str
    currency: str
    amount: int  # minor units of `currency`; whole Stars for XTR
    provider_token: str | None
    vet_display_name: str
    starts_at: datetime
    time_zone: str  # the payer's, to show `starts_at` in


@dataclass(frozen=True, slots=True)
class SuccessfulPayment:
    """The fields of Telegram's `successful_payment` the domain needs."""

    payer_telegram_id: int
    invoice_payload: str
    currency: str
    total_amount: int
    telegram_payment_charge_id: str
    provider_payment_charge_id: str | None = None


class RefundState(StrEnum):
    """What a cancellation did to the owner's money (the owner is told in these terms)."""

    NOT_PAID = "not_paid"  # nothing to refund (a hold)
    NOT_DUE = "not_due"  # cancelled by the owner too late for a refund
    REFUNDED = "refunded"
    PENDING = "pending"
    FAILED = "failed"


class RefundResult(StrEnum):
    REFUNDED = "refunded"
    ALREADY_REFUNDED = "already_refunded"  # CHARGE_ALREADY_REFUNDED: counts as done
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    result: RefundResult
    reason: str | None = None  # why it failed, for the record
    retryable: bool = False  # a network or server error: try again later

    @property
    def done(self) -> bool:
        return self.result is not RefundResult.FAILED

    @classmethod
    def refunded(cls) -> RefundOutcome:
        return cls(RefundResult.REFUNDED)

    @classmethod
    def already_refunded(cls) -> RefundOutcome:
        return cls(RefundResult.ALREADY_REFUNDED)

    @classmethod
    def failed(cls, reason: str, *, retryable: bool = False) -> RefundOutcome:
        return cls(RefundResult.FAILED, reason=reason, retryable=retryable)


class PaymentGateway(Protocol):
    """Gives money back. Implementations never raise for an API refusal: they report it."""

    async def refund(
        self, *, user_telegram_id: int, telegram_payment_charge_id: str, currency: str
    ) -> RefundOutcome:
        """Refund the whole charge. A charge refunded before is `ALREADY_REFUNDED`; a
        currency the gateway cannot refund is `FAILED` (not retryable) with a reason."""
        ...


def invoice_payload(appointment_id: int) -> str:
    return f"{_PAYLOAD_PREFIX}{appointment_id}"


def parse_invoice_payload(payload: str) -> int | None:
    """The appointment id of one of our payloads, or None for anything else."""
    if not payload.startswith(_PAYLOAD_PREFIX):
        return None
    tail = payload.removeprefix(_PAYLOAD_PREFIX)
    if not tail.isascii() or not tail.isdigit() or len(tail) > 18:
        return None
    return int(tail)
