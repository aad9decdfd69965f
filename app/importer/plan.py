"""What checking a file's rows gives (app.importer.rows) and writing it takes
(app.importer.commit): the ImportPlan — rows to add, update, leave, skip and reject,
names to create or map — and each Problem by sheet, Excel row, column and message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.errors import UserError
from app.importer.files import Grid
from app.importer.header import Layout
from app.importer.mapping import Mapping
from app.specs import LedgerSpec

MODES = {"append": "追加", "upsert": "按关键字段更新", "replace": "替换整个台账"}
Progress = Callable[[int, int, str], None]  # (done, total, what) — what is Chinese
Cancel = Callable[[], bool]


class ImportCancelled(UserError):
    def __init__(self):
        super().__init__("已取消导入，数据库未作任何修改")


@dataclass
class Problem:
    sheet: str
    row: int  # as Excel numbers it
    column: str  # the file's heading, or the field's label when the file has no column
    field: str | None
    message: str

    def text(self) -> str:
        return f"工作表“{self.sheet}”第 {self.row} 行，{self.column}：{self.message}"


@dataclass
class ImportPlan:
    spec: LedgerSpec
    grid: Grid
    layout: Layout
    mapping: Mapping
    mode: str = "append"
    set_values: dict[str, object] = field(default_factory=dict)
    create_missing: bool = False
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, reason)
    new_rows: list[dict] = field(default_factory=list)
    new_row_numbers: list[int] = field(default_factory=list)
    updates: list[tuple[int, int, dict, int]] = field(default_factory=list)  # id, ver, changes, row
    unchanged: list[int] = field(default_factory=list)
    rejected: dict[int, list[Problem]] = field(default_factory=dict)  # Excel row → problems
    # field → {name as written → Excel rows}: names of other rows that do not exist
    unknown_refs: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    # field → {placeholder id → name}: created on commit when create_missing
    placeholders: dict[str, dict[int, str]] = field(default_factory=dict)
    # field → {placeholder id → {field of the new row: value}}: its kind, its place
    placeholder_values: dict[str, dict[int, dict]] = field(default_factory=dict)
    # field → [(row id, name as written)]: value mappings to keep as aliases
    value_aliases: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # field → {name as written → reason}: names the user refused (rows rejected)
    refused_values: dict[str, set[str]] = field(default_factory=dict)
    replaced: int = 0  # live rows a replace would delete
    unheaded: list[str] = field(default_factory=list)  # columns with data but no heading

    @property
    def problems(self) -> list[Problem]:
        return [p for row in sorted(self.rejected) for p in self.rejected[row]]

    @property
    def read(self) -> int:
        return (len(self.new_rows) + len(self.updates) + len(self.unchanged)
                + len(self.rejected) + len(self.skipped))

    @property
    def valid(self) -> int:
        return len(self.new_rows) + len(self.updates) + len(self.unchanged)

    def to_create(self) -> dict[str, list[str]]:
        return {f: list(names.values()) for f, names in self.placeholders.items() if names}
