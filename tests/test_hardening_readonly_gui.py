"""Issue 18, findings 15 and 16: a damaged database in the desktop app is shown and
logged with the way back from the latest good backup; a read-only database file is
opened read-only (reading, statistics and export work; sign-in writes nothing)."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, select

from app import auth, backup
from app.db import Database
from app.errors import PermissionDenied
from app.models import AuditEntry
from app.services import list_rows
from app.specs.powers import POWERS

PW = "Passw0rd!"


@pytest.fixture
def read_only_file(sqlite_url, monkeypatch):
    """A demo database with an account whose file this process may not write. Root
    ignores file modes, so the check for writability reports what an office PC would."""
    from app.demo import load_demo

    db = Database(sqlite_url)
    load_demo(db)
    auth.create_user(db, "admin", PW, "admin")
    db.close()
    monkeypatch.setattr("app.db._writable", lambda _path: False)
    return sqlite_url


def test_a_read_only_file_opens_read_only_and_still_reads_and_exports(read_only_file, tmp_path):
    from reports.export import export_ledger

    db = Database(read_only_file)
    assert db.read_only and "只读" in db.read_only_reason
    me = auth.login(db, "admin", PW)  # the sign-in writes nothing, and does not fail
    assert me.username == "admin"
    assert len(list_rows(db, POWERS)) == 394
    out = tmp_path / "powers.xlsx"
    assert export_ledger(db, POWERS, out) == 394 and out.exists()
    with pytest.raises(PermissionDenied, match="只读"):
        from app.services import save_row

        save_row(db, POWERS, {"list_kind": "法定权力事项", "power_type": "公共服务",
                              "name": "只读时新增", "status": "运行中"})
    with db.session() as s:  # the SQLite connection itself refuses writes (mode=ro)
        with pytest.raises(Exception, match="readonly"):
            s.execute(AuditEntry.__table__.insert().values(action="login", username="x"))
    db.close()
    db = Database(read_only_file)
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(AuditEntry)
                         .where(AuditEntry.action == "login")).scalar_one() == 0
    db.close()


def test_read_only_cli_export_and_stats_exit_0(read_only_file, tmp_path, monkeypatch):
    from main import run_cli

    path = read_only_file.removeprefix("sqlite:///")
    monkeypatch.setenv("STREETLEDGER_PASSWORD", PW)
    out = tmp_path / "o.xlsx"
    assert run_cli(["--user", "admin", "export", "powers", str(out), "--db", path]) == 0
    assert run_cli(["--user", "admin", "stats", "powers", "--db", path]) == 0
    assert out.exists()


_DAMAGED_GUI = r"""
import json, sqlite3, sys
from PySide6.QtWidgets import QMessageBox
import ui.app as ui_app
import ui.errors as ui_errors
from app import backup
from app.db import Database
from app.demo import load_demo
from app.logs import log_file, setup_logging

setup_logging()
db = Database(sys.argv[1])
load_demo(db)
good = backup.backup_to(db, backup.backup_dir(db), audit=False)
shown, boxes = [], []
ErrorDialog = ui_errors.ErrorDialog
ErrorDialog.exec = lambda self: shown.append(1) or 0
QMessageBox.exec = lambda self: boxes.append(self.text()) or 0
ui_app.open_database = lambda _url: (db, "")
ui_app.display_problem = lambda: ""

def damaged(*_a):
    raise sqlite3.DatabaseError("database disk image is malformed")

ui_app._session = damaged
rc = ui_app.run_gui(None)
print(json.dumps({"rc": rc, "shown": len(shown), "boxes": boxes, "good": str(good),
                  "log": "malformed" in log_file().read_text(encoding="utf-8")}))
"""


def test_a_damaged_database_in_the_gui_is_shown_logged_and_a_backup_named(tmp_path):
    """The whole desktop start on a damaged file, in a process of its own: run_gui freezes
    the collector for the rest of its process, which a test process must not inherit."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run([sys.executable, "-c", _DAMAGED_GUI, str(tmp_path / "d.sqlite3")],
                       capture_output=True, text=True, cwd=root, timeout=120,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
                            "PYTHONPATH": str(root)})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["rc"] == 1 and out["shown"] == 1 and out["log"]  # not a silent exit
    assert out["boxes"] and "已损坏" in out["boxes"][-1]
    named = out["boxes"][-1].split("最近的正常备份：")[1].split("\n")[0]
    assert named.startswith(str(Path(out["good"]).parent)) and backup.check_backup_file(named)


