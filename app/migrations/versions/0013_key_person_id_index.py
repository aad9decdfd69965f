"""key_person id_number index: the once-per-street check of a key person's ID number
looks rows up by the number alone (the natural-key index starts with the grid), and
without this index a 100,000-row import scanned the table 200 times

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:00:00

"""
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_key_person_id_number'), ['id_number'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('key_person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_key_person_id_number'))
