"""The benchmarks' own inputs still fit the app (their timings are not tested here):
three of them broke unnoticed when the powers list grew its 办件量 columns and the
write path became the only one (a synthetic row one field short, a bulk insert outside
the unit of work). Small sizes, so that run_all.py finds them working."""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))


def test_table_rows_have_every_table_field():
    import bench_table

    fields, rows = bench_table.synthetic(40)
    assert len(rows) == 40 and {len(r) for r in rows} == {len(fields)}


def test_export_rows_have_every_export_field_and_export(tmp_path):
    import bench_export

    from reports.xlsx import write_ledger_xlsx

    spec, rowset = bench_export.synthetic_rows(30)
    assert {len(r) for r in rowset.rows} == {len(spec.export_fields)}
    write_ledger_xlsx(tmp_path / "x.xlsx", spec, rowset, title="测试", street_name="南城街道")
    assert openpyxl.load_workbook(tmp_path / "x.xlsx").active.max_row >= 30


def test_shared_office_data_goes_through_the_write_path(sqlite_url):
    import bench_shared

    from app.db import Database
    from app.services import list_rows
    from app.specs.powers import POWERS

    bench_shared.prepare(sqlite_url)
    db = Database(sqlite_url, actor="t")
    try:
        assert len(list_rows(db, POWERS).ids) == bench_shared.PAGE_ROWS
    finally:
        db.close()


def test_write_floor_writes_what_the_import_wrote(tmp_path):
    """_floor.write_floor times a copy of the import's rows and audit rows."""
    import sqlite3

    from _floor import write_floor
    from bench_import import make_workbook

    from app.db import Database
    from app.importer import run_import

    path = tmp_path / "p.xlsx"
    make_workbook(path, 200)
    db_path = tmp_path / "p.sqlite3"
    db = Database("sqlite:///" + db_path.as_posix(), actor="t")
    from bench_import import BODIES

    from app.services import save_row
    from app.specs import get_spec

    for b in BODIES:
        save_row(db, get_spec("bodies"), {"name": b})
    assert run_import(db, "powers", path).added == 200
    db.close()
    assert write_floor(db_path, ["power_item"], runs=1) > 0
    con = sqlite3.connect(db_path)  # the imported database itself is left as it was
    assert con.execute("SELECT count(*) FROM power_item").fetchone()[0] == 200
    con.close()
    assert not list(tmp_path.glob("*-floor.sqlite3*"))
