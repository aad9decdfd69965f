"""机构编制 in the window: 编制总览 sits in the navigation beside the staffing ledgers;
its matrix and leader grid print the reads' numbers with 超编 / 超配 red; a click on a
number shows the people behind it on the 人员 page; a 核查 line lists its rows; the person
form warns before saving (编制类型 not authorised, an area code); 设置 → 等级薪酬 saves an
administrator's table; the 人员 page's strip and filters reach the issue's filters."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.ids import id_check_char
from app.services import list_rows
from app.specs.staff import STAFF
from app.staffing_pay import load, pay_rows
from app.staffing_reads import establishment_matrix
from ui import dialogs
from ui.table_model import ALERT


def _overview(window):
    window.show_page("编制总览")
    title = [t for t, _p in window.pages].index("编制总览")
    return window.pages[title][1].built()


def _row_of(table, name: str) -> int:
    return next(r for r in range(2, table.rowCount())
                if table.item(r, 0) is not None and table.item(r, 0).text() == name)


def test_the_overview_sits_beside_the_staffing_ledgers(window):
    texts = [window.nav.item(r).text().strip() for r in range(window.nav.count())]
    at = texts.index("机构编制")
    assert texts[at + 1:at + 4] == ["编制总览", "编制核定", "人员"]


def test_the_matrix_prints_the_reads_with_over_strength_red(window, sqlite_demo_db):
    page = _overview(window)
    m = establishment_matrix(sqlite_demo_db)
    t = page.matrix_table
    body = dict((name, b) for b, name in m.bodies)["综合行政执法办公室"]
    r = _row_of(t, "综合行政执法办公室")
    assert [t.item(r, c).text() for c in range(1, 5)] == [
        str(v) if v else "" for v in m.body_total(body).values()]
    assert t.item(r, 4).foreground().color() == ALERT  # 超编 1
    total = _row_of(t, "合计")
    assert t.item(total, 1).text() == str(m.total().authorised)
    assert "超编机构：" in page.summary.text() and "综合行政执法办公室" in page.summary.text()
    # Every 实有 cell: a click shows exactly its people.
    staff = window.page_of("staff")
    for k, ty in enumerate(m.types, 1):
        cell = m.cell(body, ty)
        if not cell.actual:
            continue
        page.show()
        t.cellClicked.emit(r, 4 * k + 2)
        assert window.nav.currentItem().text().strip() == "人员"
        assert staff.model.rowCount() == cell.actual, ty


def test_leader_posts_over_are_red_and_clickable(window, sqlite_demo_db):
    page = _overview(window)
    t = page.leader_table
    r = _row_of(t, "社区治理办公室")
    assert t.item(r, 7).text() == "1" and t.item(r, 7).foreground().color() == ALERT
    t.cellClicked.emit(r, 6)  # 副职 实配: the two deputies
    staff = window.page_of("staff")
    assert staff.model.rowCount() == 2
    ranks = {staff.model.cell_text(i, [f.name for f in staff.fields].index("leader_rank"))
             for i in range(2)}
    assert ranks == {"副职"}


def test_a_check_lists_its_rows(window, sqlite_demo_db, qtbot):
    page = _overview(window)
    found = {c.key: c for c in page.checks}
    assert len(found["staff.area_code"].ids) == 3
    item = next(page.check_list.item(i) for i in range(page.check_list.count())
                if page.check_list.item(i).data(Qt.UserRole) == "staff.area_code")
    page.check_list.itemActivated.emit(item)
    dlg = window.rows_dialog
    qtbot.addWidget(dlg)
    assert dlg.model.rowCount() == 3
    assert "1995年起使用" in dlg.model.cell_text(0, 0)
    assert "*" in dlg.model.cell_text(0, [f.name for f in dlg.model.fields].index("id_number"))
    dlg.close()


def test_the_form_warns_once_then_saves(window, sqlite_demo_db, qtbot):
    from ui.form_dialog import FormDialog

    form = FormDialog(sqlite_demo_db, STAFF, None, window)
    qtbot.addWidget(form)
    body = "51050419800101001"
    for name, value in (("name", "龙马"), ("id_number", body + id_check_char(body)),
                        ("category", "事业"), ("est_type", "工勤编制")):
        form.editors[name].set_value(value)
    combo = form.editors["est_body_id"].widget
    combo.setCurrentIndex(combo.findText("党建工作办公室"))
    before = len(list_rows(sqlite_demo_db, STAFF).ids)
    form.save()
    assert form.saved_id is None and not form.general.isHidden()
    assert "龙马潭区" in form.errors["id_number"].text()
    assert "未在编制所在机构“党建工作办公室”核定" in form.errors["est_type"].text()
    assert len(list_rows(sqlite_demo_db, STAFF).ids) == before
    form.save()  # the same warnings again: saved
    assert form.saved_id is not None
    assert len(list_rows(sqlite_demo_db, STAFF).ids) == before + 1


def test_the_pay_tab_saves_and_refuses_with_a_message(window, sqlite_demo_db, monkeypatch):
    monkeypatch.setattr(dialogs, "show_error", lambda *a, **k: None)
    window.show_page("设置")
    panel = window.settings_page.pay_table()
    col = panel.posts.index("正职")
    try:
        panel.table.item(0, col).setText("5300")  # 18级
        panel.save()
        assert panel.status.text() == "已保存"
        assert pay_rows(sqlite_demo_db)["正职"][18] == 5300
        panel.table.item(5, col).setText("")  # 13级 out of the middle of 7–18
        panel.save()
        assert "等级须连续" in panel.status.text()
        assert pay_rows(sqlite_demo_db)["正职"][13] == 4200
    finally:
        load(sqlite_demo_db)


def test_the_staff_page_reaches_the_issues_filters(window, sqlite_demo_db):
    """body, type, category, status in the bar; certified, ≥ 2 posts, a lapsing
    certificate on the strip (a click filters)."""
    window.show_page("人员")
    page = window.page_of("staff")
    assert {"work_body_id", "est_type", "category", "status", "cert_state"} <= set(
        page.filter_bar.combos)
    rows = list_rows(sqlite_demo_db, STAFF)
    names = [f.name for f in rows.fields]

    def count(**want):
        return sum(1 for r in rows.rows if all(r[names.index(k)] == v for k, v in want.items()))

    for where in ({"multi_post": True, "on_books": True}, {"certified": True, "on_books": True},
                  {"cert_state": "将到期", "on_books": True}):
        page.show_figure(where)
        assert page.model.rowCount() == count(**where) > 0, where
    page.show_figure({})
