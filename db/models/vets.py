from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.entities import DEFAULT_TIME_ZONE
from core.enums import SlotStatus, Species
from db.base import Base, UtcDateTime, str_enum, utcnow


class VetModel(Base):
    """A vet's public profile; the person behind it is a user with the vet role."""

    __tablename__ = "vets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    display_name: Mapped[str] = mapped_column(sa.String(128))
    bio: Mapped[str | None] = mapped_column(sa.Text)
    # Minor units of `currency`; Telegram Stars (XTR) have no fractions.
    price_amount: Mapped[int] = mapped_column(sa.Integer)
    currency: Mapped[str] = mapped_column(sa.String(3), default="XTR")
    consultation_minutes: Mapped[int] = mapped_column(sa.Integer, default=30)
    # A pause after each consultation before the next slot may start (notes, a late call).
    buffer_minutes: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    time_zone: Mapped[str] = mapped_column(sa.String(64), default=DEFAULT_TIME_ZONE)
    photo_key: Mapped[str | None] = mapped_column(sa.String(512))
    is_active: Mapped[bool] = mapped_column(sa.Boolean, default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # The profile a vet fills after accepting an invite (core.interactors.vets).
    specialisations: Mapped[str | None] = mapped_column(sa.Text)
    years_of_practice: Mapped[int | None] = mapped_column(sa.Integer)
    photo_file_id: Mapped[str | None] = mapped_column(sa.String(256))
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Owners see a vet only once an admin verified the profile (and it is active).
    verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())

    species_rows: Mapped[list[VetSpeciesModel]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )
    language_rows: Mapped[list[VetLanguageModel]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )


# Species and languages are rows, not arrays: "vets who treat cats" is then a plain indexed
# join on both databases.
class VetSpeciesModel(Base):
    __tablename__ = "vet_species"

    vet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vets.id", ondelete="CASCADE"), primary_key=True
    )
    species: Mapped[Species] = mapped_column(str_enum(Species), primary_key=True, index=True)


class VetLanguageModel(Base):
    __tablename__ = "vet_languages"

    vet_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vets.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(sa.String(16), primary_key=True, index=True)


class AvailabilityRuleModel(Base):
    """A weekly working window in the vet's own time zone (local times, so DST just works).

    Slots are generated from these rules minus the exceptions, some days ahead.
    """

    __tablename__ = "vet_availability_rules"
    __table_args__ = (
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        sa.CheckConstraint("start_time < end_time", name="window"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vet_id: Mapped[int] = mapped_column(sa.ForeignKey("vets.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(sa.SmallInteger)  # 0 = Monday, as date.weekday()
    start_time: Mapped[time] = mapped_column(sa.Time)
    end_time: Mapped[time] = mapped_column(sa.Time)


class AvailabilityExceptionModel(Base):
    """A dated change to the weekly rules: time off, or extra hours."""

    __tablename__ = "vet_availability_exceptions"
    __table_args__ = (sa.CheckConstraint("starts_at < ends_at", name="window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vet_id: Mapped[int] = mapped_column(sa.ForeignKey("vets.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    is_available: Mapped[bool] = mapped_column(sa.Boolean)  # False = time off
    reason: Mapped[str | None] = mapped_column(sa.String(256))


class SlotModel(Base):
    """One bookable consultation time. Appointments point at a slot; see appointments.py."""

    __tablename__ = "slots"
    __table_args__ = (
        sa.UniqueConstraint("vet_id", "starts_at"),
        sa.CheckConstraint("starts_at < ends_at", name="window"),
        # "Free slots on this day" across vets.
        sa.Index("ix_slots_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vet_id: Mapped[int] = mapped_column(sa.ForeignKey("vets.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[SlotStatus] = mapped_column(str_enum(SlotStatus), default=SlotStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
