"""The 联席会议 page comes from its spec like every ledger's; its two documents (生成会议
材料包, 生成会议纪要) are actions on the selected meeting that write the PDF off the GUI
thread and offer to open it."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from app.meetings import resolve_meeting
from ui import exports
from ui.settings import qsettings


def test_the_meeting_documents_from_the_page(qtbot, window, monkeypatch, tmp_path):
    offered = []

    def answer(parent, title, proposed, pattern):
        offered.append((title, Path(proposed).name))
        return str(tmp_path / Path(proposed).name), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    qsettings().setValue("export/dir", str(tmp_path))
    page = window.page_of("meetings")
    acts = {a.text(): a for a in page.toolbar.actions()}
    assert {"生成会议材料包", "生成会议纪要", "参会人员", "会议议题"} <= set(acts)
    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, -1))
    page._update_actions()
    assert not acts["生成会议材料包"].isEnabled()
    latest = resolve_meeting(window.db, "latest")
    qtbot.waitUntil(lambda: page.select_id(latest), timeout=20000)
    page._update_actions()
    assert acts["生成会议材料包"].isEnabled()
    for n, doc in enumerate(page.spec.documents):
        page.last_pdf = None
        exports.row_document(page, doc)
        qtbot.waitUntil(lambda: page.last_pdf is not None, timeout=30000)
        assert offered[n][0] == doc.label and offered[n][1].endswith(".pdf")
        assert doc.name in offered[n][1]
        assert len(PdfReader(page.last_pdf).pages) >= 1
        page.output_offer.reject()
