"""Settings page (street name, communities, bodies) and remembered window state."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import services
from app.areas import district_name
from app.specs.settings import BODIES, COMMUNITIES
from tests.conftest import make_window
from ui import dialogs
from ui.settings import qsettings


def test_settings_page_saves_the_street_name(qtbot, window, sqlite_demo_db):
    window.show_page("设置")
    form = window.settings_page.street_form
    assert form.street.text() == "南城街道"
    form.street.setText("  北城街道 ")
    form.district.setText("龙马潭区")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert sqlite_demo_db.street_name() == "北城街道"
    assert district_name(sqlite_demo_db) == "龙马潭区"
    assert form.street.text() == "北城街道"  # reloaded, cleaned
    assert window.windowTitle().endswith("北城街道")
    assert form.status.text() == "已保存"


def test_empty_street_name_is_refused_next_to_the_field(qtbot, window, sqlite_demo_db):
    window.show_page("设置")
    form = window.settings_page.street_form
    form.street.setText("   ")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.errors["street"].isVisible()
    assert "不能为空" in form.errors["street"].text()
    assert sqlite_demo_db.street_name() == "南城街道"


def test_communities_and_bodies_are_generic_ledger_pages(qtbot, window, sqlite_demo_db):
    sp = window.settings_page
    window.show_page("设置")
    sp.tabs.setCurrentWidget(sp.communities)
    assert sp.communities.model.rowCount() == 11
    assert [f.label for f in sp.communities.fields] == [f.label for f in COMMUNITIES.table_fields]
    sp.communities.new_row()
    form = sp.communities.form
    form.editors["name"].widget.setText("新建社区")
    form.editors["sort_order"].widget.setValue(12)
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: sp.communities.form is None)
    assert "新建社区" in services.list_rows(sqlite_demo_db, COMMUNITIES).column("name")

    # A body renamed in settings shows under its new name in the powers page and its filter.
    sp.tabs.setCurrentWidget(sp.bodies)
    bodies = sp.bodies
    row = next(r for r in range(bodies.model.rowCount())
               if bodies.model.cell_text(r, 0) == "便民服务中心")
    bodies.table.setCurrentIndex(bodies.model.index(row, 0))
    bodies.edit_current()
    bodies.form.editors["name"].widget.setText("政务服务中心")
    qtbot.mouseClick(bodies.form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bodies.form is None)
    assert window.powers.stale
    window.show_page("权责清单")
    combo = window.powers.filter_bar.combos["body_id"]
    assert combo.findText("政务服务中心") > 0 and combo.findText("便民服务中心") < 0
    body_col = [f.name for f in window.powers.fields].index("body_id")
    shown = {window.powers.model.cell_text(r, body_col)
             for r in range(window.powers.model.rowCount())}
    assert "政务服务中心" in shown and "便民服务中心" not in shown


def _powers_of(db, body_name: str) -> int:
    from app.specs.powers import POWERS

    return services.list_rows(db, POWERS).column("body_id").count(body_name)


def test_deleting_a_referenced_body_is_refused_with_the_count(qtbot, window, sqlite_demo_db,
                                                             monkeypatch):
    shown = []

    def confirm(_parent, title, text, ok="确定"):
        shown.append(text)
        return True  # 确认删除, then 查看这些记录

    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: None)  # the admin declines
    bodies = window.settings_page.bodies
    bodies.table.setCurrentIndex(bodies.model.index(0, 0))
    name = bodies.model.cell_text(0, 0)
    n = _powers_of(sqlite_demo_db, name)
    assert n > 0
    bodies.delete_selected()
    assert name in services.list_rows(sqlite_demo_db, BODIES).column("name")
    assert f"仍被 {n} 条权责清单、" in shown[1]  # and the staffing ledgers' rows
    # 查看这些记录: the powers page, filtered to the items naming that body.
    assert window.stack.currentWidget() is window.powers
    assert window.powers.model.rowCount() == n


def _types_of(db, body_name):
    """The 编制类型 authorised in a body: two bodies sharing one cannot be merged."""
    from sqlalchemy import select

    from app.models import Authorisation, FunctionalBody

    with db.session() as s:
        return set(s.execute(select(Authorisation.est_type).join(
            FunctionalBody, FunctionalBody.id == Authorisation.body_id)
            .where(FunctionalBody.name == body_name,
                   Authorisation.deleted_at.is_(None))).scalars())


def test_an_admin_moves_the_references_and_deletes(qtbot, window, sqlite_demo_db, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *a, **k: True)

    def refused(_parent, exc, *_a):  # a modal box would wait for a click forever
        raise AssertionError(getattr(exc, "message", exc))

    monkeypatch.setattr(dialogs, "show_error", refused)
    bodies = window.settings_page.bodies
    name = bodies.model.cell_text(0, 0)
    # A body whose authorisations do not clash with the deleted one's.
    other = next(bodies.model.cell_text(r, 0) for r in range(1, bodies.model.rowCount())
                 if not _types_of(sqlite_demo_db, name) & _types_of(sqlite_demo_db,
                                                                     bodies.model.cell_text(r, 0)))
    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: other)
    n, m = _powers_of(sqlite_demo_db, name), _powers_of(sqlite_demo_db, other)
    bodies.table.setCurrentIndex(bodies.model.index(0, 0))
    bodies.delete_selected()
    assert name not in services.list_rows(sqlite_demo_db, BODIES).column("name")
    assert bodies.model.rowCount() == 8
    assert _powers_of(sqlite_demo_db, other) == n + m
    page = window.powers  # it shows those references: reloaded (visible) or marked stale
    col = [f.name for f in page.fields].index("body_id")
    assert page.stale or sum(page.model.cell_text(r, col) == other
                             for r in range(page.model.rowCount())) == n + m


def test_column_widths_hidden_columns_and_sort_are_remembered(qtbot, sqlite_demo_db):
    w1 = make_window(qtbot, sqlite_demo_db)
    page = w1.powers
    page.table.setColumnWidth(3, 333)
    page.columns.set_hidden(4, True)
    page.table.sortByColumn(1, Qt.DescendingOrder)
    w1.splitter.setSizes([200, 1100])
    sizes = w1.splitter.sizes()
    w1.close()
    assert "333" in str(qsettings().value("ledger/powers/widths"))

    w2 = make_window(qtbot, sqlite_demo_db)
    assert w2.powers.table.columnWidth(3) == 333
    assert w2.powers.table.isColumnHidden(4)
    header = w2.powers.table.horizontalHeader()
    assert header.sortIndicatorSection() == 1
    assert header.sortIndicatorOrder() == Qt.DescendingOrder
    assert w2.splitter.sizes() == sizes
    # A fresh settings file (another PC) starts from the fitted defaults again.
    qsettings().clear()
    w3 = make_window(qtbot, sqlite_demo_db)
    qtbot.waitUntil(lambda: w3.powers.table.columnWidth(3) != 333)
    assert not w3.powers.table.isColumnHidden(4)


def test_the_stretched_last_column_width_is_not_remembered(qtbot, sqlite_demo_db):
    # A short filtered list (no vertical scroll bar) or a maximised window stretches
    # the last column; that width must not come back in a narrower view.
    w1 = make_window(qtbot, sqlite_demo_db)
    w1.resize(2600, 768)  # wider than the columns need: the last one stretches
    table = w1.powers.table
    last = w1.powers.fields[-1].name
    qtbot.waitUntil(lambda: table.horizontalHeader().length() == table.viewport().width())
    table.setColumnWidth(3, 150)  # a width the user chose: saved
    saved = str(qsettings().value("ledger/powers/widths"))
    assert '"name": 150' in saved and f'"{last}"' not in saved
    w1.close()
    qsettings().setValue("ledger/powers/widths", saved[:-1] + f', "{last}": 900}}')
    w2 = make_window(qtbot, sqlite_demo_db)
    w2.resize(2600, 768)
    table = w2.powers.table
    qtbot.waitUntil(lambda: table.horizontalHeader().length() == table.viewport().width())
    assert table.columnWidth(3) == 150
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0


def test_added_pages_join_the_navigation_and_hear_of_changes(qtbot, window, sqlite_demo_db):
    from ui.ledger_page import LedgerPage

    extra = LedgerPage(sqlite_demo_db, COMMUNITIES)
    window.add_page("社区名册", extra)
    assert window.nav.item(window.nav.count() - 1).text() == "社区名册"
    window.show_page("社区名册")
    assert window.stack.currentWidget() is extra
    communities = window.settings_page.communities
    communities.table.setCurrentIndex(communities.model.index(0, 0))
    communities.edit_current()
    communities.form.editors["name"].widget.setText("白塔新社区")
    qtbot.mouseClick(communities.form.save_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: communities.form is None)
    # The same ledger shown elsewhere: visible, so it reloaded at once.
    # The powers list shows no community: a change of communities leaves it alone.
    assert not extra.stale and not window.powers.stale
    assert not communities.stale  # the page that wrote reloaded itself
    assert "白塔新社区" in [extra.model.cell_text(r, 0) for r in range(extra.model.rowCount())]
