"""The window's 退出 item (Ctrl+Q), and the PDF fallback when the system cannot open it."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu

from ui import exports


def test_quit_item_with_ctrl_q_closes_the_window(qtbot, window):
    actions = {a.text(): a for m in window.menuBar().findChildren(QMenu) for a in m.actions()}
    quit_action = actions["退出(&X)"]  # in 文件
    assert quit_action.shortcut() == QKeySequence("Ctrl+Q")
    quit_action.trigger()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="xdg-open is Linux's opener")
def test_pdf_that_no_program_can_open_says_where_it_is(qtbot, window, tmp_path, monkeypatch):
    fake = tmp_path / "bin"
    fake.mkdir()
    opener = fake / "xdg-open"
    opener.write_text("#!/bin/sh\nexit 3\n")  # xdg-open: no program for this file
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake}:/usr/bin:/bin")
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(tmp_path / "报表.pdf"), ""))
    page = window.powers
    said: list[str] = []
    page.message.connect(said.append)
    exports.export_pdf(page)
    qtbot.waitUntil(lambda: getattr(page, "last_pdf", None) is not None, timeout=30000)
    qtbot.mouseClick(page.output_offer.open_button, Qt.LeftButton)  # 打开文件
    qtbot.waitUntil(lambda: any("无法自动打开" in m for m in said), timeout=30000)
    assert f"无法自动打开文件，请手动打开：{page.last_pdf}" in said
    assert page.last_pdf.exists()


def test_no_opener_at_all_says_so_at_once(tmp_path, monkeypatch, qtbot, app):
    monkeypatch.setenv("PATH", str(tmp_path))
    if sys.platform in ("win32", "darwin"):
        pytest.skip("the system opener is always there")
    assert exports.open_file(tmp_path / "x.pdf") is False
