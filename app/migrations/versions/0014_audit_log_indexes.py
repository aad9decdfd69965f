"""audit_log indexes: (ledger, row_id) for a row's history instead of the single-column
indexes on username, action and ledger, which no query needed on their own and which
each slowed a 100,000-row import's audit rows

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 15:30:00

"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index('ix_audit_log_username', table_name='audit_log')
    op.drop_index('ix_audit_log_action', table_name='audit_log')
    op.drop_index('ix_audit_log_ledger', table_name='audit_log')
    op.create_index('ix_audit_log_ledger_row', 'audit_log', ['ledger', 'row_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_log_ledger_row', table_name='audit_log')
    op.create_index('ix_audit_log_ledger', 'audit_log', ['ledger'], unique=False)
    op.create_index('ix_audit_log_action', 'audit_log', ['action'], unique=False)
    op.create_index('ix_audit_log_username', 'audit_log', ['username'], unique=False)
