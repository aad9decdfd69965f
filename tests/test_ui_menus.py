"""文件 / 编辑 / 视图: the main window's menus act on the page shown, follow its actions'
state, and own their keys — one action per key, wherever the focus is in the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog

from app import auth, services
from app.demo import COUNTS
from app.specs.powers import POWERS
from tests.admin_helpers import PW
from tests.conftest import make_window
from tests.ui_helpers import active

TOTAL = sum(COUNTS.values())


def menu(window, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def item(window, title: str, text: str) -> QAction:
    """The entry of menu `title` whose text (before any key hint) is `text`."""
    found = [a for a in menu(window, title).actions() if a.text().split("\t")[0] == text]
    assert found, (title, text, [a.text() for a in menu(window, title).actions()])
    return found[0]


def test_the_menus_their_mnemonics_and_keys(qtbot, window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[:3] == ["文件(&F)", "编辑(&E)", "视图(&V)"]
    assert titles[3:] == ["账号(&Z)", "管理(&G)", "设置(&S)", "帮助(&H)"]
    keys = {("编辑(&E)", "新增(&N)"): "Ctrl+N", ("编辑(&E)", "修改(&M)…"): "F2",
            ("编辑(&E)", "查找(&F)"): "Ctrl+F", ("文件(&F)", "打印/导出PDF(&P)…"): "Ctrl+P",
            ("文件(&F)", "退出(&X)"): "Ctrl+Q", ("视图(&V)", "刷新(&R)"): "F5",
            ("视图(&V)", "首页(&1)"): "Ctrl+1", ("视图(&V)", "权责清单(&2)"): "Ctrl+2"}
    for (title, text), key in keys.items():
        assert item(window, title, text).shortcut() == QKeySequence(key), text
    # The table's own keys are shown after the text, not bound to the window.
    delete = item(window, "编辑(&E)", "删除(&D)…")
    assert delete.text().endswith("\tDelete") and delete.shortcut().isEmpty()
    assert item(window, "编辑(&E)", "筛选当前列(&L)…").text().endswith("\tAlt+↓")
    for title in ("文件(&F)", "编辑(&E)", "视图(&V)"):  # every entry has its mnemonic letter
        texts = [a.text().split("\t")[0] for a in menu(window, title).actions()
                 if not a.isSeparator() and a.isVisible()]
        marks = [t.split("(&")[1][0] for t in texts if "(&" in t]
        assert len(marks) == len(set(marks)), (title, texts)
    # 退出 moved to 文件: one Ctrl+Q in the window.
    quits = [a for a in window.findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+Q")]
    assert len(quits) == 1


def test_one_action_per_key_in_the_window(qtbot, window):
    """The pages built so far gave their keys to the menus: no page action or shortcut
    holds a key a menu entry holds."""
    window.show_page("整改台账")
    window.show_page("设置")
    window.settings_page.tabs.setCurrentIndex(1)  # 社区: a ledger page in a tab
    window.show_page("首页")
    owned = window.page_menus.keys
    assert {"Ctrl+N", "Ctrl+P", "Ctrl+F", "F2", "F5"} <= owned  # Ctrl+K: the page's extra
    menus = {a for a in window.findChildren(QAction) if a.parent() is window}
    for page in window.ledger_pages() + [window.home]:
        for act in page.findChildren(QAction):
            if act not in menus and not act.shortcut().isEmpty():
                key = act.shortcut().toString()
                assert key not in owned and key != "Ctrl+K", (page, act.text(), key)
    from PySide6.QtGui import QShortcut

    for page in window.ledger_pages() + [window.home]:
        for sc in page.findChildren(QShortcut):
            if sc.isEnabled():
                assert sc.key().toString() not in owned, (page, sc.key().toString())


def test_ctrl_n_from_the_search_box_opens_the_form(qtbot, window):
    page = window.powers
    page.filter_bar.search.setFocus()
    qtbot.waitUntil(page.filter_bar.search.hasFocus)
    qtbot.keyClick(page.filter_bar.search, Qt.Key_N, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.form is not None and page.form.isVisible())
    assert page.form.windowTitle() == "新增权责清单"
    page.form.reject()


def test_keys_work_from_the_navigation_list(qtbot, window, sqlite_demo_db):
    """Focus in the page list, not the page: Ctrl+F still reaches the page's search box,
    Ctrl+K its 办件量 of the current row, F5 reads the rows again."""
    page = window.powers
    page.table.setCurrentIndex(page.model.index(2, 3))
    window.nav.setFocus()
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key_F, Qt.ControlModifier)
    assert page.filter_bar.search.hasFocus()
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key_K, Qt.ControlModifier)
    qtbot.waitUntil(lambda: page.child_dialog is not None and page.child_dialog.isVisible())
    assert page.child_dialog.windowTitle().startswith("办件量")
    page.child_dialog.reject()
    active(qtbot, window)
    # Another PC adds an item; F5 (focus still in the navigation) shows it.
    services.save_row(sqlite_demo_db, POWERS, {"list_kind": "属地管理事项", "power_type": "行政检查",
                                               "name": "别处新增的事项", "status": "已承接"})
    assert page.model.rowCount() == TOTAL
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key_F5)
    page.loader.wait()
    assert page.model.rowCount() == TOTAL + 1


def test_entries_follow_the_current_page(qtbot, window):
    new, edit = item(window, "编辑(&E)", "新增(&N)"), item(window, "编辑(&E)", "修改(&M)…")
    xlsx = item(window, "文件(&F)", "导出Excel(&E)…")
    page = window.powers
    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, -1))
    assert new.isEnabled() and xlsx.isEnabled() and not edit.isEnabled()
    page.table.setCurrentIndex(page.model.index(0, 3))
    assert edit.isEnabled()  # followed the page's 编辑 at once
    window.show_page("首页")
    assert not new.isEnabled() and not edit.isEnabled() and not xlsx.isEnabled()
    assert item(window, "视图(&V)", "刷新(&R)").isEnabled()  # 首页 reloads too
    qtbot.keyClick(window.nav, Qt.Key_N, Qt.ControlModifier)  # disabled: nothing opens
    assert page.form is None
    # A ledger tab of 设置 is a ledger page for the menus.
    window.show_page("设置")
    tabs = window.settings_page.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "社区"))
    communities = window.settings_page.communities
    assert window.page_menus.current_page() is communities and new.isEnabled()
    new.trigger()
    qtbot.waitUntil(lambda: communities.form is not None)
    assert communities.form.windowTitle() == "新增社区"
    communities.form.reject()
    tabs.setCurrentIndex(0)  # 街道信息: no ledger
    assert not new.isEnabled()


def test_a_viewer_is_not_offered_writes_and_sees_查看(qtbot, admin_db):
    auth.create_user(admin_db, "viewer", PW, "viewer")
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    window = make_window(qtbot, admin_db)
    assert not item(window, "编辑(&E)", "新增(&N)").isVisible()
    assert not item(window, "编辑(&E)", "删除(&D)…").isVisible()
    assert not item(window, "文件(&F)", "导入(&I)…").isVisible()
    page = window.powers
    page.table.setCurrentIndex(page.model.index(0, 3))
    assert any(a.text() == "查看(&M)…" for a in menu(window, "编辑(&E)").actions())
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    assert page.form is None


def test_ctrl_digits_open_pages_and_put_the_keyboard_there(qtbot, window):
    qtbot.keyClick(window.powers.table, Qt.Key_1, Qt.ControlModifier)
    assert window.stack.currentWidget() is window.home
    qtbot.keyClick(window.nav, Qt.Key_5, Qt.ControlModifier)  # 整改台账
    page = window.page_of("rectification")
    assert window.page_menus.current_page() is page and page.table.hasFocus()
    # The 整改台账's own document is listed in 文件; a meeting's row action in 编辑.
    assert any(a.text() == "整改文书…" for a in menu(window, "文件(&F)").actions())
    qtbot.keyClick(page.table, Qt.Key_6, Qt.ControlModifier)  # 联席会议: its first page
    assert window.page_menus.current_page() is window.page_of("meetings")
    assert any(a.text() == "添加议定事项" for a in menu(window, "编辑(&E)").actions())
    assert not any(a.text() == "整改文书…" for a in menu(window, "文件(&F)").actions())


def test_font_size_from_the_view_menu(qtbot, window, app):
    from ui.appearance import saved_font_size

    font = app.font()
    sizes = item(window, "视图(&V)", "字号(&Z)").menu()
    try:
        sizes.aboutToShow.emit()
        assert [a.text() for a in sizes.actions() if a.isChecked()] == ["标准（系统默认）"]
        next(a for a in sizes.actions() if a.text() == "较大（12 磅）").trigger()
        assert app.font().pointSizeF() == 12 and saved_font_size() == 12
        assert window.settings_page.display.font_size.currentText() == "较大（12 磅）"
        sizes.aboutToShow.emit()
        assert [a.text() for a in sizes.actions() if a.isChecked()] == ["较大（12 磅）"]
    finally:
        window.settings_page.display.choose(0)
        app.setFont(font)


def test_columns_from_the_view_menu(qtbot, window):
    page = window.powers
    columns = item(window, "视图(&V)", "显示的列(&C)").menu()
    columns.aboutToShow.emit()
    names = [a.text() for a in columns.actions() if a.isCheckable()]
    assert "事项名称" in names and len(names) == len(page.fields) - len(page.filter_only)
    sub = next(a for a in columns.actions() if a.text() == "子项")
    sub.trigger()  # unticked
    assert page.table.isColumnHidden([f.name for f in page.fields].index("sub_item"))
    columns.aboutToShow.emit()
    next(a for a in columns.actions() if a.text() == "子项").trigger()
    assert not page.table.isColumnHidden([f.name for f in page.fields].index("sub_item"))
    window.show_page("首页")
    assert not columns.menuAction().isEnabled()


def test_print_preview_from_the_file_menu(qtbot, window, monkeypatch):
    """文件 → 打印预览 runs ui.exports.preview_pdf (tested in test_ui_pdf_preview) on the
    page shown: no file name asked, the preview of its rows."""
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    page = window.powers
    item(window, "文件(&F)", "打印预览(&V)").trigger()
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=30000)
    assert page.output_offer.isVisible() and not asked
    assert f"共 {TOTAL} 条" in page.output_offer.note.text()
    page.output_offer.reject()


def test_export_from_another_page_that_exports(qtbot, admin_db, tmp_path, monkeypatch):
    """操作留痕 has its own 导出Excel: 文件 → 导出Excel… runs it there."""
    window = make_window(qtbot, admin_db, page="操作留痕")
    audit = window.page_menus.current_page()
    called = []
    monkeypatch.setattr(type(audit), "export_xlsx", lambda self: called.append(self))
    window.page_menus.follow()
    xlsx = item(window, "文件(&F)", "导出Excel(&E)…")
    assert xlsx.isEnabled() and not item(window, "编辑(&E)", "新增(&N)").isEnabled()
    xlsx.trigger()
    assert called == [audit]


def test_ctrl_p_from_the_search_box_fires_once(qtbot, window, monkeypatch, tmp_path, qtlog):
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "报表.pdf"), ""))
    page = window.powers
    page.filter_bar.search.setFocus()
    qtbot.keyClick(page.filter_bar.search, Qt.Key_P, Qt.ControlModifier)
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    assert page.output_offer.isVisible() and (tmp_path / "报表.pdf").exists()
    page.output_offer.reject()
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_a_second_action_on_a_key_would_silence_it(qtbot, window, qtlog):
    """What the design avoids, shown: a page action on Ctrl+N beside the menu's makes Qt
    fire neither and report the overload."""
    page = window.powers
    extra = QAction("又一个新增", page)
    extra.setShortcut(QKeySequence("Ctrl+N"))
    page.addAction(extra)
    fired = []
    extra.triggered.connect(lambda: fired.append(1))
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key_N, Qt.ControlModifier)
    assert page.form is None and not fired
    assert [r for r in qtlog.records if "Ambiguous" in r.message]
