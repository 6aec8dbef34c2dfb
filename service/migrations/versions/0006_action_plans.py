"""action plans entered over the API (issue 15), and every change of them

Revision ID: 0006_action_plans
Revises: 0005_feed_tokens
Create Date: 2026-12-10
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_action_plans'
down_revision = '0005_feed_tokens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_plans',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('lineage', sa.String(length=200), nullable=False),
    sa.Column('workplace', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=True),
    sa.Column('created_role', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=32), nullable=True),
    sa.Column('updated_role', sa.String(length=20), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plans_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_plans_workplace'), ['workplace'], unique=False)
    op.create_table('action_plan_events',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('plan_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by', sa.String(length=32), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['action_plans.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('action_plan_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_events_plan_id'), ['plan_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('action_plan_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_events_plan_id'))
    op.drop_table('action_plan_events')
    with op.batch_alter_table('action_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plans_workplace'))
        batch_op.drop_index(batch_op.f('ix_action_plans_lineage'))
    op.drop_table('action_plans')