@pytest.fixture
def tmpfs(tmp_path):
    """A small RAM file system of our own (Linux, as root): a really full or really
    read-only volume. Skipped where it cannot be mounted."""
    import subprocess
    import sys

    if sys.platform != "linux":
        pytest.skip("需要 Linux 的 tmpfs")
    mounted = []

    def make(size: str):
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                           capture_output=True)
        if r.returncode != 0:
            pytest.skip("无法挂载 tmpfs（需要 root 权限）")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_a_backup_onto_a_full_disk_leaves_nothing_and_says_so(sqlite_demo_db, tmpfs):
    """Finding 9: a 0-byte .part and an internal error before."""
    from app.errors import UserError

    full = tmpfs("64k")
    with pytest.raises(UserError, match="磁盘") as err:
        backup.backup_to(sqlite_demo_db, full / "out.sqlite3", audit=False)
    assert "备份未完成" in err.value.message
    assert list(full.iterdir()) == []  # no .part, no half a backup


def test_a_database_on_a_read_only_volume_is_read(sqlite_demo_db, tmpfs, tmp_path):
    """Finding 16: on a read-only volume even stats failed (WAL needs -shm)."""
    import subprocess
    import sys
    from pathlib import Path

    volume = tmpfs("16m")
    backup.backup_to(sqlite_demo_db, volume / "ro.sqlite3", audit=False)
    r = subprocess.run(["mount", "-o", "remount,ro", str(volume)], capture_output=True)
    if r.returncode != 0:
        pytest.skip("无法把 tmpfs 改为只读")
    main = Path(__file__).resolve().parent.parent / "main.py"
    for args in (["stats", "powers"], ["export", "powers", str(tmp_path / "o.xlsx")]):
        r = subprocess.run([sys.executable, str(main), *args, "--db", str(volume / "ro.sqlite3")],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert r.returncode == 0, r.stderr
        assert "只读" in r.stderr and "Traceback" not in r.stderr
    assert "合计: 394" in subprocess.run(
        [sys.executable, str(main), "stats", "powers", "--db", str(volume / "ro.sqlite3")],
        capture_output=True, text=True).stdout
    assert (tmp_path / "o.xlsx").exists()


def _menu_texts(window) -> set[str]:
    from PySide6.QtWidgets import QMenu

    return {a.text() for m in window.menuBar().findChildren(QMenu) for a in m.actions()}


@pytest.mark.parametrize("who", ["viewer", "editor", "read-only admin", "admin"])
def test_whole_database_copies_and_settings_in_the_menus(qtbot, sqlite_demo_db, who):
    """Issue 9: 备份与恢复 for administrators only; no 数据库设置 for viewers or a
    read-only window; a read-only window offers no restore."""
    from tests.conftest import make_window
    from ui.backup_dialog import BackupDialog

    db = sqlite_demo_db
    auth.create_user(db, "admin", PW, "admin")
    auth.login(db, "admin", PW)
    auth.create_user(db, "viewer", PW, "viewer")
    auth.create_user(db, "editor", PW, "editor")
    auth.logout(db)
    auth.login(db, who.split()[-1], PW)
    db.read_only = who.startswith("read-only")
    window = make_window(qtbot, db)  # held: a window collected mid-test left Qt events behind
    texts = _menu_texts(window)
    assert ("备份与恢复…" in texts) == (who.endswith("admin"))
    assert ("数据库设置…" in texts) == (who in ("editor", "admin"))
    if who.endswith("admin"):
        dlg = BackupDialog(db)
        qtbot.addWidget(dlg)
        assert dlg.restore_button.isVisibleTo(dlg) == (who == "admin")


def test_a_damaged_database_is_put_back_from_the_latest_good_backup(qtbot, sqlite_demo_db,
                                                                     monkeypatch):
    """Finding 15: one click puts the latest good backup back; the damaged file is kept."""
    from PySide6.QtWidgets import QMessageBox

    import ui.app as ui_app
    import ui.errors as ui_errors

    db = sqlite_demo_db
    path = backup.sqlite_path(db)
    backup.backup_to(db, backup.backup_dir(db), audit=False)
    db.close()
    with open(path, "r+b") as fh:  # damage the live file
        fh.seek(4096)
        fh.write(b"\xff" * 8192)
    texts = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "exec", lambda self: 0)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: texts.append(self.text()) or 0)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda self: next(
        (b for b in self.buttons() if b.text() == "用此备份恢复"), None))
    ui_app.fatal_error(sqlite3.DatabaseError("database disk image is malformed"), path)
    assert "已恢复" in texts[-1] or "已用备份" in texts[-1]
    kept = [p for p in path.parent.iterdir() if ".损坏-" in p.name and p.suffix == ".sqlite3"]
    assert len(kept) == 1  # the damaged file is kept, not deleted
    again = Database(str(path))
    try:
        assert len(list_rows(again, POWERS)) == 394
    finally:
        again.close()
