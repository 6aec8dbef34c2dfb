"""review before publishing (issue 15): a proposal sent to the workplaces' managers, and their
answers (accept, or periods when a team cannot release anyone), every answer kept

Revision ID: 0007_reviews
Revises: 0006_action_plans
Create Date: 2026-12-10
"""
from alembic import op
import sqlalchemy as sa


revision = '0007_reviews'
down_revision = '0006_action_plans'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reviews',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('schedule_id', sa.String(length=32), nullable=False),
    sa.Column('programme', sa.String(length=200), nullable=False),
    sa.Column('workplaces', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('open_schedule_id', sa.String(length=32), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_by', sa.String(length=32), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=32), nullable=True),
    sa.Column('variant_id', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['schedule_id'], ['schedules.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('open_schedule_id')
    )
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviews_schedule_id'), ['schedule_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reviews_programme'), ['programme'], unique=False)

    op.create_table('review_answers',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('review_id', sa.String(length=32), nullable=False),
    sa.Column('workplace', sa.String(length=200), nullable=False),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('blocked', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_by', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['reviews.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_answers_review_id'), ['review_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_answers_workplace'), ['workplace'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('review_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_answers_workplace'))
        batch_op.drop_index(batch_op.f('ix_review_answers_review_id'))
    op.drop_table('review_answers')
    with op.batch_alter_table('reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviews_programme'))
        batch_op.drop_index(batch_op.f('ix_reviews_schedule_id'))
    op.drop_table('reviews')
