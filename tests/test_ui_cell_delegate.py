"""A coloured state in the stretched last column keeps its colour to its text's width
(ui/cell_delegate.py); the rest of the wide cell is painted as an empty cell."""

from __future__ import annotations

from PySide6.QtCore import Qt


def _last_coloured_cell(page):
    model, header = page.model, page.table.horizontalHeader()
    col = max((c for c in range(model.columnCount()) if not page.table.isColumnHidden(c)),
              key=header.visualIndex)
    for row in range(model.rowCount()):
        if model.data(model.index(row, col), Qt.BackgroundRole) is not None:
            return row, col
    raise AssertionError("no coloured cell in the last column")


def test_the_stretched_state_column_is_coloured_only_under_its_text(qtbot, window):
    window.resize(1920, 900)
    window.show_page("整改台账")
    page = window.page_of("rectification")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20000)
    page.table.clearSelection()
    row, col = _last_coloured_cell(page)
    page.table.scrollTo(page.model.index(row, col))
    qtbot.wait(50)
    rect = page.table.visualRect(page.model.index(row, col))
    assert rect.width() > 300  # the header stretched it across the spare width
    colour = page.model.data(page.model.index(row, col), Qt.BackgroundRole).color()
    image = page.table.viewport().grab().toImage()
    y = rect.center().y()
    near = image.pixelColor(rect.left() + 10, y)
    far = image.pixelColor(rect.right() - 10, y)
    assert near.rgb() == colour.rgb()
    assert far.rgb() != colour.rgb()


def test_a_coloured_column_that_is_not_last_is_coloured_across(qtbot, window):
    window.resize(1920, 900)
    window.show_page("整改台账")
    page = window.page_of("rectification")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=20000)
    page.table.clearSelection()
    qtbot.wait(50)
    model = page.model
    warn = [f.name for f in model.fields].index("warning")
    row = next(r for r in range(model.rowCount())
               if model.data(model.index(r, warn), Qt.BackgroundRole) is not None)
    shown = page.table.viewport().rect()
    page.table.scrollTo(model.index(row, warn))
    qtbot.waitUntil(lambda: shown.contains(page.table.visualRect(model.index(row, warn))))
    rect = page.table.visualRect(model.index(row, warn))
    colour = model.data(model.index(row, warn), Qt.BackgroundRole).color()
    image = page.table.viewport().grab().toImage()
    assert image.pixelColor(rect.right() - 3, rect.center().y()).rgb() == colour.rgb()
