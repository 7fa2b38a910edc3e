"""Issue #13, the pet's microchip number (medical card): pets.microchip.

ISO 11784: 15 digits, checked in core.microchip; nullable, most pets have none recorded.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 19:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("pets") as batch:
        batch.add_column(sa.Column("microchip", sa.String(length=15), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pets") as batch:
        batch.drop_column("microchip")
