"""网格化管理 documents (reports/grids.py) as PDF and xlsx: 网格员花名册, 网格基础信息表,
小区党组织覆盖情况, 重点人员台账 by category and risk; key persons' ID numbers and phones
masked by default, and every unmasked output — a report, an export — needs the right to
see them whole and leaves a 查看 (reveal) entry in the audit log."""

from __future__ import annotations

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import auth
from app.errors import PermissionDenied, UserError
from app.models import AuditEntry
from app.services import list_rows
from app.specs.estates import ESTATES
from app.specs.grids import GRID_WORKERS, GRIDS
from app.specs.key_persons import KEY_PERSONS
from reports.catalog import NAMED
from reports.export import export_ledger
from reports.grids import DOCUMENTS, write_grid_document


def _pdf_text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(str(path)).pages)


def _audit(db, action):
    with db.session() as s:
        return [e.summary for e in s.execute(select(AuditEntry).where(
            AuditEntry.action == action).order_by(AuditEntry.id)).scalars()]


@pytest.mark.parametrize("key", list(DOCUMENTS))
def test_every_document_as_pdf_and_xlsx(sqlite_demo_db, tmp_path, key):
    title = NAMED[key].title
    pdf, xlsx = tmp_path / f"{key}.pdf", tmp_path / f"{key}.xlsx"
    assert write_grid_document(sqlite_demo_db, key, pdf) >= 1
    assert title in _pdf_text(pdf)
    assert write_grid_document(sqlite_demo_db, key, xlsx) >= 1
    wb = openpyxl.load_workbook(xlsx)
    assert all(title in str(ws["A1"].value or "") for ws in wb.worksheets)
    exports = _audit(sqlite_demo_db, "export")
    assert any(title in e and pdf.name in e for e in exports)
    assert any(title in e and xlsx.name in e for e in exports)
    with pytest.raises(UserError, match=r"\.pdf 或 \.xlsx"):
        write_grid_document(sqlite_demo_db, key, tmp_path / "x.txt")


def test_key_person_ledger_counts_by_category_and_risk_and_masks(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    rows = list_rows(db, KEY_PERSONS)
    listed = [k for k, d in enumerate(rows.column("released_date")) if d is None]
    out = tmp_path / "kp.xlsx"
    write_grid_document(db, "key-person-ledger", out)
    wb = openpyxl.load_workbook(out)
    grid = wb["按类别和风险等级"]
    values = [[c.value for c in r] for r in grid.iter_rows(min_row=4)]
    total = next(r for r in values if r[0] == "人数合计")
    assert total[-1] == len(listed)
    risks = [rows.column("risk_level")[k] for k in listed]
    assert total[1:5] == [risks.count(lv) for lv in "红橙黄绿"]
    # The list: every ID masked, none whole.
    table = wb["重点人员台账"]
    texts = {str(c.value) for r in table.iter_rows(min_row=4) for c in r if c.value}
    ids = rows.column("id_number")
    assert not any(i in texts for i in ids)
    assert any("********" in t for t in texts)
    phones = [p for p in rows.column("phone") if p]
    assert not any(p in texts for p in phones)
    assert not _audit(db, "reveal")


def test_unmasked_report_and_export_need_the_right_and_are_audited(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    out = tmp_path / "whole.xlsx"
    write_grid_document(db, "key-person-ledger", out, mask_ids=False)
    texts = {str(c.value) for ws in openpyxl.load_workbook(out).worksheets
             for r in ws.iter_rows() for c in r if c.value}
    assert list_rows(db, KEY_PERSONS).column("id_number")[0] in texts
    export_ledger(db, KEY_PERSONS, tmp_path / "all.xlsx", mask_ids=False)
    reveals = _audit(db, "reveal")
    assert any("重点人员台账含完整身份证号和联系电话" in r for r in reveals)
    assert any("完整身份证号和电话" in r and "all.xlsx" in r for r in reveals)
    # A viewer prints masked only.
    auth.create_user(db, "admin", "Admin-pass-123", "admin")
    auth.login(db, "admin", "Admin-pass-123")
    auth.create_user(db, "look", "Look-pass-123", "viewer")
    auth.logout(db)
    auth.login(db, "look", "Look-pass-123")
    write_grid_document(db, "key-person-ledger", tmp_path / "masked.pdf")
    with pytest.raises(PermissionDenied):
        write_grid_document(db, "key-person-ledger", tmp_path / "no.pdf", mask_ids=False)
    with pytest.raises(PermissionDenied):
        export_ledger(db, KEY_PERSONS, tmp_path / "no.xlsx", mask_ids=False)
    assert not (tmp_path / "no.pdf").exists() and not (tmp_path / "no.xlsx").exists()


def test_party_coverage_and_grid_info_figures(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    out = tmp_path / "cov.xlsx"
    write_grid_document(db, "party-coverage", out)
    ws = openpyxl.load_workbook(out)["按社区统计"]
    total = next([c.value for c in r] for r in ws.iter_rows() if r[0].value == "合计")
    estates = list_rows(db, ESTATES)
    with_party = sum(1 for k in estates.column("party_org_kind") if k)
    assert total[1:4] == [len(estates.ids), with_party, f"{100 * with_party / len(estates.ids):.1f}%"]
    text = _pdf_text(_pdf(db, "grid-info", tmp_path))
    assert all(name in text for name in list_rows(db, GRIDS).column("name")[:3])
    roster = _pdf_text(_pdf(db, "grid-roster", tmp_path))
    workers = list_rows(db, GRID_WORKERS)
    assert workers.column("name")[0] in roster and "网格员配备情况" in roster


def _pdf(db, key, tmp_path):
    out = tmp_path / f"{key}-x.pdf"
    write_grid_document(db, key, out)
    return out


def test_a_document_narrowed_to_ids(sqlite_demo_db, tmp_path):
    rows = list_rows(sqlite_demo_db, GRID_WORKERS)
    out = tmp_path / "one.xlsx"
    write_grid_document(sqlite_demo_db, "grid-roster", out, ids=rows.ids[:2])
    ws = openpyxl.load_workbook(out).worksheets[0]
    names = {r[1].value for r in ws.iter_rows(min_row=4)}
    assert names == set(rows.column("name")[:2])
