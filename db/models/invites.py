from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import AccessLevel
from db.base import Base, UtcDateTime, str_enum, utcnow


class PetInviteModel(Base):
    """A one-time, expiring invitation to a pet (see core.interactors.sharing).

    Only the SHA-256 of the token is stored (hex, unique): whoever reads the table cannot use
    a pending link. Accepting is a conditional UPDATE on `used_at IS NULL`, so a link works
    once even when two people press it at the same moment. Deleting the pet or the inviter
    deletes the invite; deleting whoever used it only forgets who that was.
    """

    __tablename__ = "pet_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    pet_id: Mapped[int] = mapped_column(sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True)
    created_by_user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[AccessLevel] = mapped_column(str_enum(AccessLevel))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Indexed: PostgreSQL scans the referencing column when a user row is deleted.
    used_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
