"""When joint meetings are due: the street's every quarter, each community's every month
(the level's cadence, app.specs.meetings.CADENCE_MONTHS). A period counts as met when a
meeting of that level and area was held in it (any kind; 筹备 ones do not count).

`today` is passed in (tests name the day; the app passes app.sqldates.today())."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.models import Meeting
from app.services import ref_choices, scope_clause
from app.specs.meetings import CADENCE_MONTHS, MEETINGS, PLANNED


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive


def period_of(day: date, months: int) -> Period:
    """The cadence period holding `day`: its month, quarter or half year."""
    first = (day.month - 1) // months * months + 1
    start = date(day.year, first, 1)
    return Period(start, _add_months(start, months) - timedelta(days=1))


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def previous_period(p: Period, months: int) -> Period:
    return period_of(p.start - timedelta(days=1), months)


def next_period(p: Period, months: int) -> Period:
    return period_of(p.end + timedelta(days=1), months)


@dataclass(frozen=True)
class Cadence:
    area: str  # 南城街道, 白塔社区
    community_id: int | None
    level: str
    last_held: date | None
    held_now: bool  # a meeting was held in the current period
    next_due: date  # the end of the period the next meeting is due in
    behind: bool  # the last completed period had none
    missed: int  # completed periods of this year without one


def _held_days(db, level: str) -> dict[int | None, list[date]]:
    m = Meeting
    with db.session() as s:
        rows = s.execute(select(m.community_id, m.held_on).where(
            scope_clause(db, MEETINGS), m.level == level, m.status != PLANNED,
            m.held_on.isnot(None))).all()
    out: dict[int | None, list[date]] = {}
    for community, day in rows:
        out.setdefault(community, []).append(day)
    return out


def cadence_of(area: str, community_id: int | None, level: str, days: list[date],
               today: date) -> Cadence:
    months = CADENCE_MONTHS[level]
    now = period_of(today, months)
    past = [d for d in days if d <= today]
    held_now = any(now.start <= d <= now.end for d in past)
    prev = previous_period(now, months)
    behind = not any(prev.start <= d <= prev.end for d in past)
    missed, p = 0, period_of(date(today.year, 1, 1), months)
    while p.end < now.start:
        missed += not any(p.start <= d <= p.end for d in past)
        p = next_period(p, months)
    due = next_period(now, months).end if held_now else now.end
    return Cadence(area, community_id, level, max(past, default=None), held_now, due,
                   behind, missed)


def cadences(db, today: date | None = None) -> list[Cadence]:
    """The street's own joint meeting, then each community's in the street's order."""
    from app.sqldates import today as app_today

    today = today or app_today()
    out = []
    street = _held_days(db, "街道")
    if db.user is None or db.user.area_level == "street":
        out.append(cadence_of(db.street_name(), None, "街道", street.get(None, []), today))
    monthly = _held_days(db, "社区")
    for cid, name in _communities(db):
        out.append(cadence_of(name, cid, "社区", monthly.get(cid, []), today))
    return out


def _communities(db) -> list[tuple[int, str]]:
    f = MEETINGS.field("community_id")
    rows = ref_choices(db, f)
    user = db.user
    if user is not None and user.area_level == "community":
        return [(i, n) for i, n in rows if i == user.area_id]
    return rows


def behind_communities(db, today: date | None = None) -> list[Cadence]:
    """Communities whose monthly joint meeting of the last month is missing."""
    return [c for c in cadences(db, today) if c.level == "社区" and c.behind]

