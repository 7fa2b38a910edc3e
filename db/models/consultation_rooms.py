from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UtcDateTime, utcnow


class ConsultationRoomModel(Base):
    """The video room of one appointment (core.interactors.consultation_lifecycle).

    One row per appointment (unique): inserting it is the scheduler's claim before the provider
    is asked, so a room is made once. The stamps `join_sent_at` / `failure_told_at` / `closed_at`
    are set by conditional UPDATEs (`... IS NULL`), so each message and the close happen once.
    """

    __tablename__ = "consultation_rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("appointments.id", ondelete="CASCADE"), unique=True
    )
    # The provider that made (or is to make) the room: `builtin`, `daily`.
    provider: Mapped[str] = mapped_column(sa.String(32))
    # The provider's handle, None until the room is made.
    provider_room_id: Mapped[str | None] = mapped_column(sa.String(128))
    provider_url: Mapped[str | None] = mapped_column(sa.String(512))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    failures: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    join_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    failure_told_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
