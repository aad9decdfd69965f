"""The 整改台账 in the GUI: warnings painted in their colours, 设置 → 整改预警与评比 (an
administrator saves, a bad weight is named under its box, a viewer reads only), and the
整改文书 dialog writing a PDF (and issuing the 红黑榜) off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import auth
from app.rectification import parse_period
from app.rectification_lists import issued_list
from app.rectification_settings import get_settings
from app.specs.rectification import PROBLEMS
from app.specs.rectification_columns import WARNING_COLOURS
from tests.conftest import make_window

PW = "Viewer12345"


def test_warning_cells_are_painted_in_their_colour(qtbot, admin_db):
    window = make_window(qtbot, admin_db)
    page = window.page_of("rectification")
    qtbot.waitUntil(lambda: page.model.rowCount() == 792, timeout=20000)
    model = page.model
    col = next(i for i, f in enumerate(model.fields) if f.name == "warning")
    seen = {}
    for r in range(model.rowCount()):
        text = model.cell_text(r, col)
        if text in WARNING_COLOURS and text not in seen:
            seen[text] = model.data(model.index(r, col), Qt.BackgroundRole).color().name()
        if text == "正常":
            assert model.data(model.index(r, col), Qt.BackgroundRole) is None
    assert seen == WARNING_COLOURS
    status = next(i for i, f in enumerate(model.fields) if f.name == "status")
    fore = model.data(model.index(0, status), Qt.ForegroundRole)
    assert fore is not None  # the state's chip colour, text readable on it


def _panel(window):
    window.show_page("设置")
    tabs = window.settings_page.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count())
                              if tabs.tabText(i) == "整改预警与评比"))
    return window.settings_page.rectification()


def test_admin_edits_the_thresholds_and_rules(qtbot, admin_db):
    window = make_window(qtbot, admin_db)
    panel = _panel(window)
    panel.editors["warn_days"].setValue(7)
    panel.editors["completion_weight"].setValue(70)  # 70 + 40: refused, named
    qtbot.mouseClick(panel.save_button, Qt.LeftButton)
    assert panel.errors["on_time_weight"].isVisibleTo(panel)
    assert "100" in panel.errors["on_time_weight"].text()
    assert get_settings(admin_db).warn_days == 10  # nothing saved
    panel.editors["on_time_weight"].setValue(30)
    qtbot.mouseClick(panel.save_button, Qt.LeftButton)
    assert panel.status.text() == "已保存"
    got = get_settings(admin_db)
    assert (got.warn_days, got.completion_weight, got.on_time_weight) == (7, 70, 30)


def test_a_viewer_sees_the_settings_read_only(qtbot, admin_db):
    auth.create_user(admin_db, "viewer1", PW, "viewer")
    auth.login(admin_db, "viewer1", PW)
    window = make_window(qtbot, admin_db)
    panel = _panel(window)
    assert not panel.save_button.isVisibleTo(panel)
    assert not panel.editors["warn_days"].isEnabled()
    assert "只有管理员" in panel.status.text()


def test_the_documents_dialog_issues_the_red_black_list(qtbot, admin_db, tmp_path,
                                                       monkeypatch):
    from ui import rectification_docs_dialog as docs

    window = make_window(qtbot, admin_db)
    page = window.page_of("rectification")
    dialog = docs.open_documents(page)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("红黑榜（单页张贴）")
    assert dialog.issue.isEnabled() and dialog.exempt.isEnabled()
    dialog.kind.setCurrentText("年度总结")
    assert not dialog.issue.isEnabled() and not dialog.exempt.isEnabled()
    dialog.kind.setCurrentText("红黑榜（单页张贴）")
    period = parse_period(dialog.period.text())
    dialog.issue.setChecked(True)
    dialog.exempt.setPlainText("党建工作办公室 承担迎检")  # no “=”: refused, named
    shown = []
    monkeypatch.setattr("ui.dialogs.show_error", lambda _p, exc, *_a: shown.append(str(exc)))
    dialog.generate()
    assert shown and "第 1 行" in shown[0] and issued_list(admin_db, period) is None
    dialog.exempt.setPlainText("党建工作办公室=承担全区迎检任务")
    out = tmp_path / "rb.pdf"
    monkeypatch.setattr("ui.exports.ask_save_path", lambda *a, **k: out)
    monkeypatch.setattr("ui.exports.offer_open", lambda *a, **k: None)
    dialog.generate()
    qtbot.waitUntil(lambda: out.exists() and issued_list(admin_db, period) is not None,
                    timeout=30000)
    rb = issued_list(admin_db, period)
    assert [u.exempt for u in rb.exempted] == ["承担全区迎检任务"]
    assert PROBLEMS.key == page.spec.key
