"""A printed document (reports.sections) as an Excel workbook, for the offices that want
the figures to work on rather than a PDF: the summary figures on one sheet, then each
matrix (Grid) and each ledger table on a sheet of its own, named by the heading above
it. ID numbers and phones are masked as in the PDF unless the table says otherwise."""

from __future__ import annotations

import os
from datetime import date

from openpyxl import Workbook

from reports import pick_columns
from reports.sections import Document, Figures, Grid, Heading, LedgerTable, Masthead
from reports.xlsx import (
    SheetWriter,
    _Rows,
    content_widths,
    discard_workbook,
    format_date,
    save_workbook,
    text_cell,
)


def _bands(figures) -> list[tuple[str, list[tuple[str, object]]]]:
    if figures and isinstance(figures[0][1], (list, tuple)):
        return list(figures)
    return [("", list(figures))]


def write_sections_xlsx(path: str | os.PathLike, doc: Document, *, street: str = "",
                        when: date | None = None) -> int:
    """Write the document's figures, grids and tables; returns the number of sheets."""
    wb = Workbook(write_only=True)
    stamp = f"单位：{street}　　日期：{format_date(when or date.today())}" if street else \
        f"日期：{format_date(when or date.today())}"
    try:
        heading, title, used = doc.title, doc.title, set()

        def sheet_name(text: str) -> str:
            name, n = text[:28] or "表", 2
            while name in used:
                name, n = f"{text[:25]}（{n}）", n + 1
            used.add(name)
            return name

        for section in doc.sections:
            if isinstance(section, Masthead):
                title = section.title
            elif isinstance(section, Heading):
                heading = section.text
            elif isinstance(section, Figures):
                sw = SheetWriter(wb, sheet_name("汇总"), [18, 24, 12], header_row=3, freeze=False)
                sw.title(title)
                sw.note(stamp)
                sw.header(["分组", "项目", "数量"])
                for band, pairs in _bands(section.figures):
                    for label, value in pairs:
                        sw.append([text_cell(sw.ws, band), text_cell(sw.ws, label), value])
                sw.finish(autofilter=False)
            elif isinstance(section, Grid):
                width = max(len(r) for r in [*section.header, *section.rows])
                sw = SheetWriter(wb, sheet_name(heading), [16] + [11] * (width - 1),
                                 header_row=2 + len(section.header), freeze=False)
                sw.title(_titled(title, heading))
                sw.note(stamp)
                for row in section.header:
                    sw.header(row)
                for row in section.rows:
                    sw.append([_number(v, sw.ws) for v in row])
                sw.finish(autofilter=False)
            elif isinstance(section, LedgerTable):
                _table(wb, sheet_name(heading), _titled(title, heading), stamp, section)
        if not used:
            raise ValueError(f"{doc.title}没有可导出的内容")
        save_workbook(wb, path)
    except BaseException:
        discard_workbook(wb)
        raise
    return len(used)


def _titled(title: str, heading: str) -> str:
    """A sheet's title line: the document's, and the part it holds."""
    return title if heading in title else f"{title}——{heading}"


def _number(value, ws):
    """Counts stay numbers (so a sheet can sum them); other cells are guarded text."""
    if isinstance(value, str) and value.isdigit() and len(value) < 10:
        return int(value)
    return text_cell(ws, value) if isinstance(value, str) else value


def _table(wb, name: str, heading: str, stamp: str, t: LedgerTable) -> None:
    fields = list(t.fields or t.spec.pdf_fields)
    wanted, columns, masked = pick_columns(t.rowset, fields, t.spec.title, "导出", t.mask_ids)
    widths = content_widths(wanted, t.rowset.rows, columns)
    sw = SheetWriter(wb, name, [6] + widths, header_row=3)
    sw.title(heading)
    sw.note(f"{stamp}　　共 {len(t.rowset.rows)} 条")
    sw.header(["序号"] + [f.title for f in wanted])
    conv = _Rows(sw.ws, wanted, columns, widths, masked)
    for n, row in enumerate(t.rowset.rows, 1):
        out, _lines = conv.convert(n, row)
        sw.append(out)
    sw.finish()
