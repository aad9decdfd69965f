"""The import wizard on 1366×768 at 150 % with a taskbar (911×485 logical pixels): every
page fits the screen, 下一步/取消 stay inside the dialog, the column list shows several
columns and the unknown names' choices are not cut off."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen

from app.specs.powers import POWERS
from tests.test_ui_import import SAMPLE, click_next, open_file
from ui.app import create_application
from ui.import_wizard import ImportWizard

ROOM = QRect(0, 0, 911, 485)


@pytest.fixture
def small(qtbot, sqlite_demo_db, monkeypatch, tmp_path):
    if not SAMPLE.exists():
        pytest.skip(f"缺少样例文件 {SAMPLE}")
    create_application()
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(ROOM))
    w = ImportWizard(sqlite_demo_db, POWERS)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def fits(qtbot, w: ImportWizard) -> None:
    qtbot.wait(50)  # the page's layout
    assert w.width() <= ROOM.width() and w.height() + 30 <= ROOM.height()  # a title bar
    shown = [w.close_button] + ([w.next_button] if w.page != w.COMMIT else [])
    for b in shown:
        assert b.isVisible()
        assert w.rect().contains(QRect(b.mapTo(w, QPoint(0, 0)), b.size())), b.text()
        assert b.width() >= b.minimumSizeHint().width()
    page = w.stack.currentWidget()  # a scroll area: nothing cut at the right
    assert not hasattr(page, "horizontalScrollBar") or page.horizontalScrollBar().maximum() == 0


def test_every_page_fits_a_small_screen(qtbot, small, tmp_path):
    import shutil

    w = small
    fits(qtbot, w)
    open_file(qtbot, w, shutil.copy(SAMPLE, tmp_path / SAMPLE.name))
    fits(qtbot, w)
    click_next(qtbot, w)
    fits(qtbot, w)
    mp = w.mapping_page
    t = mp.table
    assert t.viewport().height() >= 4 * t.rowHeight(0)  # not squeezed to a row or two
    vt = mp.values_table
    assert mp.values_box.isVisible() and vt.rowCount()
    assert vt.horizontalScrollBar().maximum() == 0
    combo = vt.cellWidget(0, 2)
    assert combo.width() >= combo.sizeHint().width()  # its choice readable
    kind = mp.value_widgets["list_kind"]
    kind.setCurrentIndex(kind.findData("下放行政权力"))
    click_next(qtbot, w)  # unknown names refused: rejected rows, 只导入有效行
    fits(qtbot, w)
    cp = w.check_page
    assert cp.accept_valid.isVisible()
    assert w.rect().contains(QRect(cp.accept_valid.mapTo(w, QPoint(0, 0)), cp.accept_valid.size()))
    qtbot.mouseClick(w.back_button, Qt.LeftButton)
    mp.create_missing.setChecked(True)
    click_next(qtbot, w)
    fits(qtbot, w)
    click_next(qtbot, w)
    assert w.page == w.COMMIT
    fits(qtbot, w)
