"""The estates page's 一小区一图示 button: its menu prints the selected estates or every
estate shown, off the GUI thread, into the file the user names; then offers to open it."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from ui.settings import qsettings


def _answer_save(monkeypatch, tmp_path, offered):
    def answer(parent, title, proposed, pattern):
        offered.append(Path(proposed).name)
        return str(Path(proposed)), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    qsettings().setValue("export/dir", str(tmp_path))


def test_the_estates_page_prints_the_selected_estate_or_all_shown(
        qtbot, window, monkeypatch, tmp_path):
    offered = []
    _answer_save(monkeypatch, tmp_path, offered)
    window.show_page("小区")
    page = window.page_of("estates")
    page.loader.wait()
    act = page.document_actions["estate_chart"]
    assert act.text() == "一小区一图示" and len(act.menu().actions()) == 2
    names = [f.name for f in page.fields]
    row = next(r for r in range(page.model.rowCount())
               if page.model.cell_text(r, names.index("name")) == "白塔花园")
    page.select_id(page.model.row_id(row))
    selected, everything = act.menu().actions()
    selected.trigger()
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    assert "白塔花园" in offered[-1] and offered[-1].endswith(".pdf")
    pages = PdfReader(str(page.last_pdf)).pages
    assert len(pages) == 1 and "白塔花园" in pages[0].extract_text()
    page.output_offer.reject()

    page.last_pdf = None
    everything.trigger()
    qtbot.waitUntil(lambda: page.last_pdf is not None, timeout=30000)
    reader = PdfReader(str(page.last_pdf))
    assert len(reader.pages) == page.model.rowCount()
    assert len(reader.outline) >= 1
    page.output_offer.reject()
