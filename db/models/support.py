from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class SupportTicketModel(Base):
    """A question asked through /paysupport (see core.interactors.support).

    Deleted with its asker (it is their words); an answering admin who leaves only nulls
    `answered_by_user_id`.
    """

    __tablename__ = "support_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(sa.Text())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Indexed: PostgreSQL scans the referencing column when a user row is deleted.
    answered_by_user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
