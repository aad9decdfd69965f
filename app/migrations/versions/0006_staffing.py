"""staffing: 编制核定 (authorisations), 人员 (people) and their posts (岗位分配)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 07:35:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_person',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('gender', sa.String(length=4), nullable=False),
    sa.Column('ethnicity', sa.String(length=16), nullable=False),
    sa.Column('political', sa.String(length=32), nullable=False),
    sa.Column('education', sa.String(length=32), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('phone', sa.String(length=60), nullable=False),
    sa.Column('work_start', sa.Date(), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=False),
    sa.Column('est_type', sa.String(length=16), nullable=False),
    sa.Column('est_body_id', sa.Integer(), nullable=True),
    sa.Column('work_body_id', sa.Integer(), nullable=True),
    sa.Column('leader_rank', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('cert_level', sa.String(length=16), nullable=False),
    sa.Column('cert_number', sa.String(length=64), nullable=False),
    sa.Column('cert_date', sa.Date(), nullable=True),
    sa.Column('cert_registered', sa.Date(), nullable=True),
    sa.Column('cw_post', sa.String(length=16), nullable=False),
    sa.Column('cw_grade', sa.Integer(), nullable=True),
    sa.Column('cw_graded', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_staff_person_area_id_area')),
    sa.ForeignKeyConstraint(['est_body_id'], ['functional_body.id'], name=op.f('fk_staff_person_est_body_id_functional_body')),
    sa.ForeignKeyConstraint(['work_body_id'], ['functional_body.id'], name=op.f('fk_staff_person_work_body_id_functional_body')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_person'))
    )
    with op.batch_alter_table('staff_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_person_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_person_est_body_id'), ['est_body_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_person_work_body_id'), ['work_body_id'], unique=False)
        batch_op.create_index('uq_staff_person_id_number_live', ['id_number'], unique=True, sqlite_where=sa.text("deleted_at IS NULL AND id_number <> ''"), postgresql_where=sa.text("deleted_at IS NULL AND id_number <> ''"))

    op.create_table('staffing_authorisation',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=False),
    sa.Column('est_type', sa.String(length=16), nullable=False),
    sa.Column('authorised', sa.Integer(), nullable=False),
    sa.Column('leader_chief', sa.Integer(), nullable=True),
    sa.Column('leader_deputy', sa.Integer(), nullable=True),
    sa.Column('approval_no', sa.String(length=100), nullable=False),
    sa.Column('approval_date', sa.Date(), nullable=True),
    sa.Column('effective_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('remarks', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_staffing_authorisation_area_id_area')),
    sa.ForeignKeyConstraint(['body_id'], ['functional_body.id'], name=op.f('fk_staffing_authorisation_body_id_functional_body')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staffing_authorisation'))
    )
    with op.batch_alter_table('staffing_authorisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staffing_authorisation_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staffing_authorisation_body_id'), ['body_id'], unique=False)
        batch_op.create_index('uq_staffing_authorisation_natural_live', ['area_id', 'body_id', 'est_type'], unique=True, sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))

    op.create_table('staff_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('body_id', sa.Integer(), nullable=True),
    sa.Column('post_name', sa.String(length=100), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('duties', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['body_id'], ['functional_body.id'], name=op.f('fk_staff_post_body_id_functional_body')),
    sa.ForeignKeyConstraint(['person_id'], ['staff_person.id'], name=op.f('fk_staff_post_person_id_staff_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_post'))
    )
    with op.batch_alter_table('staff_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_post_person_id'), ['person_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('staff_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_post_person_id'))

    op.drop_table('staff_post')
    with op.batch_alter_table('staffing_authorisation', schema=None) as batch_op:
        batch_op.drop_index('uq_staffing_authorisation_natural_live', sqlite_where=sa.text('deleted_at IS NULL'), postgresql_where=sa.text('deleted_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_staffing_authorisation_body_id'))
        batch_op.drop_index(batch_op.f('ix_staffing_authorisation_area_id'))

    op.drop_table('staffing_authorisation')
    with op.batch_alter_table('staff_person', schema=None) as batch_op:
        batch_op.drop_index('uq_staff_person_id_number_live', sqlite_where=sa.text("deleted_at IS NULL AND id_number <> ''"), postgresql_where=sa.text("deleted_at IS NULL AND id_number <> ''"))
        batch_op.drop_index(batch_op.f('ix_staff_person_work_body_id'))
        batch_op.drop_index(batch_op.f('ix_staff_person_est_body_id'))
        batch_op.drop_index(batch_op.f('ix_staff_person_area_id'))

    op.drop_table('staff_person')
