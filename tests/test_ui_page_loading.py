"""A ledger page reads large ledgers off the GUI thread (ui.page_loader): the GUI keeps
running meanwhile, a busy hint shows only for a slow read, the last reload wins, a
failed read is reported, and selection, scroll and a saved row survive the swap.

A read is held up by a `Gate` (it waits on an event the test sets), so every "while it
is still reading" below is a state the test arranged, not a timing."""

from __future__ import annotations

import threading

import pytest
from shiboken6 import isValid
from sqlalchemy import select

from app import services
from app.core.uow import UnitOfWork
from app.core.writes import insert_rows
from app.specs.powers import POWERS
from ui import page_loader
from ui.ledger_page import LedgerPage

DEMO_ROWS = 394


class Gate:
    """Stands in for services.list_rows: counts calls, holds each read until released,
    and can answer a call with a failure."""

    def __init__(self, monkeypatch, hold_first_rows: bool = True):
        self.real = services.list_rows
        self.entered = threading.Event()
        self.release = threading.Event()
        self.fail: BaseException | None = None
        self.calls = 0
        self.hold_first_rows = hold_first_rows
        monkeypatch.setattr(services, "list_rows", self)

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if kwargs.get("limit") is not None and not self.hold_first_rows:
            return self.real(*args, **kwargs)
        self.entered.set()
        assert self.release.wait(30), "the test never released the read"
        if self.fail is not None:
            raise self.fail
        return self.real(*args, **kwargs)


@pytest.fixture
def page(qtbot, sqlite_demo_db):
    p = LedgerPage(sqlite_demo_db, POWERS)
    qtbot.addWidget(p)
    p.resize(1000, 600)
    p.show()
    return p


def add_powers(db, n: int) -> None:
    """n more power items (copies of the demo's, numbered) through the audited bulk path."""
    names = [f.name for f in POWERS.fields if f.stored]
    with db.session() as s:
        base = [dict(zip(names, r, strict=True)) for r in
                s.execute(select(*(getattr(POWERS.model, k) for k in names))).all()]
    rows = [{**base[i % len(base)], "code": f"T-{i:06d}", "name": f"测试事项{i}"}
            for i in range(n)]
    with UnitOfWork(db) as uow:
        insert_rows(uow, POWERS, rows)


def test_small_ledgers_load_at_once_as_before(page):
    """Below SYNC_ROWS the rows are there when reload returns (the UI tests rely on it)."""
    assert page.model.rowCount() == DEMO_ROWS
    page.reload()
    assert not page.loader.loading and page.model.rowCount() == DEMO_ROWS


def test_a_large_ledger_loads_in_the_background(qtbot, sqlite_demo_db):
    add_powers(sqlite_demo_db, page_loader.SYNC_ROWS)
    big = LedgerPage(sqlite_demo_db, POWERS)
    qtbot.addWidget(big)
    # Constructed without waiting for the read: no rows yet, the load under way.
    assert big.loader.loading and big.model.rowCount() == 0
    with qtbot.waitSignal(big.loader.loaded, timeout=30000):
        pass
    assert big.model.rowCount() == DEMO_ROWS + page_loader.SYNC_ROWS
    assert big.filter_bar.count.text() == f"共 {DEMO_ROWS + page_loader.SYNC_ROWS} 条"


def test_the_gui_thread_runs_while_the_rows_are_read(qtbot, page, monkeypatch):
    """The read can only finish after a QTimer has fired on the GUI thread: were the read
    on the GUI thread, the timer could not fire and the load would never end."""
    gate = Gate(monkeypatch)
    ticks = []

    def tick():
        ticks.append(1)
        if len(ticks) == 3:
            gate.release.set()

    timer = page_loader.QTimer(page, interval=10)
    timer.timeout.connect(tick)
    timer.start()
    with qtbot.waitSignal(page.loader.loaded, timeout=30000):
        page.reload(wait=False)
        assert page.loader.loading
    timer.stop()
    assert len(ticks) >= 3 and page.model.rowCount() == DEMO_ROWS


