"""Matching a file's column headings to a ledger's fields, by the label and the
aliases the spec declares. Headings are compared after removing what people add
around them: spaces and line breaks, full-width forms, a required-mark (* or
（必填）), a trailing colon. For date fields 时间 and 日期 are taken as the same word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.importer import similarity
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
                if True:
                    for a, b in f.type.heading_pairs:  # 生效日期 = 生效时间
                        if key.endswith(a):
                            loose.setdefault(key[: -len(a)] + b, f.name)
        self._keys = {**loose, **exact}
        self._similar: dict[str, str | None] = {}
        self._names: list[tuple] | None = None

    def similar(self, heading) -> str | None:
        """The field a heading is clearly like (similarity ≥ TAKE), for finding the
        header row of a file whose headings are all another office's words."""
        key = heading_key(heading)
        if not key or len(key) > 30:
            return None
        if key not in self._similar:
            if len(self._similar) >= MAX_SIMILAR:  # a hostile sheet of countless headings
                return None
            best, second, hit = 0.0, 0.0, None
            for f, label, names in self._name_keys():
                sc = max(similarity.score(key, n, label) for n in names)
                if sc > best:
                    best, second, hit = sc, best, f.name
                elif sc > second:
                    second = sc
            ok = best >= similarity.TAKE and best - second >= similarity.MARGIN
            self._similar[key] = hit if ok else None
        return self._similar[key]

    def _name_keys(self) -> list[tuple]:
        """(field, its label's key, the keys of its label and aliases), made once."""
        if self._names is None:
            self._names = [(f, heading_key(f.label),
                            [heading_key(n) for n in (f.label, *f.aliases)])
                           for f in self.spec.form_fields]
        return self._names

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


MAX_SIMILAR = 5000  # distinct headings scored while looking for the header row
MAX_SIMILAR_COLUMNS = 400  # columns scored for similarity (a real table has far fewer)
# The column our own rejected-rows workbook adds (reports.templates): never data.
NOT_IMPORTED = frozenset(("错误说明",))
EXACT, REMEMBERED, MANUAL, SIMILAR = "标题相同", "已记住", "指定", "相似"


@dataclass
class Column:
    """One column of the file's table, as the header shows it."""

    index: int  # 0-based, absolute (A = 0)
    heading: str  # as shown: "承接情况/承接科室" for a two-row header
    letter: str = ""
    parts: tuple[str, ...] = ()  # (group, heading) for a two-row header


@dataclass
class Mapping:
    """Which file column feeds which field; adjustable by a wizard.

    how[col] says why a column feeds its field: 标题相同 (label or alias), 已记住,
    指定 (--map or the wizard), 相似 (by similarity: the wizard asks to confirm it).
    candidates[col] lists the closest fields of a column by similarity, best first."""

    spec: LedgerSpec
    columns: list[Column]
    assigned: dict[int, str] = field(default_factory=dict)  # column index → field name
    notes: dict[int, str] = field(default_factory=dict)  # column index → why unassigned
    how: dict[int, str] = field(default_factory=dict)
    candidates: dict[int, list[tuple[str, float]]] = field(default_factory=dict)

    def field_column(self, name: str) -> Column | None:
        for idx, fname in self.assigned.items():
            if fname == name:
                return self.column(idx)
        return None

    def column(self, index: int) -> Column:
        return next(c for c in self.columns if c.index == index)

    def assign(self, index: int, field_name: str | None, how: str = MANUAL) -> None:
        """Set (or clear, with None) the field of a column; a field feeds from one column."""
        self.column(index)  # raises StopIteration for an unknown column
        if field_name is None:
            self.assigned.pop(index, None)
            self.how.pop(index, None)
            self.notes[index] = "已设为不导入"
            return
        self.spec.field(field_name)  # KeyError for an unknown field
        for idx, fname in list(self.assigned.items()):
            if fname == field_name and idx != index:
                del self.assigned[idx]
                self.how.pop(idx, None)
                self.notes[idx] = f"已改由{self.column(index).letter}列导入{self.spec.field(fname).label}"
        self.assigned[index] = field_name
        self.how[index] = how
        self.notes.pop(index, None)

    @property
    def proposed(self) -> list[Column]:
        """Columns taken by similarity alone: the wizard asks the user to confirm them."""
        return [c for c in self.columns if self.how.get(c.index) == SIMILAR]

    def confirmed(self) -> dict[str, str]:
        """heading → field of the columns a person chose or confirmed (worth remembering)."""
        return {self.column(i).heading: f for i, f in self.assigned.items()
                if self.how.get(i) in (MANUAL, SIMILAR)}

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

    def closest_columns(self, field_name: str, n: int = 3) -> list[Column]:
        """Unused columns most like a field, best first (for a missing-column message)."""
        scored = []
        for c in self.unknown_columns:
            for fname, sc in self.candidates.get(c.index, []):
                if fname == field_name:
                    scored.append((sc, c.index))
        return [self.column(i) for _sc, i in sorted(scored, reverse=True)[:n]]

    def describe(self) -> list[str]:
        labels = self.spec.labels
        out = []
        for c in self.columns:
            if c.index in self.assigned:
                how = self.how.get(c.index, EXACT)
                out.append(f"{c.letter}列“{c.heading}” → {labels[self.assigned[c.index]]}"
                           + ("" if how == EXACT else f"（{how}）"))
        out += [f"{c.letter}列“{c.heading}”：{self.notes.get(c.index, '不导入')}"
                for c in self.unknown_columns]
        return out



