from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import AppointmentStatus
from db.base import Base, UtcDateTime, str_enum, utcnow

# Statuses that occupy a slot, as stored. Must equal core.enums.ACTIVE_APPOINTMENT_STATUSES
# (a test checks); written literally because a migration must not change with the code.
ACTIVE_STATUSES_SQL = "status IN ('held', 'confirmed')"


class AppointmentModel(Base):
    """A booking of one slot by one owner for one pet.

    Double booking is impossible in the database itself: at most one row per slot may be in
    an active status (partial unique index below, which PostgreSQL and SQLite both enforce).
    Cancelled and expired rows stay for history, so a freed slot can be booked again.
    A hold past `hold_expires_at` still occupies the slot until it is marked expired; the
    booking interactor expires stale holds of a slot before placing a new one.
    """

    __tablename__ = "appointments"
    __table_args__ = (
        sa.Index(
            "uq_appointments_active_slot",
            "slot_id",
            unique=True,
            postgresql_where=sa.text(ACTIVE_STATUSES_SQL),
            sqlite_where=sa.text(ACTIVE_STATUSES_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(sa.ForeignKey("slots.id", ondelete="CASCADE"))
    # Copied from the slot so a vet's agenda is one indexed lookup.
    vet_id: Mapped[int] = mapped_column(sa.ForeignKey("vets.id", ondelete="CASCADE"), index=True)
    owner_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    pet_id: Mapped[int] = mapped_column(sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True)
    status: Mapped[AppointmentStatus] = mapped_column(str_enum(AppointmentStatus))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    # The symptom check the owner booked from, if any.
    check_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("symptom_checks.id", ondelete="SET NULL")
    )
    # The price at booking time: the vet may change theirs later.
    price_amount: Mapped[int] = mapped_column(sa.Integer)
    currency: Mapped[str] = mapped_column(sa.String(3))
    hold_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when a paid appointment is moved: the last moment a cancellation is refunded, the
    # earliest of every start it had minus the cutoff (core.interactors.booking.refund_deadline).
    refund_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The video call (filled by the consultation feature).
    video_room_id: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    owner_joined_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    vet_joined_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    owner_left_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    vet_left_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # When the room was closed, and how long owner and vet were in the call together.
    call_ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    duration_seconds: Mapped[int | None] = mapped_column(sa.Integer)
    report_record_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("medical_records.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
