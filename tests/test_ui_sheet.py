"""Ledger tables like a spreadsheet: a filter per column from the header (values with
counts, ranges, text), removable chips, the strip counting what the filters leave,
Ctrl+F from anywhere on the page, 计数/求和 of the selected cells in the status bar —
and a keyboard-only walk: filter, export, print preview."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog

from app import services
from app.specs.powers import POWERS
from ui import column_filters
from ui.row_view import Between, Contains
from ui.settings import qsettings


def col(page, name: str) -> int:
    return [f.name for f in page.fields].index(name)


def _rows(db, **where) -> int:
    rs = services.list_rows(db, POWERS)
    names = [f.name for f in rs.fields]
    return sum(all(r[names.index(k)] == v for k, v in where.items()) for r in rs.rows)


def _tick_only(dlg, *labels) -> None:
    for i in range(dlg.list.count()):
        item = dlg.list.item(i)
        on = any(item.text().startswith(f"{lb}（") for lb in labels)
        item.setCheckState(Qt.Checked if on else Qt.Unchecked)


def test_a_choice_column_offers_its_values_with_counts(qtbot, window, sqlite_demo_db):
    page = window.powers
    c = col(page, "power_type")
    dlg = page.open_column_filter(c)
    texts = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert "行政处罚（99）" in texts and "行政检查（78）" in texts
    _tick_only(dlg, "行政处罚", "行政检查")
    dlg._accept()
    assert page.model.rowCount() == 99 + 78
    chip = page.chips.chips[c]
    assert chip.isVisible() and chip.text().startswith("权力类型：")
    assert page.filter_bar.count_label.text() if hasattr(page.filter_bar, "count_label") else True
    # The strip counts what the filter leaves.
    page.refresh_strip()
    assert page.strip.total.text() == f"合计 {99 + 78} 项"
    qtbot.mouseClick(chip, Qt.LeftButton)  # × : the filter goes
    assert page.model.rowCount() == 394 and c not in page.chips.chips
    page.refresh_strip()
    assert page.strip.total.text() == "合计 394 项"


def test_range_and_text_filters_combine_with_the_bar(qtbot, window, sqlite_demo_db):
    page = window.powers
    combo = page.filter_bar.combos["list_kind"]
    combo.setCurrentIndex(combo.findText("属地管理事项"))
    dlg = page.open_column_filter(col(page, "effective_date"))
    assert dlg.style == "range"
    dlg.lo.setText("2022-01-01")
    dlg.hi.setText("2021-01-01")
    dlg._accept()
    assert dlg.isVisible() and "起始值不能大于结束值" in dlg.error.text()  # nothing applied
    dlg.hi.setText("2023-06-30")
    dlg._accept()
    e = col(page, "effective_date")
    shown = [page.model.value_at(r, e) for r in range(page.model.rowCount())]
    assert shown and all(date(2022, 1, 1) <= d <= date(2023, 6, 30) for d in shown)
    k = col(page, "list_kind")
    assert {page.model.value_at(r, k) for r in range(page.model.rowCount())} == {"属地管理事项"}
    n = page.model.rowCount()
    dlg = page.open_column_filter(col(page, "name"))
    assert dlg.style == "text"
    dlg.text.setText("安全")
    dlg._accept()
    names = [page.model.cell_text(r, col(page, "name")) for r in range(page.model.rowCount())]
    assert all("安全" in t for t in names) and len(names) < n
    assert len(page.chips.chips) == 2
    page.filter_bar.clear()  # 清除筛选 clears the column filters too
    assert page.model.rowCount() == 394 and not page.chips.isVisible()


def test_a_bad_range_end_is_named_in_chinese(qtbot, window):
    page = window.powers
    dlg = page.open_column_filter(col(page, "effective_date"))
    dlg.lo.setText("明年")
    dlg._accept()
    assert dlg.error.text().startswith("起始值“明年”：")
    dlg.reject()


def test_ctrl_f_reaches_the_search_box_from_the_table(qtbot, window):
    page = window.powers
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_F, Qt.ControlModifier)
    assert page.filter_bar.search.hasFocus()


def test_the_status_bar_counts_and_sums_the_selected_cells(qtbot, window):
    page = window.powers
    c = col(page, "case_count")
    model = page.model
    sel = QItemSelection(model.index(0, c), model.index(4, c))
    page.table.selectionModel().select(sel, QItemSelectionModel.ClearAndSelect)
    values = [model.value_at(r, c) for r in range(5)]
    want = sum(v for v in values if v is not None)
    text = window.selection_label.text()
    assert text.startswith("计数 5") and f"求和 {want:,}" in text
    names = QItemSelection(model.index(0, col(page, "name")), model.index(2, col(page, "name")))
    page.table.selectionModel().select(names, QItemSelectionModel.ClearAndSelect)
    assert window.selection_label.text() == "计数 3"  # text only: nothing to sum


def test_alt_down_opens_the_current_columns_filter(qtbot, window):
    page = window.powers
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, col(page, "status")))
    qtbot.keyClick(page.table, Qt.Key_Down, Qt.AltModifier)
    dlg = page.column_dialog
    assert dlg is not None and dlg.windowTitle() == "筛选：状态"
    dlg.reject()


def test_keyboard_only_filter_export_and_print_preview(qtbot, window, monkeypatch, tmp_path):
    """Alt+↓ filter, Enter; Ctrl+F search; Ctrl+P report into its preview; Esc."""
    pytest.importorskip("openpyxl")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda p, t, proposed, pat: (proposed, pat))
    qsettings().setValue("export/dir", str(tmp_path))
    page = window.powers
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, col(page, "power_type")))
    qtbot.keyClick(page.table, Qt.Key_Down, Qt.AltModifier)
    dlg = page.column_dialog
    dlg.list.setFocus()
    _tick_only(dlg, "行政许可")  # Space on the items; set directly (offscreen focus is flaky)
    qtbot.keyClick(dlg, Qt.Key_Return)
    assert page.model.rowCount() == 17
    qtbot.keyClick(page.table, Qt.Key_F, Qt.ControlModifier)
    assert page.filter_bar.search.hasFocus()
    page.filter_bar.search.setText("许可")  # typed (QTest cannot type Chinese)
    page.filter_bar.emit_query()
    n = page.model.rowCount()
    assert 0 < n <= 17
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_P, Qt.ControlModifier)
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    preview = page.output_offer
    assert preview.isVisible() and "行政许可" in preview.path.name
    qtbot.keyClick(preview, Qt.Key_Escape)
    assert not preview.isVisible()


def test_column_filters_from_the_model_engine():
    """Between and Contains as the model applies them (no page)."""
    from app.specs import Field
    from ui.row_view import RowView

    fields = (Field("n", "数", kind="int"), Field("t", "名称"))
    v = RowView(fields)
    v.set_rows([(1, "Ａ学校"), (5, "b"), (None, "学校门口"), (9, "c")], [1, 2, 3, 4], [1] * 4)
    v.set_filters({0: Between(2, 9)})
    assert v.visible == [1, 3]
    v.set_filters({1: Contains("a学")})  # width- and case-insensitive
    assert v.visible == [0]
    v.set_filters({0: Between(None, 4), 1: Contains("学校")})
    assert v.visible == [0]
    assert column_filters.filter_style(fields[0]) == "range"


def test_the_key_columns_stay_in_view_when_the_table_scrolls_right(qtbot, window):
    page = window.powers
    frozen = page.frozen
    assert frozen is not None and frozen.count == col(page, "name") + 1  # up to 事项名称
    view = frozen.view
    shown = [c for c in range(page.model.columnCount()) if not view.isColumnHidden(c)]
    assert shown == list(range(frozen.count))
    assert view.model() is page.model and view.selectionModel() is page.table.selectionModel()
    window.resize(900, 600)  # narrow: the table scrolls right
    qtbot.wait(20)
    bar = page.table.horizontalScrollBar()
    bar.setValue(bar.maximum())
    assert bar.value() > 0 and view.isVisible() and view.width() == frozen.width()
    assert view.columnWidth(col(page, "name")) == page.table.columnWidth(col(page, "name"))
    # Vertical scroll follows both ways.
    page.table.verticalScrollBar().setValue(200)
    assert view.verticalScrollBar().value() == 200
    # The selection is one: a row picked in the frozen part is the table's current row.
    page.table.setCurrentIndex(page.model.index(3, col(page, "code")))
    assert view.currentIndex().row() == 3
    # A click on a frozen heading sorts the table and both show the arrow.
    code = col(page, "code")
    frozen._heading_clicked(code)
    assert page.table.horizontalHeader().sortIndicatorSection() == code
    assert view.horizontalHeader().sortIndicatorSection() == code
    texts = [page.model.cell_text(r, code) for r in range(5)]
    assert texts == sorted(texts)
    frozen._heading_clicked(code)
    assert page.table.horizontalHeader().sortIndicatorOrder() == Qt.DescendingOrder
    # Moving left onto a cell hidden under the frozen columns scrolls it out.
    right = col(page, "sub_item") + 1
    page.table.setCurrentIndex(page.model.index(0, right))
    assert page.table.visualRect(page.model.index(0, right)).left() >= frozen.width()


def test_a_ledger_without_leading_key_columns_freezes_none():
    from app.specs import get_spec
    from ui.frozen_columns import frozen_count

    spec = get_spec("rectification")
    assert frozen_count(spec, spec.table_fields) == 2  # 问题编号, 问题名称
    powers = get_spec("powers")
    assert frozen_count(powers, powers.table_fields[4:]) == 0  # the keys not leading
