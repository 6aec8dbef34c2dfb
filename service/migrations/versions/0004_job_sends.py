"""queued jobs whose broker message was lost are sent again (issue 13): how often, and when last

Revision ID: 0004_job_sends
Revises: 0003_drafts_and_publishing
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_job_sends'
down_revision = '0003_drafts_and_publishing'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sends', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
        batch_op.drop_column('sends')
