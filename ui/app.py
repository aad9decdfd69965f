"""Start the desktop app: QApplication, Chinese UI strings and fonts, the database,
the first-start choice and the main window.

`run_gui(db_url)` is what `python main.py` calls without a sub-command. Start-up
imports neither reportlab nor openpyxl nor alembic (they load when first used).
A start-up frame (ui.startup_frame) shows before the data layer is imported.
STREETLEDGER_EXIT_AFTER_SHOW=1 quits as soon as the window is shown with the
first ledger page populated, =visible as soon as the frame shows (the start-up benchmark)."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QThreadPool, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_TITLE, __version__
from ui.settings import APPLICATION, ORGANISATION

# Screen faces tried in order; the bundled font (registered below) is the last resort,
# so Chinese shows even on a machine without any CJK font.
CJK_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
                "Source Han Sans SC"]

# Linux: libraries Qt's xcb plugin needs that minimal installs lack → Debian package.
XCB_LIBS = {"xcb-cursor": "libxcb-cursor0", "xcb-icccm": "libxcb-icccm4",
            "xcb-keysyms": "libxcb-keysyms1", "xcb-image": "libxcb-image0",
            "xcb-render-util": "libxcb-render-util0", "xkbcommon-x11": "libxkbcommon-x11-0"}


def display_problem() -> str | None:
    """One Chinese line saying why no window can open (Linux), instead of Qt's abort."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return None  # offscreen, vnc, ...: the user chose
    wayland = platform.startswith("wayland") or (not platform and os.environ.get("WAYLAND_DISPLAY"))
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return ("无法打开窗口：没有图形桌面（未设置 DISPLAY）。请在桌面环境中运行，"
                "或使用命令行功能（python main.py -h）")
    if wayland:
        return None
    import ctypes.util

    missing = [pkg for lib, pkg in XCB_LIBS.items() if ctypes.util.find_library(lib) is None]
    if missing:
        return f"无法打开窗口：缺少系统库，请先安装：sudo apt install {' '.join(missing)}"
    return None


def register_fonts() -> str:
    """Register the bundled CJK font with Qt; returns its family name."""
    from app.paths import resource
    from reports.fonts import BUNDLED_FAMILY, BUNDLED_FILE  # constants only: no reportlab

    font_id = QFontDatabase.addApplicationFont(str(resource(*BUNDLED_FILE)))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else BUNDLED_FAMILY


def create_application(argv: list[str] | None = None, *, focus_ring: bool = True) -> QApplication:
    """The QApplication, set up once (tests reuse pytest-qt's instance). run_gui passes
    focus_ring=False and installs the ring once the start-up frame shows."""
    from ui.pyside_fix import guard_none_refcount

    guard_none_refcount()  # before the first PySide call that returns None
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    if app.property("streetledger_ready"):
        return app
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APP_TITLE)
    app.setApplicationVersion(__version__)
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    from ui.appearance import apply_font_size, install_translations, saved_font_size

    # Qt's own words (file dialogs, standard buttons, menus); the files kept for support.
    app.setProperty("streetledger_translations", install_translations(app))
    if focus_ring:
        install_focus_ring()
    bundled = register_fonts()
    font = QFont(app.font())
    font.setFamilies([*CJK_FAMILIES, bundled, font.family()])
    if font.pointSizeF() < 9:
        font.setPointSizeF(9)
    app.setFont(font)
    apply_font_size(saved_font_size())  # the size chosen on this PC (older staff)
    app.setProperty("streetledger_ready", True)
    return app


def install_focus_ring() -> None:
    from ui.focus_ring import install_focus_ring as install

    install(QApplication.instance())


def first_start(db, parent=None) -> bool:
    """Empty database: offer the demo data or an empty start; True if data was loaded."""
    from app.demo import has_ledger_data, load_demo
    from app.errors import UserError
    from ui.dialogs import FirstStartDialog, busy_cursor, show_error

    if has_ledger_data(db):
        return False
    dlg = FirstStartDialog(db.describe(), parent)
    dlg.exec()
    choice = dlg.choice
    dlg.deleteLater()
    if choice == FirstStartDialog.DEMO:
        try:
            with busy_cursor():
                load_demo(db)
        except UserError as exc:
            show_error(parent, exc)
            return False
        return True
    return False


