"""The powers list (权责清单) as a printed report: the generic table report plus the
list's statistics (counts per list kind, power type and carrying office, and the
items with no case this year) as its summary — counted over the rows printed, so a
filtered report's summary agrees with its 共N条 and its table."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date

from app.db import Database
from app.powers import UNASSIGNED, counts_for_year, stats, this_year
from app.services import list_rows
from app.specs.powers import LIST_KINDS, POWER_TYPES, POWERS
from reports import Cancel, Progress
from reports.pdf import ledger_sections
from reports.sections import Document, build_pdf

TOTAL = "合计"


def printed_stats(db: Database, rowset, year: int) -> list[tuple[str, int]]:
    """app.powers.stats' lines (合计, kinds, types, offices, 零办件), counted over `rowset`.

    The offices and their order come from the street's bodies (all listed, as in stats);
    a band whose column the rowset lacks is left out. 零办件 counts the printed rows with
    no case in `year`: from the rowset's case_count column when it has one (the GUI's
    view), else from the database for the printed ids."""
    names = [f.name for f in rowset.fields]

    def column(name):
        return None if name not in names else [r[names.index(name)] for r in rowset.rows]

    out: list[tuple[str, int]] = [(TOTAL, len(rowset.rows))]
    kinds, types, bodies = column("list_kind"), column("power_type"), column("body_id")
    if kinds is not None:
        got = Counter(kinds)
        out += [(k, got.get(k, 0)) for k in LIST_KINDS]
    if types is not None:
        got = Counter(types)
        out += [(t, got.get(t, 0)) for t in POWER_TYPES]
    if bodies is not None:
        got = Counter(b or None for b in bodies)
        known = set(LIST_KINDS) | set(POWER_TYPES) | {TOTAL, UNASSIGNED}
        order = [label for label, _n in stats(db, year)
                 if label not in known and not label.startswith("零办件")]
        out += [(label, got.get(label, 0)) for label in order]
        if got.get(None):
            out.append((UNASSIGNED, got[None]))
    cases = column("case_count")
    if cases is None:
        per_item = counts_for_year(db, year)
        cases = [per_item.get(i, 0) for i in rowset.ids]
    out.append((f"零办件事项（{year}年）", sum(1 for n in cases if not n)))
    return out


def grouped_stats(db: Database, year: int | None = None,
                  rowset=None) -> list[tuple[str, list]]:
    """The statistics in bands for the report's summary table: over `rowset` (the rows
    printed) when given, else over the whole ledger (app.powers.stats)."""
    year = year or this_year()
    lines = stats(db, year) if rowset is None else printed_stats(db, rowset, year)
    total, kinds, types, bodies, zero = [], [], [], [], []
    for label, n in lines:
        if label == TOTAL:
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


def powers_sections(db: Database, *, year: int | None = None, rowset=None,
                    report_date: date | None = None, subtitle: str | None = None) -> list:
    """The report's sections (title block, 一、汇总情况, 二、权责清单明细), for a meeting
    pack to compose; `rowset` defaults to every live item."""
    street = db.street_name()
    rows = rowset if rowset is not None else list_rows(db, POWERS, POWERS.pdf_fields)
    return ledger_sections(POWERS, rows, title=f"{street}权责清单", street_name=street,
                           subtitle=subtitle, summary=grouped_stats(db, year, rows),
                           report_date=report_date)


def write_powers_pdf(db: Database, path: str | os.PathLike, *, year: int | None = None,
                     rowset=None, report_date: date | None = None, subtitle: str | None = None,
                     progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """The street's 权责清单 as a PDF; `rowset` (e.g. the GUI's filtered view) defaults
    to every live item. Returns the page count."""
    street = db.street_name()
    sections = powers_sections(db, year=year, rowset=rowset, report_date=report_date,
                               subtitle=subtitle)
    doc = Document(sections, title=f"{street}权责清单", author=street, subject=POWERS.title,
                   landscape=POWERS.pdf_landscape)
    return build_pdf(path, doc, progress=progress, cancel=cancel)
