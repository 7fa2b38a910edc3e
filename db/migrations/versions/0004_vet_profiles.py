"""Vet profiles: specialisations, years of practice, photo, submission and verification; vet
invites (one-time links, token stored as SHA-256 only).

Written by hand after the models, checked against them by tests/integration/test_migrations.py
on PostgreSQL and SQLite. Vets that existed before this revision were seeded directly and were
visible to owners: they are backfilled as submitted and verified, so nobody disappears.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('vets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('specialisations', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('years_of_practice', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('photo_file_id', sa.String(length=256), nullable=True))
        batch_op.add_column(
            sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
    op.execute('UPDATE vets SET submitted_at = created_at, verified_at = created_at')

    op.create_table('vet_invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by_user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_by_user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_user_id'], ['users.id'], name=op.f('fk_vet_invites_created_by_user_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['used_by_user_id'], ['users.id'], name=op.f('fk_vet_invites_used_by_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vet_invites')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_vet_invites_token_hash'))
    )
    with op.batch_alter_table('vet_invites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vet_invites_created_by_user_id'), ['created_by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vet_invites_used_by_user_id'), ['used_by_user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('vet_invites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vet_invites_used_by_user_id'))
        batch_op.drop_index(batch_op.f('ix_vet_invites_created_by_user_id'))

    op.drop_table('vet_invites')

    with op.batch_alter_table('vets', schema=None) as batch_op:
        batch_op.drop_column('verified_at')
        batch_op.drop_column('submitted_at')
        batch_op.drop_column('photo_file_id')
        batch_op.drop_column('years_of_practice')
        batch_op.drop_column('specialisations')
