"""Consultation reports: the vet's report of each appointment and its amendments.

Generated with Alembic's autogenerate and tidied, checked against the models by
tests/integration/test_migrations.py on PostgreSQL and SQLite. No report existed before this
revision: nothing is backfilled.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 12:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('consultation_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('pet_id', sa.Integer(), nullable=False),
    sa.Column('vet_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('assessment', sa.Text(), nullable=True),
    sa.Column('diagnosis', sa.Text(), nullable=True),
    sa.Column('recommendations', sa.Text(), nullable=True),
    sa.Column('prescriptions', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('in_person_visit', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'], name=op.f('fk_consultation_reports_appointment_id_appointments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pet_id'], ['pets.id'], name=op.f('fk_consultation_reports_pet_id_pets'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['medical_records.id'], name=op.f('fk_consultation_reports_record_id_medical_records'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vet_id'], ['vets.id'], name=op.f('fk_consultation_reports_vet_id_vets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_reports')),
    sa.UniqueConstraint('appointment_id', name=op.f('uq_consultation_reports_appointment_id'))
    )
    with op.batch_alter_table('consultation_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_reports_pet_id'), ['pet_id'], unique=False)

    op.create_table('consultation_report_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('content', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('author_user_id', sa.Integer(), nullable=True),
    sa.Column('amended_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_user_id'], ['users.id'], name=op.f('fk_consultation_report_amendments_author_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['consultation_reports.id'], name=op.f('fk_consultation_report_amendments_report_id_consultation_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation_report_amendments'))
    )
    with op.batch_alter_table('consultation_report_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_report_amendments_report_id'), ['report_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('consultation_report_amendments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_report_amendments_report_id'))

    op.drop_table('consultation_report_amendments')
    with op.batch_alter_table('consultation_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_reports_pet_id'))

    op.drop_table('consultation_reports')
