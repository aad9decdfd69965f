"""The real main window and powers page, driven the way a person uses them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from app import powers, services
from app.demo import COUNTS
from app.specs.powers import POWERS
from ui import dialogs
from ui.dialogs import ConflictDialog


@pytest.fixture
def page(window):
    return window.powers


def col(page, name: str) -> int:
    return [f.name for f in page.fields].index(name)


def column_values(page, name: str) -> list:
    c = col(page, name)
    return [page.model.view.rows[page.model.source_row(r)][c] for r in range(page.model.rowCount())]


def db_names(db) -> list[str]:
    return services.list_rows(db, POWERS).column("name")


def open_new_form(qtbot, page):
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None and page.form.isVisible())
    return page.form


def type_text(edit, text: str) -> None:
    """Type character by character (QTest cannot send non-ASCII keys; an IME would commit
    each character like this)."""
    for ch in text:
        edit.insert(ch)


def choose(editor, text: str) -> None:
    i = editor.widget.findText(text)
    assert i >= 0, text
    editor.widget.setCurrentIndex(i)


def test_window_shows_demo_data_and_database(window, page, sqlite_demo_db):
    assert page.model.rowCount() == sum(COUNTS.values())
    assert window.db_label.text() == sqlite_demo_db.describe()
    assert "南城街道" in window.windowTitle()
    assert page.strip.total.text() == f"合计 {sum(COUNTS.values())} 项"
    assert page.strip.chips["法定权力事项"].text() == f"法定权力事项 {COUNTS['法定权力事项']}"
    label, zero = powers.stats(sqlite_demo_db)[-1]
    assert page.strip.chips[label].text() == f"{label} {zero}"


def test_add_item_through_the_form(qtbot, page, sqlite_demo_db):
    form = open_new_form(qtbot, page)
    choose(form.editors["list_kind"], "属地管理事项")
    choose(form.editors["power_type"], "行政检查")
    type_text(form.editors["name"].widget, "电动自行车违规充电隐患排查")
    choose(form.editors["body_id"], "综合保障中心")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    assert "电动自行车违规充电隐患排查" in db_names(sqlite_demo_db)
    assert page.model.rowCount() == sum(COUNTS.values()) + 1
    r = page.table.currentIndex().row()  # the new row is selected
    assert page.model.cell_text(r, col(page, "name")) == "电动自行车违规充电隐患排查"
    assert page.model.cell_text(r, col(page, "body_id")) == "综合保障中心"
    assert page.strip.total.text() == f"合计 {sum(COUNTS.values()) + 1} 项"


def test_enter_in_a_field_saves_the_form(qtbot, page, sqlite_demo_db):
    """Enter is 保存 (the default button), not 添加办件量, the first button after the
    fields, which Qt made the default while 保存 was set before the dialog held it."""
    form = open_new_form(qtbot, page)
    choose(form.editors["list_kind"], "属地管理事项")
    choose(form.editors["power_type"], "行政检查")
    name = form.editors["name"].widget
    type_text(name, "回车保存的事项")
    qtbot.keyClick(name, Qt.Key_Return)
    qtbot.waitUntil(lambda: page.form is None)
    assert "回车保存的事项" in db_names(sqlite_demo_db)


def test_validation_message_next_to_the_field_and_dialog_stays(qtbot, page, sqlite_demo_db):
    form = open_new_form(qtbot, page)
    choose(form.editors["list_kind"], "下放行政权力")
    choose(form.editors["power_type"], "行政处罚")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.isVisible() and page.form is form
    assert form.errors["name"].isVisible()
    assert form.errors["name"].text() == "必填"
    assert not form.errors["power_type"].isVisible()
    # The error label sits right under the name field, not somewhere at the bottom.
    name_box = form.editors["name"].widget
    below = form.errors["name"].mapTo(form, QPoint(0, 0)).y()
    assert 0 < below - name_box.mapTo(form, QPoint(0, 0)).y() < 3 * name_box.height()
    # Fixing the name shows the domain rule (devolved items need a devolution mode).
    type_text(name_box, "测试事项")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert not form.errors["name"].isVisible()
    assert "下放方式" in form.errors["devolution_mode"].text()
    assert "测试事项" not in db_names(sqlite_demo_db)
    choose(form.editors["devolution_mode"], "委托下放")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    assert "测试事项" in db_names(sqlite_demo_db)


def test_search_box_filters_as_you_type_ascii(qtbot, page):
    qtbot.keyClicks(page.filter_bar.search, "xf-01")  # codes XF-01xx, any case
    qtbot.waitUntil(lambda: page.model.rowCount() < sum(COUNTS.values()))
    codes = column_values(page, "code")
    c = col(page, "code")
    every = [row[c] for row in page.model.view.rows]
    assert codes and all(code.startswith("XF-01") for code in codes)
    assert len(codes) == sum(code.startswith("XF-01") for code in every) == 60


def test_search_box_filters_as_you_type(qtbot, page):
    type_text(page.filter_bar.search, "处罚")
    qtbot.waitUntil(lambda: page.model.rowCount() < sum(COUNTS.values()))
    shown = page.model.rowCount()
    searchable = [col(page, f.name) for f in POWERS.search_fields]
    expected = sum(
        any("处罚" in page.model.fields[c].display(row[c]) for c in searchable)
        for row in page.model.view.rows)
    assert 0 < shown == expected
    for r in range(shown):
        assert any("处罚" in page.model.cell_text(r, c) for c in searchable)
    assert page.filter_bar.count.text() == f"显示 {shown} / 共 {sum(COUNTS.values())} 条"


def test_combo_filters(qtbot, page):
    combo = page.filter_bar.combos["list_kind"]
    combo.setCurrentIndex(combo.findText("法定权力事项"))
    assert page.model.rowCount() == COUNTS["法定权力事项"]
    assert set(column_values(page, "list_kind")) == {"法定权力事项"}
    body = page.filter_bar.combos["body_id"]
    body.setCurrentIndex(body.findText("便民服务中心"))
    assert 0 < page.model.rowCount() < COUNTS["法定权力事项"]
    assert set(column_values(page, "body_id")) == {"便民服务中心"}
    qtbot.mouseClick(page.filter_bar.reset, Qt.LeftButton)
    assert page.model.rowCount() == sum(COUNTS.values())


def test_clicking_a_summary_chip_filters_by_it(qtbot, page):
    qtbot.mouseClick(page.strip.chips["属地管理事项"], Qt.LeftButton)
    assert page.model.rowCount() == COUNTS["属地管理事项"]
    assert page.filter_bar.combos["list_kind"].currentText() == "属地管理事项"


def test_header_click_sorts(qtbot, page):
    header = page.table.horizontalHeader()
    c = col(page, "case_count")

    def click():
        x = header.sectionViewportPosition(c) + header.sectionSize(c) // 2
        qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(x, header.height() // 2))

    click()
    values = column_values(page, "case_count")
    reported = [v for v in values if v is not None]
    assert reported == sorted(reported) and reported[0] < reported[-1]
    # 未填报 stays at the bottom in both directions.
    assert values == reported + [None] * (len(values) - len(reported))
    click()
    values = column_values(page, "case_count")
    reported = [v for v in values if v is not None]
    assert reported == sorted(reported, reverse=True)
    assert values == reported + [None] * (len(values) - len(reported))
    assert header.sortIndicatorSection() == c


def test_edit_with_f2_and_double_click(qtbot, page, sqlite_demo_db):
    page.table.setCurrentIndex(page.model.index(5, col(page, "name")))
    row_id = page.current_id()
    before = services.get_row(sqlite_demo_db, POWERS, row_id)
    qtbot.keyClick(page.table, Qt.Key_F2)
    qtbot.waitUntil(lambda: page.form is not None)
    form = page.form
    assert form.editors["name"].widget.text() == before["name"]
    form.editors["name"].widget.setText("改过的事项名称")
    form.editors["remarks"].widget.setPlainText("季度复核")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    after = services.get_row(sqlite_demo_db, POWERS, row_id)
    assert after["name"] == "改过的事项名称" and after["remarks"] == "季度复核"
    assert after["version"] == before["version"] + 1
    assert page.current_id() == row_id

    rect = page.table.visualRect(page.table.currentIndex())
    # QTest's double click lacks the first press that a real one has: send both.
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.form is not None)
    assert page.form.editors["name"].widget.text() == "改过的事项名称"
    page.form.reject()
    qtbot.waitUntil(lambda: page.form is None)


def test_delete_asks_and_soft_deletes(qtbot, page, sqlite_demo_db, monkeypatch):
    asked = []
    answer = [False]
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: asked.append(a[2]) or answer[0])
    page.table.setCurrentIndex(page.model.index(0, col(page, "name")))
    name = page.model.cell_text(0, col(page, "name"))
    qtbot.keyClick(page.table, Qt.Key_Delete)
    assert name in asked[-1]
    assert name in db_names(sqlite_demo_db)  # declined: nothing happened
    answer[0] = True
    qtbot.keyClick(page.table, Qt.Key_Delete)
    assert name not in db_names(sqlite_demo_db)
    assert page.model.rowCount() == sum(COUNTS.values()) - 1
    assert any(r["label"].endswith(name) or name in r["label"]
               for r in services.deleted_rows(sqlite_demo_db, POWERS))


def test_ctrl_c_copies_tab_separated_cells(qtbot, page):
    sel = page.table.selectionModel()
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    c0, c1 = col(page, "code"), col(page, "name")
    sel.select(QItemSelection(page.model.index(2, c0), page.model.index(3, c1)),
               QItemSelectionModel.ClearAndSelect)
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(page.table, Qt.Key_C, Qt.ControlModifier)
    expected = "\n".join(
        "\t".join(page.model.cell_text(r, c) for c in range(c0, c1 + 1)) for r in (2, 3))
    assert QGuiApplication.clipboard().text() == expected
    assert expected.count("\t") == 2 * (c1 - c0) and "\n" in expected


def test_conflict_keep_mine_or_take_theirs(qtbot, page, sqlite_demo_db, monkeypatch):
    db = sqlite_demo_db
    page.table.setCurrentIndex(page.model.index(1, 0))
    row_id = page.current_id()
    page.edit_current()
    form = page.form
    theirs = services.get_row(db, POWERS, row_id)
    services.save_row(db, POWERS, {**theirs, "remarks": "他人的备注"}, row_id, theirs["version"])
    form.editors["remarks"].widget.setPlainText("我的备注")
    seen = []

    def choose_keep(dlg):
        seen.append([dlg.table.item(r, c).text() for r in range(dlg.table.rowCount())
                     for c in range(3)])
        dlg.choice = ConflictDialog.KEEP_MINE
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", choose_keep)
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert seen == [["备注", "我的备注", "他人的备注"]]
    qtbot.waitUntil(lambda: page.form is None)
    assert services.get_row(db, POWERS, row_id)["remarks"] == "我的备注"

    page.edit_current()
    form = page.form
    now = services.get_row(db, POWERS, row_id)
    services.save_row(db, POWERS, {**now, "status": "暂停"}, row_id, now["version"])
    choose(form.editors["status"], "已收回")

    def choose_theirs(dlg):
        dlg.choice = ConflictDialog.TAKE_THEIRS
        return 1

    monkeypatch.setattr(ConflictDialog, "exec", choose_theirs)
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    assert services.get_row(db, POWERS, row_id)["status"] == "暂停"
    r = page.model.view_row_of_id(row_id)
    assert page.model.cell_text(r, col(page, "status")) == "暂停"


def test_case_counts_dialog_edits_years(qtbot, page, sqlite_demo_db):
    page.table.setCurrentIndex(page.model.index(0, 0))
    row_id = page.current_id()
    page.edit_children("case_counts")
    dlg = page.child_dialog
    while dlg.table.rowCount():
        dlg.table.removeRow(0)
    year = powers.this_year()
    dlg.add_row(year, 42)
    dlg.add_row(year - 3, 7)
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.child_dialog is None)
    assert powers.case_counts(sqlite_demo_db, row_id) == {year: 42, year - 3: 7}
    r = page.model.view_row_of_id(row_id)
    assert page.model.cell_text(r, col(page, "case_count")) == "42"


def test_case_counts_dialog_refuses_a_year_twice(qtbot, page, sqlite_demo_db):
    page.table.setCurrentIndex(page.model.index(0, 0))
    row_id = page.current_id()
    before = powers.case_counts(sqlite_demo_db, row_id)
    page.edit_children("case_counts")
    dlg = page.child_dialog
    dlg.add_row(2020, 1)
    dlg.add_row(2020, 2)
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.isVisible() and "重复（2020）" in dlg.error.text()
    assert powers.case_counts(sqlite_demo_db, row_id) == before
    dlg.reject()


def test_cells_are_painted_with_text(qtbot, page):
    """What the view paints, not only what the model returns: a name cell has dark pixels."""
    page.table.scrollToTop()
    rect = page.table.visualRect(page.model.index(0, col(page, "name")))
    image = page.table.viewport().grab(rect).toImage()
    dark = sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).lightness() < 100)
    assert dark > 20
    empty = page.table.visualRect(page.model.index(0, col(page, "sub_item")))  # blank in demo
    image = page.table.viewport().grab(empty.adjusted(2, 2, -2, -2)).toImage()
    assert all(image.pixelColor(x, y).lightness() > 200
               for x in range(image.width()) for y in range(image.height()))


def test_date_field_can_be_set_and_cleared(qtbot, page, sqlite_demo_db):
    from datetime import date

    page.table.setCurrentIndex(page.model.index(3, 0))
    row_id = page.current_id()
    page.edit_current()
    editor = page.form.editors["effective_date"]
    editor.set_value(date(2024, 2, 29))
    qtbot.mouseClick(page.form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    assert services.get_row(sqlite_demo_db, POWERS, row_id)["effective_date"] == date(2024, 2, 29)
    page.edit_current()
    editor = page.form.editors["effective_date"]
    assert editor.edit.text() == "2024-02-29"
    from PySide6.QtWidgets import QToolButton

    qtbot.mouseClick(editor.widget.findChild(QToolButton), Qt.LeftButton)  # 清空
    assert editor.edit.text() == "未填写"
    qtbot.mouseClick(page.form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.form is None)
    assert services.get_row(sqlite_demo_db, POWERS, row_id)["effective_date"] is None
    r = page.model.view_row_of_id(row_id)
    assert page.model.cell_text(r, col(page, "effective_date")) == ""


def test_a_figure_opens_the_rows_behind_it(qtbot, page):
    """零办件 is a filter the bar does not offer (this year's count is 0): the page keeps it,
    the table shows exactly those rows, and 清除筛选 or a second click shows all again."""
    total = page.model.rowCount()
    zero = next(v for v in page.strip.values if v.key == "zero_cases")
    chip = page.strip.chips[zero.label]
    qtbot.mouseClick(chip, Qt.LeftButton)
    assert page.model.rowCount() == zero.value > 0
    assert set(column_values(page, "case_count")) == {0}
    assert chip.isChecked()
    qtbot.mouseClick(chip, Qt.LeftButton)
    assert page.model.rowCount() == total and not chip.isChecked()
    unreported = next(v for v in page.strip.values if v.key == "unreported")
    qtbot.mouseClick(page.strip.chips[unreported.label], Qt.LeftButton)
    assert page.model.rowCount() == unreported.value
    assert set(column_values(page, "case_count")) == {None}
    page.filter_bar.clear()
    assert page.model.rowCount() == total
