"""Ledger specs: one declaration per ledger drives the table, the form, import,
export and the PDF table. A new ledger is a model, a spec and its domain rules."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from app.errors import UserError
from app.normalize import to_halfwidth
from app.specs.figures import Total
from app.specs.kinds import TEXT_LIMIT, VALUE_KINDS, Kind  # noqa: F401 - TEXT_LIMIT re-exported
from app.specs.kinds_ids import ID_KINDS
from app.specs.kinds_rows import ROW_KINDS
from app.specs.workflow import Workflow

# Every field kind by name: a spec's Field(kind=...) names one.
KINDS: dict[str, Kind] = {k.name: k for k in (*VALUE_KINDS, *ID_KINDS, *ROW_KINDS)}


@dataclass(frozen=True)
class Ref:
    """A field that names a row of another table (stored as its id)."""

    model: type
    label: str = "name"  # the column that users see and type
    area_field: str = "area_id"  # rows offered are those of the current street
    fixed: dict[str, Any] = field(default_factory=dict)
    ledger: str | None = None  # spec key, to create a missing row during import


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (#RRGGBB)."""
    r, g, b = (int(fill[k:k + 2], 16) for k in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # a key of KINDS (app.specs.kinds, kinds_ids, kinds_rows)
    required: bool = False
    choices: tuple[str, ...] = ()
    # Spellings people use for a choice, mapped to the canonical label.
    choice_aliases: dict[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other column headings for import
    ref: Ref | None = None
    max_length: int | None = None
    width: int = 12  # in characters: table, Excel
    pdf_weight: float = 0.0  # share of the PDF table width; 0 = not printed
    table: bool = True
    form: bool = True
    export: bool = True
    searchable: bool = False
    filterable: bool = False
    hint: str = ""
    default: Any = None
    # A column computed by the database, never typed: (model, year) -> SQL expression (a
    # scalar subquery over child rows, a difference of two columns, ...). Read-only.
    compute: Callable[[type, int], Any] | None = None
    # What an empty value reads as (a count not reported yet: 未填报).
    blank: str = ""
    sensitive: bool = False  # masked like an ID number unless the user may and asks
    bounds: tuple[int, int] | None = None  # numbers: the smallest and largest allowed
    collection: Any = None  # kind "collection": the Children this column holds as text
    editable: bool = False  # the choices may be changed in 设置 → 可选值 (app.choices)
    person_name: bool = False  # sorted as a name: 曾 zeng, 单 shan, 尉迟 yuchi as surnames
    # Another field whose text, when filled, is this one's sort key (a place name's
    # 排序名: 渔子溪 sorted as "yu zi xi 1" where local usage wants it).
    sort_by: str | None = None
    # A colour per value (#RRGGBB): the table paints such cells, the PDF fills them (a
    # warning's 红/黄/蓝, a workflow state's chip colour).
    colours: dict[str, str] = field(default_factory=dict)
    # A value to show in red wherever the column is shown (超编 above 0, 未核定).
    alert: Callable[[Any], bool] | None = None

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        # The kind's behaviour, looked up once: display() runs for every cell shown.
        object.__setattr__(self, "type", KINDS[self.kind])
        assert self.type.is_ref == (self.ref is not None), self.name
        assert (self.kind == "collection") == (self.collection is not None), self.name
        if self.compute is not None:
            object.__setattr__(self, "form", False)
        assert all(re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in self.colours.values()), self.name

    def colour(self, value) -> str | None:
        """The colour of a cell holding `value`, or None."""
        return self.colours.get(value) if self.colours and isinstance(value, str) else None

    @property
    def title(self) -> str:
        """The column heading: a label may name the current year ("{year}年办件量")."""
        if "{year}" not in self.label:
            return self.label
        from datetime import date

        return self.label.replace("{year}", str(date.today().year))

    @property
    def computed(self) -> bool:
        return self.compute is not None

    @property
    def stored(self) -> bool:
        """A column of the ledger's own table (not computed, not attachments)."""
        return self.compute is None and self.type.stored

    @property
    def typed(self) -> bool:
        """Typed or imported as a value: stored columns and collections as text."""
        return self.compute is None and (self.type.stored or self.collection is not None)

    # -- values -------------------------------------------------------------
    def parse(self, raw):
        """Typed value from what a person typed or a cell held; ValueError(中文) if bad.

        Ref fields are returned as the cleaned label; the service resolves them."""
        return self.type.parse(self, raw)

    def match_choice(self, text: str) -> str:
        key = to_halfwidth(text).replace(" ", "")
        if key in self.choices:
            return key
        if key in self.choice_aliases:
            return self.choice_aliases[key]
        # A shortened label that fits exactly one choice: 许可 → 行政许可, 下放 → 下放行政权力.
        hits = [c for c in self.choices if len(key) >= 2 and key in c]
        if len(hits) == 1:
            return hits[0]
        raise ValueError(f"“{text}”不是可选值（可选：{'、'.join(self.choices)}）")

    def display(self, value) -> str:
        if value is None or value == "":
            return self.blank
        return self.type.display(self, value)

    def display_long(self, value) -> str:
        """For printed documents: dates as 2023年12月5日."""
        if value is None or value == "":
            return self.blank
        return self.type.display_long(self, value)

    @property
    def empty(self):
        return self.type.empty

    @property
    def masked(self) -> bool:
        return self.type.masked or self.sensitive


@dataclass(frozen=True)
class Children:
    """Rows that belong to one row of a ledger and are edited inside its form (办件量 by
    year, a problem's progress log, a person's posts). With a ref field and a `primary`
    flag it is a many-to-many with attributes: a person holds several posts, exactly one
    of them primary. Changes are audited under the parent row, whose version moves."""

    name: str  # the key in save_row's values: {"case_counts": [{...}, ...]}
    label: str  # 办件量
    model: type  # a plain table with an id, the parent column and the fields
    parent_field: str  # the column naming the parent row: item_id
    fields: tuple[Field, ...]
    key: tuple[str, ...] = ()  # unique within one parent (年份); () = any rows
    order_by: tuple[str, ...] = ("id",)
    primary: str | None = None  # a bool field that exactly one row must have
    # Rules over all rows of one parent: rows → {row number (1-based): message}.
    rules: Callable[[list[dict]], dict[int, str]] | None = None
    hint: str = ""  # shown above the rows in the form
    summary: Callable[[dict], str] | None = None  # one row as audit text: 2024年12件
    # The values of a row the user adds, given the rows there are (the next free year).
    new_row: Callable[[list[dict]], dict] | None = None
    # One item of the collection's text in a sheet cell ("2024年12件") → {field: text}.
    parse_item: Callable[[str], dict] | None = None
    column_hint: str = ""  # the template's hint for that cell

    def typed(self, raw: dict) -> dict:
        """{field: value} parsed by the fields (ValueError naming the field)."""
        out = {}
        for f in self.fields:
            v = raw.get(f.name)
            try:
                out[f.name] = f.parse(v) if v is not None else f.empty
            except ValueError as exc:
                raise ValueError(f"{f.label}{exc}") from None
            if f.required and out[f.name] in (None, ""):
                raise ValueError(f"缺少{f.label}")
        return out

    def sorted(self, rows: list[dict]) -> list[dict]:
        """The collection's own order (its order_by fields), as it is stored."""
        names = [k for k in self.order_by if k in (f.name for f in self.fields)]
        if not names:
            return rows
        return sorted(rows, key=lambda r: tuple(
            (r.get(k) is None, r.get(k) if r.get(k) is not None else 0) for k in names))

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    def describe(self, row: dict) -> str:
        """One child row as text, for the audit trail: 2024 / 12."""
        if self.summary is not None:
            return self.summary(row)
        parts = [f.display(row.get(f.name)) for f in self.fields]
        return " / ".join(p for p in parts if p)


@dataclass(frozen=True)
class PrintedDocument:
    """A document printed from a ledger's rows: a toolbar action on its page. `writer` is
    "module:function" in reports/ (app/ names it, never imports it) and returns the page
    count. Called as writer(db, path, ids=[row ids], progress=…, cancel=…) for the selected
    rows or the rows shown (一小区一图示); with `one_row`, as writer(db, path, row_id) for
    the selected row (a meeting's pack, its minutes)."""

    key: str
    label: str  # the action's text: 一小区一图示, 生成会议材料包
    writer: str
    hint: str = ""
    name: str = ""  # what the file is called, when not the label: 会议材料包
    one_row: bool = False

    @property
    def file_name(self) -> str:
        return self.name or self.label


@dataclass(frozen=True)
class LedgerSpec:
    key: str  # used on the command line: powers, bodies, communities
    title: str  # 权责清单
    model: type
    fields: tuple[Field, ...]
    natural_key: tuple[str, ...]
    area_field: str = "area_id"
    # Column values every row of this ledger has (communities are areas of level community).
    fixed: dict[str, Any] = field(default_factory=dict)
    default_sort: tuple[str, ...] = ("id",)
    # Domain rules beyond single fields: values → {field: message}.
    rules: Callable[[dict], dict[str, str]] | None = None
    # What deserves a second look but is allowed (a 编制类型 not authorised in the body):
    # (session, values) → {field: message}, shown by the form before it saves.
    warnings: Callable[[Any, dict], dict[str, str]] | None = None
    # Called inside the write transaction after the row is flushed (e.g. area paths).
    after_write: Callable[[Any, Any], None] | None = None
    # The same for rows inserted in bulk (imports, demo): (session, new ids).
    after_insert: Callable[[Any, list[int]], None] | None = None
    pdf_landscape: bool = True
    # Area levels rows may be filed at (street, community, grid, …).
    levels: tuple[str, ...] = ("street",)
    # Fields that name a row to people (audit trail, recycle bin); default: the key.
    label: tuple[str, ...] = ()
    children: tuple[Children, ...] = ()
    # Figures (app.specs.figures): the summary strip, `stats`, the PDF and the dashboard.
    figures: tuple = (Total(),)
    workflow: Workflow | None = None  # states and transitions of a status column
    # Where the ledger appears in the navigation (权责清单 / 机构编制 / 网格 / 整改 / 会议);
    # "" = not a page of its own (设置 shows the street's small ledgers).
    group: str = ""
    order: int = 100  # position within the navigation
    # Printed documents of the ledger's rows beyond its table (一小区一图示, a meeting's
    # pack): a toolbar action each on its page (ui.documents).
    documents: tuple[PrintedDocument, ...] = ()
    # Data checks (核查, app.checks): rules that list the rows breaking them.
    checks: tuple = ()
    # The columns kept in view when the table scrolls right (frozen, as in Excel); empty:
    # the first of the label fields.
    frozen: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def label_fields(self) -> tuple[str, ...]:
        return self.label or self.natural_key

    @property
    def labels(self) -> dict[str, str]:
        return {f.name: f.label for f in self.fields}

    def child(self, name: str) -> Children:
        for c in self.children:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def table_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.table)

    @property
    def stored_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.stored)

    @cached_property  # read once per row by clean_values: 100,000 times in an import
    def form_fields(self) -> tuple[Field, ...]:
        """Fields typed or imported as values (attachments are added in the form; a
        collection's column is imported as text and edited as a table)."""
        return tuple(f for f in self.fields if f.form and f.typed)

    @property
    def editor_fields(self) -> tuple[Field, ...]:
        """What the form shows as single editors: typed fields and attachments."""
        return tuple(f for f in self.fields if f.form and f.collection is None)

    @property
    def collection_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.collection is not None)

    @property
    def export_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.export)

    @property
    def pdf_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.pdf_weight > 0)

    @property
    def search_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.searchable)

    @property
    def filter_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.filterable)


_REGISTRY: dict[str, LedgerSpec] = {}


def register(spec: LedgerSpec) -> LedgerSpec:
    _REGISTRY[spec.key] = spec
    return spec



def _load() -> None:
    # Always import: one spec module imported elsewhere (the demo imports the powers list)
    # must not hide the others. Python imports each module once.
    from app.specs import (  # noqa: F401 - registers specs
        deliberations,
        estates,
        grids,
        households,
        key_persons,
        meetings,
        powers,
        rectification,
        settings,
        staff,
        staffing,
    )


def all_specs() -> list[LedgerSpec]:
    _load()
    return list(_REGISTRY.values())


# Other names a ledger answers to on the command line (`stats staffing` = the roster,
# whose figures span the authorisations too).
ALIASES = {"staffing": "staff"}


def get_spec(key: str) -> LedgerSpec:
    _load()
    try:
        return _REGISTRY[ALIASES.get(key, key)]
    except KeyError:
        names = "、".join(f"{s.key}（{s.title}）" for s in _REGISTRY.values())
        raise UserError(f"没有名为“{key}”的台账，可用的有：{names}") from None
