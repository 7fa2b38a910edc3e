"""Users who blocked the bot: users.blocked_bot_at.

Written by hand (one nullable column), checked against the models by
tests/integration/test_migrations.py on PostgreSQL and SQLite. Nobody is known to have blocked
the bot before this revision: no backfill.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 08:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blocked_bot_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('blocked_bot_at')
