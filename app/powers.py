"""Domain functions of the powers list: its statistics and yearly case counts, both
expressed through the spec (figures, the 办件量 child collection)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.children import read_children, save_children
from app.core.ops import write_operation
from app.db import Database
from app.figures import figures, figures_by_street, this_year
from app.models import PowerCaseCount
from app.specs.powers import CASE_COUNTS, POWERS, UNASSIGNED

__all__ = ["UNASSIGNED", "this_year", "stats", "stats_by_street", "case_counts",
           "counts_for_year", "set_case_counts"]


def stats(db: Database, year: int | None = None) -> list[tuple[str, int]]:
    """合计, then per list kind, per power type, per carrying office, then the items not
    reported and those reported as 0 for `year` — the spec's figures as lines."""
    return [(v.label, v.value) for v in figures(db, POWERS, year)]


def stats_by_street(db: Database, year: int | None = None) -> list[tuple[str, list]]:
    """A district roll-up: (street name, stats) for each street the session can see."""
    return [(name, [(v.label, v.value) for v in values])
            for name, values in figures_by_street(db, POWERS, year)]


def case_counts(db: Database, item_id: int) -> dict[int, int]:
    return {r["year"]: r["count"] for r in read_children(db, POWERS, item_id, "case_counts")}


def counts_for_year(db: Database, year: int) -> dict[int, int]:
    """item id → case count in `year` (items with none reported are absent)."""
    with db.session() as s:
        rows = s.execute(select(PowerCaseCount.item_id, PowerCaseCount.count)
                         .where(PowerCaseCount.year == year)).all()
    return dict(rows)


@write_operation
def set_case_counts(db: Database, item_id: int, counts: dict[int, int | None],
                    expected_version: int | None) -> int:
    """Replace an item's yearly counts (None removes a year); bumps the item's version
    and audits the change under the item. ValueError for a year or count out of range."""
    for year, n in counts.items():
        if not 1990 <= int(year) <= 2100:
            raise ValueError(f"年份 {year} 不在 1990–2100 之间")
        if n is not None and not 0 <= n <= 99_999_999:
            raise ValueError(f"{year}年的办件量应在 0–99999999 之间")
    rows = [{"year": int(y), "count": int(n)} for y, n in sorted(counts.items()) if n is not None]
    return save_children(db, POWERS, item_id, CASE_COUNTS.name, rows, expected_version)
