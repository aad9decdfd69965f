"""Excel export, streamed with openpyxl's write-only mode, and the helpers that every
workbook the app writes shares (exports, import templates, rejected-row files).

Layout of a ledger export: a merged title row, a unit/date line, a styled header
row (frozen, autofiltered, repeated on every printed page), then one row per
record. Dates are real Excel dates; user text that Excel could read as a formula
(= + - @ tab CR LF first) is stored as text with Excel's quote-prefix flag, so it
stays text even when someone edits the cell (OWASP formula injection).

Speed: styling a cell costs about as much as writing it, so data cells are left
unstyled except where needed (long text wraps, formula-like text is guarded) and
the data grid lines come from one conditional format over the whole range."""

from __future__ import annotations

import contextlib
import os
import random
import re
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.dimensions import RowDimension

from app.normalize import format_date
from app.specs import Field, LedgerSpec
from reports import (
    Cancel,
    Progress,
    atomic_output,
    check_cancel,
    mask_id,
    pick_columns,
)

__all__ = [
    "DATE_FORMAT", "HEADER_FILL", "HEADER_FONT", "THIN", "TITLE_FONT", "SheetWriter", "content_widths",
    "discard_workbook", "field_width", "is_formula_like", "line_count", "row_height", "text_units", "mask_id", "safe_sheet_name", "safe_text",
    "save_workbook", "styled_cell", "text_cell", "write_ledger_xlsx",
]

PROGRESS_EVERY = 1000
DATE_FORMAT = "yyyy-mm-dd"
TITLE_FONT = Font(size=16, bold=True)
NOTE_FONT = Font(size=10, color="FF404040")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
_SIDE = Side(style="thin", color="FF000000")
THIN = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_GRID_SIDE = Side(style="thin", color="FF808080")
_GRID = Border(left=_GRID_SIDE, right=_GRID_SIDE, top=_GRID_SIDE, bottom=_GRID_SIDE)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
# Bottom, like the unstyled cells beside it (styling every cell would double the time).
WRAP = Alignment(vertical="bottom", wrap_text=True)

