"""帮助 → 使用说明 (F1): the Chinese user guide, with its pictures, covering every page."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QPixmap, QTextDocument

from tests.guide_images import GUIDE, referenced
from tests.test_ui_accounts import ime_type
from ui.help_dialog import UserGuideDialog, docs_dir


def test_f1_opens_the_guide_from_anywhere_in_the_window(qtbot, window):
    window.activateWindow()
    window.powers.table.setFocus()
    qtbot.keyClick(window.powers.table, Qt.Key_F1)
    guide = window.guide
    assert guide.isVisible() and guide.windowTitle() == "使用说明"
    text = guide.browser.toPlainText()
    assert text.startswith("街道治理台账 使用说明")
    for title, _page in window.pages:  # every page of the window has its section
        assert f"{title}" in text, title
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "帮助(&H)")
    action = next(a for a in menu.actions() if a.text() == "使用说明")
    assert action.shortcut().toString() == "F1"
    guide.close()
    action.trigger()
    assert window.guide is guide and guide.isVisible()  # the same window, where it was


def test_every_picture_of_the_guide_is_there_and_loads(qtbot):
    names = referenced()
    assert len(names) >= 15 and GUIDE.parent == docs_dir()
    dlg = UserGuideDialog()
    qtbot.addWidget(dlg)
    doc = dlg.browser.document()
    for rel in names:
        image = doc.resource(QTextDocument.ImageResource, QUrl(rel))
        assert isinstance(image, QImage | QPixmap) and not image.isNull(), rel
        assert image.width() > 300, rel


def test_find_in_the_guide(qtbot):
    dlg = UserGuideDialog()
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.find_edit.setFocus()
    ime_type(dlg.find_edit, "界面字号")
    qtbot.keyClick(dlg.find_edit, Qt.Key_Return)
    assert dlg.browser.textCursor().selectedText() == "界面字号"
    assert dlg.find_status.text() == ""
    dlg.find_edit.clear()
    ime_type(dlg.find_edit, "没有这个词")
    qtbot.keyClick(dlg.find_edit, Qt.Key_Return)
    assert dlg.find_status.text() == "没有找到“没有这个词”"


def test_a_missing_guide_says_so_in_chinese(qtbot, tmp_path):
    dlg = UserGuideDialog(path=tmp_path / "使用说明.md")
    qtbot.addWidget(dlg)
    assert dlg.browser.toPlainText().startswith("找不到使用说明文件")
