"""A guard against PySide6 6.12 on Python 3.11 returning None from every void method
(label.setText(…), painter.save(), a style's drawPrimitive…) without taking a reference:
each call lowers None's reference count by one, and when it reaches zero the
interpreter aborts ("none_dealloc: deallocating None"). A style that draws in Python
makes thousands of such calls a second, so a session would end in a crash.

Signal.emit() does the same with the True it returns: every emit from Python (a page's
`message`, the status bar's `selection_summary` on each selection change) lowers True's
count, and the interpreter aborted with "bool_dealloc: deallocating True or False" —
at exit after a long test run, or in a long session.

Python 3.12 made None, True and False immortal, which is what that build assumes; on
3.11 we give them a reference count no session can use up. Harmless if PySide is fixed:
they are never freed anyway."""

from __future__ import annotations

import ctypes
import sys

CUSHION = 1 << 40  # ~10^12 void calls


def guard_none_refcount() -> None:
    """None, True and False (the name is older than the bools in it)."""
    if sys.version_info >= (3, 12) or getattr(sys, "_streetledger_none_guard", False):
        return
    for singleton in (None, True, False):  # ob_refcnt, the first field
        ctypes.c_ssize_t.from_address(id(singleton)).value += CUSHION
    sys._streetledger_none_guard = True


def none_refcount_drops() -> bool:
    """True if this PySide6 still drops a reference to None per void call."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(100):
        label.setText("")
    return sys.getrefcount(None) < before


def true_refcount_drops() -> bool:
    """True if this PySide6 still drops a reference to True per Signal.emit()."""
    from PySide6.QtCore import QObject, Signal

    class Sender(QObject):
        said = Signal(str)

    sender = Sender()
    before = sys.getrefcount(True)
    for _ in range(100):
        sender.said.emit("")
    return sys.getrefcount(True) < before
