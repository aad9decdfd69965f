"""Screenshots of 首页 (at the window's size and at 1920×1080), a ledger table with a
column filter, its chips and frozen key columns, the column filter dialogs and the print
preview (for tests/screenshots.py; other screens and scales: its --size and --scale)."""

from __future__ import annotations


def render_dashboard(s, win, tmp) -> None:
    from tests.screenshots_admin import SIZE
    from ui.pdf_preview import show_pdf
    from ui.row_view import OneOf

    win.show_page("首页")
    win.resize(*SIZE)
    s.settle()
    s.shot(win, "00_home")
    win.resize(1920, 1080)
    s.settle()
    s.shot(win, "00_home_1920")
    win.resize(*SIZE)

    win.show_page("权责清单")
    page = win.powers
    names = [f.name for f in page.fields]
    dlg = page.open_column_filter(names.index("power_type"))
    for i in range(dlg.list.count()):
        item = dlg.list.item(i)
        item.setCheckState(item.checkState().Checked if item.text().startswith(("行政处罚", "行政检查"))
                           else item.checkState().Unchecked)
    s.shot(dlg, "40_column_filter")
    dlg.reject()
    dlg = page.open_column_filter(names.index("effective_date"))
    dlg.lo.setText("2022-01-01")
    s.shot(dlg, "41_column_filter_range")
    dlg.reject()
    page.set_column_filter(names.index("power_type"), OneOf({"行政处罚", "行政检查"}))
    page.refresh_strip()
    win.resize(min(1100, SIZE[0] * 4 // 5), SIZE[1])  # narrow: it scrolls, the key columns stay
    s.settle()
    bar = page.table.horizontalScrollBar()
    bar.setValue(bar.maximum())
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    c = names.index("case_count")
    page.table.selectionModel().select(
        QItemSelection(page.model.index(0, c), page.model.index(5, c)),
        QItemSelectionModel.ClearAndSelect)
    s.shot(win, "42_sheet_filtered_frozen")
    page.clear_column_filters()
    win.resize(*SIZE)

    from app.specs.powers import POWERS
    from reports.export import report_ledger

    pdf = tmp / "南城街道权责清单_20261202.pdf"
    report_ledger(win.db, POWERS, pdf)
    preview = show_pdf(win, pdf, title="权责清单报表", note="已生成权责清单报表，共 394 条")
    s.wait(lambda: False, 2.0)  # QPdfView renders its pages on a thread
    s.shot(preview, "43_pdf_preview")
    preview.close()
