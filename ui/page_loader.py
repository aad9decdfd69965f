"""Reading a ledger page's rows off the GUI thread.

`PageLoader.load(read, on_loaded, wait)` runs `read()` (the database read: plain
tuples, no Qt) and prepares the table's `RowView` from it (search haystacks, initials,
sort: pure Python), then swaps the view into the model on the GUI thread and calls
`on_loaded(keep_id, extra)`.

Small ledgers are read synchronously, as before: below `SYNC_ROWS` rows the whole
read takes a few tens of milliseconds, so the caller (a save that selects the saved
row, refresh_quietly, every UI test) has the rows when `load` returns and nothing can
interleave with it. From `SYNC_ROWS` rows on the read runs on a pool thread (ui.workers)
and the old rows stay on screen until the new ones are in; a "正在读取…" hint shows
when that takes more than HINT_MS. An empty page in the ledger's own order (first
opened) shows its first FIRST_ROWS rows as soon as they are read, then all of them.
`wait=True` / `wait=False` force either way; `wait()` blocks until the rows are in
(exports call it: they must not write a first screen as the whole ledger).

The read pauses the cyclic garbage collector (a collection on the pool thread could
free the GUI's Qt objects there) and freezes what exists before it runs again, and the
index is built in slices: the GUI thread gets the GIL every few milliseconds.

Overlapping loads: the last one wins; an earlier one is cancelled and, should its
result arrive anyway, dropped. A failed background read is reported like an uncaught
exception today (ui.errors.report_exception: log + error dialog) and the old rows stay.
A page that dies first drops its late result: the loader is the page's child, and its
callbacks check that it is still alive."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget
from shiboken6 import isValid

from app.collation import column_keys, initials_many
from ui.row_view import RowView
from ui.workers import Cancelled, Task, run_task

SYNC_ROWS = 5000  # ~40 ms to read and index on an office PC: not worth a thread
FIRST_ROWS = 200  # an empty page shows these first (a screen or three), then all
HINT_MS = 500
_DEFAULT_STATE = ("", {}, None, False)  # no query, no filter, the ledger's own order
HINT_TEXT = "正在读取…"

# read(limit=None) -> (rows, ids, versions, extra): the first `limit` rows, or all.
Read = Callable[..., tuple[list[tuple], list[int], list[int], object]]


class LoadingHint(QFrame):
    """A small busy bar with 正在读取… over the top of the table, above the old rows."""

    def __init__(self, table: QWidget):
        super().__init__(table)  # the table, not its viewport: scrolling moves those
        self.setObjectName("loadingHint")
        self.setStyleSheet("#loadingHint { background: #fffbe6; border: 1px solid #e0c872;"
                           " border-radius: 3px; }")
        self.label = QLabel(HINT_TEXT)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: the read cannot say how far it is
        self.bar.setTextVisible(False)
        self.bar.setFixedSize(120, 8)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(12, 6, 12, 6)
        lay.setSpacing(10)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        self.hide()

    def show_over(self, table) -> None:
        self.adjustSize()
        area = table.viewport().geometry()
        self.move(area.x() + (area.width() - self.width()) // 2, area.y() + 6)
        self.raise_()
        self.show()


class PageLoader(QObject):
    loaded = Signal()  # rows applied (either way); tests and the benchmark wait on it
    first_shown = Signal()  # the first screen of an empty page is shown, the rest comes
    failed = Signal(object)  # a background read failed (after it was reported)

    def __init__(self, page):
        super().__init__(page)  # dies with the page: its timer and hint with it
        self.page = page
        self.sync_rows = SYNC_ROWS
        self.first_rows = FIRST_ROWS
        self.generation = 0
        self.task: Task | None = None
        self.select_after: int | None = None  # a row to select once the rows are in
        self.started_at = 0.0
        self.last_seconds = 0.0  # how long the last load took (read to rows applied)
        self.hint = LoadingHint(page.table)
        self._hint_timer = QTimer(self, singleShot=True, interval=HINT_MS)
        self._hint_timer.timeout.connect(self._show_hint)

    @property
    def loading(self) -> bool:
        return self.task is not None

    def load(self, read: Read, on_loaded: Callable[[int | None, object], None],
             wait: bool | None = None, size: Callable[[], int] | None = None) -> None:
        """wait None: synchronous when size() < sync_rows (size None: synchronous)."""
        self.generation += 1
        self._drop_task()
        self.started_at = time.perf_counter()
        total = size() if size is not None and (wait is None or not wait) else None
        if wait is None:
            wait = total is None or total < self.sync_rows
        model = self.page.model
        fields, state = model.fields, model.view.state()
        if wait:
            self._apply(_prepare(fields, state, read()), on_loaded, background=False)
            return
        _warm_up()
        self._hint_timer.start()
        if self.first_rows and not model.view.rows and state == _DEFAULT_STATE:
            # An empty page in the default order: the first screen first, the rest after.
            self._start(partial(_read_and_prepare, read, fields, state, self.first_rows),
                        partial(self._first_done, self.generation, read, on_loaded, total))
        else:
            self._start_full(read, on_loaded)

    def _start(self, fn, on_done) -> None:
        self.task = run_task(None, fn, on_done=on_done,
                             on_error=partial(self._failed, self.generation))

    def _start_full(self, read: Read, on_loaded) -> None:
        fields, state = self.page.model.fields, self.page.model.view.state()
        self._start(partial(_read_and_prepare, read, fields, state, None),
                    partial(self._done, self.generation, on_loaded))

    def wait(self, timeout_ms: int = 60000) -> bool:
        """Block until the load in flight is applied (or failed); True if none is left.
        For code that must have the new rows now; the GUI does not repaint meanwhile."""
        deadline = time.monotonic() + timeout_ms / 1000
        while self.task is not None:
            task = self.task
            relay = task.signals
            if not task.finished.wait(max(deadline - time.monotonic(), 0)):
                return False
            if relay is not None and isValid(relay):
                # The pool thread's last emit is queued to the relay: deliver it now.
                QCoreApplication.sendPostedEvents(relay, QEvent.MetaCall)
            if self.task is task:  # delivered elsewhere meanwhile, or not at all
                return False
        return True

    def select_when_loaded(self, row_id: int) -> None:
        self.select_after = row_id

    # -- on the GUI thread ----------------------------------------------------------
    def _drop_task(self) -> None:
        if self.task is not None:
            self.task.cancel()  # its relay then reports "cancelled": no callback runs
            self.task = None
        self._hint_timer.stop()
        self.hint.hide()

    def _show_hint(self) -> None:
        if self.task is not None:
            self.hint.show_over(self.page.table)

    def _first_done(self, generation: int, read: Read, on_loaded, total: int | None,
                    prepared: tuple[RowView, object]) -> None:
        if not isValid(self) or generation != self.generation:
            return
        view = prepared[0]
        if len(view.rows) < self.first_rows:  # that was all of them (the ledger shrank)
            self._done(generation, on_loaded, prepared)
            return
        self.task = None
        model = self.page.model
        if model.view.state() == _DEFAULT_STATE:  # the user did not sort or search yet
            model.set_view(view)
            on_loaded(None, prepared[1])
            self.page.filter_bar.count.setText(first_screen_text(len(view.rows), total))
            self.first_shown.emit()
        self._start_full(read, on_loaded)

    def _done(self, generation: int, on_loaded, prepared: tuple[RowView, object]) -> None:
        if not isValid(self) or generation != self.generation:
            return  # the page is gone, or a newer load was started: this one is stale
        self.task = None
        self._hint_timer.stop()
        self.hint.hide()
        self._apply(prepared, on_loaded, background=True)

    def _failed(self, generation: int, exc: BaseException, tb: str) -> None:
        if not isValid(self) or generation != self.generation:
            return
        self.task = None
        self._hint_timer.stop()
        self.hint.hide()
        from ui.errors import report_exception

        report_exception(exc, tb, self.page)
        self.failed.emit(exc)

    def _apply(self, prepared: tuple[RowView, object], on_loaded, background: bool) -> None:
        page, model = self.page, self.page.model
        view, extra = prepared
        view.adopt(model.view.state())  # the user typed or sorted while it was read
        keep = page.current_id()
        restore = _view_keeper(page) if background else None
        model.set_view(view)
        on_loaded(keep, extra)
        if restore is not None:
            restore()
        if self.select_after is not None:
            row_id, self.select_after = self.select_after, None
            page.select_id(row_id)
        self.last_seconds = time.perf_counter() - self.started_at
        self.loaded.emit()


def first_screen_text(shown: int, total: int | None) -> str:
    """The filter bar's count while the first screen is shown and the rest is read."""
    return f"正在读取…（前 {shown:,}" + (f" / 共 {total:,} 条）" if total else " 条）")


