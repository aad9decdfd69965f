"""Helpers of the GUI tests."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication


def active(qtbot, window) -> None:
    """The window active again: offscreen Qt does not hand activation back when a dialog
    closes, as a desktop's window manager does (and window shortcuts need it)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
