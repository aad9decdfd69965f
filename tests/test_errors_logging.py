"""A crash anywhere ends in a Chinese dialog and a log line; the log keeps no secrets;
known failures get plain words; the 关于 dialog shows version, database and font licence."""

from __future__ import annotations

import errno
import logging
import threading

import pytest
from PySide6.QtCore import QRunnable, QThread, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication

from app import __version__
from app.errors import UserError
from app.failures import explain
from app.logs import log, mask, setup_logging, teardown_logging

ID = "51050219900101123X"
MASKED_ID = "510502********123X"


@pytest.fixture
def log_path(home):
    root_level = logging.getLogger().level
    path = setup_logging(faults=False)
    yield path
    teardown_logging()
    logging.getLogger().setLevel(root_level)


def read_log(path) -> str:
    for h in logging.getLogger().handlers:
        h.flush()
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.fixture
def shown(qapp, log_path, monkeypatch):
    """Error hooks installed; the dialog records itself instead of blocking in exec()."""
    from ui import errors

    dialogs = []

    def fake_exec(self):
        dialogs.append(self)
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", fake_exec)
    errors.install_error_hooks(qapp, log_path)
    yield dialogs
    errors.uninstall_error_hooks()


# -- the log ------------------------------------------------------------------------------

def test_mask_ids_passwords_and_url_secrets():
    assert mask(f"身份证号 {ID} 重复") == f"身份证号 {MASKED_ID} 重复"
    assert mask("510502199001011234") == "510502********1234"
    # Not an ID: longer digit runs and shorter numbers stay as they are.
    assert mask("单号 1234567890123456789") == "单号 1234567890123456789"
    assert mask("电话 13812345678") == "电话 13812345678"
    assert mask("login password=hunter2 extra") == "login password=***"
    assert mask('{"password": "s e c"}') == '{"password": ***'
    assert mask("密码：abc123") == "密码：***"
    assert mask("postgresql+psycopg://clerk:pa55@db.local:5432/x") == \
        "postgresql+psycopg://clerk:***@db.local:5432/x"


def test_log_file_masks_ids_and_passwords_in_messages_and_tracebacks(log_path):
    log.info("导入身份证号 %s", ID)
    logging.getLogger("somewhere").warning("connect password=hunter2")
    try:
        raise ValueError(f"身份证号 {ID} 校验位错误")
    except ValueError:
        log.exception("导入失败")
    text = read_log(log_path)
    assert log_path.parent.name == "logs"
    assert ID not in text and "hunter2" not in text
    assert text.count(MASKED_ID) == 2  # the message and the traceback's last line
    assert "password=***" in text and "Traceback" in text


def test_startup_database_opened_import_and_export_are_logged(log_path, sqlite_url, tmp_path):
    from app.db import Database
    from app.demo import load_demo
    from app.specs.powers import POWERS
    from reports.export import export_ledger

    db = Database(sqlite_url, actor="测试员")
    try:
        load_demo(db)
        export_ledger(db, POWERS, tmp_path / "out.xlsx")
    finally:
        db.close()
    text = read_log(log_path)
    assert f"启动 StreetLedger {__version__}" in text
    assert f"打开数据库：{sqlite_url}" in text
    assert "测试员 导入" in text  # demo data are loaded like an import
    assert "测试员 导出 [powers]" in text and "out.xlsx" in text


def test_setup_logging_follows_the_data_folder(log_path, tmp_path, monkeypatch):
    other = tmp_path / "other-home"
    other.mkdir()
    monkeypatch.setenv("STREETLEDGER_HOME", str(other))
    moved = setup_logging(faults=False)
    log.info("第二个文件夹")
    assert moved == other / "logs" / "streetledger.log"
    assert "第二个文件夹" in read_log(moved)
    assert "第二个文件夹" not in read_log(log_path)


# -- plain words for known failures --------------------------------------------------------

def test_disk_full():
    e = explain(OSError(errno.ENOSPC, "No space left on device", "/data/权责清单.xlsx"))
    assert e.title == "磁盘空间不足" and e.kind == "known"
    assert "磁盘已满" in e.message and "权责清单.xlsx" in e.message


def test_no_write_permission():
    e = explain(PermissionError(errno.EACCES, "Permission denied", "/srv/报表.pdf"), windows=False)
    assert e.title == "没有写入权限" and "/srv/报表.pdf" in e.message
    e = explain(OSError(errno.EROFS, "Read-only file system", "/mnt/x.xlsx"), windows=True)
    assert e.title == "没有写入权限"


def test_file_open_in_excel_on_windows():
    # open() on Windows reports a file Excel holds as a plain EACCES...
    e = explain(PermissionError(errno.EACCES, "Permission denied",
                                r"C:\Users\clerk\Documents\权责清单.xlsx"), windows=True)
    assert "请先在Excel中关闭该文件" in e.message and "“权责清单.xlsx”" in e.message
    # ...while os.replace/os.remove give the sharing violation itself.
    shared = PermissionError(errno.EACCES, "The process cannot access the file", "台账.xls")
    shared.winerror = 32
    e = explain(shared, windows=True)
    assert e.title == "文件正在使用中" and "请先在Excel中关闭该文件" in e.message


def test_database_locked_from_a_real_sqlite_lock(tmp_path):
    import sqlite3

    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0})
    try:
        with pytest.raises(OperationalError) as info, engine.begin() as conn:
            conn.execute(text("INSERT INTO t VALUES (1)"))
    finally:
        holder.close()
        engine.dispose()
    e = explain(info.value)
    assert e.title == "数据库正忙" and e.kind == "known"
    assert "其他程序占用" in e.message


