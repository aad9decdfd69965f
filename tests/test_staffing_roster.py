"""The 人员花名册 sent up in Excel (`main.py export staff OUT.xlsx`): ID numbers and phones
masked; whole only for a user who may see them (not a viewer) and asks (--full-ids),
and that export is audited as such. The person form edits posts, certificate and grade
inline and saves them in one step."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app import auth
from app.core.children import read_children
from app.errors import UserError
from app.models import AuditEntry
from app.services import get_row, list_rows
from app.specs.staff import STAFF
from reports.export import export_ledger

ROOT = Path(__file__).resolve().parent.parent
PW = "Passw0rd1"


def _column(path, heading: str) -> list[str]:
    ws = openpyxl.load_workbook(path).active
    for row in ws.iter_rows(max_row=6):
        for c in row:
            if c.value == heading:
                return [str(ws.cell(r, c.column).value or "")
                        for r in range(c.row + 1, ws.max_row + 1)]
    raise AssertionError(heading)


def test_the_roster_is_masked_unless_asked(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    masked, whole = tmp_path / "m.xlsx", tmp_path / "w.xlsx"
    export_ledger(db, STAFF, masked)
    export_ledger(db, STAFF, whole, mask_ids=False)
    ids, phones = _column(masked, "身份证号码"), _column(masked, "联系电话")
    assert ids and all("*" in v for v in ids if v)
    assert all("*" in v for v in phones if v)
    full = [v for v in _column(whole, "身份证号码") if v]
    assert full and all(len(v) == 18 and "*" not in v for v in full)
    assert all("*" not in v for v in _column(whole, "联系电话") if v)


@pytest.mark.parametrize(("role", "allowed"), [("viewer", False), ("editor", True)])
def test_whole_numbers_only_for_a_user_who_may(sqlite_demo_db, tmp_path, role, allowed):
    db = sqlite_demo_db
    auth.create_user(db, "admin", PW, "admin")
    auth.login(db, "admin", PW)
    auth.create_user(db, "clerk", PW, role)
    auth.login(db, "clerk", PW)
    out = tmp_path / "r.xlsx"
    if not allowed:
        with pytest.raises(UserError, match="无权"):
            export_ledger(db, STAFF, out, mask_ids=False)
        assert not out.exists()
        export_ledger(db, STAFF, out)  # masked: a viewer's export
        return
    export_ledger(db, STAFF, out, mask_ids=False)
    with db.session() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.id.desc())).scalars().first()
    assert last.username == "clerk" and "完整证件号码" in last.summary


def test_export_staff_on_the_command_line(tmp_path):
    url = str(tmp_path / "cli.sqlite3")
    run = [sys.executable, str(ROOT / "main.py"), "--db", url]
    subprocess.run([*run, "--create", "demo"], check=True, capture_output=True, cwd=ROOT)
    out = tmp_path / "花名册.xlsx"
    done = subprocess.run([*run, "export", "staff", str(out)], check=True, capture_output=True,
                          text=True, cwd=ROOT)
    assert "已导出人员" in done.stdout
    ids = [v for v in _column(out, "身份证号码") if v]
    assert len(ids) >= 100 and all("*" in v for v in ids)
    heads = [c.value for row in openpyxl.load_workbook(out).active.iter_rows(max_row=6)
             for c in row if c.value]
    for h in ("姓名", "性别", "民族", "政治面貌", "学历", "人员类别", "编制类型", "编制所在机构",
              "实际工作机构", "岗位", "联系电话"):
        assert h in heads, h


def test_the_form_edits_posts_certificate_and_grade_inline(qtbot, sqlite_demo_db):
    from ui.app import create_application
    from ui.form_dialog import FormDialog

    create_application()
    db = sqlite_demo_db
    rs = list_rows(db, STAFF, (STAFF.field("category"), STAFF.field("cw_grade")))
    pid = next(i for i, (cat, grade) in zip(rs.ids, rs.rows, strict=True)
               if cat == "社区工作者" and grade is not None)
    form = FormDialog(db, STAFF, pid)
    qtbot.addWidget(form)
    posts = form.children["posts"]
    before = posts.values()
    posts.add_row(row={"post_name": "党建指导员", "is_primary": False})
    for name, value in (("cert_level", "社会工作师"), ("cert_number", "2024012345"),
                        ("cert_date", date(2024, 3, 1)), ("cert_registered", date(2024, 6, 1)),
                        ("cw_post", "其他"), ("cw_grade", 9), ("cw_graded", date(2025, 1, 1))):
        form.editors[name].set_value(value)
    form.save()
    if form.saved_id is None:  # a warning shown first (none expected): save again
        form.save()
    assert form.saved_id == pid
    stored = get_row(db, STAFF, pid)
    assert (stored["cert_level"], stored["cw_post"], stored["cw_grade"]) == ("社会工作师", "其他", 9)
    names = [p["post_name"] for p in read_children(db, STAFF, pid, "posts")]
    assert names[:len(before)] == [p["post_name"] for p in before] and names[-1] == "党建指导员"
    rs = list_rows(db, STAFF, tuple(STAFF.field(n) for n in ("cert_valid_to", "cw_next_step",
                                                             "cw_pay", "post_count")))
    valid_to, next_step, pay, count = rs.rows[rs.ids.index(pid)]
    assert (valid_to, next_step, pay, count) == (date(2027, 6, 1), date(2028, 1, 1), 3200,
                                                len(before) + 1)
