"""账号管理: editing an account from the page (double-click or 修改账号…), greyed
disabled accounts — driven through the real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QInputMethodEvent
from PySide6.QtWidgets import QApplication

from app import auth
from app.audit import entries
from tests.admin_helpers import PW
from ui import users_page
from ui.users_page import area_choices


def ime_type(widget, text: str) -> None:
    """Chinese arrives through the input method as a commit string (QTest types ASCII only)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _row(page, name):
    return next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == name)


def _double_click(qtbot, page, row):
    table = page.table
    rect = table.visualRect(table.model().index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.LeftButton, pos=rect.center())


def test_double_click_edits_role_area_and_name(qtbot, admin_db, monkeypatch):
    baita = next(i for i, label in area_choices(admin_db) if label.endswith("白塔社区"))
    auth.create_user(admin_db, "clerk", PW, "editor", display_name="李录入")
    page = users_page.UsersPage(admin_db)
    qtbot.addWidget(page)
    page.show()
    opened = []

    def person(dlg):  # what a clerk's administrator does in the dialog
        opened.append(type(dlg).__name__)
        assert dlg.display_name.text() == "李录入" and dlg.role.currentText() == "录入员"
        dlg.show()  # as exec() would
        dlg.display_name.setFocus()
        dlg.display_name.selectAll()
        ime_type(dlg.display_name, "李四")
        dlg.role.setCurrentIndex(dlg.role.findText("查看员"))
        dlg.area.setCurrentIndex(dlg.area.findData(baita))
        qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
        return dlg.result()

    monkeypatch.setattr(users_page.EditUserDialog, "exec", person)
    monkeypatch.setattr(users_page.ResetPasswordDialog, "exec",
                        lambda dlg: opened.append("reset") or 0)
    messages = []
    page.message.connect(messages.append)
    _double_click(qtbot, page, _row(page, "clerk"))
    assert opened == ["EditUserDialog"]  # not 重置密码
    r = _row(page, "clerk")
    assert [page.table.item(r, c).text() for c in range(4)] == ["clerk", "李四", "查看员", "白塔社区"]
    assert messages == ["已修改账号“clerk”的角色、所属区域、显示名"]
    assert entries(admin_db, action="user", limit=1)[0].summary.startswith("修改账号 clerk：")


def test_a_refused_edit_says_why_and_keeps_the_dialog_open(qtbot, admin_db, monkeypatch):
    page = users_page.UsersPage(admin_db)
    qtbot.addWidget(page)
    page.show()
    page.select_username("admin")
    seen = {}

    def person(dlg):
        dlg.role.setCurrentIndex(dlg.role.findText("录入员"))
        qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
        seen["error"] = dlg.error.text() if not dlg.error.isHidden() else ""
        return dlg.result()

    monkeypatch.setattr(users_page.EditUserDialog, "exec", person)
    qtbot.mouseClick(page.edit_button, Qt.LeftButton)
    assert "不能修改自己正在使用的账号的角色" in seen["error"]
    assert page.table.item(_row(page, "admin"), 2).text() == "管理员"


def test_disabled_accounts_are_greyed(qtbot, admin_db):
    auth.create_user(admin_db, "gone", PW, "editor", display_name="已离职")
    auth.create_user(admin_db, "here", PW, "editor", display_name="在岗")
    auth.set_disabled(admin_db, "gone")
    page = users_page.UsersPage(admin_db)
    qtbot.addWidget(page)
    grey = QColor(users_page.STATUS_COLORS["停用"])
    gone, here = _row(page, "gone"), _row(page, "here")
    assert all(page.table.item(gone, c).foreground().color() == grey for c in range(6))
    assert all(page.table.item(here, c).foreground().color() != grey for c in range(6))
    assert page.table.item(gone, 0).toolTip() == "该账号已停用，不能登录"
