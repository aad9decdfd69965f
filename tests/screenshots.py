"""Render every page and dialog offscreen on the demo data to PNG files.

    python tests/screenshots.py OUTDIR [--size 1920x1080] [--scale 1.5] [--guide]

--size is the screen in physical pixels (default 1366x768) and --scale Windows' display
scale (default 1; QT_SCALE_FACTOR, so one process per scale): the window fills that
screen (tests/screenshots_pages.py). tests/screenshots_matrix.py renders 1366x768 and
1920x1080 at 100 % and 150 %, each into its own folder. --guide also refreshes the user
guide's pictures (docs/images, see guide_images.py), from shots at the default size.

Uses a temporary data folder and database, never the user's. Look at the PNGs:
tofu boxes, clipped labels or English text are bugs."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import screenshots_admin  # noqa: E402
from tests.screenshots_admin import Shooter, render_admin  # noqa: E402
from tests.screenshots_dashboard import render_dashboard  # noqa: E402
from tests.screenshots_pages import DEFAULT_SCREEN, configure_screen, parse_screen  # noqa: E402
from tests.screenshots_staffing import render_staffing  # noqa: E402
from tests.screenshots_workflow import render_workflow  # noqa: E402

SIZE = DEFAULT_SCREEN  # the main window's, in logical pixels (set from --size and --scale)
USAGE = "用法：python tests/screenshots.py OUTDIR [--size 1920x1080] [--scale 1.5] [--guide]"


def main(argv: list[str]) -> int:
    global SIZE
    guide = "--guide" in argv
    argv, screen, scale = parse_screen([a for a in argv if a != "--guide"])
    if len(argv) != 1:
        print(USAGE, file=sys.stderr)
        return 2
    if guide and (screen, scale) != (DEFAULT_SCREEN, 1.0):
        print("--guide 只用默认的 1366x768、100% 截图（使用说明的图片）", file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STREETLEDGER_HOME"] = tmp
        SIZE = screenshots_admin.SIZE = configure_screen(screen, scale, Path(tmp))
        code = render_all(out, Path(tmp))
    if guide and code == 0:
        from tests.guide_images import update

        for path in update(out):
            print(path)
    return code


def render_all(out: Path, tmp: Path) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from app import services
    from app.db import Database
    from app.demo import load_demo
    from app.specs.powers import POWERS
    from ui.app import create_application
    from ui.children_dialog import ChildrenDialog
    from ui.dialogs import ConflictDialog, FirstStartDialog
    from ui.form_dialog import FormDialog
    from ui.main_window import MainWindow

    app = create_application()
    s = Shooter(app, out)
    shot, settle = s.shot, s.settle

    empty_db = Database("sqlite:///" + (tmp / "empty.sqlite3").as_posix())
    first = s.keep(FirstStartDialog(empty_db.describe()))
    shot(first, "01_first_start")
    s.dispose(first)
    empty_db.close()

    db = Database("sqlite:///" + (tmp / "demo.sqlite3").as_posix())
    load_demo(db)
    win = s.keep(MainWindow(db))
    win.resize(*SIZE)
    render_dashboard(s, win, tmp)
    win.show_page("权责清单")
    shot(win, "02_main_powers")
    from tests.screenshots_pages import render_pages

    render_pages(s, win)

    page = win.powers
    page.filter_bar.search.setText("处罚")
    page.filter_bar.emit_query()
    combo = page.filter_bar.combos["body_id"]
    combo.setCurrentIndex(combo.findText("综合行政执法办公室"))
    page.table.sortByColumn([f.name for f in page.fields].index("case_count"),
                           Qt.DescendingOrder)
    shot(win, "03_main_powers_filtered_sorted")
    page.filter_bar.clear()
    page.table.sortByColumn(-1, Qt.AscendingOrder)
    # As while a large ledger is read: its first screen shown, the hint after 0.5 s.
    from ui.page_loader import first_screen_text

    page.loader.hint.show_over(page.table)
    page.filter_bar.count.setText(first_screen_text(200, 100_000))
    shot(win, "03b_main_powers_loading_hint")
    page.loader.hint.hide()
    page.reload()

    win.show_page("设置")
    tabs = win.settings_page.tabs
    for i, name in enumerate(["04_settings_street", "05_settings_communities",
                              "06_settings_bodies"]):
        tabs.setCurrentIndex(i)
        shot(win, name)
    win.show_display_settings()
    shot(win, "06b_settings_display")
    panel = win.settings_page.display
    panel.font_size.setCurrentIndex(panel.font_size.count() - 1)  # 特大: nothing clipped?
    settle()
    shot(win, "06c_settings_display_largest")
    win.show_page("权责清单")
    settle()
    shot(win, "06d_main_powers_largest_font")
    panel.font_size.setCurrentIndex(0)
    settle()

    form = s.keep(FormDialog(db, POWERS, None, win))
    shot(form, "07_form_new")
    form.editors["list_kind"].set_value("下放行政权力")
    form.editors["name"].widget.setText("  ")
    form.save()
    shot(form, "08_form_new_validation")
    s.dispose(form)

    page.table.setCurrentIndex(page.model.index(0, 3))
    row_id, version = page.model.row_id(0), page.model.row_version(0)
    form = s.keep(FormDialog(db, POWERS, row_id, win))
    shot(form, "09_form_edit")
    # Someone else saves the same item meanwhile → conflict on save.
    theirs = services.get_row(db, POWERS, row_id)
    theirs.update(status="暂停", remarks="已由区综合执法局收回复核")
    services.save_row(db, POWERS, theirs, row_id, version)
    form.editors["remarks"].widget.setPlainText("本季度开展专项整治")
    form.editors["status"].set_value("运行中")

    def conflict_exec(dlg):
        shot(dlg, "10_conflict")
        dlg.choice = ConflictDialog.EDIT
        return 0

    real_conflict_exec, real_box_exec = ConflictDialog.exec, QMessageBox.exec
    ConflictDialog.exec = conflict_exec
    form.save()
    shot(form, "11_form_after_conflict")
    s.dispose(form)

    dlg = s.keep(ChildrenDialog(db, POWERS, POWERS.child("case_counts"), row_id,
                                page.model.cell_text(0, 3), page.model.row_version(0), win))
    shot(dlg, "12_case_counts")
    s.dispose(dlg)

    def box_exec(box):
        shot(box, "13_confirm_delete")
        return 0

    QMessageBox.exec = box_exec
    page.table.selectRow(0)
    page.delete_selected()
    ConflictDialog.exec, QMessageBox.exec = real_conflict_exec, real_box_exec
    attachment_strips(s, db, page.model.row_id(1))
    from ui.exports import offer_open

    box = offer_open(page, tmp / "南城街道权责清单_属地管理事项_20261202.xlsx",
                     "已导出权责清单 117 行（筛选条件：清单类别为“属地管理事项”）")
    settle()
    shot(box, "13b_export_done")
    box.reject()
    s.dispose(win)

    try:
        render_admin(s, db, tmp)
        render_workflow(s, tmp)
        # On demo data of its own: the admin shots above imported offices and signed in
        # as a viewer.
        staffing_db = Database("sqlite:///" + (tmp / "staffing.sqlite3").as_posix())
        load_demo(staffing_db)
        try:
            render_staffing(s, staffing_db)
        finally:
            staffing_db.close()
    finally:
        s.dispose_all()
        db.close()
    for p in s.shots:
        print(p)
    return 0


def attachment_strips(s, db, row_id: int) -> None:
    """附件: two photos (landscape and portrait), a PDF scan and a Word file; as an editor
    sees it, as a viewer does, and empty."""
    import io

    from PIL import Image, ImageDraw

    from app import attachments
    from app.specs.powers import POWERS
    from ui.attachment_editor import AttachmentStrip

    def photo(colour: str, size: tuple[int, int]) -> bytes:
        im = Image.new("RGB", size, colour)
        w, h = size
        ImageDraw.Draw(im).rectangle((w // 5, h // 3, w * 4 // 5, h * 2 // 3), fill="#f4f1e8")
        out = io.BytesIO()
        im.save(out, "JPEG")
        return out.getvalue()

    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    attachments.add_attachments(db, POWERS, row_id, "photos", [
        (photo("#4a7f5a", (1600, 1200)), "整改前-东门垃圾堆放点.jpg"),
        (photo("#3d6a9e", (900, 1600)), "整改后.jpg"),
        (pdf, "2026年第四季度联席会议纪要（扫描件）.pdf"), (ole, "整改方案.doc")])
    for name, read_only, row in (("39_attachments", False, row_id),
                                 ("40_attachments_viewer", True, row_id),
                                 ("41_attachments_new_row", False, None)):
        w = s.keep(AttachmentStrip(db, POWERS, row, "photos", read_only))
        w.resize(720, w.sizeHint().height())
        if row is not None:
            w.thumbs.setCurrentRow(1)
        s.shot(w, name)
        s.dispose(w)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
