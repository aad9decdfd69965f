"""meetings: joint meetings (people, agenda, decisions linked to rectification
problems) and community deliberations

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 10:19:03.007377
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meeting',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('community_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('issue', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('convener', sa.String(length=100), nullable=False),
    sa.Column('chair', sa.String(length=50), nullable=False),
    sa.Column('recorder', sa.String(length=50), nullable=False),
    sa.Column('minutes_no', sa.String(length=64), nullable=False),
    sa.Column('minutes_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_meeting_area_id_area')),
    sa.ForeignKeyConstraint(['community_id'], ['area.id'], name=op.f('fk_meeting_community_id_area')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_community_id'), ['community_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_held_on'), ['held_on'], unique=False)

    op.create_table('deliberation',
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('estate_id', sa.Integer(), nullable=True),
    sa.Column('held_on', sa.Date(), nullable=True),
    sa.Column('form', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_deliberation_area_id_area')),
    sa.ForeignKeyConstraint(['estate_id'], ['estate.id'], name=op.f('fk_deliberation_estate_id_estate')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation'))
    )
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliberation_estate_id'), ['estate_id'], unique=False)

    op.create_table('meeting_agenda',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('materials', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_agenda_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_agenda'))
    )
    with op.batch_alter_table('meeting_agenda', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_agenda_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('feedback_weeks', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_decision_meeting_id_meeting')),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_meeting_decision_problem_id_rectification_problem')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_decision')),
    sa.UniqueConstraint('problem_id', name=op.f('uq_meeting_decision_problem_id'))
    )
    with op.batch_alter_table('meeting_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_decision_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('deliberation_problem',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deliberation_id', sa.Integer(), nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['deliberation_id'], ['deliberation.id'], name=op.f('fk_deliberation_problem_deliberation_id_deliberation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['problem_id'], ['rectification_problem.id'], name=op.f('fk_deliberation_problem_problem_id_rectification_problem')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliberation_problem'))
    )
    with op.batch_alter_table('deliberation_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliberation_problem_deliberation_id'), ['deliberation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliberation_problem_problem_id'), ['problem_id'], unique=False)

    op.create_table('meeting_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('unit', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_person_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_person.id'], name=op.f('fk_meeting_person_staff_id_staff_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_person'))
    )
    with op.batch_alter_table('meeting_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_person_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_person_staff_id'), ['staff_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('meeting_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_person_staff_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_person_meeting_id'))

    op.drop_table('meeting_person')
    with op.batch_alter_table('deliberation_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_problem_problem_id'))
        batch_op.drop_index(batch_op.f('ix_deliberation_problem_deliberation_id'))

    op.drop_table('deliberation_problem')
    with op.batch_alter_table('meeting_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_decision_meeting_id'))

    op.drop_table('meeting_decision')
    with op.batch_alter_table('meeting_agenda', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_agenda_meeting_id'))

    op.drop_table('meeting_agenda')
    with op.batch_alter_table('deliberation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliberation_estate_id'))
        batch_op.drop_index(batch_op.f('ix_deliberation_area_id'))

    op.drop_table('deliberation')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_held_on'))
        batch_op.drop_index(batch_op.f('ix_meeting_community_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_area_id'))

    op.drop_table('meeting')
