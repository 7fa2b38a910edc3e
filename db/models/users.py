from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.entities import DEFAULT_TIME_ZONE
from core.enums import Role
from core.quiet_hours import DEFAULT_QUIET_END, DEFAULT_QUIET_START, to_minutes
from db.base import Base, UtcDateTime, str_enum, utcnow

DEFAULT_QUIET_START_MINUTES = to_minutes(DEFAULT_QUIET_START)  # 1320, as in migration 0014
DEFAULT_QUIET_END_MINUTES = to_minutes(DEFAULT_QUIET_END)  # 480
KINDS_OFF_TYPE = sa.JSON().with_variant(JSONB(), "postgresql")


class UserModel(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Telegram ids exceed 2**31.
    telegram_id: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(sa.String(256))
    username: Mapped[str | None] = mapped_column(sa.String(64))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    time_zone: Mapped[str] = mapped_column(
        sa.String(64), default=DEFAULT_TIME_ZONE, server_default=DEFAULT_TIME_ZONE
    )
    consented_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Set when Telegram answers 403 "bot was blocked by the user" (or "user is deactivated");
    # cleared by the user's next update. Not indexed: read per user, never scanned.
    blocked_bot_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Reminder settings (issue #12). NULL: the user has not chosen a zone; `time_zone` then
    # holds the column default and their language's likely zone applies.
    time_zone_chosen_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # ReminderKind values switched off; a JSON list, since a user switches a handful at most
    # and they are only ever read with the user. JSONB on PostgreSQL: plain `json` has no `=`,
    # which comparing the server default (and any future query on it) needs.
    reminder_kinds_off: Mapped[list[str]] = mapped_column(
        KINDS_OFF_TYPE, default=list, server_default=sa.text("'[]'")
    )
    # Minutes after local midnight; start == end: no quiet hours.
    quiet_hours_start: Mapped[int] = mapped_column(
        sa.SmallInteger, default=DEFAULT_QUIET_START_MINUTES, server_default="1320"
    )
    quiet_hours_end: Mapped[int] = mapped_column(
        sa.SmallInteger, default=DEFAULT_QUIET_END_MINUTES, server_default="480"
    )

    # Loaded with the user every time: every User DTO carries its roles.
    role_rows: Mapped[list[UserRoleModel]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True
    )


class UserRoleModel(Base):
    """One row per role: portable (no arrays) and a role is added without touching others."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role), primary_key=True)
