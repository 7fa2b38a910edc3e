from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import PaymentStatus
from db.base import Base, UtcDateTime, str_enum, utcnow


class PaymentModel(Base):
    """A successful Telegram payment and its refund state.

    `telegram_payment_charge_id` is unique so a redelivered `successful_payment` update
    confirms an appointment exactly once. Payments are kept when their user or appointment is
    deleted (bookkeeping), with the link set to NULL.
    """

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("appointments.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    telegram_payment_charge_id: Mapped[str] = mapped_column(sa.String(256), unique=True)
    provider_payment_charge_id: Mapped[str | None] = mapped_column(sa.String(256))
    invoice_payload: Mapped[str] = mapped_column(sa.String(128))  # Telegram's limit
    # Minor units of `currency` (Telegram's total_amount); Stars (XTR) are whole numbers.
    amount: Mapped[int] = mapped_column(sa.Integer)
    currency: Mapped[str] = mapped_column(sa.String(3))
    status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus))
    paid_at: Mapped[datetime] = mapped_column(UtcDateTime())
    refunded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    refund_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
