"""Backups and 导出全部数据, the open-lock prompt, database settings and the change
watcher with its connection banner, driven through the real widgets."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from app import backup, lock
from app.audit import entries
from app.connection import ConnectionSettings
from app.db import Database
from app.models import OpenLock, now
from app.services import get_row
from app.specs.powers import POWERS
from reports.export_all import case_count_rows
from tests.admin_helpers import edit_power
from ui import backup_dialog, live, lock_prompt
from ui.connection_dialog import (
    ConnectionDialog,
    load_connection_settings,
    save_connection_settings,
)

# -- backups -------------------------------------------------------------------

def test_backup_dialog_backs_up_and_restores(qtbot, admin_db, monkeypatch):
    dlg = backup_dialog.BackupDialog(admin_db)
    qtbot.addWidget(dlg)
    before = dlg.model.rowCount()
    qtbot.mouseClick(dlg.backup_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dlg.model.rowCount() == before + 1, timeout=10000)
    made = dlg.paths[0]
    assert backup.check_backup_file(made) and dlg.model.rows[0][1] == "手动备份"
    assert "已备份" in dlg.status.text()

    changed = edit_power(admin_db, 0, "备份之后的改动")
    monkeypatch.setattr(backup_dialog, "confirm", lambda *a: True)
    told = []
    monkeypatch.setattr(backup_dialog.QMessageBox, "information", lambda *a: told.append(a[2]))
    with qtbot.waitSignal(dlg.restored, timeout=10000):
        dlg.restore_file(made)
    assert get_row(admin_db, POWERS, changed)["remarks"] == ""
    assert admin_db.user is None and "before-restore" in told[0]


def test_restore_refuses_a_file_that_is_no_backup(qtbot, admin_db, tmp_path, monkeypatch):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("这不是数据库")
    errors = []
    monkeypatch.setattr("ui.dialogs.QMessageBox.warning", lambda *a: errors.append(a[2]))
    dlg = backup_dialog.BackupDialog(admin_db)
    qtbot.addWidget(dlg)
    dlg.restore_file(bad)
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    assert "不是 StreetLedger 备份文件" in errors[0]


def test_export_all_writes_one_sheet_per_ledger(qtbot, admin_db, monkeypatch, tmp_path):
    out = tmp_path / "all.xlsx"
    monkeypatch.setattr(backup_dialog, "ask_save_path", lambda *a: out)
    dlg = backup_dialog.BackupDialog(admin_db)
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.export_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: getattr(dlg, "last_export", None) == out, timeout=20000)
    assert dlg.output_offer.isVisible() and str(out) in dlg.output_offer.text()  # 打开文件…
    wb = load_workbook(out, read_only=True)
    from app.specs import all_specs

    # The table of contents, one sheet per registered ledger, then 办件量.
    assert wb.sheetnames == ["目录", *(s.title for s in all_specs()), "办件量"]
    toc = {r[0]: r[1] for r in wb["目录"].iter_rows(min_row=4, values_only=True)}
    assert toc["权责清单"] == 394 and toc["社区"] == 11 and toc["职能机构"] == 9
    cases = case_count_rows(admin_db)
    assert cases and toc["办件量"] == len(cases)
    assert len(list(wb["办件量"].iter_rows(min_row=4, values_only=True))) == len(cases)
    powers = list(wb["权责清单"].iter_rows(min_row=4, values_only=True))
    assert len(powers) == 394
    assert "导出全部数据" in entries(admin_db, action="export", limit=1)[0].summary


@pytest.mark.postgres
def test_backup_dialog_on_postgresql_says_it_is_the_servers_job(qtbot, app, pg_url):
    db = Database(pg_url)
    dlg = backup_dialog.BackupDialog(db)
    qtbot.addWidget(dlg)
    texts = [w.text() for w in dlg.findChildren(backup_dialog.QLabel)]
    assert any(backup.PG_MESSAGE in t for t in texts)
    assert not hasattr(dlg, "backup_button") and dlg.export_button.isEnabled()
    db.close()


# -- the open lock ---------------------------------------------------------------

def hold(db, host="办公室电脑2", pid=4242, user="李四"):
    with db.session() as s:
        s.add(OpenLock(hostname=host, pid=pid, username=user, opened_at=now()))
        s.commit()


@pytest.mark.parametrize("choice", ["read_only", "open", "quit"])
def test_lock_prompt_offers_three_choices(app, sqlite_demo_db, monkeypatch, choice):
    path = Path(sqlite_demo_db.engine.url.database)
    shown = []

    def fake_exec(dlg):
        shown.append(([b.text() for b in dlg.buttons.values()],
                      dlg.findChildren(lock_prompt.QLabel)[1].text()))
        dlg.buttons[choice].click()
        return 1

    monkeypatch.setattr(lock_prompt.LockDialog, "exec", fake_exec)
    assert lock_prompt.check_open_lock(path, sqlite_demo_db) == "open"  # nobody else
    assert shown == []
    hold(sqlite_demo_db)
    assert lock_prompt.check_open_lock(path, sqlite_demo_db) == choice
    buttons, who = shown[0]
    assert buttons == ["只读打开", "仍然打开（可能造成数据冲突）", "退出"]
    assert "李四" in who and "办公室电脑2" in who


def test_lock_prompt_warns_about_a_network_share(app, sqlite_demo_db, monkeypatch):
    warned = []
    monkeypatch.setattr(lock_prompt.lock, "on_network_share", lambda p: True)
    monkeypatch.setattr(lock_prompt.QMessageBox, "warning", lambda *a: warned.append(a[2]))
    path = Path(sqlite_demo_db.engine.url.database)
    assert lock_prompt.check_open_lock(path, sqlite_demo_db) == "open"
    assert warned and lock.SHARE_WARNING in warned[0]


# -- database settings -----------------------------------------------------------

def wait_result(qtbot, dlg) -> str:
    qtbot.waitUntil(lambda: dlg.result.text() not in ("", "正在连接…"), timeout=15000)
    return dlg.result.text()


def test_connection_test_reports_success_on_sqlite(qtbot, app, tmp_path):
    dlg = ConnectionDialog(ConnectionSettings(kind="sqlite", path=str(tmp_path / "x.sqlite3")))
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.test_button, Qt.LeftButton)
    assert "本机数据库可以使用" in wait_result(qtbot, dlg)
    assert "2e7d32" in dlg.result.styleSheet()


def test_connection_test_explains_an_unreachable_server(qtbot, app):
    dlg = ConnectionDialog(ConnectionSettings(kind="postgresql", host="127.0.0.1", port=1,
                                              database="x", user="postgres"))
    qtbot.addWidget(dlg)
    assert dlg.pg_radio.isChecked() and not dlg.sqlite_box.isEnabled()
    qtbot.mouseClick(dlg.test_button, Qt.LeftButton)
    text = wait_result(qtbot, dlg)
    assert "无法连接到服务器 127.0.0.1:1" in text and "c62828" in dlg.result.styleSheet()


def test_connection_settings_are_saved_without_the_password(app, home):
    settings = ConnectionSettings(kind="postgresql", host="10.0.0.5", port=5433,
                                  database="台账", user="street", password="S3cret-word")
    save_connection_settings(settings, remember=True)
    ini = (home / "streetledger-ui.ini").read_text(encoding="utf-8")
    assert "10.0.0.5" in ini and "S3cret-word" not in ini
    back = load_connection_settings()
    assert (back.kind, back.host, back.port, back.database, back.user) == (
        "postgresql", "10.0.0.5", 5433, "台账", "street")


def test_the_dialog_saves_what_was_chosen(qtbot, app, tmp_path):
    dlg = ConnectionDialog(ConnectionSettings())
    qtbot.addWidget(dlg)
    dlg.path.setText(str(tmp_path / "office.sqlite3"))
    with qtbot.waitSignal(dlg.saved) as sig:
        dlg.save_button.click()
    assert sig.args[0].path == str(tmp_path / "office.sqlite3")
    assert load_connection_settings().url().endswith("office.sqlite3")


# -- live updates ----------------------------------------------------------------

def test_change_watcher_sees_another_clients_write(qtbot, app, sqlite_demo_db, sqlite_url):
    other = Database(sqlite_url, actor="另一台电脑")
    watcher = live.ChangeWatcher(sqlite_demo_db, interval_ms=50)
    watcher.start()
    try:
        qtbot.waitUntil(lambda: watcher.last is not None, timeout=5000)
        polls = []
        watcher.polled.connect(polls.append)
        with qtbot.assertNotEmitted(watcher.changed):  # nothing written: no change reported
            qtbot.waitUntil(lambda: len(polls) >= 3, timeout=5000)  # ...over three polls
        with qtbot.waitSignal(watcher.changed, timeout=5000):
            edit_power(other, 3, "别处的修改")
    finally:
        watcher.stop()
        other.close()


def test_change_watcher_reports_a_lost_connection_and_its_return(qtbot, app, sqlite_demo_db,
                                                               monkeypatch):
    import psycopg
    from sqlalchemy.exc import OperationalError

    down = {"now": False}
    real = live.last_change_id

    def poll(db):
        if down["now"]:
            raise OperationalError("SELECT", {}, psycopg.OperationalError(
                "server closed the connection unexpectedly"))
        return real(db)

    monkeypatch.setattr(live, "last_change_id", poll)
    watcher = live.ChangeWatcher(sqlite_demo_db, interval_ms=50)
    banner = live.ConnectionBanner()
    qtbot.addWidget(banner)
    banner.attach(watcher)
    watcher.start()
    try:
        qtbot.waitUntil(lambda: watcher.last is not None, timeout=5000)
        with qtbot.waitSignal(watcher.connection_lost, timeout=5000) as sig:
            down["now"] = True
        assert sig.args == ["与数据库服务器的连接中断"]
        assert not banner.isHidden() and banner.label.text() == live.LOST_TEXT
        with qtbot.waitSignal(watcher.connection_restored, timeout=5000):
            down["now"] = False
        assert banner.isHidden()
    finally:
        watcher.stop()
