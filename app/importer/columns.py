"""Checking a file column by column instead of cell by cell: a column of list kinds,
offices or dates holds a few distinct values, parsed once each; a column of names or
codes is mostly clean text, taken as it is when it needs nothing done. Blank cells
cost nothing.

The outcome for each row is exactly what services.clean_values gives (the one
validator): a row this pass finds doubtful — an error cell, a value that does not
parse, a required field blank, a name that is not known, a domain rule that fails —
is handed to clean_values itself for its messages; tests compare both on every row
kind."""

from __future__ import annotations

import re
from itertools import repeat
from operator import itemgetter

from app.importer.files import ERROR_TEXTS
from app.normalize import HALFWIDTH_ALNUM
from app.specs import Field, LedgerSpec

SKIP = object()  # the cell gives no raw value: the field takes its default
_FULLWIDTH_RE = re.compile("[" + "".join(chr(c) for c in sorted(HALFWIDTH_ALNUM)) + "]")
_FAILED = object()


class Columns:
    """The raw value each data row gives each field (SKIP for none) and the parsed
    value, or `doubtful[i]` set for row i when only clean_values can say."""

    def __init__(self, n: int):
        self.n = n
        self.raw: dict[str, list] = {}
        self.parsed: dict[str, list | object] = {}  # a list, or one value for all rows
        self.doubtful = bytearray(n)
        self.bad_cells: dict[int, list[tuple[str, str]]] = {}  # row i → (field, shown)

    def raw_row(self, i: int, fixed: dict) -> dict:
        raw = dict(fixed)
        for fname, col in self.raw.items():
            v = col[i]
            if v is not SKIP:
                raw[fname] = v
        return raw


def column_pass(spec: LedgerSpec, rows: list[list], row_numbers: list[int],
                columns: list[tuple[int, str]], fixed: dict, defaulted: set[str],
                errors_at: dict, resolve_ref) -> Columns:
    """rows: the data rows (lists); row_numbers: their 0-based grid indexes.
    resolve_ref(fname, value, i) → id, placeholder id, "" or the text of an unknown
    name (registered as unknown once per row)."""
    n = len(rows)
    out = Columns(n)
    doubtful = out.doubtful
    mapped = {fname: idx for idx, fname in columns}
    taken = _transpose(rows, [idx for idx, _ in columns])
    for f in spec.form_fields:
        if f.name in mapped:
            idx = mapped[f.name]
            col = _raw_column(out, f, taken[idx], idx, row_numbers, defaulted, errors_at)
            if f.type.is_ref:
                col = _resolve_column(f.name, col, resolve_ref)
            out.raw[f.name] = col
            out.parsed[f.name] = _parse_column(f, col, doubtful)
        elif f.name in fixed:
            if f.type.is_ref:
                col = [resolve_ref(f.name, fixed[f.name], i) for i in range(n)]
                out.raw[f.name] = col
                out.parsed[f.name] = _parse_column(f, col, doubtful)
            else:
                out.parsed[f.name] = _constant(f, fixed[f.name], doubtful)
        else:
            out.parsed[f.name] = f.default if f.default is not None else f.empty
    return out


def _resolve_column(fname: str, col: list, resolve_ref) -> list:
    """Names → ids: each distinct name looked up once; a name that is not known is
    resolved row by row, so each of its rows is listed."""
    table = {}
    for v in set(col):
        if v is SKIP or v.__class__ is int:
            continue
        hit = resolve_ref(fname, v, None)
        if hit.__class__ is int and hit > 0:
            table[v] = hit
    out = list(map(table.get, col, col))
    for i, v in enumerate(out):
        if v is not SKIP and v.__class__ is not int:
            out[i] = resolve_ref(fname, v, i)
    return out


def _transpose(rows: list[list], indexes: list[int]) -> dict[int, list]:
    """Column index → its cells ("" where a short row has none)."""
    if not rows or not indexes:
        return {i: [""] * len(rows) for i in indexes}
    need = max(indexes) + 1
    if min(map(len, rows)) < need:
        rows = [r if len(r) >= need else r + [""] * (need - len(r)) for r in rows]
    if len(indexes) == 1:
        return {indexes[0]: [r[indexes[0]] for r in rows]}
    cols = zip(*map(itemgetter(*indexes), rows), strict=True)
    return {i: list(c) for i, c in zip(indexes, cols, strict=True)}


def _joined(col: list) -> tuple[str, bool]:
    """The column's text cells joined by "|" (to check them all at C speed), and
    whether every cell is text."""
    try:
        return "|".join(col), True
    except TypeError:  # dates, numbers, SKIP among them
        strs = [v for v in col if v.__class__ is str]
        return "|".join(strs), False


def _raw_column(out: Columns, f: Field, col: list, idx: int, row_numbers: list[int],
                defaulted: set[str], errors_at: dict) -> list:
    """Error cells marked doubtful (with what Excel showed); blank cells of a field
    with a default become SKIP, as a blank form field takes the default."""
    doubtful = out.doubtful
    if errors_at:
        for i, r in enumerate(row_numbers):
            shown = errors_at.get((r, idx))
            if shown is not None:
                doubtful[i] = 1
                out.bad_cells.setdefault(i, []).append((f.name, shown))
                col[i] = SKIP
    joined, all_text = _joined(col)
    if "#" in joined:
        for i, v in enumerate(col):
            if v.__class__ is str and v[:1] == "#" and v.strip() in ERROR_TEXTS:
                doubtful[i] = 1
                out.bad_cells.setdefault(i, []).append((f.name, v.strip()))
                col[i] = SKIP
        all_text = False  # SKIP among them now
    if f.name in defaulted and not (all_text and "" not in col
                                    and not any(map(str.isspace, col))):
        col = [SKIP if (v is None or (v.__class__ is str and not v.strip())) else v
               for v in col]
    return col