# Control characters XML cannot hold (openpyxl would refuse the whole row).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# One scan per string finds both problems; most strings match neither.
_NEEDS_CARE = re.compile(r"^[=+\-@\t\r\n]|[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def safe_text(value) -> str:
    """Text that an xlsx cell can hold: None → "", control characters dropped."""
    if value is None:
        return ""
    return _ILLEGAL.sub("", str(value))


def is_formula_like(text: str) -> bool:
    """Would Excel/WPS treat this typed text as a formula (OWASP CSV/formula injection)?"""
    return bool(text) and text.startswith(_FORMULA_START)


def text_cell(ws, value, **style) -> Cell | str:
    """A data value for a write-only row: plain text as is (cheap), text Excel could
    run as a formula as a quote-prefixed text cell. `style` (font=, alignment=, …)
    forces a styled cell."""
    text = safe_text(value)
    risky = is_formula_like(text)
    if not risky and not style:
        return text
    cell = WriteOnlyCell(ws, value=text)
    if risky:
        cell.data_type = "s"  # openpyxl makes "=…" a formula; store it as a string
        cell.quotePrefix = True  # and keep it text when the user edits the cell
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def styled_cell(ws, value, *, font=None, fill=None, border=None, alignment=None,
                number_format=None) -> Cell:
    """A styled cell for headings, titles and notes; text is guarded like text_cell."""
    style = {k: v for k, v in (("font", font), ("fill", fill), ("border", border),
                               ("alignment", alignment), ("number_format", number_format))
             if v is not None}
    if isinstance(value, str) or value is None:
        cell = text_cell(ws, value, **style)
        return WriteOnlyCell(ws, value=cell) if isinstance(cell, str) else cell
    cell = WriteOnlyCell(ws, value=value)
    for key, val in style.items():
        setattr(cell, key, val)
    return cell


def safe_sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return _SHEET_BAD.sub("_", name).strip("'")[:31] or "Sheet1"


def text_units(text: str) -> int:
    """Width of text in Excel column units: a CJK character counts two (as in GBK)."""
    return len(text.encode("gbk", "replace"))


def line_count(text: str, width: float) -> int:
    """Lines `text` takes when wrapped in a column `width` units wide (an estimate)."""
    per = max(width, 1)
    return sum(max(1, -(-text_units(part) // per)) for part in text.split("\n"))


def row_height(lines: int) -> float:
    """Row height in points for `lines` lines of 11-point text."""
    return round(lines * 14.5 + 3, 1)


def field_width(f: Field) -> float:
    """Excel column width for a field (Field.width is in Excel units; a CJK character
    takes two), never narrower than its heading."""
    return max(f.width, 2 * len(f.title) + 2, f.type.xlsx_width)


class SheetWriter:
    """A write-only worksheet that remembers its row, set up for printing.

    Column widths, frozen panes and page setup must be fixed before the first row
    in write-only mode, so they are given here: `header_row` is the row that holds
    the column headings (frozen below, repeated on every printed page)."""

    def __init__(self, wb: Workbook, name: str, widths: Sequence[float], *, header_row: int,
                 landscape: bool = True, freeze: bool = True):
        ws = self.ws = wb.create_sheet(safe_sheet_name(name))
        self.ncols = len(widths)
        self.header_row = header_row
        self.row = 0
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        if freeze:
            ws.freeze_panes = f"A{header_row + 1}"
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    @property
    def last_col(self) -> str:
        return get_column_letter(self.ncols)

    def append(self, values: Sequence, height: float | None = None) -> int:
        """Append a row of values or cells (already guarded); returns its row number."""
        self.row += 1
        if height is not None:
            self.ws.row_dimensions[self.row].height = height
        self.ws.append(values)
        return self.row

    def merged_row(self, text: str, *, font: Font, alignment: Alignment,
                   height: float | None = None) -> int:
        row = self.append([styled_cell(self.ws, text, font=font, alignment=alignment)],
                          height)
        if self.ncols > 1:
            self.ws.merged_cells.add(CellRange(f"A{row}:{self.last_col}{row}"))
        return row

    def title(self, text: str) -> int:
        return self.merged_row(text, font=TITLE_FONT, height=32,
                               alignment=Alignment(horizontal="center", vertical="center"))

    def note(self, text: str) -> int:
        return self.merged_row(text, font=NOTE_FONT, height=20,
                               alignment=Alignment(horizontal="left", vertical="center"))

    def header(self, labels: Sequence[str], *, fills: Sequence[PatternFill | None] = ()) -> int:
        """The styled heading row; `fills` overrides the fill per column (e.g. required)."""
        cells = [styled_cell(self.ws, label, font=HEADER_FONT,
                             fill=(fills[i] if i < len(fills) and fills[i] else HEADER_FILL),
                             border=THIN, alignment=CENTER)
                 for i, label in enumerate(labels)]
        return self.append(cells, height=30)

    def finish(self, *, autofilter: bool = True, grid: bool = True) -> None:
        """Autofilter over heading and data, thin grid lines over the data rows."""
        ws = self.ws
        last = max(self.row, self.header_row)
        if autofilter:
            ws.auto_filter.ref = f"A{self.header_row}:{self.last_col}{last}"
        if grid and self.row > self.header_row:
            ws.conditional_formatting.add(
                f"A{self.header_row + 1}:{self.last_col}{self.row}",
                FormulaRule(formula=["TRUE"], border=_GRID, stopIfTrue=False))


def save_workbook(wb: Workbook, path: str | os.PathLike) -> None:
    """Save atomically: a failed save leaves neither a partial file nor a lost old one."""
    with atomic_output(path, ".xlsx") as tmp:
        wb.save(tmp)


def discard_workbook(wb: Workbook) -> None:
    """Drop the temporary files a write-only workbook streams its rows into
    (openpyxl would otherwise only remove them when the process exits)."""
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        steps = [rows.close] if rows is not None else []  # ends the sheet's XML
        steps += [writer.close, writer.cleanup] if writer is not None else []
        for step in steps:
            with contextlib.suppress(Exception):
                step()


_discard = discard_workbook  # the name reports.export_all and audit_xlsx import


def content_widths(fields: Sequence[Field], rows: Sequence[Sequence], columns: Sequence[int],
                   *, sample: int = 2000) -> list[float]:
    """Excel widths: Field.width, grown up to 1.5× where most texts of the column
    (90th percentile of a sample spread over the rows) need more, so fewer cells wrap
    while a printed page stays legible."""
    picked = rows
    if len(rows) > sample:  # a seeded random sample: a stride could alias with a pattern
        picked = [rows[i] for i in random.Random(len(rows)).sample(range(len(rows)), sample)]
    widths = []
    for f, col in zip(fields, columns, strict=True):
        base = field_width(f)
        if not f.type.wrap:
            widths.append(base)
            continue
        units = sorted(text_units(str(r[col])) for r in picked if r[col])
        p90 = units[int(len(units) * 0.9)] + 2 if units else 0
        widths.append(min(max(base, p90), base * 1.5))
    return widths




class _Rows:
    """Turns ledger rows into write-only rows: masks IDs, guards formula-like text,
    wraps text wider than its column and works out the row height.

    Write-only sheets write each row as it is appended, so one styled cell per
    column is reused for every row: building and styling a new cell per value would
    cost as much as writing it."""

    def __init__(self, ws, fields: Sequence[Field], columns: Sequence[int],
                 widths: Sequence[float], masked: set[int]):
        self.ws, self.columns, self.masked = ws, list(columns), masked
        self.fits = [None if not f.type.wrap else w - 1 for f, w in zip(fields, widths,
                                                                            strict=True)]
        self.wrap_cells = [None if w is None else styled_cell(ws, "", alignment=WRAP)
                           for w in self.fits]
        self.heights: dict[int, RowDimension] = {}
        # Kinds whose cell is not the stored value (是/否, money with its format, a count
        # of files): their own conversion, column by column.
        self.convert_cells = [_cell_converter(ws, f) if f.type.converts_cell else None
                              for f in fields]

    def height(self, lines: int) -> RowDimension:
        dim = self.heights.get(lines)
        if dim is None:
            dim = self.heights[lines] = RowDimension(self.ws, ht=row_height(lines))
        return dim

    def convert(self, n: int, row: Sequence) -> tuple[list, int]:
        out: list = [n]
        lines = 1
        care, masked, fits, ws = _NEEDS_CARE.search, self.masked, self.fits, self.ws
        converters = self.convert_cells
        for k, col in enumerate(self.columns):
            v = row[col]
            if converters[k] is not None and v is not None:
                v = converters[k](v)
            if v.__class__ is str:
                if not v:
                    v = None  # a truly empty cell (COUNTA counts "" as filled)
                else:
                    if k in masked:
                        v = mask_id(v)
                    w = fits[k]
                    need = line_count(v, w) if w is not None and (
                        len(v) * 2 > w or "\n" in v) else 1
                    if need > 1:  # too long for its column: wrap it
                        lines = max(lines, need)
                        if care(v):
                            v = text_cell(ws, v, alignment=WRAP)
                        else:
                            cell = self.wrap_cells[k]
                            cell.value = v
                            v = cell
                    elif care(v):
                        v = text_cell(ws, v)
            elif v is not None and not isinstance(v, (int, float, date, Cell)):
                v = text_cell(ws, v)  # anything else is shown as its text
            out.append(v)
        return out, lines


def _cell_converter(ws, f: Field):
    fmt = f.type.number_format(f)

    def convert(v):
        out = f.type.cell(f, v)
        return styled_cell(ws, out, number_format=fmt) if fmt and out is not None else out
    return convert


def write_ledger_xlsx(path: str | os.PathLike, spec: LedgerSpec, rowset, *, title: str,
                      street_name: str | None = None, fields: Sequence[Field] | None = None,
                      mask_ids: bool = True, export_date: date | None = None,
                      subtitle: str | None = None,
                      progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Write `rowset` (app.services.RowSet) as a formatted workbook; returns the row count.

    `subtitle` (e.g. the filter behind a partial export) is a line under the title, so
    a file sent on says which rows it holds.

    Columns are `fields` or spec.export_fields, picked by name out of rowset.fields
    (fields the rowset lacks are skipped), after a 序号 column. ID-number fields
    are masked (510502********1234) unless mask_ids is False. `progress(done, total)`
    is called every 1000 rows; `cancel()` returning True raises reports.Cancelled
    and leaves no file."""
    wanted, columns, masked = pick_columns(rowset, fields or spec.export_fields, spec.title,
                                           "导出", mask_ids)
    rows = rowset.rows
    total = len(rows)
    widths = content_widths(wanted, rows, columns)

    wb = Workbook(write_only=True)
    try:
        sw = SheetWriter(wb, spec.title, [6] + widths, header_row=4 if subtitle else 3,
                         landscape=spec.pdf_landscape)
        ws = sw.ws
        sw.title(title)
        if subtitle:
            sw.note(subtitle)
        parts = [f"单位：{street_name}"] if street_name else []
        parts += [f"导出日期：{format_date(export_date or date.today())}", f"共 {total} 条"]
        sw.note("　　".join(parts))
        sw.header(["序号"] + [f.title for f in wanted])

        conv = _Rows(ws, wanted, columns, widths, masked)
        dims = ws.row_dimensions
        for n, row in enumerate(rows, 1):
            out, lines = conv.convert(n, row)
            sw.row += 1
            if lines > 1:
                # LibreOffice and WPS do not size rows when opening a file; Excel would.
                dims[sw.row] = conv.height(lines)
                ws.append(out)
                del dims[sw.row]  # written already: keep memory flat
            else:
                ws.append(out)
            if n % PROGRESS_EVERY == 0:
                check_cancel(cancel)
                if progress is not None:
                    progress(n, total)
        sw.finish()
        check_cancel(cancel)
        save_workbook(wb, path)
    except BaseException:
        discard_workbook(wb)
        raise
    if progress is not None:
        progress(total, total)
    return total
