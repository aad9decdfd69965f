"""Signing in, the accounts page, the audit trail and the recycle bin, driven through
the real widgets (backups, the open lock, settings and live updates: test_ui_admin_data)."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app import auth
from app.audit import entries
from app.db import Database
from app.services import delete_row, deleted_rows, get_row, list_rows
from app.specs.powers import POWERS
from tests.admin_helpers import PW, edit_power, submit_with
from ui import audit_page, login, recycle_page, users_page

# -- signing in ----------------------------------------------------------------

def test_first_admin_dialog_creates_the_account_and_signs_in(qtbot, app, sqlite_url):
    db = Database(sqlite_url)
    assert not auth.has_accounts(db)
    dlg = login.FirstAdminDialog(db)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.username.setText("zhangsan")
    dlg.display_name.setText("张三")
    dlg.password.setText("abc12345")
    dlg.password2.setText("abc12399")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.isVisible() and "不一致" in dlg.error.text()
    assert not auth.has_accounts(db)
    dlg.password.setText("short1")
    dlg.password2.setText("short1")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.isVisible() and "至少8位" in dlg.error.text()
    dlg.password.setText("abc12345")
    dlg.password2.setText("abc12345")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    assert db.user.username == "zhangsan" and db.user.role == "admin"
    assert login.user_status_text(db) == "当前用户：张三（管理员）"
    db.close()


def test_sign_in_flow_picks_the_dialog_and_cancel_means_quit(app, sqlite_url, monkeypatch):
    db = Database(sqlite_url)
    shown = []
    monkeypatch.setattr(login.FirstAdminDialog, "exec",
                        lambda dlg: shown.append("first") or QDialog.Rejected)
    monkeypatch.setattr(login.SignInDialog, "exec",
                        lambda dlg: shown.append("sign-in") or QDialog.Rejected)
    assert login.sign_in_flow(db) is False
    monkeypatch.setattr(login.FirstAdminDialog, "exec",
                        submit_with({"username": "admin", "password": PW, "password2": PW}))
    assert login.sign_in_flow(db) is True and db.user.username == "admin"
    auth.logout(db)
    assert login.sign_in_flow(db) is False
    assert shown == ["first", "sign-in"]
    db.close()


def test_sign_in_with_a_wrong_password_shows_why_and_stays_open(qtbot, admin_db):
    auth.logout(admin_db)
    dlg = login.SignInDialog(admin_db)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.username.setText("admin")
    dlg.password.setText("wrong-pass1")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.isVisible() and dlg.result() != QDialog.Accepted
    assert dlg.error.text() == auth.FAILED  # the same words whatever the account
    assert dlg.password.text() == "" and admin_db.user is None
    for _ in range(4):
        dlg.password.setText("wrong-pass1")
        qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.error.text() == auth.FAILED
    dlg.password.setText(PW)  # right password, but locked now
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert "分钟后再试" in dlg.error.text() and admin_db.user is None


def test_sign_in_with_the_right_password(qtbot, admin_db):
    auth.logout(admin_db)
    dlg = login.SignInDialog(admin_db)
    qtbot.addWidget(dlg)
    dlg.username.setText(" admin ")
    dlg.password.setText(PW)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted and admin_db.user.username == "admin"
    assert login.SignInDialog(admin_db).username.text() == "admin"  # remembered


def test_change_own_password(qtbot, admin_db):
    dlg = login.ChangePasswordDialog(admin_db)
    qtbot.addWidget(dlg)
    dlg.old.setText("not-it-1")
    dlg.new.setText("newpass99")
    dlg.new2.setText("newpass99")
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert "原密码不正确" in dlg.error.text()
    dlg.old.setText(PW)
    qtbot.mouseClick(dlg.ok_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    auth.logout(admin_db)
    assert auth.login(admin_db, "admin", "newpass99").username == "admin"


# -- accounts page -------------------------------------------------------------

def test_users_page_creates_a_community_editor_and_disables_it(qtbot, admin_db, monkeypatch):
    page = users_page.UsersPage(admin_db)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 1
    monkeypatch.setattr(users_page.NewUserDialog, "exec", submit_with({
        "username": "baita", "display_name": "白塔录入", "role": "录入员",
        "area": "南城街道 / 白塔社区", "password": PW, "password2": PW}))
    qtbot.mouseClick(page.new_button, Qt.LeftButton)
    assert page.table.rowCount() == 2
    cells = [page.table.item(1, c).text() for c in range(6)]
    assert cells[:5] == ["baita", "白塔录入", "录入员", "白塔社区", "正常"]
    assert cells[5] == "从未登录"
    assert page.current_username() == "baita"

    monkeypatch.setattr(users_page, "confirm", lambda *a: True)
    assert page.toggle_button.text() == "停用"
    qtbot.mouseClick(page.toggle_button, Qt.LeftButton)
    assert page.table.item(1, 4).text() == "停用" and page.toggle_button.text() == "启用"
    with pytest.raises(auth.UserError, match="已停用"):
        auth.login(admin_db, "baita", PW)
    qtbot.mouseClick(page.toggle_button, Qt.LeftButton)
    me = auth.login(admin_db, "baita", PW)
    assert (me.role, me.area_name) == ("editor", "白塔社区")
    # Scoped: the community editor sees no street-level rows of the street's ledgers.
    assert len(list_rows(admin_db, POWERS)) == 0


def test_users_page_refuses_nothing_silently_for_a_non_admin(qtbot, admin_db):
    auth.create_user(admin_db, "clerk", PW, "editor")
    auth.login(admin_db, "clerk", PW)
    page = users_page.UsersPage(admin_db)
    qtbot.addWidget(page)
    assert page.table.rowCount() == 0 and "无权" in page.note.text()
    assert not page.new_button.isEnabled()


# -- audit trail ---------------------------------------------------------------

def test_audit_page_lists_entries_and_filters_by_action(qtbot, admin_db, monkeypatch, tmp_path):
    edited = edit_power(admin_db, 0, "改动一")
    victim = get_row(admin_db, POWERS, list_rows(admin_db, POWERS).ids[1])
    delete_row(admin_db, POWERS, victim["id"], victim["version"])
    page = audit_page.AuditPage(admin_db)
    qtbot.addWidget(page)
    rows = page.model.rows
    actions = [r[2] for r in rows]
    assert {"登录", "修改", "删除", "账号管理"} <= set(actions)
    update = rows[actions.index("修改")]
    assert update[1] == "admin" and update[3] == "权责清单"
    code = get_row(admin_db, POWERS, edited)["code"]
    assert update[4].startswith(code) and "编号" not in update[4]  # named by its key
    assert "备注：（空） → 改动一" in update[6]

    page.action.setCurrentIndex(page.action.findText("删除"))
    assert [r[2] for r in page.model.rows] == ["删除"]
    assert victim["name"] in page.model.rows[0][4]
    page.action.setCurrentIndex(0)
    page.ledger.setCurrentIndex(page.ledger.findText("账号"))
    assert {r[2] for r in page.model.rows} == {"账号管理"}

    out = tmp_path / "audit.xlsx"
    monkeypatch.setattr(audit_page, "ask_save_path", lambda *a: out)
    qtbot.mouseClick(page.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.last_export == out, timeout=10000)
    assert page.output_offer.isVisible() and str(out) in page.output_offer.text()  # 打开文件…
    ws = load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert values[0] == list(audit_page.HEADINGS)
    assert [v[2] for v in values[1:]] == ["账号管理"]  # the filter applied to the export
    assert entries(admin_db, action="export", limit=1)[0].summary.endswith("audit.xlsx")
    assert page.model.rows[0][2] == "账号管理"  # reloaded; the export entry is filtered out


def test_an_editor_sees_only_their_own_entries(qtbot, admin_db):
    auth.create_user(admin_db, "clerk", PW, "editor")
    auth.login(admin_db, "clerk", PW)
    edit_power(admin_db, 2, "录入员改")
    page = audit_page.AuditPage(admin_db)
    qtbot.addWidget(page)
    assert not page.user.isEnabled()
    assert page.model.rows and {r[1] for r in page.model.rows} == {"clerk"}


def test_audit_dates_filter(qtbot, admin_db):
    page = audit_page.AuditPage(admin_db)
    qtbot.addWidget(page)
    assert page.model.rows
    page.until.setDate(page.since.date())  # 30 days ago: nothing yet
    assert page.model.rows == []


# -- recycle bin ---------------------------------------------------------------

def test_recycle_bin_restores_a_deleted_power_item(qtbot, admin_db):
    victim = get_row(admin_db, POWERS, list_rows(admin_db, POWERS).ids[5])
    delete_row(admin_db, POWERS, victim["id"], victim["version"])
    page = recycle_page.RecyclePage(admin_db)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rows == [(
        "权责清单", page.items[0]["label"], "admin", page.model.rows[0][3])]
    assert victim["name"] in page.model.rows[0][1]
    assert page.purge_button.isVisible()
    page.table.selectRow(0)
    with qtbot.waitSignal(page.restored) as sig:
        qtbot.mouseClick(page.restore_button, Qt.LeftButton)
    assert sig.args == ["powers"]
    assert page.model.rows == [] and deleted_rows(admin_db, POWERS) == []
    assert victim["id"] in list_rows(admin_db, POWERS).ids


def test_only_administrators_may_purge(qtbot, admin_db, monkeypatch):
    auth.create_user(admin_db, "clerk", PW, "editor")
    row = get_row(admin_db, POWERS, list_rows(admin_db, POWERS).ids[0])
    delete_row(admin_db, POWERS, row["id"], row["version"])
    admin_page = recycle_page.RecyclePage(admin_db)
    qtbot.addWidget(admin_page)
    monkeypatch.setattr(recycle_page, "confirm", lambda *a: True)
    auth.login(admin_db, "clerk", PW)
    page = recycle_page.RecyclePage(admin_db)
    qtbot.addWidget(page)
    page.show()
    assert not page.purge_button.isVisible() and page.restore_button.isVisible()
    assert len(page.model.rows) == 1
    auth.login(admin_db, "admin", PW)
    admin_page.table.selectRow(0)
    qtbot.mouseClick(admin_page.purge_button, Qt.LeftButton)
    assert admin_page.model.rows == [] and deleted_rows(admin_db, POWERS) == []
    assert row["id"] not in list_rows(admin_db, POWERS).ids


def test_enter_signs_in_even_after_tabbing_through_the_buttons(qtbot, admin_db):
    """登录 is the default button: Enter in 密码 signs in, also after Tab went over 取消
    and back (an auto-default button the focus passed keeps Enter unless the dialog
    knows its own default)."""
    from PySide6.QtWidgets import QApplication

    auth.logout(admin_db)
    dlg = login.SignInDialog(admin_db)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dlg)
    dlg.username.setText("admin")
    dlg.password.setFocus()
    dlg.password.setText(PW)
    dlg.cancel_button.setFocus()  # as Tab would
    dlg.password.setFocus()  # and back
    qtbot.keyClick(dlg.password, Qt.Key_Return)
    assert dlg.result() == QDialog.Accepted and admin_db.user.username == "admin"
