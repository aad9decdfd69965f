"""The 联席会议 page comes from its spec like every ledger's; its two documents (生成会议
材料包, 生成会议纪要) are actions on the selected meeting that write the PDF off the GUI
thread and open it in the print preview."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from app.meetings import resolve_meeting
from ui import documents
from ui.pdf_preview import PdfPreview
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
        documents.row_document(page, doc)
        qtbot.waitUntil(lambda: page.last_pdf is not None, timeout=30000)
        assert offered[n][0] == doc.label and offered[n][1].endswith(".pdf")
        assert doc.name in offered[n][1]
        assert len(PdfReader(page.last_pdf).pages) >= 1
        assert isinstance(page.output_offer, PdfPreview)  # the print preview
        assert page.output_offer.page_count() == len(PdfReader(page.last_pdf).pages)
        page.output_offer.reject()


def test_adding_decisions_from_the_page(qtbot, window):
    from datetime import date

    from app.meetings import decisions
    from app.services import ref_choices
    from app.specs.meetings import DECISION_ENTRY
    from ui.row_actions import ROW_ACTIONS

    page = window.page_of("meetings")
    latest = resolve_meeting(window.db, "latest")
    qtbot.waitUntil(lambda: page.select_id(latest), timeout=20000)
    page._update_actions()
    assert page.child_actions["添加议定事项"].isEnabled()
    before = len(decisions(window.db, latest))
    ROW_ACTIONS["meetings"][0][1](page)
    dlg = page.child_dialog
    body = ref_choices(window.db, DECISION_ENTRY.field("lead"))[0][0]
    eds = dlg.editor.editors()[0]
    names = [f.name for f in DECISION_ENTRY.fields]
    eds[names.index("content")].set_value("落实冬季消防安全检查")
    eds[names.index("lead")].set_value(body)
    dlg.save()  # no deadline: refused, the row named, nothing written
    assert dlg.error.isVisible() and "第1项议定事项" in dlg.error.text()
    assert "整改时限" in dlg.error.text()
    assert len(decisions(window.db, latest)) == before
    eds[names.index("deadline")].set_value(date(2027, 3, 31))
    eds[names.index("co")].set_value("社区治理办公室、平安法治办公室")
    dlg.save()
    qtbot.waitUntil(lambda: page.child_dialog is None, timeout=10000)
    got = decisions(window.db, latest)
    assert len(got) == before + 1 and got[-1].title == "落实冬季消防安全检查"
    assert got[-1].co == ["社区治理办公室", "平安法治办公室"]
