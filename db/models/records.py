from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import RecordKind
from db.base import Base, JsonType, UtcDateTime, str_enum, utcnow


class MedicalRecordModel(Base):
    """An entry of a pet's medical card.

    One table for every kind: the common fields are columns (listing and filtering use them),
    the kind-specific ones live in `data`, so a new kind or field needs no migration.
    """

    __tablename__ = "medical_records"
    __table_args__ = (
        # The card is read per pet, newest first, optionally by kind.
        sa.Index("ix_medical_records_pet_id_occurred_at", "pet_id", "occurred_at"),
        sa.Index("ix_medical_records_pet_id_kind", "pet_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pet_id: Mapped[int] = mapped_column(sa.ForeignKey("pets.id", ondelete="CASCADE"))
    kind: Mapped[RecordKind] = mapped_column(str_enum(RecordKind))
    title: Mapped[str] = mapped_column(sa.String(256))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    details: Mapped[str | None] = mapped_column(sa.Text)
    data: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    next_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # A record outlives its author's account: the card belongs to the pet.
    author_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    attachment_key: Mapped[str | None] = mapped_column(sa.String(512))
    attachment_content_type: Mapped[str | None] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
