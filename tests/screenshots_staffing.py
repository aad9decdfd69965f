"""Screenshots of the 机构编制 pages (编制总览 with its leader-post tab, a click on a cell
showing the people behind it, a 核查 dialog; 编制核定 and 人员: the generic ledger page),
the person form with its posts, a refused save, a save's warnings, the posts dialog, and
设置 → 等级薪酬, on the demo data.

    python tests/screenshots_staffing.py OUTDIR

tests/screenshots.py runs `render_staffing` too."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (1366, 768)


def render_staffing(s, db) -> None:
    from app.specs.staff import STAFF
    from ui.children_dialog import ChildrenDialog
    from ui.form_dialog import FormDialog
    from ui.main_window import MainWindow

    win = s.keep(MainWindow(db))
    win.resize(*SIZE)
    win.show_page("编制总览")
    s.settle()
    s.shot(win, "st_00_overview")
    overview = win.pages[[t for t, _p in win.pages].index("编制总览")][1].built()
    overview.tabs.setCurrentIndex(1)
    s.shot(win, "st_00b_overview_leaders")
    overview.tabs.setCurrentIndex(0)
    over = next(r for r in range(2, overview.matrix_table.rowCount())
                if overview.matrix_table.item(r, 0).text() == "综合行政执法办公室")
    overview.matrix_table.cellClicked.emit(over, 4)  # the body's 超编 (合计)
    s.settle()
    s.shot(win, "st_00c_overview_people")
    win.page_of("staff").show_figure({})
    win.show_page("编制总览")
    s.settle()
    overview.check_opened.emit(next(c for c in overview.checks if c.key == "staff.area_code"))
    s.settle()
    s.shot(win.rows_dialog, "st_00d_check_rows")
    win.rows_dialog.close()
    win.show_page("编制核定")
    s.settle()
    s.shot(win, "st_01_authorisations")
    win.show_page("人员")
    s.settle()
    s.shot(win, "st_02_staff")
    page = win.page_of("staff")
    page.show_figure({"multi_post": True, "on_books": True})  # the strip's 多岗人员 chip
    s.shot(win, "st_03_staff_multi_post")
    page.show_figure({})

    names = [f.name for f in page.fields]
    row = next(r for r in range(page.model.rowCount())
               if page.model.cell_text(r, names.index("post_count")) == "3")
    row_id = page.model.row_id(row)
    form = s.keep(FormDialog(db, STAFF, row_id, win))
    form.resize(900, 700)
    s.shot(form, "st_04_person_form")
    form.editors["gender"].set_value("女" if form.editors["gender"].value() == "男" else "男")
    form.save()  # refused: 性别 against the ID number
    s.shot(form, "st_05_person_form_refused")
    s.dispose(form)
    warn = s.keep(FormDialog(db, STAFF, None, win))
    warn.resize(900, 700)
    for name, value in (("name", "龙马"), ("id_number", "510504198001010016"),
                        ("category", "事业"), ("est_type", "工勤编制")):
        warn.editors[name].set_value(value)
    combo = warn.editors["est_body_id"].widget
    combo.setCurrentIndex(combo.findText("党建工作办公室"))
    warn.save()  # warned, not saved: 编制类型 not authorised, area code later than birth
    s.shot(warn, "st_05b_person_form_warned")
    s.dispose(warn)
    dlg = s.keep(ChildrenDialog(db, STAFF, STAFF.child("posts"), row_id,
                                page.model.cell_text(row, 0), page.model.row_version(row), win))
    s.shot(dlg, "st_06_posts")
    s.dispose(dlg)
    win.show_page("设置")
    win.statusBar().clearMessage()
    win.settings_page.tabs.setCurrentIndex(
        next(i for i in range(win.settings_page.tabs.count())
             if win.settings_page.tabs.tabText(i) == "等级薪酬"))
    s.settle()
    s.shot(win, "st_07_pay_table")
    s.dispose(win)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：python tests/screenshots_staffing.py OUTDIR", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STREETLEDGER_HOME"] = tmp
        from app.db import Database
        from app.demo import load_demo
        from tests.screenshots_admin import Shooter
        from ui.app import create_application

        s = Shooter(create_application(), out)
        db = Database("sqlite:///" + (Path(tmp) / "demo.sqlite3").as_posix())
        try:
            load_demo(db)
            render_staffing(s, db)
        finally:
            s.dispose_all()
            db.close()
    for p in s.shots:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