def auto_map(spec: LedgerSpec, columns: list[Column], index: FieldIndex | None = None, *,
             overrides: dict[str, str] | None = None, remembered: dict[str, str] | None = None,
             evidence: dict[str, dict[int, float]] | None = None,
             take_ambiguous: bool = False) -> Mapping:
    """Columns → fields, one-to-one, in this order: overrides (heading → field, from
    --map; the heading as shown, its lower part or the column letter), remembered
    choices (heading key → field), exact label or alias, then similarity.

    A similar match is taken when it is unambiguous: no other free field nearly as
    close to the column, no other free column nearly as close to the field. An
    ambiguous one is left out (the command line) or taken as the best guess
    (take_ambiguous, for a wizard that asks to confirm). evidence: field → column
    → a bonus or malus from the column's values (names that exist, dates, choices)."""
    index = index or FieldIndex(spec)
    mapping = Mapping(spec, columns)
    taken: dict[str, int] = {}

    def take(c: Column, name: str, how: str) -> None:
        taken[name] = c.index
        mapping.assigned[c.index] = name
        mapping.how[c.index] = how

    for heading, name in (overrides or {}).items():
        c = find_column(columns, heading)
        if c is None:
            from app.errors import UserError

            shown = "、".join(f"{x.letter}列“{x.heading}”" for x in columns)
            raise UserError(f"--map：文件中没有标题为“{heading}”的列（有：{shown}）")
        f = match_field_name(spec, name)
        if f.name in taken and taken[f.name] != c.index:
            from app.errors import UserError

            raise UserError(f"--map：{f.label}指定了两列（{mapping.column(taken[f.name]).letter}列和"
                            f"{c.letter}列），一个字段只能取一列")
        take(c, f.name, MANUAL)
    fields = {f.name for f in spec.form_fields}
    for c in columns:
        if c.index in mapping.assigned:
            continue
        name = (remembered or {}).get(heading_key(c.heading))
        if name in fields and name not in taken:
            take(c, name, REMEMBERED)
    for c in columns:
        if c.index in mapping.assigned:
            continue
        if heading_key(c.heading) in NOT_IMPORTED:
            mapping.notes[c.index] = "导入时不读取此列"
            continue
        name = match_column(index, c)
        if name is None:
            continue
        if name in taken:
            first = mapping.column(taken[name])
            mapping.notes[c.index] = f"与{first.letter}列同为“{spec.field(name).label}”，不导入"
            continue
        take(c, name, EXACT)
    _similar(mapping, spec, taken, evidence or {}, take_ambiguous)
    for c in columns:
        if c.index not in mapping.assigned and c.heading and c.index not in mapping.notes:
            cands = [spec.field(n).label for n, _ in mapping.candidates.get(c.index, [])[:2]]
            mapping.notes[c.index] = (f"可能是{'或'.join(cands)}，未确定，不导入" if cands
                                      else "不是本台账的字段，不导入")
    return mapping


def _similar(mapping: Mapping, spec: LedgerSpec, taken: dict[str, int],
             evidence: dict[str, dict[int, float]], take_ambiguous: bool) -> None:
    names = {f.name: [heading_key(n) for n in (f.label, *f.aliases)] for f in spec.form_fields}
    labels = {f.name: heading_key(f.label) for f in spec.form_fields}
    table: dict[tuple[int, str], float] = {}
    for c in mapping.columns[:MAX_SIMILAR_COLUMNS]:
        keys = {heading_key(p) for p in (c.heading, *c.parts)}
        keys = [k for k in keys | {_PAREN_TAIL.sub("", k) for k in keys} if k]
        if not keys:
            continue
        for fname, fkeys in names.items():
            best = max(similarity.score(k, n, labels[fname]) * (1.0 if i == 0 else 0.95)
                       for k in keys for i, n in enumerate(fkeys))
            best += evidence.get(fname, {}).get(c.index, 0.0)
            if best >= similarity.PROPOSE:
                table[(c.index, fname)] = best
    for c in mapping.columns:
        ranked = sorted(((sc, f) for (i, f), sc in table.items() if i == c.index), reverse=True)
        if ranked:
            mapping.candidates[c.index] = [(f, round(sc, 2)) for sc, f in ranked[:4]]
    free = [(sc, i, f) for (i, f), sc in table.items()
            if i not in mapping.assigned and i not in mapping.notes and f not in taken]
    for sc, i, f in sorted(free, reverse=True):
        if i in mapping.assigned or f in taken:
            continue
        rivals = [s2 for (i2, f2), s2 in table.items()
                  if ((i2 == i and f2 != f and f2 not in taken)
                      or (f2 == f and i2 != i and i2 not in mapping.assigned))]
        if not take_ambiguous and (sc < similarity.TAKE or (
                rivals and max(rivals) > sc - similarity.MARGIN)):
            continue
        taken[f] = i
        mapping.assigned[i] = f
        mapping.how[i] = SIMILAR


def find_column(columns: list[Column], heading: str) -> Column | None:
    """A column named by its heading (as shown, or its lower part) or its letter (D)."""
    key = heading_key(heading)
    for c in columns:
        if key in (heading_key(c.heading), *(heading_key(p) for p in c.parts if p)):
            return c
    up = heading.strip().upper()
    return next((c for c in columns if c.letter == up), None)


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
