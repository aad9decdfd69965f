"""What the 督查督办 officer issues and what it freezes: the 红黑榜 of a period (a
snapshot in `rectification_list` that later edits never change), and each month's
warnings (a row per warned problem in `rectification_warning`), from which problems are
escalated — two 黄 (滞后) months in one quarter → 专函督办; a 红 (逾期) → 约谈.

Warnings are recorded when the month's 月通报 is issued (`report bulletin --issue`, or
the page's 发布月通报): that is when a warning becomes the office's record. No Qt."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date

from sqlalchemy import select

from app.auth import VERIFIERS
from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.errors import PermissionDenied, UserError
from app.models import RectificationList, RectificationProblem, RectificationWarning
from app.rectification import Period, RedBlack, Rules, UnitScore, parse_period, red_black

LEDGER = "rectification_list"
LEVELS = ("滞后", "逾期")  # 黄, 红: the warnings that are recorded
ESCALATION_RANK = {"": 0, "专函督办": 1, "约谈": 2}


def _may_issue(db, what: str) -> None:
    user = db.user
    if user is not None and user.role not in VERIFIERS:
        raise PermissionDenied(f"{user.role_label}“{user.username}”无权{what}（限管理员、审核员）")


def _scope(db):
    return db.street_id


# -- the frozen 红黑榜 -----------------------------------------------------------------

def _encode(rb: RedBlack) -> tuple[str, str]:
    red, black = {u.unit for u in rb.red}, {u.unit for u in rb.black}
    rows = [{**asdict(u), "listed": "红榜" if u.unit in red else "黑榜" if u.unit in black
             else ""} for u in rb.ranked]
    return (json.dumps(asdict(rb.rules), ensure_ascii=False),
            json.dumps(rows, ensure_ascii=False))


def _decode(row: RectificationList) -> RedBlack:
    period = parse_period(row.period)
    rules = Rules(**json.loads(row.rules))
    ranked, red, black = [], [], []
    for item in json.loads(row.rows):
        listed = item.pop("listed", "")
        u = UnitScore(**item)
        ranked.append(u)
        (red if listed == "红榜" else black if listed == "黑榜" else []).append(u)
    return RedBlack(period, rules, ranked, red, black, [u for u in ranked if u.exempt],
                    issued_by=row.issued_by, issued_at=row.issued_at)


def issued_list(db, period: Period) -> RedBlack | None:
    """The 红黑榜 issued for `period`, exactly as it was issued; None if none was."""
    with db.session() as s:
        row = s.execute(select(RectificationList).where(
            RectificationList.area_id == _scope(db),
            RectificationList.period == period.key)).scalar_one_or_none()
        return _decode(row) if row is not None else None


def issued_periods(db) -> list[str]:
    with db.session() as s:
        return list(s.execute(select(RectificationList.period).where(
            RectificationList.area_id == _scope(db)).order_by(RectificationList.ends)).scalars())


def black_streaks(db, period: Period, units: list[str]) -> dict[str, int]:
    """unit → how many issued lists of the periods just before `period` (same kind, one
    after another, none skipped) had it on the black list."""
    out, todo, p = {}, set(units), period
    for _ in range(40):  # ten years of quarters is enough history
        if not todo:
            break
        p = p.previous()
        rb = issued_list(db, p)
        if rb is None:
            break
        black = {u.unit for u in rb.black}
        for unit in list(todo):
            if unit in black:
                out[unit] = out.get(unit, 0) + 1
            else:
                todo.discard(unit)
    return out


@write_operation
def issue_red_black(db, period_text: str | None, *, exempt: dict[str, str] | None = None,
                    today: date | None = None) -> RedBlack:
    """Compute the 红黑榜 of a period with the current rules and freeze it. An issued
    period cannot be issued again (the posted list stands). 管理员 or 审核员; audited."""
    _may_issue(db, "发布红黑榜")
    period = parse_period(period_text, today)
    if issued_list(db, period) is not None:
        raise UserError(f"{period.label}红黑榜已经发布，发布后的榜单不再改变，不能重复发布")
    rb = red_black(db, period, exempt=exempt)
    if not rb.ranked:
        raise UserError(f"{period.label}没有应完成的整改问题，无法排名发布")
    rules, rows = _encode(rb)
    with UnitOfWork(db) as uow:
        uow.allow("transition", db.street_id)
        row = RectificationList(area_id=_scope(db), period=period.key, label=period.label,
                                starts=period.start, ends=period.end, rules=rules, rows=rows,
                                issued_by=db.actor)
        uow.session.add(row)
        uow.session.flush()
        names = "、".join(u.unit for u in rb.red) or "无"
        blacks = "、".join(u.unit for u in rb.black) or "无"
        exempted = "；".join(f"{u.unit}（{u.exempt}）" for u in rb.exempted)
        uow.audit("create", LEDGER, row.id, f"发布{period.label}红黑榜：红榜 {names}；黑榜 {blacks}"
                  + (f"；免于列榜 {exempted}" if exempted else ""))
        rb.issued_by, rb.issued_at = db.actor, row.issued_at
    return rb


def red_black_for(db, period: Period, exempt: dict[str, str] | None = None) -> RedBlack:
    """What a report prints: the issued list if there is one, else the live one."""
    return issued_list(db, period) or red_black(db, period, exempt=exempt)


# -- warning history and escalation ------------------------------------------------------

def _quarter_months(month: str) -> list[str]:
    y, m = int(month[:4]), int(month[5:7])
    first = 3 * ((m - 1) // 3) + 1
    return [f"{y}-{k:02d}" for k in range(first, first + 3)]


def escalation_for(levels: list[str]) -> str:
    """From one quarter's recorded warnings of a problem: 约谈 for any 逾期, 专函督办 for
    two or more months warned (滞后 or worse), else nothing."""
    if "逾期" in levels:
        return "约谈"
    return "专函督办" if len(levels) >= 2 else ""


@write_operation
def record_warnings(db, month_text: str, *, today: date | None = None) -> dict[str, int]:
    """Freeze the month's 黄/红 warnings (one row per warned problem; recording the same
    month again replaces its rows) and escalate the problems: the quarter's records give
    专函督办 or 约谈, never lowering one already set. Returns counts."""
    from app.services import list_rows
    from app.specs.rectification import PROBLEMS

    _may_issue(db, "发布月通报")
    period = parse_period(month_text, today)
    if period.kind != "month":
        raise UserError(f"月通报的期间应写成 2026-11 这样的月份，而不是“{month_text}”")
    month = period.key
    rows = list_rows(db, PROBLEMS, (PROBLEMS.field("warning"), PROBLEMS.field("escalation")))
    warned = {i: r[0] for i, r in zip(rows.ids, rows.rows, strict=True) if r[0] in LEVELS}
    counts = {"滞后": 0, "逾期": 0, "专函督办": 0, "约谈": 0}
    W, P = RectificationWarning, RectificationProblem
    with UnitOfWork(db) as uow:
        uow.allow("transition", db.street_id)
        s = uow.session
        if rows.ids:
            s.execute(W.__table__.delete().where(W.month == month, W.problem_id.in_(
                select(P.id).where(P.area_id == _scope(db)))))
        if warned:
            s.execute(W.__table__.insert(), [{"problem_id": i, "month": month, "level": lv,
                                              "recorded_at": uow.stamp}
                                             for i, lv in warned.items()])
        for lv in warned.values():
            counts[lv] += 1
        history: dict[int, list[str]] = {}
        for pid, lv in s.execute(select(W.problem_id, W.level).where(
                W.month.in_(_quarter_months(month)), W.problem_id.in_(list(warned)))):
            history.setdefault(pid, []).append(lv)
        for pid, levels in history.items():
            want = escalation_for(levels)
            obj = s.get(P, pid)
            if ESCALATION_RANK[want] <= ESCALATION_RANK.get(obj.escalation, 0):
                continue
            old, obj.escalation = obj.escalation, want
            obj.updated_by, obj.updated_at = db.actor, uow.stamp
            s.flush()
            uow.audit("update", PROBLEMS.key, pid, f"{obj.number}，督办措施：{want}"
                      f"（{period.label}通报预警）", {"督办措施": (old, want)})
            counts[want] += 1
        uow.audit("export", PROBLEMS.key, None,
                  f"发布{period.label}月通报：黄色预警 {counts['滞后']} 个，红色预警 {counts['逾期']} 个")
    return counts


def warning_history(db, problem_id: int) -> list[tuple[str, str]]:
    """(month, level) of a problem's recorded warnings, oldest first."""
    W = RectificationWarning
    with db.session() as s:
        return [tuple(r) for r in s.execute(select(W.month, W.level).where(
            W.problem_id == problem_id).order_by(W.month))]
