"""整改台账 for higher levels: one workbook of three sheets — 问题清单 (what was found),
责任清单 (who rectifies, by when, how), 销号清单 (the closed problems with their
acceptance) — as `main.py export problems OUT.xlsx` writes it. Cells are guarded like
every export (reports.xlsx: no formulas from user text)."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

from app.normalize import format_date
from app.services import list_rows
from app.specs.rectification import PROBLEMS
from reports import is_masked_field, mask_id

SHEETS = (
    ("问题清单", ("number", "title", "description", "source", "source_doc", "aspect",
                  "severity", "community_id", "place", "found_on", "status", "warning",
                  "days_left", "escalation"), False),
    ("责任清单", ("number", "title", "units", "leader", "person", "phone", "rect_type",
                  "deadline", "milestones", "measures", "progress", "funds_planned",
                  "funds_spent", "fund_source"), False),
    ("销号清单", ("number", "title", "lead_unit", "deadline", "result_note", "accept_unit",
                  "accepted_by", "accepted_on", "accept_method", "accept_grade",
                  "accept_opinion", "closed_on", "on_time", "close_basis", "recheck_on",
                  "recheck_result", "rounds"), True),
)


def _cell(ws, f, v, masked: bool):
    from reports.xlsx import text_cell

    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, (int, float, date)) and not isinstance(v, bool):
        return v
    text = f.display(v)
    return text_cell(ws, mask_id(text) if masked else text)


def export_problems(db, path: str | os.PathLike, *, mask_ids: bool = True) -> dict[str, int]:
    """Write the three sheets; returns rows per sheet. Audited like every export."""
    from openpyxl import Workbook

    from app.auth import authorize
    from reports.export import audit_output
    from reports.xlsx import SheetWriter, _discard, field_width, save_workbook

    authorize(db, "export")
    names = dict.fromkeys(n for _t, fields, _c in SHEETS for n in fields)
    rows = list_rows(db, PROBLEMS, tuple(PROBLEMS.field(n) for n in names))
    index = {f.name: k for k, f in enumerate(rows.fields)}
    street = db.street_name()
    stamp = f"导出日期：{format_date(date.today())}"
    counts = {}
    wb = Workbook(write_only=True)
    try:
        for title, fields, closed_only in SHEETS:
            specs = [PROBLEMS.field(n) for n in fields]
            picked = [r for r in rows.rows
                      if not closed_only or r[index["status"]] == "已销号"] \
                if closed_only else rows.rows
            sw = SheetWriter(wb, title, [6] + [field_width(f) for f in specs], header_row=3,
                             landscape=True)
            sw.title(f"{street}整改台账{title}")
            sw.note(f"单位：{street}　　{stamp}　　共 {len(picked)} 条")
            sw.header(["序号"] + [f.title for f in specs])
            for n, r in enumerate(picked, 1):
                sw.append([n] + [_cell(sw.ws, f, r[index[f.name]],
                                       mask_ids and is_masked_field(f)) for f in specs])
            sw.finish()
            counts[title] = len(picked)
        save_workbook(wb, path)
    except BaseException:
        _discard(wb)
        raise
    sheets = "、".join(f"{k} {v} 行" for k, v in counts.items())
    audit_output(db, PROBLEMS.key, f"导出Excel：整改台账三张清单（{sheets}）：{Path(path).name}")
    return counts
