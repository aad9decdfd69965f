"""The 核查 page as a grid administrator uses it: every declared check with its count, the
offending rows beneath; activating a row opens it selected on its ledger's page, even
when that page was filtered; an administrator edits the visit intervals here."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app.checks import declared


def _top(page, label):
    tree = page.tree
    return next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                if tree.topLevelItem(i).text(0) == label)


def test_each_line_opens_the_offending_row(qtbot, window):
    window.show_page("核查")
    page = window.checks_page
    assert page.tree.topLevelItemCount() == len(declared())
    heads = _top(page, "无楼栋长的楼栋")
    assert heads.text(1) == "3" and heads.childCount() == 3
    # The buildings page is filtered to rows that hide the one we open.
    buildings = window.page_of("buildings")
    buildings.loader.wait()
    buildings.filter_bar.search.setText("不存在的楼栋")
    child = heads.child(0)
    ledger, row_id = child.data(0, Qt.UserRole)
    assert ledger == "buildings"
    page.open_item(child)
    assert window.stack.currentWidget().spec.key == "buildings"
    qtbot.waitUntil(lambda: buildings.current_id() == row_id, timeout=10000)
    assert buildings.filter_bar.search.text() == ""
    # An estate line opens the estates page.
    window.show_page("核查")
    party = _top(page, "未建党组织的小区").child(0)
    page.open_item(party)
    estates = window.page_of("estates")
    qtbot.waitUntil(lambda: estates.current_id() == party.data(0, Qt.UserRole)[1],
                    timeout=10000)


def test_an_administrator_changes_the_visit_intervals_here(qtbot, window, monkeypatch):
    window.show_page("核查")
    page = window.checks_page
    before = int(_top(page, "走访逾期的重点人员").text(1))
    assert page.intervals.isVisible()  # setup mode: everything

    def answer(dlg):
        dlg.spins["绿"].setValue(1)
        dlg.spins["黄"].setValue(1)
        return QDialog.Accepted

    from ui import checks_page

    monkeypatch.setattr(checks_page.IntervalsDialog, "exec", answer)
    page.edit_intervals()
    from app.grids import visit_days

    assert visit_days(window.db)["绿"] == 1
    assert int(_top(page, "走访逾期的重点人员").text(1)) > before
