"""feeds (issue 13): the URL token kept to be listed again (random, not derived from the secret
key: rotating the key breaks no link), and the manager a feed was handed to (revoked with them)

Revision ID: 0005_feed_tokens
Revises: 0004_job_sends
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_feed_tokens'
down_revision = '0004_job_sends'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('owner_token_id', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feeds', schema=None) as batch_op:
        batch_op.drop_column('owner_token_id')
        batch_op.drop_column('token')
