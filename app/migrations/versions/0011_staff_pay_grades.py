"""staff pay grades: the editable 社区工作者等级薪酬 table (post category × grade → monthly
pay), filled with the shipped defaults (正职 7–18, 副职 4–15, 其他 1–12)

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02 10:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table('staff_pay_grade',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post', sa.String(length=16), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('pay', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_pay_grade')),
    sa.UniqueConstraint('post', 'grade', name=op.f('uq_staff_pay_grade_post'))
    )
    # The shipped table (app.staffing.default_pay), written out: a migration stays as it was.
    rows = []
    for post, lo, hi, base, step in (("正职", 7, 18, 3000, 200), ("副职", 4, 15, 2500, 160),
                                     ("其他", 1, 12, 2000, 150)):
        rows += [{"post": post, "grade": g, "pay": base + step * (g - lo)}
                 for g in range(lo, hi + 1)]
    op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table('staff_pay_grade')
