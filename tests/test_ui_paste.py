"""Ctrl+V on a ledger page, the way a person uses it: a block copied from Excel goes
through the import pipeline — the preview names the bad lines, nothing is written until
确认写入, cancel writes nothing — by its headings or, without them, onto the table's
columns from the current one; rows with a known natural key are updated; a viewer is
refused."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from sqlalchemy import func, select

from app import auth, services
from app.errors import UserError
from app.ids import id_check_char
from app.models import AuditEntry
from app.specs import get_spec
from app.specs.powers import POWERS
from tests.admin_helpers import PW
from tests.conftest import make_window
from tests.ui_helpers import active
from ui import dialogs

WAIT = 60_000  # ms: a bound for the worker, never a timing assertion


def audit_count(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def live(db, key: str) -> int:
    return services.count_rows(db, get_spec(key))


def col(page, name: str) -> int:
    return [f.name for f in page.fields].index(name)


def excel_text(rows: list[list[str]]) -> str:
    """What Excel puts on the clipboard: tabs, CR LF after every row, a cell holding a
    tab, a line break or a quote in quotes."""
    def cell(v: str) -> str:
        return '"' + v.replace('"', '""') + '"' if any(ch in v for ch in '\t\n"') else v
    return "".join("\t".join(cell(v) for v in r) + "\r\n" for r in rows)


def activate(qtbot, page) -> None:
    """The window active again, with the table's keyboard focus."""
    active(qtbot, page.window())
    page.table.setFocus()


def paste(qtbot, page, text: str, column: str | None = None):
    """Ctrl+V on the table with `text` on the clipboard, the current cell in `column`;
    returns the dialog once its check is done."""
    if column is not None:
        page.table.setCurrentIndex(page.model.index(0, col(page, column)))
    QGuiApplication.clipboard().setText(text)
    activate(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key_V, Qt.ControlModifier)
    qtbot.waitUntil(lambda: getattr(page, "paste_dialog", None) is not None, timeout=WAIT)
    dlg = page.paste_dialog
    qtbot.waitUntil(lambda: not dlg.busy and dlg.plan is not None, timeout=WAIT)
    return dlg


def confirm(qtbot, page, dlg) -> None:
    assert dlg.confirm_button.isEnabled()
    qtbot.mouseClick(dlg.confirm_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: page.paste_dialog is None, timeout=WAIT)


def problem_rows(dlg) -> list[tuple[str, ...]]:
    return list(dlg.check_page.problems.rows)


def five_hundred_with_three_bad() -> tuple[list[list[str]], dict[int, str]]:
    rows, bad = [], {17: "行政坏", 250: "", 499: "dup"}
    for n in range(1, 501):
        kind, ptype, name = "属地管理事项", "行政检查", f"粘贴事项{n:03d}"
        if n == 17:
            ptype = "行政坏"  # not a power type
        elif n == 250:
            name = ""  # 事项名称 is required
        elif n == 499:
            name = "粘贴事项010"  # the same item as line 10
        rows.append([kind, ptype, f"ZT-{n:03d}", name])
    return rows, bad


