"""Print preview of every PDF the app makes: the pages through QtPdf, page navigation and
zoom, 打印… into the printer the print dialog set up (a test dialog stands in for the
modal QPrintDialog), 另存为…, and the ledger page and document actions opening it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from ui import pdf_preview
from ui.settings import qsettings


def _pdf(path: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for n in range(pages):
        c.drawString(100, 700, f"page {n + 1}")
        c.showPage()
    c.save()
    return path


class FakePrintDialog:
    """Answers as a person does who picks a PDF printer and pages `pages` (from, to)."""

    def __init__(self, out: Path, pages=None, accept=True):
        self.out, self.pages, self.accept, self.made = out, pages, accept, []

    def __call__(self, printer, parent):
        self.made.append(printer)
        fake = self

        class Dlg:
            def setMinMax(self, lo, hi):  # noqa: N802 - Qt API
                fake.range = (lo, hi)

            def exec(self):
                if not fake.accept:
                    return QDialog.Rejected
                printer.setOutputFormat(QPrinter.PdfFormat)
                printer.setOutputFileName(str(fake.out))
                if fake.pages:
                    printer.setFromTo(*fake.pages)
                return QDialog.Accepted

        return Dlg()


@pytest.fixture
def preview(qtbot, app, tmp_path):
    said = []
    dlg = pdf_preview.show_pdf(None, _pdf(tmp_path / "三页.pdf", 3), title="测试", say=said.append)
    qtbot.addWidget(dlg)
    dlg.said = said
    return dlg


def test_the_preview_shows_the_pages_and_walks_them(qtbot, preview):
    assert preview.page_count() == 3 and preview.isVisible()
    assert preview.page_box.text() == "第 1 页 / 共 3 页"
    assert "打印预览" in preview.windowTitle() and not preview.prev_button.isEnabled()
    qtbot.mouseClick(preview.next_button, Qt.LeftButton)
    assert preview.page_box.value() == 2
    preview.go_to(9)  # past the end: the last page
    assert preview.page_box.value() == 3 and not preview.next_button.isEnabled()
    preview.zoom_box.setCurrentIndex(preview.zoom_box.findText("150%"))
    assert preview.view.zoomFactor() == pytest.approx(1.5)
    assert {b.text() for b in preview.findChildren(type(preview.print_button))} >= {
        "打印…", "另存为…", "打开文件", "打开所在文件夹", "关闭"}


def test_print_renders_every_page_into_the_printer(qtbot, preview, tmp_path, monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    fake = FakePrintDialog(tmp_path / "printed.pdf")
    monkeypatch.setattr(pdf_preview, "make_print_dialog", fake)
    qtbot.keyClick(preview, Qt.Key_P, Qt.ControlModifier)  # Ctrl+P in the preview: 打印…
    assert fake.range == (1, 3) and preview.last_printed == 3
    assert len(pypdf.PdfReader(fake.out).pages) == 3
    assert preview.said[-1] == "已发送到打印机：三页.pdf，共 3 页"

    some = FakePrintDialog(tmp_path / "some.pdf", pages=(2, 3))
    monkeypatch.setattr(pdf_preview, "make_print_dialog", some)
    qtbot.mouseClick(preview.print_button, Qt.LeftButton)
    assert preview.last_printed == 2 and len(pypdf.PdfReader(some.out).pages) == 2


def test_enter_in_the_preview_is_print(qtbot, preview, tmp_path, monkeypatch):
    """打印… is the default button: Enter prints, not 上一页 (the first button after the
    focus, which Qt took for the default while 打印… was set before the dialog held it)."""
    fake = FakePrintDialog(tmp_path / "entered.pdf")
    monkeypatch.setattr(pdf_preview, "make_print_dialog", fake)
    preview.go_to(2)
    assert preview.print_button.isDefault()
    qtbot.keyClick(preview.zoom_box, Qt.Key_Return)
    assert preview.last_printed == 3 and preview.page_box.value() == 2


def test_a_cancelled_print_dialog_prints_nothing(qtbot, preview, tmp_path, monkeypatch):
    fake = FakePrintDialog(tmp_path / "never.pdf", accept=False)
    monkeypatch.setattr(pdf_preview, "make_print_dialog", fake)
    qtbot.mouseClick(preview.print_button, Qt.LeftButton)
    assert preview.last_printed == 0 and not fake.out.exists()


def test_save_as_copies_the_file_where_asked(qtbot, preview, tmp_path, monkeypatch):
    target = tmp_path / "别处" / "报表.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    assert preview.save_as() == target
    assert target.read_bytes() == preview.path.read_bytes()
    assert qsettings().value("export/dir") == str(target.parent)


def test_a_file_that_is_no_pdf_is_refused_in_chinese(app, tmp_path):
    from app.errors import UserError

    bad = tmp_path / "坏.pdf"
    bad.write_text("not a pdf")
    with pytest.raises(UserError, match="无法预览"):
        pdf_preview.show_pdf(None, bad)


def test_print_preview_asks_for_no_file_and_keeps_none(qtbot, window, tmp_path, monkeypatch):
    """打印预览 (ui.exports.preview_pdf): the report of the rows shown straight into its
    preview, written to a temporary folder that goes when the preview closes; 另存为…
    keeps a copy, under the name the saved report would have."""
    from ui import exports

    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda p, t, proposed, pat: asked.append(proposed) or ("", ""))
    page = window.powers
    page.filter_bar.combos["list_kind"].setCurrentIndex(
        page.filter_bar.combos["list_kind"].findText("属地管理事项"))
    exports.preview_pdf(page)
    qtbot.waitUntil(lambda: getattr(page, "last_preview", None) is not None, timeout=30000)
    preview, path = page.output_offer, page.last_preview
    assert preview.isVisible() and path.exists() and not asked
    assert getattr(page, "last_pdf", None) is None  # nothing saved
    assert "临时文件" in preview.note.text() and "117 条" in preview.note.text()
    assert not preview.open_button.isVisible() and not preview.folder_button.isVisible()
    assert preview.save_as() is None  # 另存为… cancelled
    assert Path(asked[-1]).name == exports.default_name(page, ".pdf") == path.name
    preview.reject()
    assert not path.exists() and not path.parent.exists()


@pytest.fixture
def save_here(monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda p, t, proposed, pat: (proposed, pat))
    qsettings().setValue("export/dir", str(tmp_path))


def test_the_ledger_report_opens_in_the_preview(qtbot, window, save_here, tmp_path):
    page = window.powers
    page.setFocus()
    qtbot.keyClick(page.table, Qt.Key_P, Qt.ControlModifier)  # Ctrl+P: the report
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    dlg = page.output_offer
    assert isinstance(dlg, pdf_preview.PdfPreview) and dlg.isVisible()
    assert dlg.path == page.last_pdf and dlg.page_count() >= 2
    assert "已生成权责清单报表" in dlg.note.text()


def test_a_rectification_document_opens_in_the_preview(qtbot, window, save_here, tmp_path):
    from ui import rectification_docs_dialog as docs

    window.show_page("整改台账")
    page = window.page_of("rectification")
    assert "整改文书…" in {a.text() for a in page.toolbar.actions()}
    dialog = docs.open_documents(page)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentText("红黑榜（单页张贴）")
    dialog.generate()
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    assert page.last_pdf.name.startswith("南城街道整改红黑榜") and page.last_pdf.parent == tmp_path
    dlg = page.output_offer
    assert isinstance(dlg, pdf_preview.PdfPreview) and dlg.page_count() >= 1
    assert "红黑榜" in dlg.windowTitle() and "已生成红黑榜" in dlg.note.text()


def test_the_problem_list_workbook_is_offered_not_previewed(qtbot, window, save_here):
    from PySide6.QtWidgets import QMessageBox

    from ui import rectification_docs_dialog as docs

    page = window.page_of("rectification")
    label = "三张清单（Excel：问题/责任/销号）"
    key, _kind, _issues, _exempts = docs.DOCS[label]
    docs.run_document(page, key, {}, label)
    qtbot.waitUntil(lambda: isinstance(getattr(page, "output_offer", None), QMessageBox),
                    timeout=30000)
    assert getattr(page, "last_pdf", None) is None


@pytest.mark.parametrize("ledger", ["authorisations", "staff"])
def test_the_staffing_document_opens_in_the_preview(qtbot, window, save_here, tmp_path,
                                                     ledger):
    page = window.page_of(ledger)
    acts = {a.text(): a for a in page.toolbar.actions()}
    acts["机构编制情况…"].trigger()
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    assert page.last_pdf.name == f"南城街道机构编制情况_{date.today():%Y%m%d}.pdf"
    assert page.last_pdf.parent == tmp_path
    dlg = page.output_offer
    assert isinstance(dlg, pdf_preview.PdfPreview) and dlg.page_count() >= 2
    assert "机构编制情况" in dlg.windowTitle()


def test_preview_folders_left_open_go_at_exit_and_old_ones_are_swept(tmp_path, monkeypatch):
    """A preview still open when the app quits leaves no folder behind (drop_previews runs
    at exit); one an earlier run could not remove is swept once it is a day old, a fresh
    one (another window's open preview) is left alone."""
    import os
    import tempfile

    from ui import exports

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    old = tmp_path / (exports.PREVIEW_PREFIX + "crashed")
    old.mkdir()
    (old / "报表.pdf").write_bytes(b"%PDF")
    day_ago = old.stat().st_mtime - exports.STALE_PREVIEW_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    fresh = tmp_path / (exports.PREVIEW_PREFIX + "other-window")
    fresh.mkdir()
    other = tmp_path / "someone-elses"
    other.mkdir()
    os.utime(other, (day_ago, day_ago))
    mine = exports.preview_folder()
    assert mine.parent == tmp_path and mine.is_dir()
    assert not old.exists() and fresh.exists() and other.exists()
    (mine / "报表.pdf").write_bytes(b"%PDF")
    exports.drop_previews()
    assert not mine.exists() and fresh.exists()
