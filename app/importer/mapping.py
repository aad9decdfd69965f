"""Matching a file's column headings to a ledger's fields, by the label and the
aliases the spec declares. Headings are compared after removing what people add
around them: spaces and line breaks, full-width forms, a required-mark (* or
（必填）), a trailing colon. For date fields 时间 and 日期 are taken as the same word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.normalize import clean_text, to_halfwidth
from app.specs import Field, LedgerSpec

_DECOR = re.compile(r"^[*※]+|[*※]+$|[(（\[【](?:必填|选填|必录|可选|非必填)[)）\]】]$|[:：]$")
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_PAREN_TAIL = re.compile(r"[(（][^()（）]{1,12}[)）]$")


def heading_key(value) -> str:
    s = _SPACE.sub("", to_halfwidth(clean_text(value)))
    for _ in range(3):  # "*事项名称（必填）：" has three decorations
        t = _DECOR.sub("", s)
        if t == s:
            break
        s = t
    return s.casefold()


class FieldIndex:
    """heading key → field name for one spec; labels win over aliases."""

    def __init__(self, spec: LedgerSpec):
        self.spec = spec
        exact: dict[str, str] = {}
        loose: dict[str, str] = {}
        for f in spec.fields:
            for i, name in enumerate((f.label, *f.aliases)):
                key = heading_key(name)
                target = exact if i == 0 else loose
                target.setdefault(key, f.name)
                if f.kind == "date":
                    for a, b in (("日期", "时间"), ("时间", "日期")):
                        if key.endswith(a):
                            loose.setdefault(key[: -len(a)] + b, f.name)
        self._keys = {**loose, **exact}

    def match(self, heading) -> str | None:
        key = heading_key(heading)
        if not key:
            return None
        hit = self._keys.get(key)
        if hit is None:
            # "生效日期（年月日）", "实施依据(法规条款)": a unit or note in brackets.
            bare = _PAREN_TAIL.sub("", key)
            if bare != key:
                hit = self._keys.get(bare)
        return hit


@dataclass
class Column:
    """One column of the file's table, as the header shows it."""

    index: int  # 0-based, absolute (A = 0)
    heading: str  # as shown: "承接情况/承接科室" for a two-row header
    letter: str = ""
    parts: tuple[str, ...] = ()  # (group, heading) for a two-row header


@dataclass
class Mapping:
    """Which file column feeds which field; adjustable by a wizard."""

    spec: LedgerSpec
    columns: list[Column]
    assigned: dict[int, str] = field(default_factory=dict)  # column index → field name
    notes: dict[int, str] = field(default_factory=dict)  # column index → why unassigned

    def field_column(self, name: str) -> Column | None:
        for idx, fname in self.assigned.items():
            if fname == name:
                return self.column(idx)
        return None

    def column(self, index: int) -> Column:
        return next(c for c in self.columns if c.index == index)

    def assign(self, index: int, field_name: str | None) -> None:
        """Set (or clear, with None) the field of a column; a field feeds from one column."""
        self.column(index)  # raises StopIteration for an unknown column
        if field_name is None:
            self.assigned.pop(index, None)
            self.notes[index] = "已设为不导入"
            return
        self.spec.field(field_name)  # KeyError for an unknown field
        for idx, fname in list(self.assigned.items()):
            if fname == field_name and idx != index:
                del self.assigned[idx]
        self.assigned[index] = field_name
        self.notes.pop(index, None)

    @property
    def unknown_columns(self) -> list[Column]:
        """Columns with a heading that feed no field (ignored on import)."""
        return [c for c in self.columns if c.index not in self.assigned and c.heading]

    def missing_required(self, set_values: dict | None = None) -> list[Field]:
        have = set(self.assigned.values()) | set(set_values or {})
        return [f for f in self.spec.form_fields
                if f.required and f.default is None and f.name not in have]

    def missing_fields(self) -> list[Field]:
        have = set(self.assigned.values())
        return [f for f in self.spec.form_fields if f.name not in have]

    def describe(self) -> list[str]:
        labels = self.spec.labels
        out = [f"{c.letter}列“{c.heading}” → {labels[self.assigned[c.index]]}"
               for c in self.columns if c.index in self.assigned]
        out += [f"{c.letter}列“{c.heading}”：{self.notes.get(c.index, '不导入')}"
                for c in self.unknown_columns]
        return out


def auto_map(spec: LedgerSpec, columns: list[Column], index: FieldIndex | None = None) -> Mapping:
    index = index or FieldIndex(spec)
    mapping = Mapping(spec, columns)
    taken: dict[str, int] = {}
    for c in columns:
        name = match_column(index, c)
        if name is None:
            if c.heading:
                mapping.notes[c.index] = "不是本台账的字段，不导入"
            continue
        if name in taken:
            first = mapping.column(taken[name])
            mapping.notes[c.index] = f"与{first.letter}列同为“{spec.field(name).label}”，不导入"
            continue
        taken[name] = c.index
        mapping.assigned[c.index] = name
    return mapping


def match_column(index: FieldIndex, c: Column) -> str | None:
    """A two-row heading matches by its lower part, then as a whole, then by its
    upper part (a heading merged down over both rows has only that)."""
    if len(c.parts) == 2:
        top, bottom = c.parts
        return (index.match(bottom) or index.match(f"{top}{bottom}") or
                (index.match(top) if not bottom else None))
    return index.match(c.heading)


def match_field_name(spec: LedgerSpec, name: str) -> Field:
    """A field named on the command line by its name (list_kind) or label (清单类别)."""
    key = heading_key(name)
    for f in spec.fields:
        if f.name.casefold() == key or heading_key(f.label) == key:
            return f
    hit = FieldIndex(spec).match(name)
    if hit:
        return spec.field(hit)
    from app.errors import UserError

    raise UserError(f"{spec.title}没有名为“{name}”的字段（可用：{'、'.join(spec.labels.values())}）")
