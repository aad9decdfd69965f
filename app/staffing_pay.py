"""社区工作者等级薪酬: the editable grade → pay table (3岗18级) kept in the database
(table staff_pay_grade). The grades a post category has rows for are its range (正职 7–18,
副职 4–15, 其他 1–12 by default): the grade rule reads them (loaded when a database
opens and after an edit here), the monthly pay column and the report read the table itself."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from app import staffing
from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.db import Database
from app.errors import UserError, ValidationError
from app.staffing import MAX_GRADE, default_pay_table

PAY_LIMIT = 99999  # 元/月


def _rows(session) -> dict[str, dict[int, int]]:
    from app.models import PayGrade

    out: dict[str, dict[int, int]] = {}
    for post, grade, pay in session.execute(
            select(PayGrade.post, PayGrade.grade, PayGrade.pay)
            .order_by(PayGrade.post, PayGrade.grade)):
        out.setdefault(post, {})[grade] = pay
    return out


def pay_rows(db: Database) -> dict[str, dict[int, int]]:
    """post → {grade: monthly pay} as stored."""
    with db.session() as s:
        return _rows(s)


def _set_ranges(table: dict[str, dict[int, int]]) -> None:
    staffing._RANGES.clear()
    staffing._RANGES.update({p: (min(g), max(g)) for p, g in table.items() if g})


def load(db: Database) -> None:
    """The stored ranges onto the grade rule (called when a database opens)."""
    _set_ranges(pay_rows(db))


def pay_column(model):
    """The person's monthly pay: their post and grade looked up in the stored table."""
    from app.models import PayGrade

    return (select(PayGrade.pay).where(PayGrade.post == model.cw_post,
                                       PayGrade.grade == model.cw_grade)
            .scalar_subquery())


def _check(table: dict[str, dict[int, int]]) -> dict[str, dict[int, int]]:
    from app.specs.staff import STAFF

    posts = STAFF.field("cw_post").choices
    clean: dict[str, dict[int, int]] = {}
    problems = []
    for post, grades in table.items():
        if post not in posts:
            problems.append(f"岗位类别“{post}”不在可选值中（{'、'.join(posts)}）")
            continue
        row: dict[int, int] = {}
        for grade, pay in grades.items():
            if pay in (None, ""):
                continue  # an empty cell: the grade is not in this category's range
            if not isinstance(grade, int) or not 1 <= grade <= MAX_GRADE:
                problems.append(f"{post}的等级应在 1–{MAX_GRADE} 级之间（现为 {grade}）")
                continue
            try:
                pay = int(str(pay).replace(",", "").strip())
            except ValueError:
                problems.append(f"{post}{grade}级的月薪酬“{pay}”不是整数")
                continue
            if not 1 <= pay <= PAY_LIMIT:
                problems.append(f"{post}{grade}级的月薪酬应在 1–{PAY_LIMIT} 元之间（现为 {pay}）")
                continue
            row[grade] = pay
        if not row:
            problems.append(f"{post}至少要有一个等级的月薪酬")
        elif max(row) - min(row) + 1 != len(row):
            gaps = [g for g in range(min(row), max(row)) if g not in row]
            problems.append(f"{post}的等级须连续（{min(row)}–{max(row)} 级中缺少 "
                            f"{'、'.join(f'{g}级' for g in gaps)}）")
        clean[post] = row
    if problems:
        raise ValidationError({"pay": "；".join(problems)}, {"pay": "社区工作者等级薪酬"})
    return clean


@write_operation
def set_pay_table(db: Database, table: dict[str, dict[int, int | str | None]]) -> bool:
    """Replace the pay of the post categories given (an administrator's setting); a
    category's range is the grades given a pay. Refused while a live person holds a grade
    the new range leaves out. Audited with the changed cells; False when nothing changed."""
    from app.models import PayGrade, Person

    clean = _check(table)
    with UnitOfWork(db) as uow:
        uow.allow("settings", db.street_id)
        s = uow.session
        old = _rows(s)
        for post, row in clean.items():
            lo, hi = min(row), max(row)
            n = s.execute(select(func.count(Person.id)).where(
                Person.cw_post == post, Person.cw_grade.is_not(None),
                (Person.cw_grade < lo) | (Person.cw_grade > hi),
                Person.deleted_at.is_(None))).scalar_one()
            if n:
                raise UserError(f"仍有 {n} 名人员的{post}岗位等级不在 {lo}–{hi} 级之内，"
                                "不能这样修改等级范围；可先调整这些人员的等级")
        diff = {}
        for post, row in clean.items():
            before = old.get(post, {})
            for g in sorted(set(before) | set(row)):
                if before.get(g) != row.get(g):
                    diff[f"{post}{g}级"] = (_yuan(before.get(g)), _yuan(row.get(g)))
        if not diff:
            return False
        for post, row in clean.items():
            s.execute(delete(PayGrade).where(PayGrade.post == post))
            s.add_all(PayGrade(post=post, grade=g, pay=p) for g, p in sorted(row.items()))
        uow.audit("update", "settings", None, "社区工作者等级薪酬", diff)
    _set_ranges({**old, **clean})
    return True


def reset_pay_table(db: Database) -> bool:
    """Back to the shipped table (an administrator's setting, audited like an edit)."""
    table: dict[str, dict[int, int]] = {}
    for post, grade, pay in default_pay_table():
        table.setdefault(post, {})[grade] = pay
    return set_pay_table(db, table)


def _yuan(v: int | None) -> str:
    return "（无）" if v is None else f"{v}元"
