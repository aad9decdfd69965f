"""The open form survives a lost database connection: nothing typed is lost, and saving
works again once the server is back."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from app import services
from app.core import undo
from app.services import get_row, list_rows
from app.specs.powers import POWERS
from ui import dialogs
from ui.form_dialog import FormDialog


class _Dropped(Exception):
    pass


def test_form_keeps_values_when_the_connection_drops(qtbot, app, sqlite_demo_db, monkeypatch):
    db = sqlite_demo_db
    row_id = list_rows(db, POWERS).ids[0]
    form = FormDialog(db, POWERS, row_id)
    qtbot.addWidget(form)
    form.editors["remarks"].set_value("断线时填写的备注")

    real_save = undo.save_row  # the form's save (app.services.save_row and its undo)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:  # the server is away for the first try
            raise OperationalError("UPDATE power_item", {}, _Dropped("server closed the connection"),
                                   connection_invalidated=True)
        return real_save(*args, **kwargs)

    warnings = []
    monkeypatch.setattr(undo, "save_row", flaky)
    monkeypatch.setattr(dialogs.QMessageBox, "warning",
                        lambda parent, title, text: warnings.append(text))
    form.save()
    assert warnings and "连接" in warnings[0] and "仍保留" in warnings[0]
    assert form.result() == 0 and form.saved_id is None  # still open
    assert form.editors["remarks"].value() == "断线时填写的备注"
    assert get_row(db, POWERS, row_id)["remarks"] == ""

    form.save()  # the server is back
    assert form.saved_id == row_id
    assert get_row(db, POWERS, row_id)["remarks"] == "断线时填写的备注"


def test_page_refreshes_for_other_clients_keeping_selection_and_scroll(qtbot, sqlite_demo_db,
                                                                        sqlite_url):
    """End to end: another client writes → the window's own change watcher polls and
    fires → the visible page reloads, keeping selection and scroll."""
    from app.db import Database
    from tests.conftest import make_window

    window = make_window(qtbot, sqlite_demo_db)
    watcher = window.watcher
    watcher.timer.setInterval(50)  # the real timer and poll, only sooner than every 3 s
    qtbot.waitUntil(lambda: watcher.last is not None, timeout=5000)  # counter known
    page = window.powers
    table = page.table
    ids = [page.model.row_id(r) for r in (40, 41)]
    selection = table.selectionModel()
    table.setCurrentIndex(page.model.index(40, 0))
    for r in (40, 41):
        selection.select(page.model.index(r, 0),
                         selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    # Scrolled by the wheel away from the current row: a plain reload would scroll back to it.
    table.verticalScrollBar().setValue(200)
    scroll = table.verticalScrollBar().value()
    assert scroll > 100
    col = [f.name for f in page.fields].index("remarks")

    def shown_remarks() -> str:
        return page.model.data(page.model.index(page.model.view_row_of_id(ids[0]), col))

    assert shown_remarks() != "别处的修改"

    other = Database(sqlite_url, actor="另一台电脑")
    try:
        # The window's slot is connected before the blocker's, so it has run when this returns.
        with qtbot.waitSignal(watcher.changed, timeout=5000):
            row = get_row(other, POWERS, ids[0])
            services.save_row(other, POWERS, {**row, "remarks": "别处的修改"}, ids[0],
                              row["version"])
    finally:
        other.close()
    assert shown_remarks() == "别处的修改"
    assert sorted(page.model.row_id(r) for r in page.selected_rows()) == sorted(ids)
    assert table.verticalScrollBar().value() == scroll
    assert page.current_id() == ids[0]
