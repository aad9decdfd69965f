"""Uncaught exceptions end in a Chinese dialog and a log line, never in a vanished window.

`install_error_hooks(app)` sets `sys.excepthook` (exceptions in slots and event
handlers) and `threading.excepthook` (plain threads); an exception in a QThread or
a bare QRunnable reaches sys.excepthook on that thread. Each one is logged at once on
the thread that raised it, then shown on the main thread by a queued signal.
`report_exception(exc, tb)` is the same path for worker code that catches its own
errors (ui.workers' on_error), and `show_error(parent, exc, tb)` shows the dialog
synchronously from the main thread.

The dialog says what happened in plain words (app.failures.explain), where the log
file is, and copies the details with one button. A UserError just shows its message."""

from __future__ import annotations

import platform
import sys
import threading
import traceback
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE, __version__
from app.failures import Explanation, explain
from app.logs import log, log_exception, log_file, mask


def traceback_text(exc: BaseException, tb=None) -> str:
    """The formatted traceback; `tb` may be a traceback object or text already formatted."""
    if isinstance(tb, str) and tb.strip():
        return tb
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def report_text(exc: BaseException, tb_text: str, log_path: Path | None) -> str:
    """What “复制错误信息” puts on the clipboard for the maintainer (ID numbers masked)."""
    from PySide6 import __version__ as pyside_version

    lines = [
        f"{APP_TITLE} StreetLedger {__version__}",
        f"时间：{datetime.now():%Y-%m-%d %H:%M:%S}",
        f"系统：{platform.platform()}；Python {platform.python_version()}；PySide6 {pyside_version}",
        f"日志文件：{log_path or '无'}",
        f"错误：{type(exc).__name__}: {exc}",
        "",
        tb_text.rstrip(),
    ]
    return mask("\n".join(lines))


class ErrorDialog(QDialog):
    """The one error dialog: plain words, the log location, and the details to copy."""

    def __init__(self, exc: BaseException, tb_text: str = "", log_path: Path | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.explanation: Explanation = explain(exc)
        self.report = report_text(exc, tb_text, log_path)
        self.setWindowTitle(self.explanation.title)  # Qt adds the app name
        user = self.explanation.kind == "user"
        from PySide6.QtWidgets import QStyle  # its type costs ~10 ms: not at every start-up

        icon = QStyle.SP_MessageBoxWarning if not self.explanation.is_bug else \
            QStyle.SP_MessageBoxCritical
        pic = QLabel()
        pic.setPixmap(self.style().standardIcon(icon).pixmap(40, 40))
        pic.setAlignment(Qt.AlignTop)
        title = QLabel(self.explanation.title)
        title.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.message = QLabel(self.explanation.message)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        text = QVBoxLayout()
        text.addWidget(title)
        text.addWidget(self.message)
        top = QHBoxLayout()
        top.addWidget(pic)
        top.addLayout(text, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)

        self.more = QLabel()  # "此后又发生了 N 个错误"
        self.more.setWordWrap(True)
        self.more.hide()
        self.extra_errors = 0
        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.NoWrap)
        self.details.setMinimumHeight(180)
        self.details.hide()
        buttons = QHBoxLayout()
        self.copy_button = self.toggle_button = self.folder_button = None
        if not user:
            where = QLabel(f"详细的错误信息已记录在日志文件中：\n{log_path}" if log_path
                           else "日志文件不可用，请点击“复制错误信息”保存详细信息。")
            where.setWordWrap(True)
            where.setTextInteractionFlags(Qt.TextSelectableByMouse)
            where.setStyleSheet("color: #555;")
            lay.addWidget(where)
            lay.addWidget(self.more)
            lay.addWidget(self.details, 1)
            if log_path:
                self.folder_button = QPushButton("打开日志文件夹")
                self.log_folder = log_path.parent
                self.folder_button.clicked.connect(self.open_log_folder)
                buttons.addWidget(self.folder_button)
            buttons.addStretch(1)
            self.toggle_button = QPushButton("显示详细信息")
            self.toggle_button.clicked.connect(self.toggle_details)
            self.copy_button = QPushButton("复制错误信息")
            self.copy_button.clicked.connect(self.copy)
            buttons.addWidget(self.toggle_button)
            buttons.addWidget(self.copy_button)
        else:
            buttons.addStretch(1)
        close = QPushButton("确定" if user else "关闭")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self.setMinimumWidth(560)

    def toggle_details(self) -> None:
        show = not self.details.isVisible()
        self.details.setVisible(show)
        self.toggle_button.setText("隐藏详细信息" if show else "显示详细信息")
        self.adjustSize()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText("已复制")
        QTimer.singleShot(2000, self, self._copy_label_back)  # not after the dialog is gone

    def _copy_label_back(self) -> None:
        self.copy_button.setText("复制错误信息")

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_folder)))

    def add_later_error(self) -> None:
        """Another error arrived while this dialog is open: count it instead of stacking."""
        self.extra_errors += 1
        self.more.setText(f"此后又发生了 {self.extra_errors} 个错误，均已记录在日志文件中。")
        self.more.setVisible(True)


