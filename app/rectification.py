"""整改台账 rules and reads beyond the spec: problem numbers, the closing date stamped
at 销号, periods (month / quarter / year / week) and the 红黑榜 (units ranked by
completion and on-time rates). No Qt."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from app.errors import UserError
from app.models import RectificationProblem
from app.specs.rectification import NUMBER_PREFIX, PROBLEMS
from app.specs.rectification_columns import CLOSED as CLOSED_STATE

_SEQ = re.compile(r"(.+)-(\d{4})-(\d+)")


def assign_numbers(session, ids: list[int]) -> None:
    """Give problems without a number the next one of their year (ZG-2026-0001; the
    prefix is a setting), and stamp 销号日期 on problems just closed. Numbers are never
    reused: the sequence continues after every row ever numbered in the street (those in
    the recycle bin too) and after the highest number handed out (kept in the settings,
    so purging a row does not free its number)."""
    from app.areas import get_setting, set_setting
    from app.rectification_settings import _read
    from app.sqldates import today

    m = RectificationProblem
    objs = [session.get(m, i) for i in ids]
    for obj in objs:
        if obj.status == CLOSED_STATE and obj.closed_on is None:
            obj.closed_on = today()
    todo = [o for o in objs if not (o.number or "").strip()]
    if not todo:
        return
    head = _read(session).number_prefix or NUMBER_PREFIX
    taken: dict[tuple[int, int], int] = {}
    for obj in todo:
        year = (obj.found_on or today()).year
        k = (obj.area_id, year)
        if k not in taken:
            prefix = f"{head}-{year}-"
            numbers = session.execute(select(m.number).where(
                m.area_id == obj.area_id, m.number.startswith(prefix, autoescape=True))).scalars()
            issued = get_setting(session, _seq_key(obj.area_id, prefix))
            taken[k] = max([int(g.group(3)) for g in map(_SEQ.fullmatch, numbers) if g]
                           + [int(issued) if issued.isdigit() else 0])
        taken[k] += 1
        obj.number = f"{head}-{year}-{taken[k]:04d}"
    for (area, year), n in taken.items():
        set_setting(session, _seq_key(area, f"{head}-{year}-"), str(n))
    session.flush()


def _seq_key(area_id: int, prefix: str) -> str:
    return f"rectification.seq.{area_id}.{prefix}"


def create_problem(uow, values: dict, *, lead: int, co: tuple[int, ...] = (),
                   area_id: int | None = None) -> int:
    """Insert one problem with its responsible units inside the caller's unit of work
    (a meeting's decision, a yearly task list: source 联席会议议定 / 年度任务清单), through
    the ledger's write path — permission, rules, numbering, audit. `values` are the
    problem's fields as a form gives them (title, source, aspect, found_on, deadline …);
    lead and co are functional-body ids. Returns the new problem's id."""
    from app.core.writes import create

    units = [{"body_id": lead, "lead": True}]
    units += [{"body_id": b, "lead": False} for b in co if b != lead]
    return create(uow, PROBLEMS, {**values, "units": units}, area_id=area_id).id


# -- periods ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str  # 2026年第四季度
    key: str = field(default="", compare=False)  # 2026Q4, as typed on the command line

    @property
    def kind(self) -> str:
        """quarter, month, week or year."""
        k = self.key
        return "quarter" if "Q" in k else "week" if "W" in k else "month" if "-" in k \
            else "year"

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return parse_period(_key_of(self.kind, self.start - timedelta(days=1)))


def _key_of(kind: str, day: date) -> str:
    if kind == "quarter":
        return f"{day.year}Q{(day.month - 1) // 3 + 1}"
    if kind == "month":
        return f"{day.year}-{day.month:02d}"
    if kind == "week":
        y, w, _ = day.isocalendar()
        return f"{y}W{w:02d}"
    return str(day.year)


_QUARTER = "一二三四"


def parse_period(text: str | None, today: date | None = None) -> Period:
    """2026-11 (month), 2026Q4 (quarter), 2026 (year), 2026W49 (ISO week); none: this
    quarter. UserError (中文) for anything else."""
    today = today or date.today()
    raw = (text or "").strip().upper()
    if not raw:
        raw = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    if m := re.fullmatch(r"(\d{4})Q([1-4])", raw):
        y, q = int(m.group(1)), int(m.group(2))
        start = date(y, 3 * q - 2, 1)
        return Period(start, _month_end(y, 3 * q), f"{y}年第{_QUARTER[q - 1]}季度", f"{y}Q{q}")
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", raw):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return Period(date(y, mo, 1), _month_end(y, mo), f"{y}年{mo}月", f"{y}-{mo:02d}")
    if m := re.fullmatch(r"(\d{4})W(\d{1,2})", raw):
        y, w = int(m.group(1)), int(m.group(2))
        try:
            start = date.fromisocalendar(y, w, 1)
        except ValueError:
            pass
        else:
            return Period(start, start + timedelta(days=6), f"{y}年第{w}周", f"{y}W{w:02d}")
    if re.fullmatch(r"\d{4}", raw) and 1990 <= int(raw) <= 2100:
        y = int(raw)
        return Period(date(y, 1, 1), date(y, 12, 31), f"{y}年", str(y))
    raise UserError(f"期间“{text}”无法识别：应写成 2026-11（月）、2026Q4（季度）、"
                    "2026W49（周）或 2026（年）")


def _month_end(y: int, mo: int) -> date:
    return (date(y + mo // 12, mo % 12 + 1, 1)) - timedelta(days=1)


# -- 红黑榜 -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rules:
    completion_weight: float = 0.6
    on_time_weight: float = 0.4
    target: float = 95.0  # completion rate (%) a unit must reach for the red list
    top: int = 3
    bottom: int = 3

    @classmethod
    def of(cls, db) -> Rules:
        """The rules set in 设置 → 整改预警与评比 (weights stored as percents)."""
        from app.rectification_settings import get_settings

        st = get_settings(db)
        return cls(st.completion_weight / 100, st.on_time_weight / 100, st.target, st.top,
                   st.bottom)

    def text(self) -> str:
        return (f"评分 = 完成率 × {self.completion_weight:.0%} + 按期完成率 × "
                f"{self.on_time_weight:.0%}；完成率达到 {self.target:g}% 且排名前 {self.top} 位的"
                f"单位列入红榜，未达到且排名后 {self.bottom} 位的单位列入黑榜；"
                "统计截至期末应完成的问题，无问题的单位不参与排名。")


@dataclass
class UnitScore:
    unit: str
    due: int  # problems due by the end of the period
    fixed: int
    closed: int
    on_time: int
    overdue: int
    completion: float = 0.0
    on_time_rate: float = 0.0
    score: float = 0.0
    rank: int = 0
    exempt: str = ""  # reason when exempted from the lists (recorded with the list)
    black_times: int = 0  # consecutive black listings, this one included (0: not black)


@dataclass
class RedBlack:
    period: Period
    rules: Rules
    ranked: list[UnitScore]
    red: list[UnitScore] = field(default_factory=list)
    black: list[UnitScore] = field(default_factory=list)
    exempted: list[UnitScore] = field(default_factory=list)
    issued_by: str = ""  # an issued (frozen) list: who and when; "" while computed live
    issued_at: object = None


def unit_scores(db, period: Period) -> list[UnitScore]:
    """Per lead unit: problems due by the period's end, fixed, closed, closed on time,
    overdue now. Problems without a lead unit are left out."""
    from app.services import list_rows

    names = ("lead_unit", "found_on", "deadline", "status", "fixed", "on_time", "warning")
    fields = tuple(PROBLEMS.field(n) for n in names)
    rows = list_rows(db, PROBLEMS, fields)
    out: dict[str, UnitScore] = {}
    for r in rows.rows:
        unit, found, deadline, _status, fixed, on_time, warning = r
        if not unit or deadline is None or deadline > period.end:
            continue
        if found is not None and found > period.end:
            continue
        u = out.setdefault(unit, UnitScore(unit, 0, 0, 0, 0, 0))
        u.due += 1
        u.fixed += bool(fixed)
        u.closed += on_time is not None
        u.on_time += bool(on_time)
        u.overdue += warning == "逾期"
    return list(out.values())


def red_black(db, period: Period, rules: Rules | None = None,
              exempt: dict[str, str] | None = None) -> RedBlack:
    """Rank the lead units for `period`: score, competition ranking (equal scores share a
    rank; ties listed with fewer overdue first, then by name), the red and black lists.
    `exempt` (unit → reason) keeps a unit off both lists; it is still ranked."""
    from app.collation import sort_key

    rules = rules or (Rules.of(db) if db is not None else Rules())
    exempt = {k: v.strip() for k, v in (exempt or {}).items()}
    if any(not v for v in exempt.values()):
        raise UserError("免于列榜须说明理由")
    units = unit_scores(db, period)
    for u in units:
        u.completion = round(100 * u.fixed / u.due, 1)
        u.on_time_rate = round(100 * u.on_time / u.closed, 1) if u.closed else 0.0
        u.score = round(u.completion * rules.completion_weight
                        + u.on_time_rate * rules.on_time_weight, 1)
        u.exempt = exempt.get(u.unit, "")
    units.sort(key=lambda u: (-u.score, u.overdue, sort_key(u.unit)))
    for i, u in enumerate(units):
        u.rank = units[i - 1].rank if i and units[i - 1].score == u.score else i + 1
    listed = [u for u in units if not u.exempt]
    red = [u for u in listed if u.rank <= rules.top and u.completion >= rules.target]
    # Bottom N counted from the end the same way: fewer than N units scored lower.
    black = [u for u in listed if u.completion < rules.target and u not in red
             and sum(v.score < u.score for v in units) < rules.bottom]
    if db is not None:
        from app.rectification_lists import black_streaks

        streaks = black_streaks(db, period, [u.unit for u in black])
        for u in black:
            u.black_times = streaks.get(u.unit, 0) + 1
    return RedBlack(period, rules, units, red, black, [u for u in units if u.exempt])
