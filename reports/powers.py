"""The powers list (权责清单) as a printed report: the generic table report plus the
list's statistics (counts per list kind, power type and carrying office, and the
items with no case this year) as its summary."""

from __future__ import annotations

import os
from datetime import date

from app.db import Database
from app.powers import stats, this_year
from app.services import list_rows
from app.specs.powers import LIST_KINDS, POWER_TYPES, POWERS
from reports import Cancel, Progress
from reports.pdf import write_ledger_pdf


def grouped_stats(db: Database, year: int | None = None) -> list[tuple[str, list]]:
    """app.powers.stats in bands for the report's summary table."""
    total, kinds, types, bodies, zero = [], [], [], [], []
    for label, n in stats(db, year):
        if label == "合计":
            total.append((label, n))
        elif label in LIST_KINDS:
            kinds.append((label, n))
        elif label in POWER_TYPES:
            types.append((label, n))
        elif label.startswith("零办件"):
            zero.append((label, n))
        else:
            bodies.append((label, n))
    return [("总体情况", total + zero), ("按清单类别", kinds), ("按权力类型", types),
            ("按承接科室", bodies)]


def write_powers_pdf(db: Database, path: str | os.PathLike, *, year: int | None = None,
                     rowset=None, report_date: date | None = None, subtitle: str | None = None,
                     progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """The street's 权责清单 as a PDF; `rowset` (e.g. the GUI's filtered view) defaults
    to every live item. Returns the page count."""
    street = db.street_name()
    rows = rowset if rowset is not None else list_rows(db, POWERS, POWERS.pdf_fields)
    return write_ledger_pdf(
        path, POWERS, rows, title=f"{street}权责清单", street_name=street, subtitle=subtitle,
        summary=grouped_stats(db, year or this_year()), report_date=report_date,
        progress=progress, cancel=cancel,
    )