def test_the_hint_shows_only_when_the_read_is_slow(qtbot, page, monkeypatch):
    gate = Gate(monkeypatch)
    hint, timer = page.loader.hint, page.loader._hint_timer
    assert timer.interval() == page_loader.HINT_MS == 500
    page.reload(wait=False)
    assert timer.isActive() and not hint.isVisible()  # not at once
    qtbot.waitUntil(hint.isVisible, timeout=5000)  # the read still held after 0.5 s
    assert hint.label.text() == "正在读取…"
    assert page.table.geometry().contains(hint.geometry().translated(page.table.pos()))
    with qtbot.waitSignal(page.loader.loaded, timeout=30000):
        gate.release.set()
    assert not hint.isVisible() and not timer.isActive()

    # A read that is done before the half second: the timer is stopped with it, and even
    # a late timeout shows nothing once no read is under way.
    with qtbot.waitSignal(page.loader.loaded, timeout=30000):
        page.reload(wait=False)
    assert not timer.isActive()
    timer.timeout.emit()
    assert not hint.isVisible()


def test_overlapping_reloads_the_last_wins(qtbot, page, monkeypatch, sqlite_demo_db):
    gate = Gate(monkeypatch)
    page.reload(wait=False)  # held in the gate
    assert gate.entered.wait(10)
    first = page.loader.task
    add_powers(sqlite_demo_db, 3)  # what the later read sees and the earlier may not
    monkeypatch.setattr(services, "list_rows", gate.real)
    loads = []
    page.loader.loaded.connect(lambda: loads.append(page.model.rowCount()))
    with qtbot.waitSignal(page.loader.loaded, timeout=30000):
        page.reload(wait=False)
    assert loads == [DEMO_ROWS + 3]
    gate.release.set()  # the earlier read now finishes too: its result is dropped
    qtbot.waitUntil(lambda: first.finished.is_set() and first.signals is None, timeout=30000)
    assert loads == [DEMO_ROWS + 3] and page.model.rowCount() == DEMO_ROWS + 3

    # A synchronous reload overtakes one in the background in the same way.
    gate.release.clear()
    monkeypatch.setattr(services, "list_rows", gate)
    page.reload(wait=False)
    held = page.loader.task
    monkeypatch.setattr(services, "list_rows", gate.real)
    page.reload(wait=True)
    assert not page.loader.loading and loads == [DEMO_ROWS + 3] * 2
    gate.release.set()
    qtbot.waitUntil(lambda: held.finished.is_set() and held.signals is None, timeout=30000)
    assert loads == [DEMO_ROWS + 3] * 2


def test_a_failed_read_is_reported_and_the_rows_stay(qtbot, page, monkeypatch, tmp_path):
    from ui import errors

    dialogs = []
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda self: dialogs.append(self))
    errors.install_error_hooks(None, tmp_path / "log.txt")
    try:
        gate = Gate(monkeypatch)
        gate.fail = RuntimeError("数据库读取失败")
        gate.release.set()
        page.stale = True
        with qtbot.waitSignal(page.loader.failed, timeout=30000) as sig:
            page.reload(wait=False)
    finally:
        errors.uninstall_error_hooks()
    assert str(sig.args[0]) == "数据库读取失败"
    assert len(dialogs) == 1 and "数据库读取失败" in dialogs[0].report
    assert dialogs[0].parent() is page
    assert page.model.rowCount() == DEMO_ROWS  # the rows shown before stay
    assert page.stale  # so it is read again when next shown
    assert not page.loader.loading and not page.loader.hint.isVisible()


