"""rectification follow-up: measures, milestones, issued lists, warning history, place, acceptance and closing stamps

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:35:25

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rectification_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('label', sa.String(length=32), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('ends', sa.Date(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('rows', sa.Text(), nullable=False),
    sa.Column('issued_by', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_rectification_list_area_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_list')),
    sa.UniqueConstraint('area_id', 'period', name=op.f('uq_rectification_list_area_id'))
    )
    with op.batch_alter_table('rectification_list', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_list_area_id'), ['area_id'], unique=False)

    op.create_table('rectification_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_rectification_measure_problem_id_rectification_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_measure'))
    )
    with op.batch_alter_table('rectification_measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_measure_problem_id'), ['problem_id'], unique=False)

    op.create_table('rectification_milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_rectification_milestone_problem_id_rectification_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_milestone'))
    )
    with op.batch_alter_table('rectification_milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_milestone_problem_id'), ['problem_id'], unique=False)

    op.create_table('rectification_warning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_rectification_warning_problem_id_rectification_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_warning')),
    sa.UniqueConstraint('problem_id', 'month', name=op.f('uq_rectification_warning_problem_id'))
    )
    with op.batch_alter_table('rectification_warning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_warning_problem_id'), ['problem_id'], unique=False)

    with op.batch_alter_table('rectification_problem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grid_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('estate_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('accept_requested_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('rounds', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_rectification_problem_estate_id'), ['estate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_problem_grid_id'), ['grid_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_rectification_problem_grid_id_area'), 'area', ['grid_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_rectification_problem_estate_id_estate'), 'estate', ['estate_id'], ['id'])



def downgrade() -> None:
    with op.batch_alter_table('rectification_problem', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_rectification_problem_estate_id_estate'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_rectification_problem_grid_id_area'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_rectification_problem_grid_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_problem_estate_id'))
        batch_op.drop_column('rounds')
        batch_op.drop_column('closed_by')
        batch_op.drop_column('accept_requested_on')
        batch_op.drop_column('estate_id')
        batch_op.drop_column('grid_id')

    with op.batch_alter_table('rectification_warning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_warning_problem_id'))

    op.drop_table('rectification_warning')
    with op.batch_alter_table('rectification_milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_milestone_problem_id'))

    op.drop_table('rectification_milestone')
    with op.batch_alter_table('rectification_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_measure_problem_id'))

    op.drop_table('rectification_measure')
    with op.batch_alter_table('rectification_list', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_list_area_id'))

    op.drop_table('rectification_list')
