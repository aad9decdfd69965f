"""导出全部数据: every ledger of the session's area in one .xlsx workbook, one sheet
per ledger (plus the powers' yearly case counts), as a portable copy of the data —
what a PostgreSQL office can keep besides the server's own pg_dump backups.

Streams with openpyxl's write-only mode; the cell guarding (formula injection,
control characters) and the sheet layout come from reports.xlsx."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.audit import record
from app.auth import authorize
from app.db import Database
from app.models import PowerCaseCount, PowerItem
from app.normalize import format_date
from app.services import RowSet, list_rows, scope_clause, sort_column
from app.specs import LedgerSpec, all_specs
from app.specs.powers import POWERS
from reports import Cancel, Progress, check_cancel, is_masked_field, mask_id

CASE_SHEET = "办件量"
CASE_HEADINGS = ("清单类别", "事项编码", "事项名称", "子项名称", "年份", "办件量")
CASE_WIDTHS = (16, 16, 40, 24, 8, 10)


def case_count_rows(db: Database) -> list[tuple]:
    """(list kind, code, name, sub item, year, count) of the live powers in scope."""
    stmt = (select(PowerItem.list_kind, PowerItem.code, PowerItem.name, PowerItem.sub_item,
                   PowerCaseCount.year, PowerCaseCount.count)
            .join(PowerItem, PowerItem.id == PowerCaseCount.item_id)
            .where(scope_clause(db, POWERS))
            .order_by(sort_column(POWERS, "list_kind"), PowerItem.code, PowerItem.id,
                      PowerCaseCount.year))
    with db.session() as s:
        return [tuple(r) for r in s.execute(stmt)]


def write_all_xlsx(path: str | os.PathLike, ledgers: list[tuple[LedgerSpec, RowSet]],
                   case_counts: list[tuple], *, street: str, mask_ids: bool = True,
                   progress: Progress | None = None, cancel: Cancel | None = None) -> None:
    """A 目录 sheet, then one sheet per (spec, rowset), then the 办件量 sheet."""
    from openpyxl import Workbook

    from reports.xlsx import _discard, save_workbook

    total = sum(len(rs) for _s, rs in ledgers) + len(case_counts)
    done = 0
    stamp = f"导出日期：{format_date(date.today())}"

    def tick(n: int) -> None:
        nonlocal done
        done += n
        check_cancel(cancel)
        if progress is not None:
            progress(done, total)

    wb = Workbook(write_only=True)
    try:
        _write_sheets(wb, ledgers, case_counts, street=street, stamp=stamp, mask_ids=mask_ids,
                      tick=tick)
        save_workbook(wb, path)
    except BaseException:
        _discard(wb)  # the streamed sheets' temporary files (shared with reports.xlsx)
        raise


def _write_sheets(wb, ledgers, case_counts, *, street, stamp, mask_ids, tick) -> None:
    from reports.xlsx import SheetWriter, field_width, text_cell

    toc = SheetWriter(wb, "目录", (24, 12), header_row=3, landscape=False)
    toc.title(f"{street}全部数据")
    toc.note(f"单位：{street}　　{stamp}")
    toc.header(("工作表", "记录数"))
    for spec, rowset in ledgers:
        toc.append([text_cell(toc.ws, spec.title), len(rowset)])
    toc.append([CASE_SHEET, len(case_counts)])
    toc.finish(autofilter=False)

    for spec, rowset in ledgers:
        names = [f.name for f in rowset.fields]
        wanted = [f for f in spec.export_fields if f.name in names]
        columns = [names.index(f.name) for f in wanted]
        masked = {k for k, f in enumerate(wanted) if mask_ids and is_masked_field(f)}
        sw = SheetWriter(wb, spec.title, [6] + [field_width(f) for f in wanted], header_row=3,
                         landscape=spec.pdf_landscape)
        sw.title(f"{street}{spec.title}")
        sw.note(f"单位：{street}　　{stamp}　　共 {len(rowset)} 条")
        sw.header(["序号"] + [f.title for f in wanted])
        for n, row in enumerate(rowset.rows, 1):
            out = [n]
            for k, col in enumerate(columns):
                v = row[col]
                if v is None or isinstance(v, str):
                    v = text_cell(sw.ws, mask_id(v) if k in masked else v)
                elif not isinstance(v, (int, float, date)):
                    v = text_cell(sw.ws, v)
                out.append(v)
            sw.append(out)
            if n % 1000 == 0:
                tick(1000)
        tick(len(rowset) % 1000)
        sw.finish()

    sw = SheetWriter(wb, CASE_SHEET, CASE_WIDTHS, header_row=3)
    sw.title(f"{street}权责清单办件量")
    sw.note(f"单位：{street}　　{stamp}　　共 {len(case_counts)} 条")
    sw.header(CASE_HEADINGS)
    for row in case_counts:
        sw.append([text_cell(sw.ws, v) if isinstance(v, str) or v is None else v for v in row])
    tick(len(case_counts))
    sw.finish()


def export_all(db: Database, path: str | os.PathLike, *, progress: Progress | None = None,
               cancel: Cancel | None = None) -> dict[str, int]:
    """Write every ledger the session may see; returns {ledger title: rows}. ID numbers
    stay whole only for administrators (the copy is meant to be restorable). A copy of
    everything is an administrator's, like a backup."""
    authorize(db, "backup")
    path = Path(path)
    ledgers = [(spec, list_rows(db, spec, spec.export_fields)) for spec in all_specs()]
    cases = case_count_rows(db)
    mask = not (db.user is None or db.user.role == "admin")
    write_all_xlsx(path, ledgers, cases, street=db.street_name(), mask_ids=mask,
                   progress=progress, cancel=cancel)
    counts = {spec.title: len(rs) for spec, rs in ledgers}
    counts[CASE_SHEET] = len(cases)
    with db.session() as s:
        record(s, db.actor, "export", summary="导出全部数据："
               + "、".join(f"{k} {n} 条" for k, n in counts.items()) + f"：{path.name}")
        s.commit()
    return counts
