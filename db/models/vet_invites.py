from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class VetInviteModel(Base):
    """A one-time, expiring invitation to become a vet (see core.interactors.vets).

    Like pet invites: only the SHA-256 of the token is stored, and accepting is a conditional
    UPDATE on `used_at IS NULL`, so a link works once even when pressed twice at once.
    """

    __tablename__ = "vet_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Indexed: PostgreSQL scans the referencing column when a user row is deleted.
    used_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
