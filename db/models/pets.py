from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import AccessLevel, Sex, Species
from db.base import Base, UtcDateTime, str_enum, utcnow


class PetModel(Base):
    """A pet. Pets are shared between users, so a pet has no owner column: see pet_access.

    Deleting a user therefore never deletes a pet by cascade; whether a pet left without an
    owner is deleted or handed over is an interactor decision.
    """

    __tablename__ = "pets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    species: Mapped[Species] = mapped_column(str_enum(Species))
    breed: Mapped[str | None] = mapped_column(sa.String(128))
    sex: Mapped[Sex] = mapped_column(str_enum(Sex), default=Sex.UNKNOWN)
    neutered: Mapped[bool | None] = mapped_column(sa.Boolean)
    birth_date: Mapped[date | None] = mapped_column(sa.Date)
    birth_date_is_approximate: Mapped[bool] = mapped_column(
        sa.Boolean, default=False, server_default=sa.false()
    )
    # Integer grams: exact, and fine for a 30 g hamster and a 90 kg mastiff alike.
    weight_grams: Mapped[int | None] = mapped_column(sa.Integer)
    photo_file_id: Mapped[str | None] = mapped_column(sa.String(256))
    photo_key: Mapped[str | None] = mapped_column(sa.String(512))
    allergies: Mapped[str | None] = mapped_column(sa.Text)
    chronic_conditions: Mapped[str | None] = mapped_column(sa.Text)
    # ISO 11784: 15 digits, checked in core.microchip.
    microchip: Mapped[str | None] = mapped_column(sa.String(15))
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


class PetAccessModel(Base):
    __tablename__ = "pet_access"
    __table_args__ = (sa.UniqueConstraint("pet_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pet_id: Mapped[int] = mapped_column(sa.ForeignKey("pets.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    level: Mapped[AccessLevel] = mapped_column(str_enum(AccessLevel))
    granted_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