def _connection_url(db_url: str | None, parent=None) -> tuple[str | None, str]:
    """The URL to open and what overrides the saved settings (for the settings dialog)."""
    if db_url:
        return db_url, "命令行参数 --db"
    if os.environ.get("STREETLEDGER_DB"):
        return os.environ["STREETLEDGER_DB"], "环境变量 STREETLEDGER_DB"
    from ui.connection_dialog import ask_password, load_connection_settings

    settings = load_connection_settings()
    if settings.kind == "postgresql" and not ask_password(settings, parent):
        return None, ""
    return settings.url(), ""


def open_database(db_url: str | None):
    """Open (and migrate) the database; on failure offer the database settings.

    Returns (Database, overridden_by) or (None, "") when the user gives up."""
    from app.db import Database, resolve_url
    from app.errors import UserError

    while True:
        url, overridden = _connection_url(db_url)
        if url is None:
            return None, ""
        try:
            return Database(resolve_url(url)), overridden
        except UserError as exc:
            from app.logs import log

            log.warning("无法打开数据库：%s", exc.message)
            message = exc.message + _backup_hint(resolve_url(url), exc.message)
            if overridden:
                QMessageBox.critical(None, "无法打开数据库", message)
                return None, ""
            box = QMessageBox(QMessageBox.Critical, "无法打开数据库", message)
            settings_button = box.addButton("数据库设置…", QMessageBox.AcceptRole)
            box.addButton("退出", QMessageBox.RejectRole)
            box.exec()
            if box.clickedButton() is not settings_button:
                return None, ""
            from ui.connection_dialog import ConnectionDialog

            dlg = ConnectionDialog()
            if not dlg.exec():
                return None, ""


def _auto_sign_in(db) -> None:
    """STREETLEDGER_USER / STREETLEDGER_PASSWORD sign in as on the command line (scripts,
    the start-up benchmark); a wrong pair falls back to the sign-in dialog."""
    from app import auth
    from app.errors import UserError

    name, password = os.environ.get("STREETLEDGER_USER"), os.environ.get("STREETLEDGER_PASSWORD")
    if name and password and auth.has_accounts(db):
        try:
            auth.login(db, name, password)
        except UserError:
            pass


def _backup_failed(exc: BaseException, tb: str) -> None:
    from app.logs import log

    log.warning("每日自动备份失败：%s\n%s", exc, tb)  # retried on exit and next start


def _start_daily_backup(db, window) -> None:
    """The day's backup copies the whole file: off the GUI thread, after the window shows
    (SQLite's online backup API copes with writes made meanwhile)."""
    from app import backup
    from ui.workers import run_task

    window.backup_task = run_task(window, lambda _task: backup.auto_backup(db),
                                  on_error=_backup_failed)


def _backup_hint(url: str, message: str) -> str:
    """For a damaged SQLite file: where the latest good backup is."""
    if "损坏" not in message or not url.startswith("sqlite:///"):
        return ""
    good = latest_good_backup(Path(url.removeprefix("sqlite:///")))
    if good is None:
        return "\n\n没有找到可用的备份。"
    return "\n\n" + _restore_steps(good, Path(url.removeprefix("sqlite:///")))


def _restore_steps(good: Path, db_path: Path) -> str:
    return (f"最近的正常备份：{good}\n恢复方法：关闭本程序，把损坏的“{db_path.name}”改名留存，"
            f"再把该备份复制到同一文件夹并命名为“{db_path.name}”，然后重新打开。")


def latest_good_backup(db_path: Path | None) -> Path | None:
    """The newest backup beside a SQLite file that passes the restore checks."""
    from app import backup
    from app.errors import UserError

    if db_path is None:
        return None
    folder = db_path.parent / "backups"
    found = sorted(folder.glob(f"{backup.PREFIX}*{backup.SUFFIX}"),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for path in found:
        try:
            backup.check_backup_file(path)
            return path
        except UserError:
            continue
    return None


def fatal_error(exc: BaseException, db_path: Path | None) -> None:
    """An error that ends the session (a damaged database): the error dialog and the log,
    then, for a damaged file, the latest good backup with a button that puts it back."""
    from app.failures import explain
    from ui.errors import show_error

    show_error(None, exc)  # logs it too
    if explain(exc).title != "数据库文件已损坏" or db_path is None:
        return
    good = latest_good_backup(db_path)
    if good is None:
        text = "数据库文件已损坏，且没有找到可用的备份。请联系维护人员。"
    else:
        text = "数据库文件已损坏。\n" + _restore_steps(good, db_path)
    box = QMessageBox(QMessageBox.Warning, "数据库已损坏", text)
    put = box.addButton("用此备份恢复", QMessageBox.AcceptRole) if good else None
    folder = box.addButton("打开备份文件夹", QMessageBox.ActionRole) if good else None
    box.addButton("关闭", QMessageBox.RejectRole)
    box.exec()
    if put is not None and box.clickedButton() is put:
        from app import backup

        try:
            kept = backup.put_back(db_path, good)
        except Exception as exc:  # noqa: BLE001 - shown, the damaged file is untouched
            show_error(None, exc)
            return
        done = QMessageBox(QMessageBox.Information, "已恢复",
                           f"已用备份“{good.name}”恢复数据库；损坏的文件保留为“{kept.name}”。"
                           "请重新打开程序。")
        done.exec()
    elif folder is not None and box.clickedButton() is folder:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(good.parent)))


