"""Keyboard-only walks through the real main window: keys only (QTest.keyClick and
keyClicks), no mouse, no widget method standing in for a key. What each walk did is
read back from the database, the table, the file written, the preview shown.

QTest cannot type Chinese (keyClicks asserts on characters outside Latin-1; an IME
commits them in real use), so the typed values are ASCII."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from app import services
from app.demo import COUNTS
from app.specs.powers import POWERS
from tests.ui_helpers import active

TOTAL = sum(COUNTS.values())


def focused():
    """Where a key goes: an open menu (it grabs the keyboard), else the focus widget."""
    return QApplication.activePopupWidget() or QApplication.focusWidget()


def key(qtbot, k, modifier=Qt.NoModifier) -> None:
    """A key pressed wherever the focus is (as a person presses it)."""
    qtbot.keyClick(focused(), k, modifier)


def col(page, name: str) -> int:
    return [f.name for f in page.fields].index(name)


def tab_to(qtbot, widget, limit: int = 40) -> None:
    """Tab until `widget` has the focus."""
    for _ in range(limit):
        if widget.hasFocus():
            return
        key(qtbot, Qt.Key_Tab)
    assert widget.hasFocus(), focused()


@pytest.fixture
def home_window(qtbot, sqlite_demo_db):
    from tests.conftest import make_window

    window = make_window(qtbot, sqlite_demo_db, page=None)  # on 首页, as it opens
    active(qtbot, window)
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    return window


def test_create_a_row_with_the_keyboard(qtbot, home_window, sqlite_demo_db):
    window = home_window
    key(qtbot, Qt.Key_V, Qt.AltModifier)  # 视图
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    key(qtbot, Qt.Key_2)  # 权责清单(&2)
    page = window.powers
    qtbot.waitUntil(page.table.hasFocus)
    key(qtbot, Qt.Key_F, Qt.ControlModifier)  # anywhere on the page: the search box
    assert page.filter_bar.search.hasFocus()
    key(qtbot, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None and page.form.isVisible())
    form = page.form
    kinds, types = form.editors["list_kind"].widget, form.editors["power_type"].widget
    qtbot.waitUntil(kinds.hasFocus)  # the form opens on its first field
    for _ in range(3):  # （请选择） → 下放行政权力 → 法定权力事项 → 属地管理事项
        key(qtbot, Qt.Key_Down)
    key(qtbot, Qt.Key_Tab)
    assert types.hasFocus()
    for _ in range(6):  # … → 行政检查
        key(qtbot, Qt.Key_Down)
    key(qtbot, Qt.Key_Tab)
    assert form.editors["code"].widget.hasFocus()
    qtbot.keyClicks(focused(), "XF-9001")
    key(qtbot, Qt.Key_Tab)
    name = form.editors["name"].widget
    assert name.hasFocus()
    key(qtbot, Qt.Key_Return)  # 保存 without the required name: refused, the form stays
    assert form.isVisible() and form.errors["name"].isVisible()
    assert name.hasFocus()  # the field with the message keeps the keyboard
    qtbot.keyClicks(focused(), "E-bike charging check")
    key(qtbot, Qt.Key_S, Qt.ControlModifier)  # Ctrl+S
    qtbot.waitUntil(lambda: page.form is None)
    rows = services.list_rows(sqlite_demo_db, POWERS)
    i = rows.column("code").index("XF-9001")
    assert rows.column("name")[i] == "E-bike charging check"
    assert rows.column("list_kind")[i] == "属地管理事项"
    assert rows.column("power_type")[i] == "行政检查"
    assert page.model.rowCount() == TOTAL + 1
    r = page.table.currentIndex().row()  # the new row is the current one
    assert page.model.cell_text(r, col(page, "code")) == "XF-9001"


def test_filter_export_and_preview_with_the_keyboard(qtbot, home_window, tmp_path,
                                                      monkeypatch):
    openpyxl = pytest.importorskip("openpyxl")
    window = home_window
    key(qtbot, Qt.Key_2, Qt.ControlModifier)  # 权责清单
    page = window.powers
    qtbot.waitUntil(page.table.hasFocus)

    # Ctrl+F, type: the rows whose code or name holds "XF-01".
    key(qtbot, Qt.Key_F, Qt.ControlModifier)
    assert page.filter_bar.search.hasFocus()
    qtbot.keyClicks(focused(), "xf-01")
    key(qtbot, Qt.Key_Return)  # at once, not after the typing pause
    searched = page.model.rowCount()
    codes = [page.model.cell_text(r, col(page, "code")) for r in range(searched)]
    assert 0 < searched < TOTAL and all(c.upper().startswith("XF-01") for c in codes)

    # To the table with Tab, along to 权力类型, Alt+↓: its values; keep 行政处罚 only.
    tab_to(qtbot, page.table)
    key(qtbot, Qt.Key_Home)
    while page.table.currentIndex().column() < col(page, "power_type"):
        key(qtbot, Qt.Key_Right)
    key(qtbot, Qt.Key_Down, Qt.AltModifier)
    qtbot.waitUntil(lambda: page.column_dialog is not None and page.column_dialog.isVisible())
    dlg = page.column_dialog
    assert dlg.windowTitle() == "筛选：权力类型"
    qtbot.waitUntil(dlg.find.hasFocus)
    key(qtbot, Qt.Key_Tab)
    assert dlg.list.hasFocus()
    for row in range(dlg.list.count()):  # Space unticks every value but 行政处罚
        if dlg.list.currentRow() != row:
            key(qtbot, Qt.Key_Down)
        assert dlg.list.currentRow() == row
        if not dlg.list.item(row).text().startswith("行政处罚"):
            key(qtbot, Qt.Key_Space)
    ticked = [dlg.list.item(i).text() for i in range(dlg.list.count())
              if dlg.list.item(i).checkState() == Qt.Checked]
    assert len(ticked) == 1 and ticked[0].startswith("行政处罚")
    key(qtbot, Qt.Key_Return)  # 确定
    qtbot.waitUntil(lambda: not dlg.isVisible())
    n = page.model.rowCount()
    types = {page.model.cell_text(r, col(page, "power_type")) for r in range(n)}
    assert 0 < n < searched and types == {"行政处罚"}
    assert list(page.chips.chips) == [col(page, "power_type")]
    shown = {page.model.cell_text(r, col(page, "name")) for r in range(n)}
    active(qtbot, window)

    # 文件 → 导出Excel…: Alt+F, then its mnemonic E.
    out = tmp_path / "导出.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    key(qtbot, Qt.Key_F, Qt.AltModifier)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    assert QApplication.activePopupWidget().title() == "文件(&F)"
    key(qtbot, Qt.Key_E)
    qtbot.waitUntil(lambda: getattr(page, "last_export", None) is not None, timeout=30000)
    assert out.exists()
    sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
    cells = {c for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert shown <= cells
    assert {"行政处罚"} == {c for c in cells if c in ("行政处罚", "行政许可", "行政检查")}
    offer = page.output_offer  # 已完成: 打开文件 / 打开所在文件夹 / 关闭
    qtbot.waitUntil(offer.isVisible)
    qtbot.keyClick(offer, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not offer.isVisible())
    active(qtbot, window)

    # Ctrl+P: the report of these rows, then its print preview; Esc closes it.
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "报表.pdf"), ""))
    key(qtbot, Qt.Key_F, Qt.ControlModifier)  # Ctrl+P works from the search box too
    key(qtbot, Qt.Key_P, Qt.ControlModifier)
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    preview = page.output_offer
    qtbot.waitUntil(preview.isVisible)
    assert preview.windowTitle() == "打印预览 — 权责清单报表" and preview.page_count() >= 1
    assert (tmp_path / "报表.pdf").exists()
    qtbot.keyClick(preview, Qt.Key_Escape)
    qtbot.waitUntil(lambda: not preview.isVisible())