def test_selection_scroll_and_a_saved_row_survive_a_background_swap(qtbot, page,
                                                                     sqlite_demo_db):
    table, model = page.table, page.model
    selection = table.selectionModel()
    for r in (200, 201):
        selection.select(model.index(r, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    selection.setCurrentIndex(model.index(201, 2), selection.SelectionFlag.NoUpdate)
    wanted = {model.row_id(200), model.row_id(201)}
    table.verticalScrollBar().setValue(150)
    with qtbot.waitSignal(page.loader.loaded, timeout=30000):
        page.reload(wait=False)
    assert {model.row_id(r) for r in page.selected_rows()} == wanted
    assert page.current_id() == model.row_id(201) and table.currentIndex().column() == 2
    assert table.verticalScrollBar().value() == 150

    # After a save the form's row is selected, though it arrives with the new rows.
    new_id, _version = services.save_row(sqlite_demo_db, POWERS, {
        "list_kind": "属地管理事项", "power_type": "其他", "code": "ZZ-9999",
        "name": "新加的事项", "status": "已承接"})
    page.reload(wait=False)
    assert page.select_id(new_id) is False  # not among the rows shown yet
    with qtbot.waitSignal(page.loader.loaded, timeout=30000):
        pass
    assert page.current_id() == new_id


def test_wait_gives_the_rows_now(page):
    page.reload(wait=False)
    assert page.loader.loading
    assert page.loader.wait()
    assert not page.loader.loading and page.model.rowCount() == DEMO_ROWS


def test_a_page_closed_while_reading_drops_the_late_rows(qtbot, sqlite_demo_db, monkeypatch):
    doomed = LedgerPage(sqlite_demo_db, POWERS)
    gate = Gate(monkeypatch)
    doomed.reload(wait=False)
    task = doomed.loader.task
    doomed.deleteLater()
    qtbot.waitUntil(lambda: not isValid(doomed), timeout=5000)
    gate.release.set()
    qtbot.waitUntil(lambda: task.finished.is_set() and task.signals is None, timeout=30000)


def test_an_empty_page_shows_a_first_screen_then_every_row(qtbot, sqlite_demo_db,
                                                          monkeypatch):
    """A page with nothing on screen yet shows the first rows (in the ledger's own order)
    while it reads the rest; an export meanwhile waits for all of them."""
    from ui.exports import visible_rowset

    monkeypatch.setattr(page_loader, "SYNC_ROWS", 0)  # the demo's 394 rows count as large
    gate = Gate(monkeypatch, hold_first_rows=False)
    fresh = LedgerPage(sqlite_demo_db, POWERS)
    qtbot.addWidget(fresh)
    with qtbot.waitSignal(fresh.loader.first_shown, timeout=30000):
        pass
    first = page_loader.FIRST_ROWS
    assert fresh.model.rowCount() == first and fresh.loader.loading
    assert fresh.filter_bar.count.text() == f"正在读取…（前 {first} / 共 {DEMO_ROWS} 条）"
    codes = [fresh.model.cell_text(r, 2) for r in range(first)]
    threading.Timer(0.2, gate.release.set).start()  # the full read, held until then
    rowset = visible_rowset(fresh)  # blocks in loader.wait() until all rows are in
    assert len(rowset) == DEMO_ROWS and not fresh.loader.loading
    assert [fresh.model.cell_text(r, 2) for r in range(first)] == codes  # same order
    assert fresh.filter_bar.count.text() == f"共 {DEMO_ROWS} 条"


def test_a_page_sorted_by_the_user_waits_for_every_row(qtbot, sqlite_demo_db, monkeypatch):
    """The first screen is the ledger's own order: a saved sort (or a query) would show a
    sorted slice, so such a page waits for all rows instead."""
    monkeypatch.setattr(page_loader, "SYNC_ROWS", 0)
    fresh = LedgerPage(sqlite_demo_db, POWERS)
    qtbot.addWidget(fresh)
    with qtbot.waitSignal(fresh.loader.loaded, timeout=30000):
        pass
    fresh.model.sort(3)
    fresh.model.set_view(page_loader.RowView(fresh.fields))  # empty again, sorted by name
    fresh.model.view.sort(3)
    shown = []
    fresh.loader.first_shown.connect(lambda: shown.append(1))
    with qtbot.waitSignal(fresh.loader.loaded, timeout=30000):
        fresh.reload(wait=False)
    assert shown == [] and fresh.model.rowCount() == DEMO_ROWS
