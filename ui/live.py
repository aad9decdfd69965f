"""Seeing other clients' changes, and noticing a lost connection.

`ChangeWatcher` polls app.audit.last_change_id (every write adds an audit row, so
the newest id is a cheap change counter) on a pool thread every few seconds. It
emits `changed` when the counter moves, and `connection_lost` / `connection_restored`
when the server stops / starts answering; polling simply goes on, which is the retry.
`ConnectionBanner` is the red strip that tells the user while it is down."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.audit import last_change_id
from app.connection import explain, is_connection_error
from app.db import Database
from ui.workers import run_task

log = logging.getLogger(__name__)

POLL_MS = 3000
LOST_TEXT = "与共享数据库的连接中断，正在重试…（已输入的内容不会丢失）"
# The reason that only repeats LOST_TEXT; others (e.g. the server refuses) are worth showing.
_PLAIN_LOSS = explain(ConnectionError("server closed the connection"))


class ChangeWatcher(QObject):
    changed = Signal(int)  # the new change counter
    polled = Signal(int)  # every successful poll (tests wait on it instead of a fixed time)
    connection_lost = Signal(str)  # a Chinese reason
    connection_restored = Signal()

    def __init__(self, db: Database, interval_ms: int = POLL_MS, parent=None):
        super().__init__(parent)
        self.db = db
        self.last: int | None = None  # None until the first successful poll
        self.lost = False
        self.task = None
        self.pool = QThreadPool(self)  # its own pool: a hung poll never blocks exports
        self.pool.setMaxThreadCount(1)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        """Stop polling (before closing the database or replacing it by a restore)."""
        self.timer.stop()
        if self.task is not None:
            self.task.cancel()
            self.pool.waitForDone(10000)
            self.task = None

    def reset(self) -> None:
        """Forget the counter (a restored database starts a new count)."""
        self.last = None

    def poll(self) -> None:
        if self.task is not None:  # the previous poll still waits for the server
            return
        self.task = run_task(None, lambda _t: last_change_id(self.db), on_done=self._done,
                             on_error=self._failed, pool=self.pool)

    def _done(self, value: int) -> None:
        self.task = None
        if self.lost:
            self.lost = False
            self.connection_restored.emit()
        previous, self.last = self.last, value
        if previous is not None and value != previous:
            self.changed.emit(value)
        self.polled.emit(value)

    def _failed(self, exc: BaseException, tb: str) -> None:
        self.task = None
        if is_connection_error(exc):
            if not self.lost:
                self.lost = True
                self.connection_lost.emit(explain(exc))
        else:  # e.g. SQLite busy for a moment: the next poll tries again
            log.warning("change poll failed: %s", tb)


class ConnectionBanner(QWidget):
    """Hidden until the connection is lost; shows the reason as a tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("connectionBanner")
        self.setAttribute(Qt.WA_StyledBackground, True)  # let the style sheet paint it
        self.setStyleSheet("#connectionBanner { background: #c62828; }"
                           "#connectionBanner QLabel { color: white; font-weight: bold; }")
        self.label = QLabel(LOST_TEXT)
        self.detail = QLabel()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 5, 10, 5)
        lay.addWidget(self.label)
        lay.addWidget(self.detail)
        lay.addStretch(1)
        self.hide()

    def attach(self, watcher: ChangeWatcher) -> None:
        watcher.connection_lost.connect(self.show_lost)
        watcher.connection_restored.connect(self.hide)

    def show_lost(self, reason: str = "") -> None:
        self.detail.setText("" if reason in ("", _PLAIN_LOSS) else f"（{reason}）")
        self.setToolTip(reason)
        self.show()
