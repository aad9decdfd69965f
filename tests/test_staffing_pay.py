"""社区工作者等级薪酬: the pay table is stored (a new database starts from the shipped one:
正职 18 级 = 5,200 元), edited by an administrator through the write path (audited, checked:
contiguous grades, sane pay, no live person left outside a narrowed range), and read by
the monthly-pay column, the grade rule (ranges) and the 社区工作者等级薪酬表."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.core.writes import save_row
from app.db import Database
from app.errors import UserError, ValidationError
from app.ids import id_check_char
from app.models import AuditEntry
from app.services import list_rows
from app.specs.staff import STAFF
from app.staffing import grade_range
from app.staffing_pay import load, pay_rows, reset_pay_table, set_pay_table
from reports.sections import Document, build_pdf
from reports.staffing import pay_sections


@pytest.fixture
def db(sqlite_demo_db):
    yield sqlite_demo_db
    load(sqlite_demo_db)  # the ranges of the next test's database, not this one's edits


def _worker(db, grade: int, post: str = "其他", seq: str = "801"):
    body = f"51050219900101{seq}"
    return save_row(db, STAFF, {"name": f"工作者{seq}", "id_number": body + id_check_char(body),
                                "category": "社区工作者", "status": "在岗", "cw_post": post,
                                "cw_grade": grade})[0]


def _pay_of(db, pid):
    rs = list_rows(db, STAFF, (STAFF.field("cw_pay"),))
    return rs.rows[rs.ids.index(pid)][0]


def test_the_shipped_table(db):
    table = pay_rows(db)
    assert {p: (min(g), max(g)) for p, g in table.items()} == {
        "正职": (7, 18), "副职": (4, 15), "其他": (1, 12)}
    assert table["正职"][18] == 5200  # the seed's community party secretary at the top
    assert grade_range("副职") == (4, 15)


def test_an_edit_moves_the_monthly_pay_and_is_audited(db):
    pid = _worker(db, 5)
    assert _pay_of(db, pid) == 2600
    new = {g: 2000 + 120 * g for g in range(1, 13)}
    assert set_pay_table(db, {"其他": new}) is True
    assert _pay_of(db, pid) == 2600  # 2000 + 120×5
    assert set_pay_table(db, {"其他": new}) is False  # nothing changed: nothing written
    with db.session() as s:
        entries = s.execute(select(AuditEntry).where(AuditEntry.summary == "社区工作者等级薪酬")
                            ).scalars().all()
    assert len(entries) == 1 and "其他1级" in entries[0].changes


def test_widening_a_range_lets_the_grade_rule_take_it(db):
    with pytest.raises(ValidationError, match="1–12 级之间"):
        _worker(db, 13)
    table = pay_rows(db)["其他"]
    set_pay_table(db, {"其他": {**table, 13: 4000}})
    assert grade_range("其他") == (1, 13)
    pid = _worker(db, 13)
    assert _pay_of(db, pid) == 4000


def test_ranges_are_read_when_a_database_opens(db, sqlite_url):
    set_pay_table(db, {"其他": {g: 3000 for g in range(1, 15)}})
    load(db)
    import app.staffing

    app.staffing._RANGES.clear()  # as on another PC that has not opened it yet
    assert grade_range("其他") == (1, 12)
    other = Database(sqlite_url)  # opening the database reads its ranges
    try:
        assert grade_range("其他") == (1, 14)
    finally:
        other.close()


def test_narrowing_below_a_held_grade_is_refused(db):
    _worker(db, 12)
    table = pay_rows(db)["其他"]
    with pytest.raises(UserError, match="仍有 .* 名人员的其他岗位等级不在 1–11 级之内"):
        set_pay_table(db, {"其他": {g: p for g, p in table.items() if g != 12}})
    assert pay_rows(db)["其他"] == table


@pytest.mark.parametrize(("table", "message"), [
    ({"其他": {1: 2000, 3: 2200}}, "等级须连续"),
    ({"其他": {1: 0}}, "月薪酬应在 1–99999 元之间"),
    ({"其他": {1: "两千"}}, "不是整数"),
    ({"其他": {19: 2000}}, "1–18 级之间"),
    ({"正职": {}}, "至少要有一个等级"),
    ({"主任": {1: 2000}}, "不在可选值中"),
])
def test_bad_tables_are_refused_naming_the_cell(db, table, message):
    before = pay_rows(db)
    with pytest.raises(ValidationError, match=message):
        set_pay_table(db, table)
    assert pay_rows(db) == before


def test_reset_restores_the_shipped_table(db):
    before = pay_rows(db)
    set_pay_table(db, {"正职": {g: 9000 for g in range(7, 19)}})
    assert reset_pay_table(db) is True
    assert pay_rows(db) == before


def test_the_report_prints_the_stored_table(db, tmp_path):
    set_pay_table(db, {"正职": {**pay_rows(db)["正职"], 18: 5300}})
    path = tmp_path / "pay.pdf"
    build_pdf(path, Document(pay_sections(db), title="t", author="a", subject="s",
                             landscape=True))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))
    assert "5,300" in text and "5,200" not in text
    assert "正职 7–18 级" in text.replace("– ", "–")
