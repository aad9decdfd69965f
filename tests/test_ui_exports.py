"""Export and print from a ledger page as a clerk does it: the save dialog proposes a
name that says what is inside in the remembered folder, the filter goes into the
file, and afterwards 打开文件 / 打开所在文件夹 are one click away."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ui import exports
from ui.settings import qsettings

TODAY = f"{date.today():%Y%m%d}"


@pytest.fixture
def save_dialog(monkeypatch, tmp_path):
    """QFileDialog.getSaveFileName as a person answers it: accepts the proposed name
    (in the folder proposed), and records what it was offered."""
    offered = []

    def answer(parent, title, proposed, pattern):
        offered.append((title, Path(proposed), pattern))
        return str(Path(proposed)), pattern

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    qsettings().setValue("export/dir", str(tmp_path))
    return offered


def _filter(page, field: str, text: str) -> None:
    combo = page.filter_bar.combos[field]
    combo.setCurrentIndex(combo.findText(text))


def test_filtered_and_unfiltered_exports_get_names_that_say_what_is_inside(
        qtbot, window, save_dialog, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    page = window.powers
    exports.export_view_xlsx(page)
    qtbot.waitUntil(lambda: getattr(page, "last_export", None) is not None, timeout=20000)
    whole = page.last_export
    assert whole == tmp_path / f"南城街道权责清单_{TODAY}.xlsx"
    page.output_offer.reject()

    _filter(page, "list_kind", "属地管理事项")
    page.last_export = None
    exports.export_view_xlsx(page)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=20000)
    part = page.last_export
    assert part == tmp_path / f"南城街道权责清单_属地管理事项_{TODAY}.xlsx" != whole
    assert save_dialog[0][0] == "导出Excel" and save_dialog[0][1].parent == tmp_path
    ws = openpyxl.load_workbook(part).active
    assert ws["A1"].value == "南城街道权责清单"
    assert ws["A2"].value == "筛选条件：清单类别为“属地管理事项”"
    assert "共 117 条" in ws["A3"].value
    ws = openpyxl.load_workbook(whole).active
    assert "筛选" not in str(ws["A2"].value)


def test_after_an_export_open_the_file_or_its_folder(qtbot, window, save_dialog, monkeypatch):
    opened = []
    monkeypatch.setattr(exports, "open_file", lambda p, **_: opened.append(p) or True)
    page = window.powers
    page.filter_bar.search.setText("处罚")
    page.filter_bar.emit_query()
    exports.export_view_xlsx(page)
    qtbot.waitUntil(lambda: getattr(page, "last_export", None) is not None, timeout=20000)
    path = page.last_export
    assert "_含处罚_" in path.name
    box = page.output_offer
    assert box.isVisible() and box.windowModality() != Qt.NonModal
    assert {b.text() for b in box.buttons()} == {"打开文件", "打开所在文件夹", "关闭"}
    assert box.defaultButton() is box.open_button
    assert str(path) in box.text() and "关键字“处罚”" in box.text()
    qtbot.mouseClick(box.folder_button, Qt.LeftButton)
    assert opened == [path.parent] and not box.isVisible()

    page.last_export = None
    exports.export_view_xlsx(page)
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=20000)
    qtbot.keyClick(page.output_offer, Qt.Key_Return)  # Enter: the default, 打开文件
    assert opened[-1] == path


def test_a_file_that_cannot_be_opened_is_said_in_the_status_bar(qtbot, window, save_dialog,
                                                                monkeypatch):
    monkeypatch.setattr(exports, "open_file", lambda p, **_: False)
    page = window.powers
    messages = []
    page.message.connect(messages.append)
    exports.export_pdf(page)
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    assert save_dialog[0][1].name == f"南城街道权责清单_{TODAY}.pdf"
    qtbot.mouseClick(page.output_offer.open_button, Qt.LeftButton)
    assert messages[-1] == f"无法自动打开文件，请手动打开：{page.last_pdf}"


def test_cancelling_the_save_dialog_writes_nothing(qtbot, window, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    page = window.powers
    exports.export_pdf(page)
    exports.export_view_xlsx(page)
    assert getattr(page, "output_offer", None) is None
    assert not page.findChildren(QMessageBox)
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob("*.xlsx")) == []


def test_file_name_parts_drop_what_windows_refuses():
    assert exports.safe_file_part('a/b:c*?"<>|d\n') == "a-b-c-d"
    assert exports.safe_file_part("长" * 80) == "长" * 60
