"""Ctrl+Z on a ledger page, the way a person uses it: a form save, a new row and a delete
undone as new audited changes; a row changed since refused by name; nothing for a viewer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app import auth, services
from app.db import Database
from app.models import AuditEntry
from app.specs.powers import POWERS
from tests.admin_helpers import PW
from tests.conftest import make_window
from tests.ui_helpers import active
from ui import dialogs


def col(page, name: str) -> int:
    return [f.name for f in page.fields].index(name)


def audit_rows(db, row_id: int) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.ledger == "powers",
                                                       AuditEntry.row_id == row_id)
                              .order_by(AuditEntry.id)))


def audit_total(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def edit_remarks(qtbot, page, row: int, text: str) -> int:
    page.table.setCurrentIndex(page.model.index(row, col(page, "name")))
    row_id = page.current_id()
    qtbot.keyClick(page.table, Qt.Key_F2)
    qtbot.waitUntil(lambda: page.form is not None)
    page.form.editors["remarks"].widget.setPlainText(text)
    qtbot.mouseClick(page.form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    return row_id


def ctrl_z(qtbot, page) -> None:
    active(qtbot, page.window())  # after the form: the window's keys need it active
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_Z, Qt.ControlModifier)


def test_edit_then_ctrl_z_restores_the_values_as_a_new_audited_change(qtbot, window, tmp_path):
    page, db = window.powers, window.db
    assert not page.act_undo.isEnabled() and page.act_undo.text() == "撤销"
    row_id = edit_remarks(qtbot, page, 3, "临时写错的备注")
    name = services.get_row(db, POWERS, row_id)["name"]
    assert page.act_undo.isEnabled()
    assert page.act_undo.text().startswith("撤销：修改「") and name[:6] in page.act_undo.text()
    assert "备注" in page.act_undo.toolTip()
    first = window.page_menus.edit.actions()[0]  # 编辑 → the same words, Ctrl+Z
    assert first.isEnabled() and first.text().startswith("撤销：修改「")
    assert first.shortcut().toString() == "Ctrl+Z"
    entries = len(audit_rows(db, row_id))

    ctrl_z(qtbot, page)

    assert services.get_row(db, POWERS, row_id)["remarks"] == ""
    r = page.model.view_row_of_id(row_id)
    assert page.model.cell_text(r, col(page, "remarks")) == ""
    new = audit_rows(db, row_id)[entries:]
    assert [e.action for e in new] == ["update"]
    assert new[0].summary.endswith("（撤销上次修改）") and "临时写错的备注" in new[0].changes
    assert window.statusBar().currentMessage().startswith("已撤销修改「")
    assert not page.act_undo.isEnabled()  # once
    assert window.grab().save(str(tmp_path / "undo-after.png"))


def test_new_row_then_ctrl_z_deletes_it_to_the_recycle_bin(qtbot, window):
    page, db = window.powers, window.db
    shown = page.model.rowCount()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None)
    form = page.form
    for name, text in (("list_kind", "属地管理事项"), ("power_type", "行政检查")):
        combo = form.editors[name].widget
        combo.setCurrentIndex(combo.findText(text))
    for ch in "撤销界面新事项":
        form.editors["name"].widget.insert(ch)
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    assert page.model.rowCount() == shown + 1
    assert page.act_undo.text() == "撤销：新增「撤销界面新事项」"

    page.act_undo.trigger()

    assert page.model.rowCount() == shown
    assert "撤销界面新事项" in [r["label"] for r in services.deleted_rows(db, POWERS)]


def test_delete_then_ctrl_z_restores_the_rows(qtbot, window, monkeypatch):
    page, db = window.powers, window.db
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)
    page.table.setCurrentIndex(page.model.index(0, col(page, "name")))
    row_id = page.current_id()
    qtbot.keyClick(page.table, Qt.Key_Delete)
    assert page.model.view_row_of_id(row_id) is None
    assert page.act_undo.text().startswith("撤销：删除「")

    ctrl_z(qtbot, page)

    assert page.model.view_row_of_id(row_id) is not None and page.current_id() == row_id
    assert audit_rows(db, row_id)[-1].action == "restore"


def test_a_row_changed_since_is_refused_naming_it(qtbot, window, sqlite_url, monkeypatch):
    page, db = window.powers, window.db
    row_id = edit_remarks(qtbot, page, 2, "我的修改")
    other = Database(sqlite_url, actor="另一台电脑")
    try:
        row = services.get_row(other, POWERS, row_id)
        services.save_row(other, POWERS, {**row, "remarks": "别处随后的修改"}, row_id,
                          row["version"])
    finally:
        other.close()
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc, tb="": shown.append(exc))
    total = audit_total(db)

    ctrl_z(qtbot, page)

    assert len(shown) == 1 and "无法撤销" in shown[0].message
    assert row["name"] in shown[0].message and "另一台电脑" in shown[0].message
    assert services.get_row(db, POWERS, row_id)["remarks"] == "别处随后的修改"
    assert audit_total(db) == total
    assert window.statusBar().currentMessage().startswith("未能撤销")
    assert not page.act_undo.isEnabled()


def test_another_write_of_the_page_forgets_the_older_save(qtbot, window):
    page = window.powers
    edit_remarks(qtbot, page, 1, "先改的")
    assert page.act_undo.isEnabled()
    page.changed.emit("powers")  # what the page's 办件量 dialog, import or paste emit
    assert not page.act_undo.isEnabled()


def test_a_viewer_has_nothing_to_undo_and_is_refused(qtbot, admin_db, monkeypatch):
    from app.core import undo

    auth.create_user(admin_db, "viewer", PW, "viewer")
    row_id = services.list_rows(admin_db, POWERS).ids[0]
    row = services.get_row(admin_db, POWERS, row_id)
    raw = {k: v for k, v in row.items() if k not in ("id", "version")}
    _id, _v, entry = undo.save_row(admin_db, POWERS, {**raw, "remarks": "管理员的修改"}, row_id,
                                   row["version"])
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    window = make_window(qtbot, admin_db)
    page = window.powers
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.edit_current()  # a viewer's form is read-only: nothing saved, nothing to undo
    page.form.reject()
    qtbot.waitUntil(lambda: page.form is None)
    assert not page.act_undo.isEnabled()
    # Even handed an entry (it is the administrator's), the core refuses the viewer.
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc, tb="": shown.append(exc))
    total = audit_total(admin_db)
    page.undo.record(entry)
    page.act_undo.trigger()
    assert len(shown) == 1 and shown[0].message.startswith("这是“admin”的保存")
    assert audit_total(admin_db) == total
    assert services.get_row(admin_db, POWERS, row_id)["remarks"] == "管理员的修改"


def test_ctrl_z_goes_back_save_by_save(qtbot, window, tmp_path):
    page, db = window.powers, window.db
    before_a = services.get_row(db, POWERS, page.model.row_id(1))["remarks"]
    a = edit_remarks(qtbot, page, 1, "第一次")
    before_b = services.get_row(db, POWERS, page.model.row_id(4))["remarks"]
    b = edit_remarks(qtbot, page, 4, "另一行")
    edit_remarks(qtbot, page, page.model.view_row_of_id(a), "第二次")
    assert page.act_undo.text().startswith("撤销：修改「")
    assert "之前还有 2 步可撤销" in page.act_undo.toolTip()
    ctrl_z(qtbot, page)
    assert services.get_row(db, POWERS, a)["remarks"] == "第一次"
    assert "之前还有 1 步可撤销" in page.act_undo.toolTip()
    ctrl_z(qtbot, page)
    assert services.get_row(db, POWERS, b)["remarks"] == before_b
    assert page.current_id() == b  # the row undone is shown
    ctrl_z(qtbot, page)
    assert services.get_row(db, POWERS, a)["remarks"] == before_a
    assert not page.act_undo.isEnabled()
    assert window.statusBar().currentMessage().startswith("已撤销修改「")
    window.grab().save(str(tmp_path / "undo-steps.png"))
