"""The one helper for long work (export, PDF, later import and backup) off the GUI thread.

`run_task(parent, fn, ...)` runs `fn(task)` on the thread pool. The function may
call `task.progress(done, total, text)` and should stop when `task.cancelled`
is true (raise `Cancelled` or just return). Its result or exception is delivered
by signal to the main thread, where `on_done` / `on_error` run. A progress dialog
with a 取消 button appears when the work takes longer than a moment.

Import what `fn` needs before calling run_task, on the main thread: an import on
a pool thread runs PySide6's import hook there, and that crashed the process."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside a task when the user pressed 取消."""


class _Relay(QObject):
    """Lives on the main thread: the pool thread emits, the bound slots below run here.

    Connections go to bound methods of this QObject and the callbacks are plain
    attributes, dropped once the task has reported: no lambda in a Qt connection
    keeps widgets alive (PySide6 6.12 crashes at exit on such cycles)."""

    progress = Signal(int, int, str)
    done = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()

    def __init__(self, task: Task, dialog: QProgressDialog | None, on_done, on_error, parent):
        super().__init__()
        self.task, self.dialog = task, dialog
        self.on_done, self.on_error, self.parent_widget = on_done, on_error, parent
        self.progress.connect(self._progress)
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.cancelled.connect(self._finish)
        if dialog is not None:
            dialog.canceled.connect(self._cancel)

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def _progress(self, done: int, total: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total) if total else 0)
            if text:
                self.dialog.setLabelText(text)

    def _done(self, result: object) -> None:
        on_done = self.on_done
        self._finish()
        if on_done is not None:
            on_done(result)

    def _failed(self, exc: BaseException, tb: str) -> None:
        on_error, parent = self.on_error, self.parent_widget
        self._finish()
        if on_error is not None:
            on_error(exc, tb)
        else:
            from ui.dialogs import show_error

            show_error(parent, exc, tb)

    def _finish(self) -> None:
        # Runs in a slot after the pool thread's last emit: nothing emits from here on.
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        task = self.task
        if task is not None:
            task.signals = None
            _running.discard(task)
        self.task = self.dialog = self.on_done = self.on_error = self.parent_widget = None
        self.deleteLater()  # on this (main) thread, after the current emission


class Task:
    """A unit of background work; create it through run_task.

    A plain Python object (the pool runs its bound `run`), so Qt never deletes
    it behind Python's back while the pool thread is still finishing."""

    def __init__(self, fn: Callable[[Task], object]):
        self.fn = fn
        self.signals: _Relay | None = None  # set by run_task
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

    Without on_error, a failure is shown with ui.dialogs.show_error. With `label`, a
    modal progress dialog (shown after 400 ms) offers 取消."""
    task = Task(fn)
    dialog = None
    if label is not None:
        dialog = QProgressDialog(label, "取消", 0, 0, parent)
        dialog.setWindowTitle("请稍候")
        dialog.setWindowModality(Qt.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
    task.signals = _Relay(task, dialog, on_done, on_error, parent)
    _running.add(task)
    (pool or QThreadPool.globalInstance()).start(task.run)
    return task
