"""Issue #12, medication doses: the Telegram message a reminder was sent as.

`message_id` NULL: not sent, sent before this revision, or a kind that is never edited. A
medication dose's messages are edited once someone marks the dose as given.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 06:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_column("message_id")
