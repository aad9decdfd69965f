"""What a column's first values say about its field, to settle a heading that is
like two fields (实施主体: the original department, or the office that carries it?).
Names that exist among the rows a ref field points to, values that are choices of an
enum field, dates for a date field: each adds to the heading's similarity; values
that cannot be a field's (text where dates belong) take from it."""

from __future__ import annotations

from collections import Counter

from app.db import Database
from app.importer.aliases import with_aliases
from app.importer.files import Grid
from app.importer.header import Layout
from app.normalize import clean_text, name_key
from app.specs import LedgerSpec

SAMPLE_ROWS = 60


def samples(grid: Grid, layout: Layout, n: int = SAMPLE_ROWS) -> dict[int, list]:
    out: dict[int, list] = {c.index: [] for c in layout.columns[:400]}  # as mapping scores
    for r in range(layout.data_start, min(len(grid.rows), layout.data_start + n)):
        row = grid.rows[r]
        if row is None:
            continue
        for c, values in out.items():
            v = row[c] if c < len(row) else ""
            if v not in ("", None) and clean_text(v):
                values.append(v)
    return out


def column_evidence(db: Database | None, spec: LedgerSpec, grid: Grid,
                    layout: Layout) -> dict[str, dict[int, float]]:
    """field → column index → bonus (up to +0.5) or malus, from the column's values.

    Each distinct value of a column is looked at once per field, weighted by how often
    it occurs (a column of list kinds holds a handful of values sixty times)."""
    # keyed with the type: 1, 1.0 and True are equal keys but not the same cell
    cols = {c: Counter((v.__class__, v) for v in values)
            for c, values in samples(grid, layout).items() if len(values) >= 2}
    keys = {c: {k: name_key(clean_text(k[1])) for k in counts} for c, counts in cols.items()}
    out: dict[str, dict[int, float]] = {}
    for f in spec.form_fields:
        known = None
        if f.type.is_ref and db is not None:
            from app.services import ref_index

            known = with_aliases(db, f, ref_index(db, f))
        for c, counts in cols.items():
            bonus = _bonus(f, counts, keys[c], known)
            if bonus:
                out.setdefault(f.name, {})[c] = bonus
    return out


def _bonus(f, counts: Counter, keys: dict, known: dict | None) -> float:
    n = sum(counts.values())
    if f.type.is_ref:
        if not known:
            return 0.0
        hits = sum(k for v, k in counts.items() if keys[v] in known)
        return 0.5 * hits / n if hits else 0.0
    weight = f.type.evidence  # choices, dates, ID numbers: values tell the column
    if not weight:
        return 0.0
    hits = sum(k for v, k in counts.items() if _parses(f, v[1]))
    return weight * hits / n if hits else (-0.3 if n >= 3 else 0.0)


def _parses(f, v) -> bool:
    try:
        return f.parse(v) not in (None, "")
    except (ValueError, TypeError):
        return False
