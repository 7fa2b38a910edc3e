"""Booking: a vet's buffer between consultations.

Written by hand (one column), checked against the models by tests/integration/test_migrations.py
on PostgreSQL and SQLite. The refund-pending payment state is a new PaymentStatus value: no
schema change (statuses are plain strings).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 15:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('vets', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('buffer_minutes', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('vets', schema=None) as batch_op:
        batch_op.drop_column('buffer_minutes')
