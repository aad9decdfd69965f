"""A 1366×768 screen at 150 % gives the window 911×512 logical pixels: every page fits
that width (the filter combos and the strip's chips wrap, 首页's cards make fewer
columns), the 编制总览 headings stay readable, and dialogs fit the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.specs import all_specs
from ui.flow_layout import FlowLayout

NARROW = (911, 512)  # 1366×768 at 150 %


def test_every_page_fits_a_1366_screen_at_150_percent(qtbot, window):
    window.resize(*NARROW)
    wide = {}
    for title, _page in window.pages:
        window.show_page(title)
        page = window.page_menus.current_page()
        if page.minimumSizeHint().width() > NARROW[0] - 150:  # the navigation beside it
            wide[title] = page.minimumSizeHint().width()
    assert not wide, wide
    assert window.minimumSizeHint().width() <= NARROW[0]
    qtbot.waitUntil(lambda: window.width() <= NARROW[0])


def test_the_filters_wrap_and_keep_working(qtbot, window):
    window.resize(*NARROW)
    window.show_page("整改台账")
    page = window.page_of("rectification")
    bar = page.filter_bar

    def rows() -> int:
        return len({c.mapTo(bar, c.rect().topLeft()).y() for c in bar.combos.values()})

    qtbot.waitUntil(lambda: bar.width() < 800 and rows() >= 3)  # ten combos, three rows
    assert bar.height() >= bar.flow.heightForWidth(bar.flow.geometry().width())
    combo = bar.combos["status"]
    combo.setCurrentIndex(combo.findText("已销号"))
    n = page.model.rowCount()
    assert 0 < n < len(page.model.view.rows)
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: rows() <= 2)


def test_flow_layout_wraps_by_width(qtbot):
    from PySide6.QtWidgets import QPushButton, QWidget

    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, spacing=4)
    buttons = [QPushButton(f"按钮{i}") for i in range(6)]
    for b in buttons:
        flow.addWidget(b)
    one = max(b.sizeHint().width() for b in buttons)
    row = flow.sizeHint()
    assert flow.minimumSize().width() <= one + 1
    assert flow.heightForWidth(row.width()) == row.height()
    assert flow.heightForWidth(one) > 5 * buttons[0].sizeHint().height()  # one a row
    host.resize(row.width(), flow.heightForWidth(row.width()))
    host.show()
    qtbot.waitExposed(host)
    assert len({b.y() for b in buttons}) == 1
    buttons[2].hide()
    assert flow.sizeHint().width() < row.width()


def test_home_cards_fit_a_narrow_window(qtbot, sqlite_demo_db):
    from tests.conftest import make_window

    window = make_window(qtbot, sqlite_demo_db, page=None)
    window.resize(*NARROW)
    home = window.home
    scroll = home.findChild(type(home.layout().itemAt(0).widget()))
    qtbot.waitUntil(lambda: home.width() < 800)
    qtbot.waitUntil(lambda: scroll.horizontalScrollBar().maximum() == 0)
    assert home.top.direction() == home.top.Direction.TopToBottom  # the to-do list below
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: home.top.direction() == home.top.Direction.LeftToRight)
    assert scroll.horizontalScrollBar().maximum() == 0 and home._columns == 2


def test_staffing_headings_are_not_cut(qtbot, window):
    window.resize(*NARROW)
    window.show_page("编制总览")
    overview = window.page_menus.current_page()
    t = overview.matrix_table
    heading = t.item(1, 1)
    assert heading.text() == "核定"
    bold = heading.font()
    from PySide6.QtGui import QFontMetrics

    need = QFontMetrics(bold).horizontalAdvance("核定")
    assert all(t.columnWidth(c) >= need for c in range(1, t.columnCount()))


def test_dialogs_fit_the_screen(qtbot, window):
    from ui.dialogs import fit_screen
    from ui.form_dialog import FormDialog

    room = window.screen().availableGeometry()
    form = FormDialog(window.db, next(s for s in all_specs() if s.key == "staff"), None, window)
    qtbot.addWidget(form)
    assert form.height() <= room.height() - 50 and form.width() <= room.width() - 40
    fit_screen(form, 5000, 5000)
    assert (form.width(), form.height()) == (room.width() - 40, room.height() - 50)
    assert form.windowFlags() & Qt.Dialog
