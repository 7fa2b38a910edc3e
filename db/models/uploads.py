from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class UploadModel(Base):
    """A stored file a user sent in a form (see core.ports.uploads).

    Pending while `claimed_at` is NULL. Deleting the user or the pet deletes the row; the file
    itself is removed by whoever deletes them (they read the keys first).
    """

    __tablename__ = "uploads"
    __table_args__ = (
        # The expiry job reads pending rows oldest first.
        sa.Index("ix_uploads_claimed_at_created_at", "claimed_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pet_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True
    )
    storage_key: Mapped[str] = mapped_column(sa.String(512), unique=True)
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