def _constant(f: Field, raw, doubtful: bytearray):
    try:
        value = f.parse(raw)
    except ValueError:
        doubtful[:] = b"\x01" * len(doubtful)
        return None
    if f.required and value in (None, ""):
        doubtful[:] = b"\x01" * len(doubtful)
    return value




def _parse_column(f: Field, col: list, doubtful: bytearray) -> list:
    """Field.parse of every cell, then what clean_values checks beyond parsing: a ref
    left as text (unknown name) and a blank required field are doubtful."""
    default = f.default if f.default is not None else f.empty
    out = _clean_text_column(f, col, default)
    if out is None:
        out = _by_distinct(f, col, default, doubtful)
    if out is None:
        out = _by_cell(f, col, default, doubtful)
    if f.type.is_ref and str in set(map(type, out)):
        for i, v in enumerate(out):
            if v.__class__ is str:
                if v:
                    doubtful[i] = 1  # a name clean_values will not find
                else:
                    out[i] = None
    if f.required and (None in out or "" in out):
        for i, v in enumerate(out):
            if v is None or v == "":
                doubtful[i] = 1
    return out


def _clean_text_column(f: Field, col: list, default) -> list | None:
    """A text column whose every cell is text that Field.parse gives back as it is
    (printable, no double or edge spaces, no full-width letters, not too long),
    checked on the joined column. None when some cell needs the full parse."""
    if not f.type.plain_text:
        return None
    cells = [v for v in col if v is not SKIP]
    joined, all_text = _joined(cells)
    if not all_text or not joined.isprintable() or "  " in joined or " |" in joined or (
            "| " in joined or joined[:1] == " " or joined[-1:] == " "
            or _FULLWIDTH_RE.search(joined)):
        return None
    if f.max_length and cells and max(map(len, cells)) > f.max_length:
        return None
    return [default if v is SKIP else v for v in col] if len(cells) < len(col) else list(col)


def _by_distinct(f: Field, col: list, default, doubtful: bytearray) -> list | None:
    """A column of few distinct values (kinds, types, offices, dates): each parsed
    once. None for a mostly-unique column, or one mixing 1, 1.0 and True (equal keys)."""
    if len(set(map(type, col)) & {int, float, bool}) > 1:
        return None
    distinct = set(col)
    if len(distinct) > 50 and len(distinct) * 2 > len(col):
        return None
    table = {}
    failed = False
    for v in distinct:
        if v is SKIP:
            table[v] = default
            continue
        try:
            table[v] = f.parse(v)
        except ValueError:
            table[v] = _FAILED
            failed = True
    out = list(map(table.__getitem__, col))
    if failed:
        for i, v in enumerate(out):
            if v is _FAILED:
                doubtful[i] = 1
                out[i] = None
    return out


def _by_cell(f: Field, col: list, default, doubtful: bytearray) -> list:
    parse = f.parse
    out = [None] * len(col)
    for i, v in enumerate(col):
        if v is SKIP:
            out[i] = default
            continue
        try:
            out[i] = parse(v)
        except ValueError:
            doubtful[i] = 1
    return out


def assemble(spec: LedgerSpec, cols: Columns) -> list[dict | None]:
    """For every row: its values as clean_values gives them before the domain rules
    (the caller runs those), or None when the pass doubted the row."""
    names = [f.name for f in spec.form_fields]
    series = [c if isinstance(c, list) else repeat(c, cols.n) for c in
              (cols.parsed[name] for name in names)]
    out = list(map(dict, map(zip, repeat(names), zip(*series, strict=True))))
    for i in _doubtful_rows(cols.doubtful):
        out[i] = None
    return out


def _doubtful_rows(flags: bytearray):
    i = flags.find(1)
    while i >= 0:
        yield i
        i = flags.find(1, i + 1)


class _Failed:
    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def memo_parse(f, *, probe: int = 2000):
    """Field.parse remembering its answers: list kinds, types, offices, dates repeat
    down a file. A column whose cells rarely repeat (names, codes) stops remembering
    after `probe` misses. Keys carry the type, so 1, 1.0 and True stay apart."""
    parse = f.parse
    cache: dict = {}
    lookups = misses = 0
    on = True

    def cached(v):
        nonlocal lookups, misses, on
        if not on or v.__class__ is list:  # a collection's rows: not a cell to remember
            return parse(v)
        key = (v.__class__, v)
        lookups += 1
        hit = cache.get(key)
        if hit is None:
            misses += 1
            if misses >= probe and misses * 2 > lookups:
                on = False
                cache.clear()
            try:
                hit = (parse(v),)
            except ValueError as exc:
                hit = _Failed(str(exc))
            if on:
                cache[key] = hit
        if hit.__class__ is _Failed:
            raise ValueError(hit.message)
        return hit[0]

    return cached
