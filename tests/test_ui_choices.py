"""设置 → 可选值: an administrator edits a choice list, the form and the filter offer the
new value; a viewer sees the lists read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import auth, choices
from app.specs.settings import BODIES
from tests.conftest import make_window

PW = "Viewer12345"


def _open_panel(window):
    window.show_page("设置")
    tabs = window.settings_page.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "可选值"))
    return window.settings_page.choices()


def test_admin_adds_a_choice_and_the_ledger_offers_it(qtbot, admin_db, monkeypatch, tmp_path):
    f = BODIES.field("category")
    default = choices.default_choices(f)
    window = make_window(qtbot, admin_db)
    try:
        panel = _open_panel(window)
        row = next(i for i, (s, g) in enumerate(panel.pairs) if s is BODIES and g is f)
        panel.fields.setCurrentRow(row)
        monkeypatch.setattr("ui.choices_panel.QInputDialog.getText",
                            lambda *a, **k: ("临时机构", True))
        qtbot.mouseClick(panel.add_button, Qt.LeftButton)
        qtbot.mouseClick(panel.save_button, Qt.LeftButton)
        assert "已保存" in panel.status.text() and f.choices[-1] == "临时机构"
        window.grab().save(str(tmp_path / "choices.png"))
        page = window.settings_page.bodies
        page.reload()
        combo = page.filter_bar.combos["category"]
        assert combo.findData("临时机构") >= 0  # the page built after the change offers it
        # An empty list is refused with the reason shown, nothing saved.
        panel.values.clear()
        qtbot.mouseClick(panel.save_button, Qt.LeftButton)
        assert "至少要有一个可选值" in panel.status.text() and f.choices[-1] == "临时机构"
    finally:
        choices._set(f, default)


def test_viewer_sees_the_lists_read_only(qtbot, admin_db):
    auth.create_user(admin_db, "viewer", PW, "viewer")
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    window = make_window(qtbot, admin_db)
    panel = _open_panel(window)
    assert not panel.save_button.isVisible() and not panel.add_button.isVisible()
    assert panel.values.count() == len(panel.pairs[0][1].choices)
