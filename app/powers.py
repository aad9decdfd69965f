"""Domain functions of the powers list: statistics and yearly case counts."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import delete, func, select

from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.core.writes import load_for_change, touch
from app.db import Database
from app.models import FunctionalBody, PowerCaseCount, PowerItem
from app.services import scope_clause
from app.specs.powers import LIST_KINDS, POWER_TYPES, POWERS
from app.specs.settings import BODIES

UNASSIGNED = "未指定承接科室"


def this_year() -> int:
    return date.today().year


def zero_case_clause(year: int):
    """Items that handled no case in `year` (no count recorded, or 0)."""
    has_cases = select(PowerCaseCount.id).where(
        PowerCaseCount.item_id == PowerItem.id, PowerCaseCount.year == year,
        PowerCaseCount.count > 0,
    ).exists()
    return ~has_cases


def stats(db: Database, year: int | None = None) -> list[tuple[str, int]]:
    """合计, then per list kind, per power type, per carrying office, then zero-case items."""
    year = year or this_year()
    live = scope_clause(db, POWERS)
    with db.session() as s:
        total = s.execute(select(func.count()).where(live)).scalar_one()
        kinds = Counter(dict(s.execute(
            select(PowerItem.list_kind, func.count()).where(live).group_by(PowerItem.list_kind))
            .all()))
        types = Counter(dict(s.execute(
            select(PowerItem.power_type, func.count()).where(live).group_by(PowerItem.power_type))
            .all()))
        per_body = Counter(dict(s.execute(
            select(PowerItem.body_id, func.count()).where(live).group_by(PowerItem.body_id))
            .all()))
        bodies = s.execute(
            select(FunctionalBody.id, FunctionalBody.name)
            .where(scope_clause(db, BODIES, FunctionalBody))
            .order_by(FunctionalBody.sort_order, FunctionalBody.id)
        ).all()
        zero = s.execute(select(func.count()).where(live, zero_case_clause(year))).scalar_one()
    out = [("合计", total)]
    out += [(k, kinds.get(k, 0)) for k in LIST_KINDS]
    out += [(t, types.get(t, 0)) for t in POWER_TYPES]
    out += [(name, per_body.get(body_id, 0)) for body_id, name in bodies]
    if per_body.get(None):
        out.append((UNASSIGNED, per_body[None]))
    out.append((f"零办件事项（{year}年）", zero))
    return out


def stats_by_street(db: Database, year: int | None = None) -> list[tuple[str, list]]:
    """A district roll-up: (street name, stats) for each street the session can see."""
    from app.areas import streets_in_scope

    out = []
    for _id, name, path in streets_in_scope(db):
        if not path.startswith(db.scope_path):
            path = db.scope_path  # a community account: only its own part of the street
        with db.narrowed(path):
            out.append((name, stats(db, year)))
    return out


def case_counts(db: Database, item_id: int) -> dict[int, int]:
    with db.session() as s:
        rows = s.execute(select(PowerCaseCount.year, PowerCaseCount.count)
                         .where(PowerCaseCount.item_id == item_id)).all()
    return dict(rows)


def counts_for_year(db: Database, year: int) -> dict[int, int]:
    """item id → case count in `year`, for the table's 办件量 column."""
    with db.session() as s:
        rows = s.execute(select(PowerCaseCount.item_id, PowerCaseCount.count)
                         .where(PowerCaseCount.year == year)).all()
    return dict(rows)


@write_operation
def set_case_counts(db: Database, item_id: int, counts: dict[int, int | None],
                    expected_version: int | None) -> int:
    """Replace an item's yearly counts (None removes a year); bumps the item's version
    and audits the change under the item."""
    for year, n in counts.items():
        if not 1990 <= int(year) <= 2100:
            raise ValueError(f"年份 {year} 不在 1990–2100 之间")
        if n is not None and not 0 <= n <= 99_999_999:
            raise ValueError(f"{year}年的办件量应在 0–99999999 之间")
    with UnitOfWork(db) as uow:
        s = uow.session
        item = load_for_change(uow, POWERS, item_id, expected_version)
        old = dict(s.execute(select(PowerCaseCount.year, PowerCaseCount.count)
                             .where(PowerCaseCount.item_id == item_id)).all())
        new = {int(y): int(n) for y, n in counts.items() if n is not None}
        if old == new:
            return item.version
        s.execute(delete(PowerCaseCount).where(PowerCaseCount.item_id == item_id))
        for year, n in sorted(new.items()):
            s.add(PowerCaseCount(item_id=item_id, year=year, count=n))
        touch(uow, POWERS, item, {"case_counts": (_years(old), _years(new))})
    return item.version


def _years(counts: dict[int, int]) -> str:
    return "，".join(f"{y}年{n}件" for y, n in sorted(counts.items()))
