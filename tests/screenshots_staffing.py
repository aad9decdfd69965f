"""Screenshots of the 机构编制 pages (编制核定, 人员: the generic ledger page), the person
form with its posts, a refused save, and the posts dialog, on the demo data.

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
    dlg = s.keep(ChildrenDialog(db, STAFF, STAFF.child("posts"), row_id,
                                page.model.cell_text(row, 0), page.model.row_version(row), win))
    s.shot(dlg, "st_06_posts")
    s.dispose(dlg)
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
