from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import ReminderKind
from db.base import Base, JsonType, UtcDateTime, str_enum, utcnow


class ReminderModel(Base):
    """A message due to a user at `due_at` (UTC); `sent_at` makes sending idempotent."""

    __tablename__ = "reminders"
    __table_args__ = (sa.Index("ix_reminders_due_at", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pet_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    # Id of the scheduler's entry (taskiq schedule), to cancel or move it.
    schedule_id: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
