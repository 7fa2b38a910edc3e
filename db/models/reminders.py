from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import ReminderKind
from db.base import Base, JsonType, UtcDateTime, str_enum, utcnow

# The rows the sending job looks at, as stored; written literally because a migration must not
# change with the code. Claimed rows stay in it: a claim whose lease ran out is taken again.
PENDING_SQL = "sent_at IS NULL AND cancelled_at IS NULL"


class ReminderModel(Base):
    """A message due to a user at `due_at` (UTC), sent at most once by the claiming job.

    `claimed_at`/`claim_token` mark a row taken by a sending run (core.interactors.
    reminder_delivery): another run leaves it alone until the claim is older than the lease.
    `sent_at` set under the same token makes sending idempotent; `cancelled_at` with
    `cancel_reason` says why a row will never be sent (replaced, stopped, done, blocked, ...).
    """

    __tablename__ = "reminders"
    __table_args__ = (
        # "Due, unsent, uncancelled" is the job's every-15-seconds question: the index holds
        # only pending rows, so it stays small however many were sent.
        sa.Index(
            "ix_reminders_pending_due_at",
            "due_at",
            postgresql_where=sa.text(PENDING_SQL),
            sqlite_where=sa.text(PENDING_SQL),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pet_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True
    )
    # The card entry it is about (a vaccination's next dose); its rows go with the entry.
    record_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("medical_records.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(str_enum(ReminderKind))
    # Which of a kind's messages this is (core.reminder_schedule.Step): a column, not payload,
    # because the text depends on it and later kinds (24 h / 1 h before) query by it.
    step: Mapped[str | None] = mapped_column(sa.String(32))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    # Id of the scheduler's entry (taskiq schedule), to cancel or move it.
    schedule_id: Mapped[str | None] = mapped_column(sa.String(128), unique=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claim_token: Mapped[str | None] = mapped_column(sa.String(32))
    # Claims so far: a row that keeps failing is given up after a few (see the job).
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # The Telegram message the row was sent as (medication doses): edited once the dose is
    # given, so every co-owner sees by whom.
    message_id: Mapped[int | None] = mapped_column(sa.BigInteger())
