"""Ledger specs: one declaration per ledger drives the table, the form, import,
export and the PDF table. A new ledger is a model, a spec and its domain rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from app.errors import UserError
from app.ids import parse_id_number
from app.normalize import (
    HALFWIDTH_ALNUM,
    clean_text,
    format_date,
    parse_date,
    parse_int,
    to_halfwidth,
)
from app.specs.workflow import Workflow

# idcard: a resident ID number, checked by GB 11643 and refused when Excel damaged it.
KINDS = ("text", "longtext", "enum", "date", "int", "ref", "idcard")


@dataclass(frozen=True)
class Ref:
    """A field that names a row of another table (stored as its id)."""

    model: type
    label: str = "name"  # the column that users see and type
    area_field: str = "area_id"  # rows offered are those of the current street
    fixed: dict[str, Any] = field(default_factory=dict)
    ledger: str | None = None  # spec key, to create a missing row during import


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"
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

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert (self.kind == "ref") == (self.ref is not None), self.name

    # -- values -------------------------------------------------------------
    def parse(self, raw):
        """Typed value from what a person typed or a cell held; ValueError(中文) if bad.

        Ref fields are returned as the cleaned label; the service resolves them."""
        if self.kind == "date":
            return parse_date(raw)
        if self.kind == "int":
            return parse_int(raw)
        if self.kind == "idcard":
            return parse_id_number(raw)
        if self.kind == "ref" and isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        text = clean_text(raw)
        if not text.isascii():  # ＸＫ００１ → XK001, typed or imported alike; （，：） stay
            text = text.translate(HALFWIDTH_ALNUM)
        if self.kind == "enum":
            return self.match_choice(text) if text else ""
        limit = self.max_length or TEXT_LIMIT
        if len(text) > limit:
            raise ValueError(f"不能超过 {limit:,} 个字（现为 {len(text):,} 个）")
        return text

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
        if value is None:
            return ""
        if self.kind == "date" and isinstance(value, date):
            return value.isoformat()
        return str(value)

    def display_long(self, value) -> str:
        """For printed documents: dates as 2023年12月5日."""
        if self.kind == "date":
            return format_date(value)
        return self.display(value)

    @property
    def empty(self):
        return None if self.kind in ("date", "int", "ref") else ""


# An Excel cell holds 32,767 characters: a longer text could not be exported whole.
TEXT_LIMIT = 32_767


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
    # Called inside the write transaction after the row is flushed (e.g. area paths).
    after_write: Callable[[Any, Any], None] | None = None
    # The same for rows inserted in bulk (imports, demo): (session, new ids).
    after_insert: Callable[[Any, list[int]], None] | None = None
    pdf_landscape: bool = True
    # Area levels rows may be filed at (street, community, grid, …).
    levels: tuple[str, ...] = ("street",)
    # Fields that name a row to people (audit trail, recycle bin); default: the key.
    label: tuple[str, ...] = ()
    workflow: Workflow | None = None  # states and transitions of a status column

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

    @property
    def table_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.table)

    @cached_property  # read once per row by clean_values: 100,000 times in an import
    def form_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.form)

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
    if not _REGISTRY:
        from app.specs import powers, settings  # noqa: F401 - registers specs


def all_specs() -> list[LedgerSpec]:
    _load()
    return list(_REGISTRY.values())


def get_spec(key: str) -> LedgerSpec:
    _load()
    try:
        return _REGISTRY[key]
    except KeyError:
        names = "、".join(f"{s.key}（{s.title}）" for s in _REGISTRY.values())
        raise UserError(f"没有名为“{key}”的台账，可用的有：{names}") from None
