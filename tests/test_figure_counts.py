"""Figures counted by the database (app.figure_counts.SqlCounts: 首页, `stats`) equal the
figures counted over the ledger's rows (RowCounts: a table's strip, a print) for every
ledger: the whole street, one community, another year, and with a reference to a row in
the bin and empty values among the rows. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.figures import compute, figures, ledger_rows
from app.models import Area
from app.services import get_row, list_rows, save_row
from app.specs import all_specs, get_spec


def _differences(db, year=None) -> dict:
    out = {}
    for spec in all_specs():
        if not spec.figures:
            continue
        by_sql = figures(db, spec, year)
        by_rows = compute(db, spec, ledger_rows(db, spec, year), year)
        if by_sql != by_rows:
            out[spec.key] = [(a, b) for a, b in zip(by_sql, by_rows, strict=False) if a != b] \
                or (len(by_sql), len(by_rows))
    return out


def test_every_ledger_counts_the_same_both_ways(demo_db):
    assert _differences(demo_db) == {}
    assert _differences(demo_db, 2024) == {}
    values = {v.key: v.value for v in figures(demo_db, get_spec("powers"))}
    assert values["total"] == 394 and values["list_kind=下放行政权力"] == 159


def test_one_community_counts_its_own_rows(demo_db):
    with demo_db.session() as s:
        community = s.scalars(select(Area).where(Area.level == "community")
                              .order_by(Area.id)).first()
        path = community.path
    with demo_db.narrowed(path):
        assert _differences(demo_db) == {}
        grids = {v.key: v.value for v in figures(demo_db, get_spec("grids"))}
    street = {v.key: v.value for v in figures(demo_db, get_spec("grids"))}
    assert 0 < grids["total"] < street["total"]


def test_binned_references_and_empty_values_count_alike(demo_db):
    powers, bodies = get_spec("powers"), get_spec("bodies")
    rows = list_rows(demo_db, powers)
    for row_id in rows.ids[:5]:  # no 承接科室: counted under the blank label
        row = get_row(demo_db, powers, row_id)
        save_row(demo_db, powers, {**row, "body_id": None}, row_id, row["version"])
    # A body in the bin while rows still name it (the app refuses that now; a file
    # from an earlier release may hold it): written past the unit of work on purpose.
    from sqlalchemy import update

    from app.core.uow import INFO_KEY
    from app.models import FunctionalBody, now

    body_id = list_rows(demo_db, bodies).ids[0]
    with demo_db.engine.begin() as conn:
        conn.info[INFO_KEY] = "test"
        conn.execute(update(FunctionalBody).where(FunctionalBody.id == body_id)
                     .values(deleted_at=now()))
        conn.info.pop(INFO_KEY)
    assert _differences(demo_db) == {}
    values = {v.key: v for v in figures(demo_db, powers)}
    assert any(v.label.endswith("（已删除）") and v.value for v in values.values())
    assert values["body_id="].value >= 5


@pytest.mark.parametrize("ledger", ["powers", "staff", "rectification"])
def test_figures_read_no_rows_of_the_ledger(demo_db, ledger, monkeypatch):
    """首页 and `stats` count by the database: the ledger's rows are not read for them
    (over 100,000 rows reading them took ~1 s per start)."""
    import app.figure_counts as counts

    read = []
    real = counts.list_rows

    def spy(db, spec, *a, **k):
        read.append(spec.key)
        return real(db, spec, *a, **k)

    monkeypatch.setattr(counts, "list_rows", spy)
    monkeypatch.setattr("app.figures.list_rows", spy)
    figures(demo_db, get_spec(ledger))
    assert ledger not in read
