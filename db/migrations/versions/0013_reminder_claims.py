"""Issue #12, reminders: the card entry a reminder is about, its step, claims, why cancelled.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 02:20:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Literal, as in db/models/reminders.py (a migration must not change with the code).
PENDING_SQL = "sent_at IS NULL AND cancelled_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("step", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claim_token", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("attempts", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("cancel_reason", sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_reminders_record_id_medical_records"),
            "medical_records",
            ["record_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_reminders_record_id"), ["record_id"], unique=False)
        batch_op.drop_index("ix_reminders_due_at")
        batch_op.create_index(
            "ix_reminders_pending_due_at",
            ["due_at"],
            unique=False,
            postgresql_where=sa.text(PENDING_SQL),
            sqlite_where=sa.text(PENDING_SQL),
        )


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_reminders_pending_due_at",
            postgresql_where=sa.text(PENDING_SQL),
            sqlite_where=sa.text(PENDING_SQL),
        )
        batch_op.create_index("ix_reminders_due_at", ["due_at"], unique=False)
        batch_op.drop_index(batch_op.f("ix_reminders_record_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_reminders_record_id_medical_records"), type_="foreignkey"
        )
        batch_op.drop_column("cancel_reason")
        batch_op.drop_column("attempts")
        batch_op.drop_column("claim_token")
        batch_op.drop_column("claimed_at")
        batch_op.drop_column("step")
        batch_op.drop_column("record_id")
