"""The rectification ledger's computed columns: days left, the warning colour, fixed,
closed on time and the lead unit, as SQL over the problem's own row and its child rows
(so the table, filters, figures and the PDF count them the same way, on SQLite and
PostgreSQL). Days count from the PC's date (app.sqldates.today)."""

from __future__ import annotations

from sqlalchemy import Boolean, and_, case, func, literal, not_, or_, select, type_coerce

from app.models import FunctionalBody, RectificationProgress, RectificationUnit
from app.sqldates import days_between, today_param

# States in which the responsible unit still has work to do: only these are warned about.
OPEN = ("未启动", "整改中")
FIXED = ("待验收", "已销号")  # rectified: finished by the unit (accepted or waiting)
CLOSED = "已销号"

# The thresholds' defaults; the stored ones (设置 → 整改预警与评比) are read in the SQL.
WARN_DAYS = 10  # 蓝: the deadline is at most this many days away
STALE_DAYS = 14  # 黄: no progress entered for longer than this
BEHIND_SHARE = 70  # 黄: reported percent below 70% of the share of time elapsed

WARNINGS = ("逾期", "滞后", "临期", "正常")  # 红, 黄, 蓝, none — in that order of weight
WARNING_COLOURS = {"逾期": "#c62828", "滞后": "#f9a825", "临期": "#1565c0"}
WARNING_NAMES = {"逾期": "红", "滞后": "黄", "临期": "蓝"}


def _threshold(name: str):
    from app.rectification_settings import sql_int

    return sql_int(name)


def days_left(model, _year=None):
    """Days to the deadline (negative: overdue by that many), for open problems only."""
    return case((model.status.in_(OPEN), days_between(model.deadline, today_param())),
                else_=None)


def _last_progress(model):
    return (select(func.max(RectificationProgress.day))
            .where(RectificationProgress.problem_id == model.id).scalar_subquery())


def _best_percent(model):
    """The highest percent reported; NULL when none was (the 14-day rule covers those)."""
    return (select(func.max(RectificationProgress.percent))
            .where(RectificationProgress.problem_id == model.id).scalar_subquery())


def behind(model):
    """黄: no progress for STALE_DAYS days (counted from the finding when there is none),
    or a reported percent below BEHIND_SHARE% of the share of the time elapsed between
    the finding and the deadline (percent × total < share × elapsed, in whole days)."""
    today = today_param()
    total = days_between(model.deadline, model.found_on)
    elapsed = days_between(today, model.found_on)
    last = func.coalesce(_last_progress(model), model.found_on)
    stale = days_between(today, last) > _threshold("stale_days")
    best = _best_percent(model)
    slow = and_(total > 0, elapsed > 0, best.is_not(None),
                best * total < _threshold("behind_share") * elapsed)
    return or_(stale, slow)


def warning(model, _year=None):
    """逾期 (past the deadline), 滞后, 临期 (deadline within WARN_DAYS days) or 正常;
    NULL for problems that are not open (waiting for acceptance, closed, long-term)."""
    left = days_between(model.deadline, today_param())
    return case(
        (not_(model.status.in_(OPEN)), None),
        (model.deadline.is_(None), literal("正常")),
        (left < 0, literal("逾期")),
        (behind(model), literal("滞后")),
        (left <= _threshold("warn_days"), literal("临期")),
        else_=literal("正常"))


def fixed(model, _year=None):
    return type_coerce(case((model.status.in_(FIXED), True), else_=False), Boolean)


def on_time(model, _year=None):
    """Closed problems: 是 when closed by the deadline; NULL while not closed."""
    return type_coerce(case(
        (model.status != CLOSED, None),
        (or_(model.deadline.is_(None), model.closed_on.is_(None)), True),
        (model.closed_on <= model.deadline, True),
        else_=False), Boolean)


def lead_unit(model, _year=None):
    return (select(FunctionalBody.name)
            .join(RectificationUnit, RectificationUnit.body_id == FunctionalBody.id)
            .where(RectificationUnit.problem_id == model.id, RectificationUnit.lead.is_(True))
            .limit(1).scalar_subquery())


def conclusion(model, _year=None):
    """验收结论 from the grade: 好/较好 通过, 一般/差 不通过, NULL before any grade."""
    return case((model.accept_grade.in_(("好", "较好")), literal("通过")),
                (model.accept_grade.in_(("一般", "差")), literal("不通过")), else_=None)
