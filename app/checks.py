"""Running the checks (核查) every ledger spec declares (app.specs.checks): for each, the
live rows in the user's area scope that break it, with a label to show and the ledger
to open them in. One SQL query per check: a computed field is its SQL expression, so
100,000 key persons are checked in the database, not in Python; a check's `note` (what
SQL cannot say) then reads only the rows that query leaves, and says why each is listed.
The 核查 page shows them all; the 编制总览 page and the 机构编制 report those of their
navigation group (run_checks(db, group="机构编制"))."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import String, and_, or_, select, true

from app.db import Database
from app.services import list_rows, scope_clause
from app.specs import LedgerSpec, all_specs
from app.specs.checks import Check
from app.specs.figures import EMPTY

SHOWN = 500  # rows named per check (the count is always whole)


@dataclass(frozen=True)
class Finding:
    """One check's result: the rows (id, how the row is named) in the ledger's order."""

    key: str  # "<ledger>.<check>"
    label: str
    ledger: str
    title: str  # the ledger's title, where the rows are opened
    ids: tuple[int, ...]
    rows: tuple[tuple[int, str], ...]  # the first SHOWN of them, named
    hint: str = ""
    notes: dict[int, str] = field(default_factory=dict, compare=False)  # row id → why

    @property
    def line(self) -> str:
        return f"{self.label}: {len(self.ids)}"


def declared(group: str | None = None) -> list[tuple[LedgerSpec, Check]]:
    """Every spec's checks (those of one navigation group), in the navigation's order."""
    specs = sorted((s for s in all_specs() if s.checks and group in (None, s.group)),
                   key=lambda s: (s.order, s.key))
    return [(spec, c) for spec in specs for c in spec.checks]


def _column(spec: LedgerSpec, name: str, year: int):
    f = spec.field(name)
    if f.compute is not None:
        return f.compute(spec.model, year)
    return getattr(spec.model, name)


def condition(spec: LedgerSpec, check: Check, year: int):
    parts = []
    for name, wanted in check.where.items():
        col = _column(spec, name, year)
        if wanted == EMPTY:  # '' only for text: PostgreSQL compares no date with ''
            text = isinstance(getattr(col, "type", None), String)
            parts.append(or_(col.is_(None), col == "") if text else col.is_(None))
        else:
            parts.append(col.is_(None) if wanted is None else col == wanted)
    if check.condition is not None:
        parts.append(check.condition(spec.model))
    return and_(true(), *parts)


def _named(db: Database, spec: LedgerSpec, ids: list[int]) -> list[tuple[int, str]]:
    """How each row is shown: where it is (grid, estate) and its label fields."""
    if not ids:
        return []
    where = "parent_id" if spec.area_field == "parent_id" else "area_id"
    names = [n for n in (where, "estate_id", *spec.label_fields) if n in spec.labels]
    fields = tuple(spec.field(n) for n in dict.fromkeys(names))
    rows = list_rows(db, spec, fields)
    at = {i: k for k, i in enumerate(rows.ids)}
    out = []
    for i in ids:
        k = at.get(i)
        if k is None:
            continue
        parts = [f.display(rows.rows[k][n]) for n, f in enumerate(rows.fields)]
        out.append((i, " · ".join(p for p in parts if p)))
    return out


def run_check(db: Database, spec: LedgerSpec, check: Check, year: int | None = None) -> Finding:
    year = year or date.today().year
    m = spec.model
    reads = [_column(spec, n, year) for n in check.reads]
    with db.session() as s:
        rows = s.execute(select(m.id, *reads).where(scope_clause(db, spec),
                                                    condition(spec, check, year))
                         .order_by(m.id)).all()
    notes = {}
    if check.note is not None:
        for i, *values in rows:
            if why := check.note(dict(zip(check.reads, values, strict=True))):
                notes[i] = why
        ids = list(notes)
    else:
        ids = [r[0] for r in rows]
    return Finding(f"{spec.key}.{check.key}", check.label, spec.key, spec.title, tuple(ids),
                   tuple(_named(db, spec, ids[:SHOWN])), check.hint, notes)


def run_checks(db: Database, year: int | None = None,
               group: str | None = None) -> list[Finding]:
    return [run_check(db, spec, c, year) for spec, c in declared(group)]