def test_user_error_in_the_chain_shows_its_message_and_a_bug_says_so():
    try:
        try:
            raise UserError("该文件不是 Excel 工作簿")
        except UserError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as exc:
        e = explain(exc)
    assert (e.kind, e.message) == ("user", "该文件不是 Excel 工作簿")
    e = explain(ZeroDivisionError("division by zero"))
    assert e.is_bug and "ZeroDivisionError" in e.message and "复制错误信息" in e.message


# -- uncaught exceptions end in the dialog and the log -------------------------------------

def test_exception_in_a_plain_thread_shows_the_dialog_and_logs(qtbot, shown, log_path):
    def work():
        raise RuntimeError(f"线程里出错了 {ID}")

    t = threading.Thread(target=work, name="导出线程")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    dlg = shown[0]
    assert dlg.explanation.is_bug
    assert dlg.windowTitle() == "程序出错"  # Qt adds " — 街道治理台账"
    assert "RuntimeError" in dlg.report and MASKED_ID in dlg.report and ID not in dlg.report
    assert str(log_path) in dlg.report
    text = read_log(log_path)
    assert "未处理的异常（线程 导出线程）" in text and "线程里出错了" in text and "Traceback" in text


def test_exception_in_a_qthread_and_a_bare_qrunnable(qtbot, shown, log_path):
    class Boom(QThread):
        def run(self):
            raise OSError(errno.ENOSPC, "No space left on device", "备份.sqlite3")

    class BoomRunnable(QRunnable):
        def run(self):
            raise KeyError("行号")

    thread = Boom()
    thread.start()
    thread.wait()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].explanation.title == "磁盘空间不足"
    QThreadPool.globalInstance().start(BoomRunnable())
    QThreadPool.globalInstance().waitForDone()
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert shown[1].explanation.is_bug and "KeyError" in shown[1].report
    text = read_log(log_path)
    assert "OSError" in text and "KeyError" in text


def test_worker_task_failure_through_report_exception(qtbot, shown, log_path):
    from ui.errors import report_exception
    from ui.workers import run_task

    def fails(task):
        task.progress(1, 2, "写入中")
        raise PermissionError(errno.EACCES, "Permission denied", "C:/台账/权责清单.xlsx")

    task = run_task(None, fails, on_error=lambda exc, tb: report_exception(exc, tb))
    qtbot.waitUntil(task.finished.is_set)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert "Traceback" in shown[0].report and "fails" in shown[0].report
    assert "PermissionError" in read_log(log_path)


def test_exception_in_a_slot_on_the_main_thread(qtbot, shown, log_path):
    def slot():
        raise ValueError("槽函数出错")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert "槽函数出错" in shown[0].explanation.message
    assert "槽函数出错" in read_log(log_path)


def test_user_error_from_a_thread_just_shows_its_message(qtbot, shown, log_path):
    t = threading.Thread(target=lambda: (_ for _ in ()).throw(UserError("请先选择一行")))
    t.start()
    t.join()
    qtbot.waitUntil(lambda: len(shown) == 1)
    dlg = shown[0]
    assert dlg.explanation.kind == "user" and dlg.message.text() == "请先选择一行"
    assert dlg.copy_button is None  # no traceback for a refused action
    text = read_log(log_path)
    assert "操作未完成：请先选择一行" in text and "Traceback" not in text


def test_errors_while_the_dialog_is_open_are_counted_not_stacked(qapp, qtbot, log_path,
                                                                monkeypatch):
    from ui import errors

    dialogs = []

    def exec_and_fail_again(self):
        dialogs.append(self)
        errors.report_exception(RuntimeError("第二个错误"))
        return 0

    monkeypatch.setattr(errors.ErrorDialog, "exec", exec_and_fail_again)
    errors.install_error_hooks(qapp, log_path)
    try:
        errors.report_exception(RuntimeError("第一个错误"))
    finally:
        errors.uninstall_error_hooks()
    assert len(dialogs) == 1 and dialogs[0].extra_errors == 1
    assert "此后又发生了 1 个错误" in dialogs[0].more.text()
    assert "第二个错误" in read_log(log_path)


def test_copy_button_puts_the_masked_traceback_on_the_clipboard(qtbot, log_path, tmp_path):
    from ui.errors import ErrorDialog, traceback_text

    try:
        raise RuntimeError(f"坏数据 {ID}")
    except RuntimeError as exc:
        dlg = ErrorDialog(exc, traceback_text(exc), log_path)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "Traceback" in copied and MASKED_ID in copied and ID not in copied
    assert f"StreetLedger {__version__}" in copied and str(log_path) in copied
    assert dlg.copy_button.text() == "已复制"
    assert not dlg.details.isVisible()
    dlg.toggle_button.click()
    assert dlg.details.isVisible() and dlg.toggle_button.text() == "隐藏详细信息"
    assert dlg.grab().save(str(tmp_path / "error.png"))


# -- 关于 ---------------------------------------------------------------------------------

def test_about_dialog_shows_version_database_and_font_licence(qtbot, sqlite_url, tmp_path):
    from app.db import Database
    from ui.about import AboutDialog

    db = Database(sqlite_url)
    try:
        dlg = AboutDialog(db)
        qtbot.addWidget(dlg)
        dlg.show()
        assert dlg.version_label.text() == f"版本 {__version__}"
        assert dlg.db_label.text() == db.describe()
        labels = " ".join(w.text() for w in dlg.findChildren(type(dlg.version_label)))
        assert "Apache License 2.0" in labels and "文泉驿微米黑" in labels
        assert not dlg.licence_text.isVisible()
        dlg.licence_button.click()
        assert dlg.licence_text.isVisible()
        assert "WenQuanYi" in dlg.licence_text.toPlainText()
        assert "Apache-2.0" in dlg.licence_text.toPlainText()
        assert dlg.grab().save(str(tmp_path / "about.png"))
    finally:
        db.close()
