"""Issue #10, money rules: a moved appointment keeps the refund deadline it had.

`appointments.refund_until` is set when a paid appointment is rescheduled: a later
cancellation is refunded only before the earliest deadline the appointment ever had. NULL for
every existing row: those are governed by their start, as before.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 18:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refund_until', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_column('refund_until')
