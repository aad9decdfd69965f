"""人员 import beyond the first load: re-importing the roster it exported changes nothing
(no update, no audit entry, no version moved) — the posts cell compares with the stored
posts as rows of the same kind (bodies as ids on both sides)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.importer import run_import
from app.models import AuditEntry, Person
from app.specs.staff import STAFF
from reports.export import export_ledger


def _state(db):
    with db.session() as s:
        audits = s.execute(select(func.count(AuditEntry.id))).scalar_one()
        versions = dict(s.execute(select(Person.id, Person.version)).all())
    return audits, versions


def test_reimporting_the_exported_roster_changes_nothing(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    out = tmp_path / "staff.xlsx"
    n = export_ledger(db, STAFF, out, mask_ids=False)
    audits, versions = _state(db)
    summary = run_import(db, STAFF, out, mode="upsert")
    assert summary.updated == 0 and summary.added == 0, summary.lines()
    assert summary.unchanged == n
    audits_after, versions_after = _state(db)
    # The import itself is one entry (who imported what); no row entry, no version moved.
    assert audits_after - audits <= 1
    assert versions_after == versions


def test_a_changed_post_is_one_update(sqlite_demo_db, tmp_path):
    """The comparison can still see a real change: one post renamed, one row updated."""
    import openpyxl

    db = sqlite_demo_db
    out = tmp_path / "staff.xlsx"
    export_ledger(db, STAFF, out, mask_ids=False)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    heads = {c.value: c.column for row in ws.iter_rows(max_row=5) for c in row if c.value}
    col = heads["岗位"]
    row = next(r for r in range(1, ws.max_row + 1)
               if ws.cell(r, col).value and "；" in str(ws.cell(r, col).value))
    ws.cell(row, col).value = "新岗位；" + str(ws.cell(row, col).value)
    wb.save(out)
    summary = run_import(db, STAFF, out, mode="upsert")
    assert summary.updated == 1, summary.lines()
