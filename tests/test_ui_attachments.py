"""The attachment strip (ui/attachment_editor.py) used the way a person does: 添加… through
the file dialog, a thumbnail appears, dropping files, double-click opens a copy, 删除
after a confirmation; a viewer only looks."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent

import ui.attachment_editor as editor
from app import attachments
from app.core.writes import save_row
from app.db import Database
from app.paths import data_dir
from app.specs.powers import POWERS

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def db(sqlite_url):
    database = Database(sqlite_url, actor="测试员")
    yield database
    database.close()


@pytest.fixture
def row(db):
    return save_row(db, POWERS, {"list_kind": "法定权力事项", "power_type": "行政确认",
                                 "name": "附件界面测试", "status": "运行中"})


def picture(tmp_path: Path, name: str, color: str, size=(300, 200)) -> Path:
    path = tmp_path / name
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    path.write_bytes(buf.getvalue())
    return path


def strip(qtbot, db, row, read_only=False) -> editor.AttachmentStrip:
    from ui.app import create_application

    create_application()
    w = editor.AttachmentStrip(db, POWERS, row[0], "photos", read_only, version=row[1])
    qtbot.addWidget(w)
    w.resize(640, w.sizeHint().height())
    w.show()
    qtbot.waitExposed(w)
    return w


def icon_pixel(w, index: int, x: int, y: int) -> QColor:
    pm = w.thumbs.item(index).icon().pixmap(editor.THUMB, editor.THUMB)
    return pm.toImage().pixelColor(x, y)


def test_add_through_the_dialog_shows_a_thumbnail_then_remove(qtbot, db, row, tmp_path,
                                                              monkeypatch):
    w = strip(qtbot, db, row)
    assert w.thumbs.count() == 0 and w.add_button.isVisible()
    photo = picture(tmp_path, "整改前.png", "red")
    monkeypatch.setattr(editor.QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(photo)], "")))
    with qtbot.waitSignal(w.changed) as added:
        qtbot.mouseClick(w.add_button, Qt.LeftButton)
    assert added.args == [row[1] + 1] and w.version == row[1] + 1
    assert w.thumbs.count() == 1 and w.thumbs.item(0).toolTip().startswith("整改前.png")
    assert icon_pixel(w, 0, editor.THUMB // 2, editor.THUMB // 2) == QColor("red")
    assert icon_pixel(w, 0, editor.THUMB // 2, 2) == QColor(0, 0, 0, 0)  # 3:2, letterboxed
    assert "共 1 个附件" in w.hint.text()

    asked = []
    monkeypatch.setattr(editor, "confirm", lambda _p, _t, text, _ok: asked.append(text) or True)
    w.thumbs.setCurrentRow(0)
    with qtbot.waitSignal(w.changed) as removed:
        qtbot.mouseClick(w.remove_button, Qt.LeftButton)
    assert asked and "整改前.png" in asked[0]
    assert removed.args == [row[1] + 2] and w.thumbs.count() == 0
    assert attachments.list_attachments(db, POWERS, row[0]) == []


def test_declining_the_confirmation_keeps_the_file(qtbot, db, row, tmp_path, monkeypatch):
    attachments.add_attachment(db, POWERS, row[0], "photos", picture(tmp_path, "a.png", "red"))
    w = strip(qtbot, db, row)
    monkeypatch.setattr(editor, "confirm", lambda *a: False)
    w.thumbs.setCurrentRow(0)
    with qtbot.assertNotEmitted(w.changed):
        qtbot.mouseClick(w.remove_button, Qt.LeftButton)
    assert w.thumbs.count() == 1


def test_dropped_files_are_added_and_a_document_gets_an_icon(qtbot, db, row, tmp_path):
    w = strip(qtbot, db, row)
    scan = tmp_path / "会议纪要.pdf"
    scan.write_bytes(PDF)
    md = QMimeData()
    md.setUrls([QUrl.fromLocalFile(str(picture(tmp_path, "现场.png", "blue"))),
                QUrl.fromLocalFile(str(scan))])
    event = QDropEvent(QPointF(20, 20), Qt.CopyAction, md, Qt.LeftButton, Qt.NoModifier)
    with qtbot.waitSignal(w.changed):
        w.thumbs.dropEvent(event)
    assert event.isAccepted() and w.thumbs.count() == 2
    assert icon_pixel(w, 0, editor.THUMB // 2, editor.THUMB // 2) == QColor("blue")
    band = icon_pixel(w, 1, editor.THUMB // 2 - 20, editor.THUMB // 2 + 22)
    assert band == QColor("#c9302c")  # the PDF badge
    assert "会议纪要.pdf" in w.thumbs.item(1).text().replace("\n", "")


def test_a_refused_file_is_explained_and_nothing_changes(qtbot, db, row, tmp_path, monkeypatch):
    w = strip(qtbot, db, row)
    bad = tmp_path / "程序.jpg"
    bad.write_bytes(b"MZ\x90\x00" * 64)
    shown = []
    monkeypatch.setattr(editor, "show_error", lambda _p, exc: shown.append(exc.message))
    with qtbot.assertNotEmitted(w.changed):
        assert not w.add_files([str(picture(tmp_path, "好.png", "red")), str(bad)])
    assert shown and "“程序.jpg”" in shown[0] and w.thumbs.count() == 0


def test_double_click_opens_a_copy_in_the_data_folder(qtbot, db, row, tmp_path, monkeypatch):
    photo = picture(tmp_path, "现场.png", "green")
    attachments.add_attachment(db, POWERS, row[0], "photos", photo)
    w = strip(qtbot, db, row)
    opened = []
    monkeypatch.setattr(editor.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    rect = w.thumbs.visualItemRect(w.thumbs.item(0))
    # A person's double-click: press and release, then the second press (the view opens on
    # a double-click only where the first press landed).
    qtbot.mouseClick(w.thumbs.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(w.thumbs.viewport(), Qt.LeftButton, pos=rect.center())
    assert len(opened) == 1
    path = Path(opened[0])
    assert path.is_relative_to(data_dir()) and path.read_bytes() == photo.read_bytes()


def test_a_viewer_looks_and_opens_but_cannot_change(qtbot, db, row, tmp_path):
    attachments.add_attachment(db, POWERS, row[0], "photos", picture(tmp_path, "a.png", "red"))
    w = strip(qtbot, db, row, read_only=True)
    assert w.thumbs.count() == 1 and w.open_button.isVisible()
    assert not w.add_button.isVisible() and not w.remove_button.isVisible()
    assert not w.thumbs.acceptDrops() and not w.thumbs.viewport().acceptDrops()
    with qtbot.assertNotEmitted(w.changed):
        assert not w.add_files([str(picture(tmp_path, "b.png", "blue"))])
    assert len(attachments.list_attachments(db, POWERS, row[0])) == 1


def test_a_row_not_saved_yet_takes_no_attachments(qtbot, db):
    from ui.app import create_application

    create_application()
    w = editor.AttachmentStrip(db, POWERS, None, "photos")
    qtbot.addWidget(w)
    assert w.thumbs.count() == 0 and "保存记录后" in w.thumbs.placeholder
    assert not w.add_button.isVisibleTo(w) and not w.thumbs.acceptDrops()
