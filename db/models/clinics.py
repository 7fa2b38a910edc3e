from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.enums import Species
from db.base import Base, UtcDateTime, str_enum, utcnow


class ClinicModel(Base):
    """A clinic in the directory, suggested for in-person or emergency care."""

    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(256))
    city: Mapped[str] = mapped_column(sa.String(128), index=True)
    address: Mapped[str] = mapped_column(sa.String(512))
    phone: Mapped[str | None] = mapped_column(sa.String(64))
    website: Mapped[str | None] = mapped_column(sa.String(256))
    is_24_7: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    latitude: Mapped[float | None] = mapped_column(sa.Double)
    longitude: Mapped[float | None] = mapped_column(sa.Double)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)

    species_rows: Mapped[list[ClinicSpeciesModel]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )


class ClinicSpeciesModel(Base):
    __tablename__ = "clinic_species"

    clinic_id: Mapped[int] = mapped_column(
        sa.ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    species: Mapped[Species] = mapped_column(str_enum(Species), primary_key=True)
