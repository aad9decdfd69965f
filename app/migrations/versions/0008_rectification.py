"""rectification: placeholder — the rectification ledger's tables (filled in by its branch)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:35:00

"""


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
