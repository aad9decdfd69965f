"""Import templates and rejected-row workbooks, built on reports.xlsx's shared writer.

A template has, per ledger spec: a title row, a short note, the heading row (required
headings marked *), a fill-in hint row (required or not, format, allowed values) that
the importer recognises and skips, drop-down lists for enum columns, and text format
on text columns (ID numbers, phone numbers, codes) so Excel cannot turn them into
numbers. A rejected-row workbook repeats the file's own heading rows and the rejected
rows as they were read, plus a 错误说明 column: fix them in Excel, import it again."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.specs import Field, LedgerSpec
from reports.xlsx import (
    DATE_FORMAT,
    SheetWriter,
    field_width,
    safe_text,
    save_workbook,
    styled_cell,
    text_cell,
)

TEMPLATE_ROWS = 1000  # rows that get drop-downs and text format
REQUIRED_FILL = PatternFill("solid", fgColor="FFFCE4D6")
HINT_FONT = Font(size=9, color="FF7F7F7F", italic=True)
ERROR_FONT = Font(color="FFC00000")
LISTS_SHEET = "可选值"


def field_hint(f: Field) -> str:
    """The hint-row text of a field: always starts with 必填 or 选填 (the importer
    recognises the row by that), then the format or the allowed values."""
    head = "必填" if f.required and f.default is None else "选填"
    body = f.type.hint(f)
    if f.default is not None:
        body = f"{body}，不填默认为“{f.default}”" if body else f"不填默认为“{f.default}”"
    return f"{head}；{body}" if body else head


HINT_LINE_POINTS = 12.5  # one wrapped line of the 9-point hint font


def text_units(text: str) -> int:
    """Width in Excel's column units: a CJK character takes two, ASCII one."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def hint_row_height(hints: list[str], widths: list[float]) -> float:
    """A row height that shows every hint whole once wrapped in its column (write-only
    sheets cannot auto-fit, and a fixed height cut the longer hints off)."""
    lines = 1
    for text, width in zip(hints, widths, strict=True):
        per_line = max(1, int(width) - 1)
        lines = max(lines, -(-text_units(text) // per_line))
    return HINT_LINE_POINTS * lines + 6


def template_fields(spec: LedgerSpec) -> tuple[Field, ...]:
    return spec.form_fields


def write_template(path: str | os.PathLike, spec: LedgerSpec, *, db=None,
                   ref_names: dict[str, list[str]] | None = None) -> Path:
    """An import template for a ledger. With db (or ref_names: field → names) the ref
    columns get drop-downs of the names they may take (e.g. the street's offices)."""
    fields = template_fields(spec)
    if ref_names is None and db is not None:
        from app.services import ref_choices

        ref_names = {f.name: [label for _, label in ref_choices(db, f)]
                     for f in fields if f.type.is_ref}
    hints = [field_hint(f) for f in fields]
    # Wide enough for each hint in at most three lines (the row height then fits them all).
    widths = [max(field_width(f), min(40, -(-text_units(h) // 3) + 2)) for f, h in zip(
        fields, hints, strict=True)]
    wb = Workbook(write_only=True)
    sw = SheetWriter(wb, spec.title, widths, header_row=3,
                     landscape=len(fields) > 6)
    ws = sw.ws
    long_lists: list[list[str]] = []
    first, last = 5, 4 + TEMPLATE_ROWS
    for i, f in enumerate(fields, 1):
        letter = get_column_letter(i)
        if f.type.xlsx_format:  # text stays text (ID numbers, codes), dates are dates
            ws.column_dimensions[letter].number_format = f.type.xlsx_format
        values = (list((ref_names or {}).get(f.name, [])) if f.type.is_ref
                  else list(f.type.pick_list(f)))
        if not values:
            continue
        inline = ",".join(values)
        if len(inline) <= 250 and "," not in "".join(values):
            formula = f'"{inline}"'
        else:  # Excel limits an inline list to 255 characters: use the hidden sheet
            long_lists.append(values)
            lc = get_column_letter(len(long_lists))
            formula = f"'{LISTS_SHEET}'!${lc}$1:${lc}${len(values)}"
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
        dv.error = f"请从下拉列表中选择{f.label}"
        dv.errorTitle = "输入值无效"
        dv.prompt = field_hint(f)
        dv.showInputMessage = True
        dv.showErrorMessage = not f.type.is_ref  # a new name may be created on import
        dv.add(f"{letter}{first}:{letter}{last}")
        ws.data_validations.append(dv)  # write-only sheets have no add_data_validation
    sw.title(f"{spec.title}导入模板")
    sw.note("第 3 行为列标题，第 4 行为填写说明（导入时自动跳过），请从第 5 行起逐行填写；"
            "带 * 的列必须填写。")
    sw.header([f.label + ("*" if f.required and f.default is None else "") for f in fields],
              fills=[REQUIRED_FILL if f.required and f.default is None else None
                     for f in fields])
    sw.append([styled_cell(ws, h, font=HINT_FONT,
                           alignment=Alignment(vertical="center", wrap_text=True))
               for h in hints], height=hint_row_height(hints, widths))
    sw.finish(autofilter=False, grid=False)
    if long_lists:  # one column per list, in a hidden sheet
        lists = wb.create_sheet(LISTS_SHEET)
        lists.sheet_state = "hidden"
        for r in range(max(len(v) for v in long_lists)):
            lists.append([text_cell(lists, v[r]) if r < len(v) else "" for v in long_lists])
    save_workbook(wb, path)
    return Path(path)


def write_rejected_rows(plan, path: str | os.PathLike) -> Path:
    """The rejected rows of an import plan in the file's own column layout, plus a
    错误说明 column, ready to be fixed and imported again."""
    grid, layout = plan.grid, plan.layout
    width = max([grid.width] + [len(grid.rows[r - grid.first_row] or []) for r in plan.rejected])
    widths = [12.0] * width + [60.0]
    for c in layout.columns:
        if c.index < width:
            widths[c.index] = max(10.0, min(40.0, 2.2 * len(c.heading.split("/")[-1]) + 4))
    for idx, fname in plan.mapping.assigned.items():
        if idx < width:
            widths[idx] = max(widths[idx], field_width(plan.spec.field(fname)))
    wb = Workbook(write_only=True)
    n_head = len(layout.header_rows)
    sw = SheetWriter(wb, grid.sheet, widths, header_row=1 + n_head)
    ws = sw.ws
    sw.title(f"{plan.spec.title}导入被拒绝的行：改正后可直接重新导入（错误说明列不会被导入）")
    for i, r in enumerate(layout.header_rows):
        cells = list(grid.rows[r] or [])
        cells += [""] * (width - len(cells))
        heads = [_head_value(plan, r, c, v) for c, v in enumerate(cells[:width])]
        heads.append("错误说明" if i == n_head - 1 else "")
        sw.header(heads)
    for row_no in sorted(plan.rejected):
        cells = list(grid.rows[row_no - grid.first_row] or [])
        out = [_data_cell(ws, v) for v in cells[:width]]
        out += [""] * (width - len(out))
        msg = "；".join(f"{p.column}：{p.message}" for p in plan.rejected[row_no])
        out.append(styled_cell(ws, f"原第 {row_no} 行。{msg}", font=ERROR_FONT,
                               alignment=Alignment(vertical="top", wrap_text=True)))
        sw.append(out)
    sw.finish()
    save_workbook(wb, path)
    return Path(path)


def _head_value(plan, r: int, c: int, v) -> str:
    """Header cells as the file had them; a group heading fills its merged span."""
    if v not in ("", None):
        return safe_text(v)
    for (r0, c0), (r1, c1) in plan.grid.merged:
        if r0 <= r <= r1 and c0 <= c <= c1:
            return safe_text(plan.grid.cell(r0, c0))
    return ""


def _data_cell(ws, v):
    if isinstance(v, (date, datetime)):
        return styled_cell(ws, v, number_format=DATE_FORMAT)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    return text_cell(ws, v)

