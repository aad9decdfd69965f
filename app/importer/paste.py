"""A block pasted from Excel/WPS into a ledger's table, as input to the import pipeline.

Excel and WPS put a copied range on the clipboard as text: cells split by tabs, rows by
CR LF (the last row too), a cell holding a tab, a line break or a quote written in double
quotes with "" for a quote. `read_paste` makes that a Grid, a Layout and a Mapping for
prepare_import — by the headings when the first line is headings; otherwise by position,
onto the table's columns from the current one on, under a heading row made of their
labels (Grid.first_row 0: the pasted lines keep their numbers in every message). From
there it is an import like any other: natural-key update-or-create, the same checks,
the same preview, commit_import all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from app.db import Database
from app.errors import UserError
from app.importer import map_columns
from app.importer.files import Grid
from app.importer.header import Layout, detect_layout
from app.importer.mapping import MANUAL, FieldIndex, Mapping
from app.importer.prescan import MAX_CELLS
from app.normalize import clean_text
from app.specs import Field, LedgerSpec

SHEET = "粘贴的内容"  # the grid's sheet name: the preview's 工作表 column
SOURCE = "从剪贴板粘贴"  # what the audit trail says the rows came from
MODE = "upsert"  # a row whose natural key exists updates it; the others are new
NOT_PASTED = "由程序计算或在表单中添加，不能粘贴"


def clipboard_rows(text: str) -> list[list[str]]:
    """The cells of Excel's text: quoted cells may hold tabs and line breaks; the line
    break after the last row ends it (no blank row); blank rows inside stay, as []."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Excel's quoting always pairs its quotes. An odd count is text from elsewhere with a
    # stray quote, which would swallow every line after it into one cell: read it plainly.
    quoting = csv.QUOTE_MINIMAL if text.count('"') % 2 == 0 else csv.QUOTE_NONE
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter="\t", quotechar='"',
                               doublequote=True, quoting=quoting))
    except csv.Error:  # a cell beyond the csv module's size limit: no quoting either
        rows = [line.split("\t") for line in text.split("\n")]
    rows = [r if any(c.strip() for c in r) else [] for r in rows]
    while rows and not rows[-1]:
        rows.pop()
    return rows


def is_heading_line(spec: LedgerSpec, cells: Sequence[str], index: FieldIndex | None = None
                    ) -> bool:
    """The first pasted line names fields (copied with the table's heading row): one cell
    at least is a field's label or alias, and at least half are like one."""
    index = index or FieldIndex(spec)
    filled = [c for c in cells if clean_text(c)]
    if not filled:
        return False
    exact = sum(1 for c in filled if index.match(c))
    like = sum(1 for c in filled if index.match(c) or index.similar(c))
    return exact >= 1 and 2 * like >= len(filled)


@dataclass
class PasteBlock:
    """What was pasted, ready for prepare_import(db, spec, grid, layout, mapping)."""

    spec: LedgerSpec
    grid: Grid
    layout: Layout
    mapping: Mapping
    headed: bool  # the first line was headings
    lines: int  # pasted lines under the headings (blank ones included)
    width: int  # pasted columns
    targets: tuple[str, ...] = ()  # not headed: the table's column each pasted column went to

    def describe(self) -> str:
        """How the block was read, for the preview."""
        if self.headed:
            how = "第一行是标题，按标题对应到字段"
            cols = "；".join(self.mapping.describe())
        else:
            how = f"第一行不是标题，按表格中从“{self.targets[0]}”起的列依次对应"
            cols = "、".join(f"第 {n} 列 → {t}" for n, t in enumerate(self.targets, 1))
        key = "、".join(self.spec.field(k).label for k in self.spec.natural_key)
        return (f"粘贴了 {self.lines:,} 行、{self.width} 列，{how}：{cols}。\n"
                f"{key}与已有记录相同的行将更新该记录，其余的作为新记录添加。"
                "行号按粘贴的内容计。")


def read_paste(db: Database | None, spec: LedgerSpec, text: str,
               columns: Sequence[Field] = ()) -> PasteBlock:
    """The block of clipboard `text`; `columns`: the table's columns as shown, from the
    current cell's on, for a block without headings. UserError when there is nothing to
    paste, or more columns than the table has from there."""
    rows = clipboard_rows(text or "")
    if not rows:
        raise UserError("剪贴板中没有可粘贴的表格内容：请先在 Excel/WPS 中选中单元格并复制（Ctrl+C）")
    width = max(len(r) for r in rows)
    if width * len(rows) > MAX_CELLS:
        raise UserError(f"粘贴的内容太大（{len(rows):,} 行 × {width} 列），请分几次粘贴，"
                        "或保存为 Excel 文件后用“导入Excel…”导入")
    index = FieldIndex(spec)
    grid_rows: list[list | None] = [r or None for r in rows]
    if is_heading_line(spec, rows[0], index):
        grid = Grid(SHEET, grid_rows, width)
        layout = detect_layout(grid, spec, index, header_row=1)
        mapping = map_columns(db, spec, grid, layout)
        return PasteBlock(spec, grid, layout, mapping, True, len(rows) - 1, width)
    columns = list(columns)
    if not columns:
        raise UserError("粘贴的内容没有标题行：请先选中要从哪一列开始粘贴的单元格")
    if width > len(columns):
        raise UserError(f"粘贴的内容有 {width} 列，但表格中从“{columns[0].title}”起只有 "
                        f"{len(columns)} 列：请先选中更靠左的单元格再粘贴，或连同标题行一起复制")
    columns = columns[:width]
    grid = Grid(SHEET, [[f.title for f in columns], *grid_rows], width, first_row=0)
    layout = detect_layout(grid, spec, index, header_row=1)  # the made-up heading row
    mapping = Mapping(spec, layout.columns)
    pastable = {f.name for f in spec.form_fields}
    for c, f in zip(layout.columns, columns, strict=True):
        if f.name in pastable:
            mapping.assign(c.index, f.name, MANUAL)
        else:
            mapping.notes[c.index] = NOT_PASTED
    targets = tuple(f.title + ("" if f.name in pastable else "（不能粘贴）") for f in columns)
    return PasteBlock(spec, grid, layout, mapping, False, len(rows), width, targets)