def test_500_rows_with_3_bad_preview_names_them_and_nothing_is_written_until_confirmed(
        qtbot, window, tmp_path):
    page, db = window.powers, window.db
    rows, bad = five_hundred_with_three_bad()
    text = excel_text(rows)
    before = (live(db, "powers"), audit_count(db))

    dlg = paste(qtbot, page, text, "list_kind")
    assert not dlg.block.headed and dlg.block.lines == 500
    assert "按表格中从“清单类别”起的列依次对应" in dlg.intro.text()
    problems = problem_rows(dlg)
    assert sorted({int(p[1]) for p in problems}) == sorted(bad)  # the pasted lines, by number
    by_line = {int(p[1]): p for p in problems}
    assert "行政坏" in by_line[17][3] and by_line[250][3] == "必填"
    assert "与第 10 行重复" in by_line[499][3]
    assert "将新增 <b" in dlg.check_page.counts.text() and "497" in dlg.check_page.counts.text()
    assert not dlg.confirm_button.isEnabled()  # rejected lines: nothing, or the valid ones ticked
    red = [r + 1 for r in range(dlg.lines.rowCount())
           if dlg.lines.item(r, 0).foreground().color().name() == "#c62828"]
    assert red == [17]  # of the preview's first 50 lines
    assert (live(db, "powers"), audit_count(db)) == before  # the check wrote nothing
    dlg.resize(1060, 640)  # its size on a 1366×768 screen (the offscreen one is 800×600)
    qtbot.wait(100)
    assert dlg.grab().save(str(tmp_path / "paste-preview.png"))
    dlg.check_page.tabs.setCurrentIndex(3)
    qtbot.wait(100)
    assert dlg.grab().save(str(tmp_path / "paste-preview-lines.png"))

    qtbot.mouseClick(dlg.close_button, Qt.LeftButton)  # 取消
    qtbot.waitUntil(lambda: page.paste_dialog is None)
    assert (live(db, "powers"), audit_count(db)) == before
    assert window.statusBar().currentMessage() == "已取消粘贴，未写入任何数据"

    dlg = paste(qtbot, page, text, "list_kind")
    dlg.check_page.accept_valid.setChecked(True)  # the wizard's 只导入有效行
    assert (live(db, "powers"), audit_count(db)) == before  # still nothing
    confirm(qtbot, page, dlg)
    assert live(db, "powers") == before[0] + 497
    assert audit_count(db) == before[1] + 497 + 1  # a create entry per row, and the import's
    assert page.model.rowCount() == before[0] + 497
    names = set(services.list_rows(db, POWERS).column("name"))
    assert "粘贴事项016" in names and "粘贴事项017" not in names
    message = window.statusBar().currentMessage()
    assert message.startswith("已粘贴到权责清单：新增 497 行，更新 0 行；被拒绝的 3 行未写入")
    with db.session() as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(2)).all()
    assert last[0].action == "import" and last[0].summary.startswith("从剪贴板粘贴（按关键字段更新）")
    assert last[1].summary.endswith("（从剪贴板粘贴）")


def test_paste_with_headings_maps_by_heading_on_the_staff_page(qtbot, window):
    page, db = window.page_of("staff"), window.db
    window.show_page("人员")

    def id_number(n: int) -> str:
        body = f"51050219900101{n:03d}"
        return body + id_check_char(body)

    heads = ["序号", "人员类别", "姓名", "身份证号码", "备注"]  # another order, one unknown
    rows = [[str(n), "社区工作者", f"粘贴人员{n}", id_number(n), f"第 {n} 位\n（两行备注）"]
            for n in range(1, 4)]
    before = live(db, "staff")
    page.table.setCurrentIndex(page.model.index(0, col(page, "remarks")))  # headings decide
    dlg = paste(qtbot, page, excel_text([heads, *rows]))
    assert dlg.block.headed
    assert "不导入的列：A列“序号”" in dlg.check_page.notes.text()
    assert not problem_rows(dlg)
    confirm(qtbot, page, dlg)
    assert live(db, "staff") == before + 3
    stored = {r["name"]: r for r in (services.get_row(db, page.spec, i)
                                     for i in services.list_rows(db, page.spec).ids)}
    assert stored["粘贴人员2"]["id_number"] == id_number(2)
    assert stored["粘贴人员2"]["category"] == "社区工作者"
    # The quoted two-line cell is one cell of its row (its line break a space, as every
    # text the app keeps), not a row of its own.
    assert stored["粘贴人员2"]["remarks"] == "第 2 位 （两行备注）"


def test_paste_without_headings_starts_at_the_current_column(qtbot, window):
    """整改台账 from 问题名称 on: 问题编号 (left of the cell) is given on insert; 牵头单位 is
    a column the app works out, so its pasted cells are reported, not written."""
    page, db = window.page_of("rectification"), window.db
    window.show_page("整改台账")
    found, deadline = date.today() - timedelta(days=3), date.today() + timedelta(days=60)
    rows = [[f"粘贴问题{n}", "上级督查", "治理环境", "", found.isoformat(), "写了也不算",
             f"责任人{n}", "限时整改", deadline.isoformat()] for n in range(1, 3)]
    before = live(db, "rectification")
    dlg = paste(qtbot, page, excel_text(rows), "title")
    assert not dlg.block.headed
    assert dlg.block.targets[0] == "问题名称" and dlg.block.targets[5] == "牵头单位（不能粘贴）"
    assert "不导入的列：F列“牵头单位”" in dlg.check_page.notes.text()
    assert not problem_rows(dlg)
    confirm(qtbot, page, dlg)
    assert live(db, "rectification") == before + 2
    spec = page.spec
    new = [services.get_row(db, spec, i) for i in services.list_rows(db, spec).ids]
    made = {r["title"]: r for r in new if r["title"].startswith("粘贴问题")}
    assert made["粘贴问题2"]["person"] == "责任人2" and made["粘贴问题2"]["deadline"] == deadline
    assert made["粘贴问题1"]["number"]  # numbered on insert


