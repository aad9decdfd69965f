"""grids: grid rosters — grid details on the area, grid workers and the grids they serve,
estates, buildings, key persons and their visits

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 07:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('estate',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('year_built', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('management', sa.String(length=16), nullable=False),
    sa.Column('property_company', sa.String(length=100), nullable=False),
    sa.Column('property_code', sa.String(length=18), nullable=False),
    sa.Column('red_stars', sa.Integer(), nullable=True),
    sa.Column('committee', sa.String(length=100), nullable=False),
    sa.Column('party_org_kind', sa.String(length=16), nullable=False),
    sa.Column('party_org_name', sa.String(length=100), nullable=False),
    sa.Column('party_secretary', sa.String(length=50), nullable=False),
    sa.Column('party_members', sa.Integer(), nullable=True),
    sa.Column('shared_space', sa.Boolean(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_estate_area_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_estate'))
    )
    with op.batch_alter_table('estate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_estate_area_id'), ['area_id'], unique=False)
        batch_op.create_index('uq_estate_natural_live', ['area_id', 'name'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('grid_worker',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('employment', sa.String(length=8), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('duties', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_grid_worker_area_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_worker'))
    )
    with op.batch_alter_table('grid_worker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_worker_area_id'), ['area_id'], unique=False)
        batch_op.create_index('uq_grid_worker_natural_live', ['area_id', 'name', 'id_number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('building',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('units', sa.Integer(), nullable=True),
    sa.Column('floors', sa.Integer(), nullable=True),
    sa.Column('lift', sa.Boolean(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('residents', sa.Integer(), nullable=True),
    sa.Column('head_name', sa.String(length=50), nullable=False),
    sa.Column('head_phone', sa.String(length=60), nullable=False),
    sa.Column('head_party', sa.Boolean(), nullable=True),
    sa.Column('teams', sa.Text(), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_building_area_id_area')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_building_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_building'))
    )
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_building_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_building_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index('uq_building_natural_live', ['area_id', 'estate_id', 'number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('grid_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['area.id'], name=op.f('fk_grid_assignment_grid_id_area')),
    sa.ForeignKeyConstraint(['worker_id'], ['grid_worker.id'], name=op.f('fk_grid_assignment_worker_id_grid_worker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_assignment')),
    sa.UniqueConstraint('worker_id', 'grid_id', name=op.f('uq_grid_assignment_worker_id'))
    )
    with op.batch_alter_table('grid_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_assignment_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_assignment_worker_id'), ['worker_id'], unique=False)

    op.create_table('key_person',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('building', sa.String(length=50), nullable=False),
    sa.Column('room', sa.String(length=50), nullable=False),
    sa.Column('categories', sa.Text(), nullable=False),
    sa.Column('risk_level', sa.String(length=4), nullable=False),
    sa.Column('controller', sa.String(length=50), nullable=False),
    sa.Column('helper', sa.String(length=50), nullable=False),
    sa.Column('listed_date', sa.Date(), nullable=True),
    sa.Column('released_date', sa.Date(), nullable=True),
    sa.Column('release_reason', sa.String(length=200), nullable=False),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_key_person_area_id_area')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_key_person_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_person'))
    )
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_person_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_key_person_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index('uq_key_person_natural_live', ['area_id', 'id_number'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('key_person_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('visitor', sa.String(length=50), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['key_person.id'], name=op.f('fk_key_person_visit_person_id_key_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_key_person_visit'))
    )
    with op.batch_alter_table('key_person_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_person_visit_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grid_kind', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('grid_subkind', sa.String(length=16), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('boundary', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('households', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('residents', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('party_org', sa.String(length=100), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.drop_column('party_org')
        batch_op.drop_column('residents')
        batch_op.drop_column('households')
        batch_op.drop_column('boundary')
        batch_op.drop_column('grid_subkind')
        batch_op.drop_column('grid_kind')

    with op.batch_alter_table('key_person_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_person_visit_person_id'))

    op.drop_table('key_person_visit')
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.drop_index('uq_key_person_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_key_person_estate_id'))
        batch_op.drop_index(batch_op.f('ix_key_person_area_id'))

    op.drop_table('key_person')
    with op.batch_alter_table('grid_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_assignment_worker_id'))
        batch_op.drop_index(batch_op.f('ix_grid_assignment_grid_id'))

    op.drop_table('grid_assignment')
    with op.batch_alter_table('building', schema=None) as batch_op:
        batch_op.drop_index('uq_building_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_building_estate_id'))
        batch_op.drop_index(batch_op.f('ix_building_area_id'))

    op.drop_table('building')
    with op.batch_alter_table('grid_worker', schema=None) as batch_op:
        batch_op.drop_index('uq_grid_worker_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_grid_worker_area_id'))

    op.drop_table('grid_worker')
    with op.batch_alter_table('estate', schema=None) as batch_op:
        batch_op.drop_index('uq_estate_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_estate_area_id'))

    op.drop_table('estate')