def _session(db, overridden: str, app, frame=None) -> int:
    """Lock, sign-in, first start, the window; returns the event loop's exit code.
    frame: the start-up frame, closed once the main window shows."""
    from app import backup, lock
    from ui.lock_prompt import QUIT, READ_ONLY, check_open_lock
    from ui.login import sign_in_flow
    from ui.main_window import MainWindow

    if db.backend == "sqlite":
        choice = check_open_lock(backup.sqlite_path(db), db)
        if choice == QUIT:
            return 0
        if getattr(db, "read_only_reason", ""):  # the file itself is read-only: no lock row
            QMessageBox.information(None, APP_TITLE, db.read_only_reason + "。")
        elif choice == READ_ONLY:
            db.read_only = True
        else:
            lock.acquire(db)
    _auto_sign_in(db)
    if not sign_in_flow(db):
        return 0
    if frame is not None:
        frame.say("正在加载台账……")
    window = MainWindow(db, db_overridden_by=overridden)
    # Only a database without ledger rows is a first start (a few COUNT queries).
    if first_start(db, window):
        window.reload_all()
    window.show()
    if frame is not None:
        frame.close()
        frame.deleteLater()
    if db.backend == "sqlite" and not db.read_only:
        _start_daily_backup(db, window)
    if os.environ.get("STREETLEDGER_EXIT_AFTER_SHOW"):
        QTimer.singleShot(0, window.close)
        QTimer.singleShot(0, app.quit)
    code = app.exec()
    code = window.restart_code or code
    window.deleteLater()
    return code


def run_gui(db_url: str | None = None) -> int:
    """Open the main window on the database (URL, STREETLEDGER_DB, or the saved settings)."""
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = create_application(focus_ring=False)
    # The frame shows before the data layer is imported: SQLAlchemy alone takes longer
    # than a bare Qt window.
    from ui.startup_frame import StartupFrame

    frame = StartupFrame()
    frame.show()
    frame.say("正在打开数据库……")
    if os.environ.get("STREETLEDGER_EXIT_AFTER_SHOW") == "visible":
        return 0  # the start-up benchmark's "window visible" figure
    install_focus_ring()  # after the first frame: its module costs ~50 ms of PySide enums
    from ui import import_core

    import_core()
    from app import backup, lock
    from app.errors import UserError
    from ui.errors import install_error_hooks, uninstall_error_hooks
    from ui.session import RESTART_DATABASE, RESTART_SIGN_IN

    # Start-up objects (modules, SQLAlchemy's tables) live as long as the process: keep
    # them out of the collector's way for the session.
    gc.freeze()
    install_error_hooks(app)
    db_path = None
    try:
        while True:
            db, overridden = open_database(db_url)
            if db is None:
                if frame is not None:
                    frame.close()
                return 2
            db_path = backup.sqlite_path(db) if db.backend == "sqlite" else None
            try:
                code = RESTART_SIGN_IN
                while code == RESTART_SIGN_IN:  # sign out / switch user: same database
                    code = _session(db, overridden, app, frame)
                    frame = None
            finally:
                QThreadPool.globalInstance().waitForDone()  # e.g. the day's backup still copying
                if db.backend == "sqlite" and not db.read_only:
                    try:  # a damaged file is not backed up: said, and the exit goes on
                        backup.auto_backup(db)
                    except UserError as exc:
                        from app.logs import log

                        log.warning("退出时的自动备份未完成：%s", exc.message)
                    lock.release(db)
                db.close()
            if code != RESTART_DATABASE:
                return code
    except Exception as exc:  # noqa: BLE001 - e.g. a damaged file: said, logged, not silent
        if frame is not None:
            frame.close()
        fatal_error(exc, db_path)
        return 1
    finally:
        uninstall_error_hooks()
        # The process ends next; a last full collection over every object would only
        # delay the exit by ~0.1 s (everything was saved and closed above).
        gc.freeze()
