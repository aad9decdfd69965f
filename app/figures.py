"""Computing the figures a ledger declares (app.specs.figures) over rows.

Figures are counted over a RowSet, so the summary of a filtered PDF counts what it
prints, the strip above a filtered table what the table holds, and `stats` the whole
ledger — by one piece of code."""

from __future__ import annotations

from collections import Counter

from app.db import Database
from app.services import RowSet, list_rows, ref_choices
from app.specs import LedgerSpec
from app.specs.figures import EMPTY, Count, FigureValue, PerValue, Rate, Sum, Total


def this_year() -> int:
    from datetime import date

    return date.today().year


def check_year(year: int) -> int:
    if not 1990 <= year <= 2100:  # PostgreSQL refuses an integer beyond 32 bits
        from app.errors import UserError

        raise UserError(f"年份 {year} 不在 1990–2100 之间")
    return year


def needed_fields(spec: LedgerSpec):
    """The fields the spec's figures count by (a RowSet must have them)."""
    names = set()
    for fig in spec.figures:
        if isinstance(fig, Count):
            names |= set(fig.where)
        elif isinstance(fig, Rate):
            names |= set(fig.where) | set(fig.of)
        elif isinstance(fig, Sum):
            names |= {fig.field, *fig.where}
        elif isinstance(fig, PerValue):
            names.add(fig.field)
    return tuple(f for f in spec.fields if f.name in names)


def ledger_rows(db: Database, spec: LedgerSpec, year: int | None = None) -> RowSet:
    return list_rows(db, spec, spec.table_fields + tuple(
        f for f in needed_fields(spec) if not f.table), year=year)


def matches(value, wanted) -> bool:
    if wanted == EMPTY:
        return value is None or value == ""
    return value == wanted


def compute(db: Database | None, spec: LedgerSpec, rowset: RowSet,
            year: int | None = None) -> list[FigureValue]:
    """Every declared figure over `rowset` (ids, labels and computed columns as
    list_rows gives them)."""
    year = check_year(year or this_year())
    names = [f.name for f in rowset.fields]
    out: list[FigureValue] = []
    for fig in spec.figures:
        if isinstance(fig, Total):
            out.append(FigureValue(fig.key, fig.label, len(rowset.rows), {}, fig.group))
        elif isinstance(fig, Count):
            if any(k not in names for k in fig.where):
                continue  # the rows lack a column this figure needs (a narrowed print)
            cols = [(names.index(k), v) for k, v in fig.where.items()]
            n = sum(1 for r in rowset.rows if all(matches(r[c], v) for c, v in cols))
            label = fig.label(year) if callable(fig.label) else fig.label
            out.append(FigureValue(fig.key, label, n, dict(fig.where), fig.group, fig.tone,
                                   fig.hint, strip=fig.strip))
        elif isinstance(fig, Rate):
            if any(k not in names for k in (*fig.where, *fig.of)):
                continue
            base = [r for r in rowset.rows if _all_match(names, r, fig.of)]
            hit = sum(1 for r in base if _all_match(names, r, fig.where))
            value = round(100 * hit / len(base), fig.decimals) if base else 0.0
            out.append(FigureValue(fig.key, fig.label, value, dict(fig.where), fig.group,
                                   fig.tone, fig.hint, strip=fig.strip))
        elif isinstance(fig, Sum):
            if any(k not in names for k in (fig.field, *fig.where)):
                continue
            i = names.index(fig.field)
            total = sum((float(r[i]) for r in rowset.rows
                         if r[i] is not None and _all_match(names, r, fig.where)), 0.0)
            out.append(FigureValue(fig.key, fig.label, round(total, fig.decimals),
                                   dict(fig.where), fig.group, hint=fig.hint,
                                   strip=fig.strip))
        elif isinstance(fig, PerValue) and fig.field in names:
            out += _per_value(db, spec, fig, rowset.column(fig.field))
    return out


def _all_match(names: list[str], row, where: dict) -> bool:
    return all(matches(row[names.index(k)], v) for k, v in where.items())


def _per_value(db, spec: LedgerSpec, fig: PerValue, column: list) -> list[FigureValue]:
    f = spec.field(fig.field)
    got = Counter(v if v not in (None, "") else None for v in column)
    if f.type.is_ref:
        order = [label for _i, label in ref_choices(db, f)] if db is not None else []
        order += sorted(v for v in got if v is not None and v not in order)  # binned ones
    else:
        order = list(f.type.filter_choices(f)) or sorted(v for v in got if v is not None)
        order = [f.type.filter_value(f, v) for v in order]
    out = []
    for v in order:
        n = got.get(v, 0)
        key = f"{fig.field}={f.display(v)}"
        out.append(FigureValue(key, f.display(v), n, {fig.field: v}, fig.group,
                               optional=fig.hide_zero and f.display(v) not in fig.keep,
                               strip=fig.strip))
    if fig.blank is not None and got.get(None):
        out.append(FigureValue(f"{fig.field}=", fig.blank, got[None], {fig.field: EMPTY},
                               fig.group, strip=fig.strip))
    return out


def figures(db: Database, spec: LedgerSpec, year: int | None = None,
            rowset: RowSet | None = None) -> list[FigureValue]:
    """The ledger's figures over `rowset`, default every live row in the session's scope."""
    year = check_year(year or this_year())
    rows = rowset if rowset is not None else ledger_rows(db, spec, year)
    return compute(db, spec, rows, year)


def figures_by_street(db: Database, spec: LedgerSpec, year: int | None = None
                      ) -> list[tuple[str, list[FigureValue]]]:
    """A district roll-up: (street name, figures) for each street the session can see."""
    from app.areas import streets_in_scope

    out = []
    for _id, name, path in streets_in_scope(db):
        if not path.startswith(db.scope_path):
            path = db.scope_path  # a community account: only its own part of the street
        with db.narrowed(path):
            out.append((name, figures(db, spec, year)))
    return out


def grouped(values: list[FigureValue]) -> list[tuple[str, list[tuple[str, int]]]]:
    """(group, [(label, value)]) in declaration order: the PDF's summary bands."""
    bands: dict[str, list[tuple[str, int]]] = {}
    for v in values:
        bands.setdefault(v.group, []).append((v.label, v.value))
    return list(bands.items())