class ErrorReporter(QObject):
    """Lives on the main thread; any thread hands it an exception to log and show."""

    _queued = Signal(object, str, object)  # exception, traceback text, parent widget

    def __init__(self, log_path: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.log_path = log_path
        self.open_dialog: ErrorDialog | None = None
        self._queued.connect(self._show, Qt.QueuedConnection)

    def report(self, exc: BaseException, tb=None, parent: QWidget | None = None,
               where: str = "") -> None:
        """Log now (on the calling thread), then show the dialog on the main thread."""
        text = traceback_text(exc, tb)
        _log(exc, tb, text, where)
        if threading.current_thread() is threading.main_thread():
            self._show(exc, text, parent)
        else:
            self._queued.emit(exc, text, parent)

    def _show(self, exc: BaseException, text: str, parent: QWidget | None) -> None:
        if self.open_dialog is not None:  # a nested loop: one dialog at a time
            self.open_dialog.add_later_error()
            return
        if parent is not None and not _alive(parent):
            parent = None
        try:
            # No QApplication.activeWindow() here: a report queued from a worker can arrive
            # after that window was destroyed, and wrapping the stale pointer crashed Python.
            # A dialog without a parent is application-modal all the same.
            dialog = ErrorDialog(exc, text, self.log_path, parent)
            self.open_dialog = dialog
            dialog.exec()
        except Exception:  # noqa: BLE001 - the dialog itself failed: keep the original
            log.exception("无法显示错误对话框")
            _stderr(text)
        finally:
            self.open_dialog = None


def _alive(widget: QObject) -> bool:
    from shiboken6 import isValid

    return isValid(widget)


def _log(exc: BaseException, tb, text: str, where: str) -> None:
    from app.errors import UserError

    if isinstance(exc, UserError):
        log.info("操作未完成：%s", exc.message)
    elif isinstance(tb, str) and exc.__traceback__ is None:
        log.error("未处理的异常%s：%s", f"（{where}）" if where else "", text)
    else:
        log_exception(exc, where, None if isinstance(tb, str) else tb)


def _stderr(text: str) -> None:
    stream = sys.__stderr__ or sys.stderr  # None in a windowed build
    if stream is not None:
        try:
            stream.write(text)
        except (OSError, ValueError):
            pass


_reporter: ErrorReporter | None = None
_previous: tuple | None = None


def install_error_hooks(app: QApplication | None = None,
                        log_path: Path | None = None) -> ErrorReporter:
    """Route uncaught exceptions from every thread to the log and the error dialog.

    Call once on the main thread after the QApplication exists (ui.app.run_gui)."""
    global _reporter, _previous
    app = app or QApplication.instance()
    if log_path is None:
        try:
            log_path = log_file()
        except OSError:
            log_path = None
    if _reporter is not None:
        _reporter.log_path = log_path
        return _reporter
    _reporter = ErrorReporter(log_path, app)
    _previous = (sys.excepthook, threading.excepthook)
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
    return _reporter


def uninstall_error_hooks() -> None:
    """Put the previous hooks back (tests, and run_gui's exit)."""
    global _reporter, _previous
    if _previous is not None:
        sys.excepthook, threading.excepthook = _previous
    if _reporter is not None and _alive(_reporter):
        _reporter.deleteLater()
    _reporter = _previous = None


def _excepthook(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt) or _reporter is None:
        (_previous[0] if _previous else sys.__excepthook__)(exc_type, exc, tb)
        return
    where = "" if threading.current_thread() is threading.main_thread() else \
        f"线程 {threading.current_thread().name}"
    _reporter.report(exc, tb, where=where)


def _thread_excepthook(args) -> None:
    if issubclass(args.exc_type, SystemExit):
        return
    if _reporter is None:
        (_previous[1] if _previous else threading.__excepthook__)(args)
        return
    name = args.thread.name if args.thread is not None else "?"
    _reporter.report(args.exc_value, args.exc_traceback, where=f"线程 {name}")


def report_exception(exc: BaseException, tb=None, parent: QWidget | None = None) -> None:
    """For worker code and on_error callbacks: log `exc` and show the dialog (any thread).

    `tb` is a traceback object or formatted text (ui.workers passes text)."""
    if _reporter is None:
        text = traceback_text(exc, tb)
        _log(exc, tb, text, "")
        _stderr(text)
        return
    _reporter.report(exc, tb, parent)


def show_error(parent: QWidget | None, exc: BaseException, tb=None) -> None:
    """Show the dialog now, on the main thread (a drop-in for ui.dialogs.show_error)."""
    text = traceback_text(exc, tb)
    _log(exc, tb, text, "")
    reporter = _reporter
    if reporter is None:
        try:
            path = log_file()
        except OSError:
            path = None
        ErrorDialog(exc, text, path, parent).exec()
        return
    reporter._show(exc, text, parent)
