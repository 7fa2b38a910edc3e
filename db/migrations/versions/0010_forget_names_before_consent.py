"""Issue #10, consent: personal data kept only after consent.

No schema change: the bot stops storing the Telegram name and username of people who have not
consented (an empty name, no username), and this revision forgets those it kept before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 18:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    users = sa.table(
        "users",
        sa.column("first_name", sa.String),
        sa.column("username", sa.String),
        sa.column("consented_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        users.update().where(users.c.consented_at.is_(None)).values(first_name="", username=None)
    )


def downgrade() -> None:
    # What was forgotten cannot come back; the schema is the same either way.
    pass
