"""The audit trail (留痕) as table rows and as an Excel workbook.

`entry_row` is shared by the GUI's audit page and the export, so both read the
same. Exporting the trail is itself an export and leaves its own audit entry."""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path

from app.audit import ACTIONS, describe_changes, entries, record
from app.auth import authorize
from app.db import Database
from app.normalize import format_date
from app.specs import all_specs
from reports import Cancel, Progress, check_cancel

HEADINGS = ("时间", "账号", "操作", "台账", "记录", "说明", "变更内容")
WIDTHS = (20, 12, 10, 12, 30, 40, 60)
# Ledger values written by the core that are not ledger specs.
OTHER_LEDGERS = {"users": "账号", "areas": "区域", "import_memory": "导入记忆", "ref_alias": "名称别名",
                 "settings": "设置", "rectification_list": "红黑榜"}
# Changed "fields" that are not spec fields (yearly case counts of a power item).
EXTRA_LABELS = {"case_counts": "办件量"}


def ledger_titles() -> dict[str, str]:
    """ledger key → what users call it: spec titles, then the core's other areas."""
    return {**{s.key: s.title for s in all_specs()}, **OTHER_LEDGERS}


def entry_row(entry, titles: dict[str, str] | None = None) -> tuple[str, ...]:
    """One audit entry as the seven texts of HEADINGS.

    A ledger row's entry names the row under 记录 (by its key, never an id); other
    entries (sign-in, accounts, exports, backups) put their text under 说明."""
    titles = titles if titles is not None else ledger_titles()
    specs = {s.key: s for s in all_specs()}
    spec = specs.get(entry.ledger)
    if spec is not None and entry.row_id is not None:
        # Named by its key (事项编码 / 名称 …), as people know it; ids mean nothing to them.
        what, note = entry.summary or "", ""
    else:
        what, note = "", entry.summary or ""
    labels = {**(spec.labels if spec is not None else {}), **EXTRA_LABELS}
    return (
        entry.at.strftime("%Y-%m-%d %H:%M:%S") if entry.at else "",
        entry.username or "",
        ACTIONS.get(entry.action, entry.action),
        titles.get(entry.ledger, entry.ledger or ""),
        what,
        note,
        describe_changes(entry, labels),
    )


def row_height(row: tuple[str, ...]) -> float | None:
    """Points for the wrapped columns' text (LibreOffice/WPS do not grow rows of a
    streamed sheet themselves); None = one line, the default height."""
    lines = 1
    for k in range(4, len(row)):
        # A CJK character takes about 1.6 width units of the default font.
        units = sum(1.6 if ord(ch) > 0x2E7F else 1 for ch in row[k])
        lines = max(lines, math.ceil(units / WIDTHS[k]))
    return None if lines == 1 else 15.0 * lines + 2


def write_audit_xlsx(path: str | os.PathLike, rows: list[tuple[str, ...]], *, title: str,
                     note: str = "", progress: Progress | None = None,
                     cancel: Cancel | None = None) -> int:
    """Write entry rows (see entry_row) as one formatted sheet; returns the row count."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from reports.xlsx import SheetWriter, _discard, save_workbook, text_cell

    wrap = Alignment(vertical="top", wrap_text=True)
    top = Alignment(vertical="top")  # the short cells of a tall row line up with its first line

    wb = Workbook(write_only=True)
    try:
        sw = SheetWriter(wb, "操作留痕", WIDTHS, header_row=3)
        sw.title(title)
        sw.note(note or f"导出日期：{format_date(date.today())}　　共 {len(rows)} 条")
        sw.header(HEADINGS)
        ws = sw.ws
        for n, row in enumerate(rows, 1):
            # Every value is user-influenced text (names, summaries): guard each one.
            height = row_height(row)
            sw.append([text_cell(ws, v, alignment=wrap) if k >= 4 and v
                       else text_cell(ws, v, alignment=top) if height else text_cell(ws, v)
                       for k, v in enumerate(row)], height=height)
            if n % 1000 == 0:
                check_cancel(cancel)
                if progress is not None:
                    progress(n, len(rows))
        sw.finish()
        check_cancel(cancel)
        save_workbook(wb, path)
    except BaseException:
        _discard(wb)  # the streamed sheet's temporary file (shared with reports.xlsx)
        raise
    return len(rows)


def export_audit(db: Database, path: str | os.PathLike, *, filters: dict | None = None,
                 description: str = "", progress: Progress | None = None,
                 cancel: Cancel | None = None) -> int:
    """Every entry matching `filters` (the keyword arguments of app.audit.entries, no
    limit) to .xlsx; non-administrators get their own entries only (the core scopes)."""
    authorize(db, "export")
    path = Path(path)
    found = entries(db, **{**(filters or {}), "limit": None})
    titles = ledger_titles()
    rows = [entry_row(e, titles) for e in found]
    street = db.street_name()
    parts = [f"单位：{street}", f"导出日期：{format_date(date.today())}", f"共 {len(rows)} 条"]
    if description:
        parts.append(description)
    write_audit_xlsx(path, rows, title=f"{street}操作留痕", note="　　".join(parts),
                     progress=progress, cancel=cancel)
    with db.session() as s:
        record(s, db.actor, "export", summary=f"导出操作留痕 {len(rows)} 条：{path.name}")
        s.commit()
    return len(rows)