def test_paste_updates_existing_rows_by_natural_key(qtbot, window):
    page, db = window.powers, window.db
    ids = services.list_rows(db, POWERS).ids[:3]
    olds = [services.get_row(db, POWERS, i) for i in ids]
    heads = ["清单类别", "权力类型", "事项名称", "子项", "备注"]
    rows = [[r["list_kind"], r["power_type"], r["name"], r["sub_item"], f"粘贴更新{n}"]
            for n, r in enumerate(olds)]
    rows.append(["法定权力事项", "行政确认", "粘贴新增的事项", "", "新的"])
    before = (live(db, "powers"), audit_count(db))
    dlg = paste(qtbot, page, excel_text([heads, *rows]))
    counts = dlg.check_page.counts.text()
    assert "将更新 <b" in counts and ">3</b>" in counts and ">1</b>" in counts
    assert (live(db, "powers"), audit_count(db)) == before
    confirm(qtbot, page, dlg)
    assert live(db, "powers") == before[0] + 1
    for n, (i, old) in enumerate(zip(ids, olds, strict=True)):
        now = services.get_row(db, POWERS, i)
        assert now["remarks"] == f"粘贴更新{n}" and now["version"] == old["version"] + 1
        assert now["body_id"] == old["body_id"]  # a column the paste lacked stays as stored
    assert audit_count(db) == before[1] + 3 + 1 + 1
    assert window.statusBar().currentMessage().startswith("已粘贴到权责清单：新增 1 行，更新 3 行")


def test_a_block_wider_than_the_table_from_the_cell_is_refused(qtbot, window, monkeypatch):
    page = window.powers
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc, tb="": shown.append(exc))
    last = [f.name for f in page.fields if not page.table.isColumnHidden(col(page, f.name))][-1]
    page.table.setCurrentIndex(page.model.index(0, col(page, last)))
    page.paste_rows("甲\t乙\t丙\r\n")
    assert len(shown) == 1 and "只有 1 列" in shown[0].message
    assert getattr(page, "paste_dialog", None) is None


def test_a_viewer_is_refused_and_nothing_happens(qtbot, admin_db, monkeypatch):
    auth.create_user(admin_db, "viewer", PW, "viewer")
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    window = make_window(qtbot, admin_db)
    page = window.powers
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc, tb="": shown.append(exc))
    before = (live(admin_db, "powers"), audit_count(admin_db))
    QGuiApplication.clipboard().setText("法定权力事项\t行政确认\t\t查看员粘贴\r\n")
    page.table.setCurrentIndex(page.model.index(0, 0))
    activate(qtbot, page)
    qtbot.keyClick(page.table, Qt.Key_V, Qt.ControlModifier)
    assert len(shown) == 1 and "查看员" in shown[0].message and "无权粘贴" in shown[0].message
    assert getattr(page, "paste_dialog", None) is None
    assert (live(admin_db, "powers"), audit_count(admin_db)) == before
    assert page.act_paste not in page.table.actions()  # not offered in the menu


def test_a_failed_write_writes_nothing_and_says_so(qtbot, window, monkeypatch):
    page, db = window.powers, window.db
    from ui import paste_dialog

    def refused(*_a, **_k):
        raise UserError("导入失败，数据库未作修改：权责清单中已有相同的记录")

    monkeypatch.setattr(paste_dialog, "commit_import", refused)
    before = (live(db, "powers"), audit_count(db))
    dlg = paste(qtbot, page, "法定权力事项\t行政确认\t\t写入失败的事项\r\n", "list_kind")
    qtbot.mouseClick(dlg.confirm_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dlg.busy, timeout=WAIT)
    assert dlg.isVisible() and "写入失败" in dlg.check_page.error.text()
    assert "数据库未作任何修改" in dlg.check_page.error.text()
    assert not dlg.confirm_button.isEnabled()  # that plan is not written twice
    assert (live(db, "powers"), audit_count(db)) == before
    dlg.reject()
    qtbot.waitUntil(lambda: page.paste_dialog is None)


def test_ctrl_v_in_the_search_box_pastes_text_there(qtbot, window):
    page = window.powers
    QGuiApplication.clipboard().setText("处罚")
    activate(qtbot, page)
    page.filter_bar.search.setFocus()
    qtbot.keyClick(page.filter_bar.search, Qt.Key_V, Qt.ControlModifier)
    assert page.filter_bar.search.text() == "处罚"
    assert getattr(page, "paste_dialog", None) is None
