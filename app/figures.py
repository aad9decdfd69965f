"""Computing the figures a ledger declares (app.specs.figures) over rows.

Figures are counted over a RowSet, so the summary of a filtered PDF counts what it
prints, the strip above a filtered table what the table holds, and `stats` the whole
ledger — by one piece of code."""

from __future__ import annotations

from collections import Counter

from app.db import Database
from app.figure_counts import RowCounts, SqlCounts
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


def compute(db: Database | None, spec: LedgerSpec, rowset: RowSet,
            year: int | None = None) -> list[FigureValue]:
    """Every declared figure over `rowset` (ids, labels and computed columns as
    list_rows gives them)."""
    return _assemble(db, spec, RowCounts(rowset), year)


def _assemble(db: Database | None, spec: LedgerSpec, own: RowCounts | SqlCounts,
              year: int | None) -> list[FigureValue]:
    """The figures from one of the two ways of counting (app.figure_counts). Figures
    over another ledger count that ledger's live rows in scope, by the database."""
    year = check_year(year or this_year())
    others: dict[str, SqlCounts] = {}
    if isinstance(own, SqlCounts):
        own.prepare([f for f in spec.figures if not getattr(f, "ledger", None)])
    out: list[FigureValue] = []
    for fig in spec.figures:
        counts = own
        if getattr(fig, "ledger", None):
            if db is None:
                continue
            if fig.ledger not in others:
                from app.specs import get_spec

                others[fig.ledger] = SqlCounts(db, get_spec(fig.ledger), year)
                others[fig.ledger].prepare([f for f in spec.figures
                                            if getattr(f, "ledger", None) == fig.ledger])
            counts = others[fig.ledger]
        if isinstance(fig, Total):
            out.append(FigureValue(fig.key, fig.label, counts.total(), {}, fig.group))
        elif isinstance(fig, (Count, Sum)):
            column = fig.field if isinstance(fig, Sum) else fig.distinct
            counts = counts.able((*fig.where, *((column,) if column else ())))
            if counts is None:
                continue  # the rows lack a column this figure needs (a narrowed print)
            pairs = tuple(fig.where.items())
            if isinstance(fig, Sum):
                value = counts.sum(fig.field, pairs)
                if fig.decimals is not None:
                    value = round(float(value), fig.decimals)
            else:
                value = counts.count(pairs, fig.distinct)
            label = fig.label(year) if callable(fig.label) else fig.label
            out.append(FigureValue(fig.key, label, value, dict(fig.where),
                                   fig.group, fig.tone, fig.hint,
                                   strip=fig.strip and not fig.ledger,
                                   unit="元" if getattr(fig, "decimals", None) == 2 else "",
                                   ledger=fig.ledger or ""))
        elif isinstance(fig, Rate):
            counts = counts.able((*fig.where, *fig.of))
            if counts is None:
                continue
            base = counts.count(tuple(fig.of.items()))
            hit = counts.count((*fig.of.items(), *fig.where.items())) if base else 0
            value = round(100 * hit / base, fig.decimals) if base else 0.0
            out.append(FigureValue(fig.key, fig.label, value, dict(fig.where), fig.group,
                                   fig.tone, fig.hint, strip=fig.strip, unit="%"))
        elif isinstance(fig, Derived):
            if db is not None:  # counted by the ledger's rules, over the session's scope
                out.append(FigureValue(fig.key, fig.label, fig.compute(db, counts.rowset, year),
                                       {}, fig.group, fig.tone, fig.hint, strip=fig.strip))
        elif isinstance(fig, PerValue):
            counts = counts.able((fig.field,))
            if counts is not None:
                out += _per_value(db, spec, fig, counts.per_value(fig.field))
    return out


def _per_value(db, spec: LedgerSpec, fig: PerValue, got: Counter) -> list[FigureValue]:
    f = spec.field(fig.field)
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
    """The ledger's figures over `rowset`, default every live row in the session's scope
    (counted by the database, reading no rows)."""
    year = check_year(year or this_year())
    if rowset is not None:
        return compute(db, spec, rowset, year)
    return _assemble(db, spec, SqlCounts(db, spec, year), year)


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
