"""Computing the figures a ledger declares (app.specs.figures) over rows.

Figures are counted over a RowSet, so the summary of a filtered PDF counts what it
prints, the strip above a filtered table what the table holds, and `stats` the whole
ledger — by one piece of code."""

from __future__ import annotations

from collections import Counter

from app.db import Database
from app.services import RowSet, list_rows, ref_choices
from app.specs import LedgerSpec
from app.specs.figures import EMPTY, Count, Derived, FigureValue, PerValue, Rate, Sum, Total


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
        if getattr(fig, "ledger", None):
            continue  # counted over the other ledger's rows
        if isinstance(fig, (Count, Sum)):
            names |= set(fig.where)
            names.add(fig.field if isinstance(fig, Sum) else fig.distinct)
        elif isinstance(fig, Rate):
            names |= set(fig.where) | set(fig.of)
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
    others: dict[str, RowSet] = {}  # other ledgers' rows, read once for their figures
    out: list[FigureValue] = []
    for fig in spec.figures:
        rows = rowset
        if getattr(fig, "ledger", None):
            if db is None:
                continue
            if fig.ledger not in others:
                from app.specs import get_spec

                other = get_spec(fig.ledger)
                extra = needed_fields(other) + tuple(  # what this figure counts by, too
                    other.field(k) for k in (*fig.where, getattr(fig, "field", None)) if k)
                extra = tuple({f.name: f for f in extra if not f.table}.values())
                others[fig.ledger] = list_rows(db, other, other.table_fields + extra, year=year)
            rows = others[fig.ledger]
        names = [f.name for f in rows.fields]
        if isinstance(fig, Total):
            out.append(FigureValue(fig.key, fig.label, len(rows.rows), {}, fig.group))
        elif isinstance(fig, (Count, Sum)):
            value = _count_or_sum(fig, rows, names)
            if value is None:
                continue  # the rows lack a column this figure needs (a narrowed print)
            label = fig.label(year) if callable(fig.label) else fig.label
            out.append(FigureValue(fig.key, label, value, dict(fig.where),
                                   fig.group, fig.tone, fig.hint,
                                   strip=fig.strip and not fig.ledger,
                                   unit="元" if getattr(fig, "decimals", None) == 2 else "",
                                   ledger=fig.ledger or ""))
        elif isinstance(fig, Rate):
            if any(k not in names for k in (*fig.where, *fig.of)):
                continue
            base = [r for r in rows.rows if _all_match(names, r, fig.of)]
            hit = sum(1 for r in base if _all_match(names, r, fig.where))
            value = round(100 * hit / len(base), fig.decimals) if base else 0.0
            out.append(FigureValue(fig.key, fig.label, value, dict(fig.where), fig.group,
                                   fig.tone, fig.hint, strip=fig.strip, unit="%"))
        elif isinstance(fig, Derived):
            if db is not None:  # counted by the ledger's rules, over the session's scope
                out.append(FigureValue(fig.key, fig.label, fig.compute(db, rows, year), {},
                                       fig.group, fig.tone, fig.hint, strip=fig.strip))
        elif isinstance(fig, PerValue) and fig.field in names:
            out += _per_value(db, spec, fig, rows.column(fig.field))
    return out


def _count_or_sum(fig: Count | Sum, rowset: RowSet, names: list[str]) -> int | float | None:
    """Rows matching fig.where counted (or their distinct values of fig.distinct), or
    fig.field summed over them; None when the rows lack a column it needs."""
    column = fig.field if isinstance(fig, Sum) else fig.distinct
    if any(k not in names for k in fig.where) or (column and column not in names):
        return None
    cols = [(names.index(k), v) for k, v in fig.where.items()]
    picked = (r for r in rowset.rows if all(matches(r[c], v) for c, v in cols))
    if isinstance(fig, Sum):
        k = names.index(fig.field)
        total = sum(r[k] or 0 for r in picked)
        return total if fig.decimals is None else round(float(total), fig.decimals)
    if fig.distinct:
        k = names.index(fig.distinct)
        return len({r[k] for r in picked if r[k] not in (None, "")})
    return sum(1 for _r in picked)


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


def ledger_of(value: FigureValue, spec: LedgerSpec) -> str:
    """The ledger whose rows a figure counts (its `where` filters): the other ledger a
    Count or Sum with `ledger=` counts, else `spec`'s own."""
    return value.ledger or spec.key


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


def grouped(values: list[FigureValue]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(label, shown value)]) in declaration order: the PDF's summary bands."""
    bands: dict[str, list[tuple[str, str]]] = {}
    for v in values:
        bands.setdefault(v.group, []).append((v.label, v.text))
    return list(bands.items())
