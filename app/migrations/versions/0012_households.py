"""households: households (户) and residents (居民) under the buildings

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _ledger_columns():
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('deleted_by', sa.String(length=64), nullable=True),
    ]


def upgrade() -> None:
    op.create_table('household',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('building', sa.String(length=50), nullable=False),
    sa.Column('door', sa.String(length=50), nullable=False),
    sa.Column('head_name', sa.String(length=50), nullable=False),
    sa.Column('members', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    *_ledger_columns(),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_household_area_id_area')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_household_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index('uq_household_natural_live', ['area_id', 'estate_id', 'building', 'door'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('resident',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('building', sa.String(length=50), nullable=False),
    sa.Column('door', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('relation', sa.String(length=16), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    *_ledger_columns(),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_resident_area_id_area')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_resident_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resident'))
    )
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resident_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resident_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index('uq_resident_natural_live', ['area_id', 'estate_id', 'building', 'door', 'name'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))


def downgrade() -> None:
    with op.batch_alter_table('resident', schema=None) as batch_op:
        batch_op.drop_index('uq_resident_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_resident_estate_id'))
        batch_op.drop_index(batch_op.f('ix_resident_area_id'))
    op.drop_table('resident')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index('uq_household_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_household_estate_id'))
        batch_op.drop_index(batch_op.f('ix_household_area_id'))
    op.drop_table('household')
