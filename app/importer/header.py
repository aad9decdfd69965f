"""Finding the table in a sheet as people really lay it out: a merged title row, a
unit/date line, a header of one or two rows (group headings over field headings), a
fill-in hint row under it, blank rows and group titles between groups, totals, and a
signature footer (制表人 / 审核人 / 填报日期) under the table. Every row under the header
is classified: data, or skipped with a reason that the summary reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.errors import UserError
from app.importer.files import Grid
from app.importer.mapping import Column, FieldIndex, heading_key
from app.importer.prescan import col_letter
from app.normalize import clean_text, to_halfwidth
from app.specs import LedgerSpec

HEADER_SCAN = 20  # the header must start within these first rows
MAX_MERGE_FILL = 2_000_000  # cells filled from merged ranges, at most

_HINT = re.compile(r"必填|选填|可选|格式|填写|请填|请选|如[:：]|例[:：]|示例|yyyy|YYYY|年-月-日|…")
_CHOICE_LIST = re.compile(r"^[^/／、|]{1,12}(?:\s*[/／|]\s*[^/／、|]{1,12}){1,}$")
_FOOTER = re.compile(
    r"^(?:制表|填表|填报|审核|审批|复核|核对|负责人|单位负责人|主要负责人|分管|统计人|经办|"
    r"联系人|联系电话|签字|签名|盖章|报送|打印日期|日期)[^:：]{0,6}[:：]?")
_NOTE = re.compile(r"^(?:注|说明|备注|附注)\s*[0-9０-９一二三]?\s*[:：.、．]")
_TOTAL = re.compile(r"^(?:合计|总计|小计|共计)")
_SECTION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）]|第.{1,3}[类部分])")

_QUICK = re.compile("|".join(f"(?:{p.pattern})" for p in (_FOOTER, _NOTE, _TOTAL, _SECTION)))

# Reasons a row under the header is not imported: shown to the user, counted as skipped.
BLANK, HINT, FOOTER, TOTAL, REPEAT, SECTION = (
    "空行", "填写说明行", "表尾签字或说明行", "合计行", "重复的表头行", "分组标题行")


@dataclass
class Layout:
    sheet: str
    header_rows: list[int]  # 0-based
    columns: list[Column]
    data_start: int  # first row under the header
    title: list[str] = field(default_factory=list)  # lines above the header

    @property
    def header_text(self) -> str:
        rows = "、".join(str(r + 1) for r in self.header_rows)
        return f"第 {rows} 行"


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return clean_text(v)
    return clean_text(v) if not hasattr(v, "isoformat") else v.isoformat()


def _header_cells(grid: Grid, last_row: int) -> dict[tuple[int, int], object]:
    """Values that merged ranges in the top rows spread over (group headings)."""
    spread = {}
    for (r0, c0), (r1, c1) in grid.merged:
        if r0 > last_row:
            continue
        value = grid.cell(r0, c0)
        for r in range(r0, min(r1, last_row) + 1):
            for c in range(c0, min(c1, grid.width - 1) + 1):
                spread[(r, c)] = value
    return spread


def detect_layout(grid: Grid, spec: LedgerSpec, index: FieldIndex | None = None, *,
                  header_row: int | None = None, header_rows: int | None = None) -> Layout:
    """Where the header is; raises UserError when no row looks like one.

    header_row (1-based, as Excel numbers it) and header_rows (1 or 2) override the
    detection for the rare file where it is wrong."""
    index = index or FieldIndex(spec)
    if header_row is not None:
        return _forced_layout(grid, header_row, header_rows or 1)
    last = min(HEADER_SCAN + 1, len(grid.rows))
    spread = _header_cells(grid, last)

    def text(r: int, c: int) -> str:
        return _text(spread.get((r, c), grid.cell(r, c)))

    best = None  # (score, -rows, -r), rows, headings
    for r in range(min(HEADER_SCAN, len(grid.rows))):
        if grid.rows[r] is None:
            continue
        singles = [text(r, c) for c in range(grid.width)]
        cands = [([r], [(h,) for h in singles])]
        if r + 1 < last and grid.rows[r + 1] is not None:
            cands.append(([r, r + 1], [(singles[c], text(r + 1, c)) for c in range(grid.width)]))
        for rows, heads in cands:
            fields = set()
            for parts in heads:
                hit = _match_parts(index, parts)
                if hit:
                    fields.add(hit)
            key = (len(fields), len(rows) == 2 and _has_groups(grid, r), -len(rows), -r)
            if fields and (best is None or key > best[0]):
                best = (key, rows, heads)
    if best is None:
        expected = "、".join(f.label for f in spec.form_fields)
        filled = sum(1 for row in grid.rows if row is not None)
        what = "只有标题、没有表格" if filled <= 3 else f"前 {HEADER_SCAN} 行中找不到表头"
        raise UserError(f"工作表“{grid.sheet}”{what}：没有一列的标题与{spec.title}的字段相符"
                        f"（应有：{expected}）")
    _, rows, heads = best
    return _layout(grid, rows, heads)


def _forced_layout(grid: Grid, header_row: int, n: int) -> Layout:
    if n not in (1, 2):
        raise UserError("表头行数只能是 1 或 2")
    r = header_row - 1
    if r < 0 or r + n > len(grid.rows):
        raise UserError(f"工作表“{grid.sheet}”没有第 {header_row} 行"
                        + ("" if n == 1 else f"至第 {header_row + 1} 行") + "，无法作为表头")
    if all(grid.rows[x] is None for x in range(r, r + n)):
        raise UserError(f"工作表“{grid.sheet}”第 {header_row} 行是空行，不能作为表头")
    rows = list(range(r, r + n))
    spread = _header_cells(grid, r + n)

    def text(rr: int, c: int) -> str:
        return _text(spread.get((rr, c), grid.cell(rr, c)))

    if n == 1:
        heads = [(text(r, c),) for c in range(grid.width)]
    else:
        heads = [(text(r, c), text(r + 1, c)) for c in range(grid.width)]
    return _layout(grid, rows, heads)


def _layout(grid: Grid, rows: list[int], heads: list[tuple[str, ...]]) -> Layout:
    columns = []
    for c, parts in enumerate(heads):
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = (parts[0],)
        shown = "/".join(p for p in parts if p)
        if not shown:
            continue
        columns.append(Column(c, shown, col_letter(c), parts if len(parts) == 2 else ()))
    title = [" ".join(_text(v) for v in grid.rows[r] if _text(v))
             for r in range(rows[0]) if grid.rows[r] is not None]
    return Layout(grid.sheet, rows, columns, rows[-1] + 1, title)


def _has_groups(grid: Grid, r: int) -> bool:
    """Row r holds group headings: a cell merged across some (not all) columns."""
    return any(r0 == r and 2 <= c1 - c0 + 1 < grid.width for (r0, c0), (_r1, c1) in grid.merged)


def _match_parts(index: FieldIndex, parts: tuple[str, ...]) -> str | None:
    if len(parts) == 1:
        return index.match(parts[0]) or index.similar(parts[0])
    top, bottom = parts
    if top == bottom:
        return index.match(top) or index.similar(top)
    return (index.match(bottom) or index.match(f"{top}{bottom}")
            or (index.match(top) if not bottom else None)
            or index.similar(bottom) or (index.similar(top) if not bottom else None))


def fill_merged_down(grid: Grid, from_row: int) -> int:
    """A value merged down over a group of rows belongs to each of them: calamine gives
    it in the top cell only. Returns the number of cells filled."""
    filled = 0
    for (r0, c0), (r1, _c1) in grid.merged:
        if r0 < from_row or r1 <= r0:
            continue
        value = grid.cell(r0, c0)
        if value == "" or value is None:
            continue
        for r in range(r0 + 1, min(r1, len(grid.rows) - 1) + 1):
            row = grid.rows[r]
            if row is None:
                row = grid.rows[r] = [""] * (c0 + 1)
            elif len(row) <= c0:
                row.extend([""] * (c0 + 1 - len(row)))
            if row[c0] == "" or row[c0] is None:
                row[c0] = value
                filled += 1
            if filled > MAX_MERGE_FILL:
                raise UserError(f"工作表“{grid.sheet}”中的合并单元格范围过大，请取消合并后再导入")
    return filled


def skip_reason(grid: Grid, layout: Layout, r: int, header_keys: list[str],
                merged_starts: dict[tuple[int, int], int]) -> str | None:
    """Why row r is not data, or None for a data row.

    Runs once per row of the file: a data row is recognised from its first filled
    cell and its count of filled cells; only a row that might be something else
    gets the full look (_reason)."""
    row = grid.rows[r]
    if row is None:
        return BLANK
    if r < layout.data_start + 3:  # hint rows sit right under the header
        return _reason(grid, layout, r, header_keys, merged_starts)
    filled = len(row) - row.count("")
    if filled <= 1:
        return _reason(grid, layout, r, header_keys, merged_starts)
    for v in row:
        if v != "":
            break
    if v.__class__ is not str:
        return None  # footers, totals and repeated headers start with text
    first = v.strip()
    if _QUICK.match(first) or heading_key(first) == _first_key(header_keys):
        return _reason(grid, layout, r, header_keys, merged_starts)
    return None


def data_rows(grid: Grid, layout: Layout, skipped: list[tuple[int, str]] | None = None,
              every=None) -> list[int]:
    """Grid indexes of the data rows under the header; each other row goes to `skipped`
    as (row as the sheet numbers it, reason). every(n): called each 5,000 rows (progress
    and cancel of a long check)."""
    data: list[int] = []
    rows = grid.rows
    hkeys = header_keys(grid, layout)
    widths = merged_widths(grid)
    quick_from = layout.data_start + 3  # skip_reason looks closer at the rows above
    for n, r in enumerate(range(layout.data_start, len(rows))):
        if every is not None and n % 5000 == 0:
            every(n)
        row = rows[r]
        if (r >= quick_from and row and row[0].__class__ is not str
                and len(row) - row.count("") > 1):
            data.append(r)  # what skip_reason says of a row led by a number or date
            continue
        reason = skip_reason(grid, layout, r, hkeys, widths)
        if reason is None:
            data.append(r)
        elif skipped is not None:
            skipped.append((r + grid.first_row, reason))
    return data


def _first_key(keys: list[str]) -> str:
    return next((k for k in keys if k), "")


def _reason(grid: Grid, layout: Layout, r: int, header_keys: list[str],
            merged_starts: dict[tuple[int, int], int]) -> str | None:
    row = grid.rows[r]
    cells = [(c, _text(v)) for c, v in enumerate(row) if v != "" and v is not None]
    cells = [(c, t) for c, t in cells if t]
    if not cells:
        return BLANK
    first = to_halfwidth(cells[0][1]).replace(" ", "")
    if r < layout.data_start + 3 and _is_hint_row(cells):
        return HINT
    if _FOOTER.match(first) and (len(first) <= 12 or ":" in first or "：" in first):
        return FOOTER
    if _NOTE.match(first) and len(cells) <= 3:
        return FOOTER
    if _TOTAL.match(first):
        return TOTAL
    if len(cells) >= 2 and [heading_key(t) for _, t in cells] == [k for k in header_keys if k]:
        return REPEAT
    if len(cells) == 1:
        c = cells[0][0]
        if merged_starts.get((r, c), 1) >= 3 or _SECTION.match(first):
            return SECTION
    return None


def _is_hint_row(cells: list[tuple[int, str]]) -> bool:
    """A fill-in hint row: most of its cells say how to fill ("填写…", "如：…",
    "yyyy-mm-dd") or list the allowed values ("直接下放/委托下放")."""
    hints = sum(1 for _, t in cells if _HINT.search(t) or _CHOICE_LIST.match(t))
    return hints >= 1 and hints * 2 >= len(cells)


def merged_widths(grid: Grid) -> dict[tuple[int, int], int]:
    """Top-left cell → how many columns its merged range spans."""
    return {(r0, c0): c1 - c0 + 1 for (r0, c0), (_r1, c1) in grid.merged}


def header_keys(grid: Grid, layout: Layout) -> list[str]:
    r = layout.header_rows[-1]
    row = grid.rows[r] or []
    return [heading_key(v) for v in row]
