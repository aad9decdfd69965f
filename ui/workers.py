"""The one helper for long work (export, PDF, later import and backup) off the GUI thread.

`run_task(parent, fn, ...)` runs `fn(task)` on the thread pool. The function may
call `task.progress(done, total, text)` and should stop when `task.cancelled`
is true (raise `Cancelled` or just return). Its result or exception is delivered
by signal to the main thread, where `on_done` / `on_error` run. A progress dialog
with a 取消 button appears when the work takes longer than a moment."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消."""


class _Signals(QObject):
    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()


class Task:
    """A unit of background work; create it through run_task.

    A plain Python object (the pool runs its bound `run`), so Qt never deletes
    it behind Python's back while the pool thread is still finishing."""

    def __init__(self, fn: Callable[[Task], object]):
        self.fn = fn
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.finished = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def progress(self, done: int, total: int = 0, text: str = "") -> None:
        """Report progress; raises Cancelled when the user asked to stop."""
        if self.cancelled:
            raise Cancelled()
        self.signals.progress.emit(int(done), int(total), text)

    def run(self) -> None:  # on a pool thread
        try:
            result = self.fn(self)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as exc:  # noqa: BLE001 - delivered to the GUI, never lost
            if self.cancelled:  # a writer's own "cancelled" error after the user asked
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(exc, traceback.format_exc())
        else:
            if self.cancelled:
                self.signals.cancelled.emit()
            else:
                self.signals.done.emit(result)
        finally:
            self.finished.set()


_running: set[Task] = set()


def run_task(parent: QWidget | None, fn: Callable[[Task], object], *,
             on_done: Callable[[object], None] | None = None,
             on_error: Callable[[BaseException, str], None] | None = None,
             label: str | None = None, pool: QThreadPool | None = None) -> Task:
    """Start fn(task) in the background; callbacks run on the main thread.

    With `label`, a modal progress dialog (shown after 400 ms) offers 取消."""
    task = Task(fn)
    sig = task.signals
    dialog = None
    if label is not None:
        dialog = QProgressDialog(label, "取消", 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.cancel)

        def show_progress(done: int, total: int, text: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(min(done, total) if total else 0)
            if text:
                dialog.setLabelText(text)

        sig.progress.connect(show_progress)

    def finish() -> None:
        # Drop our reference later: never delete a signal's sender inside its own emission.
        QTimer.singleShot(0, lambda: _running.discard(task))
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()

    def done(result: object) -> None:
        finish()
        if on_done is not None:
            on_done(result)

    def failed(exc: BaseException, tb: str) -> None:
        finish()
        if on_error is not None:
            on_error(exc, tb)
        else:
            from ui.dialogs import show_error

            show_error(parent, exc, tb)

    sig.done.connect(done)
    sig.failed.connect(failed)
    sig.cancelled.connect(finish)
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(task.run)
    return task