def _prepare(fields, state, read_result) -> tuple[RowView, object]:
    """The pure-Python part: a new view with the user's query, filters and sort, and what
    the page read along (its filter choices), handed to on_loaded."""
    rows, ids, versions, extra = read_result
    view = RowView(fields)
    view.query, view.filters, view.sort_column, view.descending = state
    view.set_rows(rows, ids, versions)
    return view, extra


def _read_and_prepare(read: Read, fields, state, limit: int | None,
                      task: Task) -> tuple[RowView, object]:
    """On a pool thread, with the cyclic collector paused: 100,000 rows of tuples would
    set it off again and again, and a collection run here could free the GUI's Qt objects
    from this thread (their cycles are the main thread's to collect). Before it runs
    again, what exists is frozen (as ui.app does after start-up): the first collection
    after the read walked every new row once, holding the GIL for 0.3 s, and the rows
    hold no cycles (they are freed by reference counting all the same)."""
    was = gc.isenabled()
    gc.disable()
    try:
        found = read() if limit is None else read(limit)
        if task.cancelled:  # a newer load started meanwhile: skip the indexing
            raise Cancelled()
        return _prepare(fields, state, found)
    finally:
        if was:
            gc.freeze()
            gc.enable()


def _warm_up() -> None:
    """What the pool thread would import on first use is imported here, on the main
    thread (an import on a pool thread runs PySide6's import hook there: ui.workers)."""
    column_keys(["张"])
    initials_many(["张三", "李四"])


def _view_keeper(page) -> Callable[[], None]:
    """Selection, current row and scroll position now, to put back after the swap: rows
    loaded in the background arrive while the user may have scrolled or selected."""
    model, table = page.model, page.table
    ids = {model.row_id(r) for r in page.selected_rows()}
    current = page.current_id()
    column = max(table.currentIndex().column(), 0)
    bar = table.verticalScrollBar()
    scroll = bar.value()

    def restore() -> None:
        selection = table.selectionModel()
        selection.clearSelection()
        for row_id in ids:
            r = model.view_row_of_id(row_id)
            if r is not None:
                selection.select(model.index(r, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        r = model.view_row_of_id(current) if current is not None else None
        if r is not None:
            selection.setCurrentIndex(model.index(r, column), selection.SelectionFlag.NoUpdate)
        bar.setValue(scroll)

    return restore

