"""rectification: the rectification ledger (problems, their responsible units and
progress log)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rectification_problem',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('source_doc', sa.String(length=100), nullable=False),
    sa.Column('aspect', sa.String(length=32), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('found_on', sa.Date(), nullable=True),
    sa.Column('leader', sa.String(length=50), nullable=False),
    sa.Column('person', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('rect_type', sa.String(length=16), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('result_note', sa.Text(), nullable=False),
    sa.Column('funds_planned', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('funds_spent', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('fund_source', sa.String(length=16), nullable=False),
    sa.Column('accept_unit', sa.String(length=100), nullable=False),
    sa.Column('accepted_by', sa.String(length=50), nullable=False),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('accept_method', sa.String(length=16), nullable=False),
    sa.Column('accept_grade', sa.String(length=8), nullable=False),
    sa.Column('accept_opinion', sa.Text(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('close_basis', sa.Text(), nullable=False),
    sa.Column('recheck_on', sa.Date(), nullable=True),
    sa.Column('recheck_result', sa.Text(), nullable=False),
    sa.Column('escalation', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_rectification_problem_area_id_area')),
    sa.ForeignKeyConstraint(['community_id'], ['area.id'], name=op.f('fk_rectification_problem_community_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_problem'))
    )
    with op.batch_alter_table('rectification_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_problem_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_problem_community_id'), ['community_id'], unique=False)
        batch_op.create_index('uq_rectification_problem_number_live', ['area_id', 'number'], unique=True, sqlite_where=sa.text("deleted_at IS NULL AND number <> ''"), postgresql_where=sa.text("deleted_at IS NULL AND number <> ''"))

    op.create_table('rectification_progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('work', sa.Text(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('by_whom', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_rectification_progress_problem_id_rectification_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_progress'))
    )
    with op.batch_alter_table('rectification_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_progress_problem_id'), ['problem_id'], unique=False)

    op.create_table('rectification_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('lead', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['functional_body.id'], name=op.f('fk_rectification_unit_body_id_functional_body')),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_rectification_unit_problem_id_rectification_problem'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rectification_unit'))
    )
    with op.batch_alter_table('rectification_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rectification_unit_body_id'), ['body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rectification_unit_problem_id'), ['problem_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('rectification_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_unit_problem_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_unit_body_id'))

    op.drop_table('rectification_unit')
    with op.batch_alter_table('rectification_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rectification_progress_problem_id'))

    op.drop_table('rectification_progress')
    with op.batch_alter_table('rectification_problem', schema=None) as batch_op:
        batch_op.drop_index('uq_rectification_problem_number_live')
        batch_op.drop_index(batch_op.f('ix_rectification_problem_community_id'))
        batch_op.drop_index(batch_op.f('ix_rectification_problem_area_id'))

    op.drop_table('rectification_problem')
