"""Child collections end to end on the powers list's 办件量: edited with the row, imported
and exported as one cell (2024年12件；2025年0件), audited under the row; the table's
this-year column is computed, with 未填报 apart from a reported 0."""

from __future__ import annotations

import json

import openpyxl
import pytest
from sqlalchemy import select

from app.core.children import read_children, save_children
from app.errors import ValidationError
from app.importer import run_import
from app.models import AuditEntry
from app.powers import this_year
from app.services import get_row, list_rows, save_row
from app.specs.powers import POWERS
from reports.export import export_ledger

NEW = {"list_kind": "法定权力事项", "power_type": "行政确认", "name": "集合测试事项",
       "status": "运行中"}


def _audits(db, row_id):
    with db.session() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.ledger == "powers",
                                                         AuditEntry.row_id == row_id)
                              .order_by(AuditEntry.id)).scalars())


def test_a_row_and_its_collection_are_saved_in_one_step(demo_db):
    rows = [{"year": 2024, "count": 12}, {"year": 2023, "count": 0}]
    row_id, version = save_row(demo_db, POWERS, {**NEW, "case_counts": rows})
    assert version == 2  # created, then its collection: two audited steps
    assert read_children(demo_db, POWERS, row_id, "case_counts") == sorted(
        rows, key=lambda r: r["year"])
    entries = _audits(demo_db, row_id)
    assert [e.action for e in entries] == ["create", "update"]
    assert json.loads(entries[1].changes)["case_counts"] == ["", "2023年0件，2024年12件"]
    # Saving the same rows again changes nothing and audits nothing.
    _id, again = save_row(demo_db, POWERS, {**NEW, "case_counts": rows}, row_id, version)
    assert again == version and len(_audits(demo_db, row_id)) == 2


def test_collection_rows_are_checked_with_their_row_number(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, POWERS, {**NEW, "case_counts": [{"year": 2024, "count": 1},
                                                          {"year": 2024, "count": 2}]})
    assert "第2行与第1行重复（2024）" in e.value.errors["case_counts"]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, POWERS, {**NEW, "case_counts": [{"year": 1800, "count": 1}]})
    assert "第1行年份应在 1990–2100 之间" in e.value.errors["case_counts"]
    assert not [r for r in list_rows(demo_db, POWERS).column("name") if r == NEW["name"]]


def test_stale_version_refuses_a_collection_change(demo_db):
    from app.errors import ConflictError

    row_id, version = save_row(demo_db, POWERS, NEW)
    save_children(demo_db, POWERS, row_id, "case_counts", [{"year": 2024, "count": 5}], version)
    with pytest.raises(ConflictError):
        save_children(demo_db, POWERS, row_id, "case_counts", [], version)


def test_this_years_count_is_computed_and_unreported_is_not_zero(demo_db):
    row_id, version = save_row(demo_db, POWERS, NEW)
    rows = list_rows(demo_db, POWERS)
    assert dict(zip(rows.ids, rows.column("case_count"), strict=True))[row_id] is None
    save_children(demo_db, POWERS, row_id, "case_counts",
                  [{"year": this_year(), "count": 0}], version)
    rows = list_rows(demo_db, POWERS)
    assert dict(zip(rows.ids, rows.column("case_count"), strict=True))[row_id] == 0
    assert dict(zip(rows.ids, rows.column("case_counts"), strict=True))[row_id] == \
        f"{this_year()}年0件"


def test_collection_column_exports_and_imports_back(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    first = list_rows(db, POWERS).ids[0]
    save_children(db, POWERS, first, "case_counts",
                  [{"year": 2024, "count": 12}, {"year": 2025, "count": 0}],
                  get_row(db, POWERS, first)["version"])
    out = tmp_path / "powers.xlsx"
    export_ledger(db, POWERS, out)
    # Unchanged file back in: nothing to update.
    summary = run_import(db, POWERS, out, mode="upsert")
    assert summary.written and summary.updated == 0 and summary.unchanged == 394, summary.lines()
    # One cell edited in Excel: that row's collection is replaced and audited.
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    header = [c.value for c in ws[3]]
    col = header.index("各年办件量") + 1
    name_col = header.index("事项名称") + 1
    name = get_row(db, POWERS, first)["name"]
    r = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, name_col).value == name)
    assert ws.cell(r, col).value == "2024年12件；2025年0件"
    ws.cell(r, col).value = "2024年13件；2026年 7 件"
    wb.save(out)
    before = get_row(db, POWERS, first)["version"]
    summary = run_import(db, POWERS, out, mode="upsert")
    assert summary.updated == 1, summary.lines()
    assert read_children(db, POWERS, first, "case_counts") == [
        {"year": 2024, "count": 13}, {"year": 2026, "count": 7}]
    assert get_row(db, POWERS, first)["version"] == before + 1
    last = _audits(db, first)[-1]
    assert json.loads(last.changes)["case_counts"] == ["2024年12件，2025年0件",
                                                       "2024年13件，2026年7件"]
    # A malformed cell is refused with its row and item named; nothing is written.
    ws.cell(r, col).value = "2024年13件；二〇二五年"
    wb.save(out)
    summary = run_import(db, POWERS, out, mode="upsert")
    assert not summary.written
    assert any("第2项“二〇二五年”应写成“2024年12件”" in p.message for p in summary.problems)
