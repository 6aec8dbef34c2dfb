"""drafts and publishing (issue 13): a solve stores a draft; only publishing numbers it in its
programme's lineage and changes the feeds

Revision ID: 0003_drafts_and_publishing
Revises: 0002_whatif_variants
Create Date: 2026-12-04
"""
from alembic import op
import sqlalchemy as sa


revision = '0003_drafts_and_publishing'
down_revision = '0002_whatif_variants'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('schedules', schema=None) as batch_op:
        batch_op.alter_column('revision', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('published_by', sa.String(length=32), nullable=True))
    # Before drafts existed every stored schedule of a scenario's own lineage was published.
    op.execute("UPDATE schedules SET published_at = created_at WHERE lineage NOT LIKE 'variant:%'")


def downgrade() -> None:
    op.execute("DELETE FROM schedules WHERE revision IS NULL")
    with op.batch_alter_table('schedules', schema=None) as batch_op:
        batch_op.drop_column('published_by')
        batch_op.drop_column('published_at')
        batch_op.alter_column('revision', existing_type=sa.Integer(), nullable=False)
