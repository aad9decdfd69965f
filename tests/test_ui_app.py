"""Start-up (run_gui, first start, fonts, no-display message), the worker helper and
the export/print buttons."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import QFileDialog

from app.db import Database
from app.demo import has_ledger_data
from ui import app as ui_app
from ui import exports
from ui.app import create_application
from ui.dialogs import FirstStartDialog
from ui.workers import run_task

ROOT = Path(__file__).resolve().parent.parent


def test_bundled_cjk_font_is_registered_and_used():
    app = create_application()
    assert ui_app.register_fonts() == "WenQuanYi Micro Hei"
    assert "WenQuanYi Micro Hei" in app.font().families()
    # The family resolves to a real face that has Chinese glyphs.
    font = QFont("WenQuanYi Micro Hei")
    assert QFontInfo(font).family() == "WenQuanYi Micro Hei"
    assert QFontMetrics(font).inFontUcs4(ord("街"))


@pytest.mark.parametrize("choice", [FirstStartDialog.DEMO, FirstStartDialog.EMPTY])
def test_first_start_offers_demo_or_empty(tmp_path, monkeypatch, choice):
    create_application()
    db = Database("sqlite:///" + (tmp_path / "new.sqlite3").as_posix())
    offered = []

    def pick(dlg):
        offered.append(dlg.windowTitle())
        dlg.choice = choice
        return 1

    monkeypatch.setattr(FirstStartDialog, "exec", pick)
    ui_app.first_start(db)
    assert offered == ["欢迎使用街道治理台账"]
    assert has_ledger_data(db) == (choice == FirstStartDialog.DEMO)
    offered.clear()
    ui_app.first_start(db)  # asked only while the database is empty
    assert offered == ([] if choice == FirstStartDialog.DEMO else ["欢迎使用街道治理台账"])
    db.close()


def test_bad_database_url_is_a_chinese_message(monkeypatch, tmp_path):
    shown = []
    monkeypatch.setattr(ui_app.QMessageBox, "critical", lambda *a: shown.append(a[2]))
    assert ui_app.run_gui("mysql://nobody@localhost/x") == 2
    assert "不支持的数据库地址" in shown[0]


def test_no_display_says_what_to_do(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert "DISPLAY" in ui_app.display_problem()
    monkeypatch.setenv("DISPLAY", ":0")
    import ctypes.util

    monkeypatch.setattr(ctypes.util, "find_library",
                        lambda name: None if name == "xcb-cursor" else f"lib{name}.so")
    msg = ui_app.display_problem()
    assert msg.startswith("无法打开窗口") and "libxcb-cursor0" in msg
    assert "libxcb-icccm4" not in msg
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert ui_app.display_problem() is None


def test_run_gui_shows_the_populated_window_and_quits_without_heavy_imports(
        sqlite_demo_db, sqlite_url, tmp_path):
    from app import auth

    auth.create_user(sqlite_demo_db, "admin", "Admin1234", "admin")
    # In a child process: a real start-up, and app.exec() once (as in the real app).
    code = (
        "import os, sys\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "os.environ['STREETLEDGER_EXIT_AFTER_SHOW'] = '1'\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from ui.main_window import MainWindow\n"
        "shown = []\n"
        "real_show = MainWindow.show\n"
        "def show(self):\n"
        "    from PySide6.QtWidgets import QApplication\n"
        "    shown.append(self.powers.model.rowCount())\n"
        "    shown.append(type(QApplication.style()).__name__)\n"
        "    real_show(self)\n"
        "MainWindow.show = show\n"
        "from ui.app import run_gui\n"
        f"rc = run_gui({sqlite_url!r})\n"
        "heavy = [m for m in ('reportlab', 'openpyxl', 'alembic', 'sqlalchemy.dialects.postgresql')"
        " if m in sys.modules]\n"
        "print(rc, shown, heavy)\n"
    )
    env = {"STREETLEDGER_HOME": str(tmp_path / "h"), "PATH": "/usr/bin:/bin",
           "STREETLEDGER_USER": "admin", "STREETLEDGER_PASSWORD": "Admin1234"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, timeout=60)
    # The focus ring is in place (installed after the start-up frame shows).
    assert out.stdout.strip().splitlines()[-1] == "0 [394, 'FocusRingStyle'] []", out.stderr


# -- the worker helper ----------------------------------------------------------------

def test_worker_delivers_result_on_the_main_thread(qtbot):
    seen = {}

    def job(task):
        task.progress(1, 2, "一半")
        return threading.current_thread() is threading.main_thread()

    def done(result):
        seen["worker_on_main"] = result
        seen["callback_on_main"] = threading.current_thread() is threading.main_thread()

    task = run_task(None, job, on_done=done)
    qtbot.waitUntil(lambda: "worker_on_main" in seen)
    assert seen == {"worker_on_main": False, "callback_on_main": True}
    assert task.finished.is_set()


def test_worker_delivers_errors_and_honours_cancel(qtbot):
    errors = []
    run_task(None, lambda task: 1 / 0, on_error=lambda exc, tb: errors.append((exc, tb)))
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0][0], ZeroDivisionError) and "1 / 0" in errors[0][1]

    steps, outcome = [], []

    def slow(task):
        for i in range(200):
            task.progress(i, 200)
            steps.append(i)
            time.sleep(0.01)  # the slow work itself, not a wait for an outcome
        return "finished"

    task = run_task(None, slow, on_done=outcome.append,
                    on_error=lambda exc, tb: outcome.append(exc))
    qtbot.waitUntil(lambda: len(steps) >= 3)
    task.cancel()
    # The relay drops itself (task.signals = None) on the main thread once it has delivered
    # the task's outcome, whichever it was: after that, a late on_done can no longer come.
    qtbot.waitUntil(lambda: task.finished.is_set() and task.signals is None)
    assert outcome == [] and len(steps) < 200


# -- export and print -----------------------------------------------------------------

def test_export_excel_writes_the_filtered_sorted_view(qtbot, window, tmp_path, monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    page = window.powers
    combo = page.filter_bar.combos["list_kind"]
    combo.setCurrentIndex(combo.findText("属地管理事项"))
    code_col = [f.name for f in page.fields].index("code")
    page.table.sortByColumn(code_col, Qt.DescendingOrder)
    target = tmp_path / "导出"  # no suffix typed: .xlsx is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    exports.export_view_xlsx(page)
    qtbot.waitUntil(lambda: getattr(page, "last_export", None) is not None, timeout=20000)
    assert page.last_export == tmp_path / "导出.xlsx"
    ws = openpyxl.load_workbook(page.last_export).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(values) if "事项编码" in r)
    k = values[header_at].index("事项编码")
    codes = [r[k] for r in values[header_at + 1:] if r[k]]
    shown = [page.model.cell_text(r, code_col) for r in range(page.model.rowCount())]
    assert codes == shown and len(codes) == 117
    assert codes == sorted(codes, reverse=True)
    year_col = page.spec.field("case_count").title
    assert year_col in values[header_at]  # this year's 办件量 is exported too
    # The command line's export has the same columns as the page's.
    from reports.export import export_ledger

    cli = page.last_export.with_name("cli.xlsx")
    export_ledger(page.db, page.spec, cli)
    cli_values = list(openpyxl.load_workbook(cli).active.iter_rows(values_only=True))
    cli_header = next(r for r in cli_values if "事项编码" in r)
    assert [c for c in cli_header if c] == [c for c in values[header_at] if c]


def test_print_pdf_writes_and_opens_the_report(qtbot, window, monkeypatch, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    opened = []
    monkeypatch.setattr(exports, "open_file", lambda p, **_: opened.append(p) or True)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "报表.pdf"), ""))
    page = window.powers
    combo = page.filter_bar.combos["list_kind"]
    combo.setCurrentIndex(combo.findText("法定权力事项"))
    exports.export_pdf(page)
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    assert opened == []  # offered, not opened behind the user's back
    qtbot.mouseClick(page.output_offer.open_button, Qt.LeftButton)
    pdf = opened[0]
    assert pdf == tmp_path / "报表.pdf" and pdf.exists()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(str(pdf)).pages)
    assert "南城街道权责清单" in text
    first_name = page.model.cell_text(0, [f.name for f in page.fields].index("name"))
    assert first_name[:8] in text.replace("\n", "")
    assert "共118条" in text.replace(" ", "")
    assert "筛选条件：清单类别为“法定权力事项”" in text.replace(" ", "")  # says it is a subset
