"""Issue #12, reminder settings on users: the zone's choice time, kinds off, quiet hours.

`time_zone_chosen_at` NULL: the user has not chosen (their language's likely zone applies).
`reminder_kinds_off`: a JSON list of ReminderKind values. Quiet hours: minutes after local
midnight, 22:00–08:00 by default; equal ends mean none. Data: each user's `time_zone` becomes
their language's likely zone (English: Europe/London); a downgrade keeps it, since the code
before this revision reads `time_zone` alone and London is the better guess for it too.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 02:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIKELY_ZONES = {"en": "Europe/London", "ru": "Europe/Moscow"}


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("time_zone_chosen_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column(
                "reminder_kinds_off",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                server_default=sa.text("'[]'"),
                nullable=False,
            )
        )
        batch.add_column(
            sa.Column(
                "quiet_hours_start", sa.SmallInteger(), server_default="1320", nullable=False
            )
        )
        batch.add_column(
            sa.Column("quiet_hours_end", sa.SmallInteger(), server_default="480", nullable=False)
        )
    # Nobody has chosen a zone yet: each user's `time_zone` becomes their language's likely
    # zone, so every reader of it (booking, notices, PDFs, reminders) is right without change.
    # Frozen copies of core.time_zones.DEFAULT_ZONES: a migration must not follow later edits.
    # A user without a language keeps the column default (Moscow, as for Russian).
    users = sa.table(
        "users",
        sa.column("language", sa.String()),
        sa.column("time_zone", sa.String()),
        sa.column("time_zone_chosen_at", sa.DateTime(timezone=True)),
    )
    for language, time_zone in LIKELY_ZONES.items():
        op.execute(
            users.update()
            .where(users.c.language == language, users.c.time_zone_chosen_at.is_(None))
            .values(time_zone=time_zone)
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("quiet_hours_end")
        batch.drop_column("quiet_hours_start")
        batch.drop_column("reminder_kinds_off")
        batch.drop_column("time_zone_chosen_at")
