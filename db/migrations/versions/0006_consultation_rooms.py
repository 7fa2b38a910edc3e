"""Consultations: the video room of each appointment, and the call's end and duration.

Written by hand, checked against the models by tests/integration/test_migrations.py on
PostgreSQL and SQLite. The joins and leaves (`owner_joined_at`, `vet_joined_at`,
`owner_left_at`, `vet_left_at`) exist since 0001; no call has happened before this revision,
so nothing is backfilled.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('consultation_rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('provider', sa.String(length=32), nullable=False),
    sa.Column('provider_room_id', sa.String(length=128), nullable=True),
    sa.Column('provider_url', sa.String(length=512), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('join_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_consultation_rooms_appointment_id_appointments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_rooms')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_consultation_rooms_appointment_id'))
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('duration_seconds', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_column('duration_seconds')
        batch_op.drop_column('call_ended_at')
    op.drop_table('consultation_rooms')
