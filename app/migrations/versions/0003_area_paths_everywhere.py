"""area paths everywhere

The first release imported communities without their materialised path; an account
homed in such a community saw every row. Recompute every area's path from the tree.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:40:00
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

MAX_DEPTH = 8  # district → street → community → grid → estate → building, with room


def upgrade() -> None:
    op.execute("UPDATE area SET path = '/' || CAST(id AS VARCHAR) || '/' WHERE parent_id IS NULL")
    for _ in range(MAX_DEPTH):
        op.execute(
            "UPDATE area SET path = (SELECT p.path FROM area p WHERE p.id = area.parent_id)"
            " || CAST(id AS VARCHAR) || '/' WHERE parent_id IS NOT NULL")


def downgrade() -> None:
    pass  # the paths stay correct
