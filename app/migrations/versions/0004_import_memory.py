"""import memory: remembered heading mappings and aliases of referred rows

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_memory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ledger', sa.String(length=32), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('heading_key', sa.String(length=200), nullable=False),
    sa.Column('field', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_memory')),
    sa.UniqueConstraint('ledger', 'heading_key', name='uq_import_memory_heading')
    )
    op.create_table('ref_alias',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ledger', sa.String(length=32), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=200), nullable=False),
    sa.Column('alias_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ref_alias')),
    sa.UniqueConstraint('ledger', 'row_id', 'alias_key', name='uq_ref_alias_key')
    )
    with op.batch_alter_table('ref_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ref_alias_row_id'), ['row_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ref_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ref_alias_row_id'))
    op.drop_table('ref_alias')
    op.drop_table('import_memory')
