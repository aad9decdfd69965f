"""The tests-only example ledger (tests/example_ledger.py) through the form, the
many-to-many rule, the audit trail and the figures: a new ledger needs no code of its
own beyond its model and spec."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.core.children import read_children
from app.errors import ValidationError
from app.figures import figures
from app.models import AuditEntry
from app.services import get_row, list_rows, ref_choices, save_row
from tests import example_ledger
from tests.example_ledger import TEAMS
from ui.form_dialog import FormDialog


@pytest.fixture
def teams(sqlite_demo_db):
    example_ledger.install(sqlite_demo_db)
    yield sqlite_demo_db
    example_ledger.unregister()


def _bodies(db):
    return ref_choices(db, TEAMS.field("body_id"))


def test_every_kind_and_both_collections_saved_from_the_form(qtbot, teams, tmp_path):
    db = teams
    (b1, _n1), (b2, _n2) = _bodies(db)[:2]
    form = FormDialog(db, TEAMS)
    qtbot.addWidget(form)
    ed = form.editors
    ed["name"].set_value("夕阳红服务队")
    ed["category"].set_value("助老")
    ed["budget"].set_value("12,500.5")
    ed["active"].set_value(True)
    ed["skills"].set_value("陪护、维修")
    ed["phone"].set_value("0830-2345678")
    ed["leader_id_number"].set_value("11010519491231002X")
    ed["credit_code"].set_value("91510500MA62A00011")
    ed["founded"].set_value(date(2020, 3, 1))
    ed["members"].set_value(24)
    ed["body_id"].set_value(b1)
    form.children["services"].add_row(row={"day": date(2024, 5, 1), "hours": 3})
    form.children["partners"].add_row(row={"body_id": b1, "lead": True})
    form.children["partners"].add_row(row={"body_id": b2, "lead": False})
    form.show()
    form.grab().save(str(tmp_path / "example-form.png"))
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.saved_id is not None, form.general.text()
    row = get_row(db, TEAMS, form.saved_id)
    assert row["budget"] == Decimal("12500.50") and row["active"] is True
    assert row["skills"] == "陪护、维修" and row["phone"] == "0830-2345678"
    assert row["founded"] == date(2020, 3, 1) and row["members"] == 24
    assert read_children(db, TEAMS, form.saved_id, "partners") == [
        {"body_id": b1, "lead": True}, {"body_id": b2, "lead": False}]
    shown = list_rows(db, TEAMS)
    r = shown.rows[shown.ids.index(form.saved_id)]
    assert r[[f.name for f in shown.fields].index("total_hours")] == 3  # computed
    assert r[[f.name for f in shown.fields].index("services")] == "2024-05-01 3小时"
    with db.session() as s:
        entries = list(s.execute(select(AuditEntry).where(
            AuditEntry.ledger == TEAMS.key, AuditEntry.row_id == form.saved_id)
            .order_by(AuditEntry.id)).scalars())
    assert [e.action for e in entries] == ["create", "update", "update"]
    partners = json.loads(entries[2].changes)["partners"]
    assert partners[0] == "" and "是" in partners[1]


def test_many_to_many_needs_exactly_one_lead(teams):
    db = teams
    (b1, _), (b2, _) = _bodies(db)[:2]
    base = {"name": "环保队", "category": "环保"}
    for leads in ((False, False), (True, True)):
        with pytest.raises(ValidationError) as e:
            save_row(db, TEAMS, {**base, "partners": [{"body_id": b1, "lead": leads[0]},
                                                      {"body_id": b2, "lead": leads[1]}]})
        assert "须有且只有一行的“牵头”为“是”" in e.value.errors["partners"]
    with pytest.raises(ValidationError) as e:
        save_row(db, TEAMS, {**base, "partners": [{"body_id": b1, "lead": True},
                                                  {"body_id": b1, "lead": False}]})
    assert "重复" in e.value.errors["partners"]
    assert "环保队" not in list_rows(db, TEAMS).column("name")  # nothing half-written


def test_rules_and_figures_of_the_example(teams):
    db = teams
    with pytest.raises(ValidationError) as e:
        save_row(db, TEAMS, {"name": "停队", "category": "综合", "active": "否"})
    assert e.value.errors == {"notes": "停止活动的服务队须在备注中说明原因"}
    save_row(db, TEAMS, {"name": "停队", "category": "综合", "active": "否", "notes": "合并"})
    save_row(db, TEAMS, {"name": "助残队", "category": "助残", "active": "是"})
    got = {v.label: v.value for v in figures(db, TEAMS)}
    assert got["合计"] == 2 and got["停止活动"] == 1
    assert got["综合"] == 1 and got["助残"] == 1 and got["助老"] == 0


@pytest.mark.parametrize("kind, bad, message", [
    ("decimal", "五千", "不是金额"), ("bool", "也许", "应填“是”或“否”"),
    ("phone", "12-34", "不是有效的电话号码"), ("uscc", "91510500MA62A0001Z", "不允许的字符"),
    ("tags", "跳舞", "不是可选值"), ("idcard", "110105194912310021", "校验"),
])
def test_each_kind_refuses_bad_input_in_chinese(teams, kind, bad, message):
    f = next(f for f in TEAMS.fields if f.kind == kind)
    with pytest.raises(ValidationError) as e:
        save_row(teams, TEAMS, {"name": "坏值", "category": "综合", f.name: bad})
    assert message in e.value.errors[f.name], e.value.errors


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def test_workflow_and_photos_of_the_example(teams):
    from app import attachments
    from app.core.workflow import timeline, transition

    db = teams
    row_id, version = save_row(db, TEAMS, {"name": "护河队", "category": "环保"})
    assert get_row(db, TEAMS, row_id)["status"] == "筹建"  # the workflow's initial state
    version = transition(db, TEAMS, row_id, "open", expected_version=version)
    with pytest.raises(ValidationError):
        transition(db, TEAMS, row_id, "pause", expected_version=version)  # no reason
    version = transition(db, TEAMS, row_id, "pause", reason="汛期", expected_version=version)
    # A form save keeps the state: only transitions move it.
    _id, version = save_row(db, TEAMS, {"name": "护河队", "category": "环保", "status": "活动中"},
                            row_id, version)
    assert get_row(db, TEAMS, row_id)["status"] == "暂停"
    steps = timeline(db, TEAMS, row_id)
    assert [(s.from_state, s.to_state) for s in steps][-2:] == [("筹建", "活动中"), ("活动中", "暂停")]
    assert steps[-1].reason == "汛期"
    attachments.add_attachment(db, TEAMS, row_id, "photos", PNG, "活动.png")
    rows = list_rows(db, TEAMS)
    r = rows.rows[rows.ids.index(row_id)]
    assert TEAMS.field("photos").display(r[[f.name for f in rows.fields].index("photos")]) == "1 个"
    got = {v.label: v.value for v in figures(db, TEAMS)}
    assert got["合计"] == 1


def test_the_example_ledger_gets_a_page_by_registering(qtbot, teams):
    from tests.conftest import make_window

    window = make_window(qtbot, teams)
    titles = [window.nav.item(r).text().strip() for r in range(window.nav.count())]
    assert "示例" in titles and "志愿服务队" in titles  # heading of its group, then it
    window.show_page("志愿服务队")
    page = window.page_of(TEAMS.key)
    assert window.stack.currentWidget().page is page and page.spec is TEAMS
    assert page.strip is not None and "合计 0 项" in page.strip.total.text()
