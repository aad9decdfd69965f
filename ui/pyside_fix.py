"""A guard against PySide6 6.12 on Python 3.11 returning None from every void method
(label.setText(…), painter.save(), a style's drawPrimitive…) without taking a reference:
each call lowers None's reference count by one, and when it reaches zero the
interpreter aborts ("none_dealloc: deallocating None"). A style that draws in Python
makes thousands of such calls a second, so a session would end in a crash.

Python 3.12 made None immortal, which is what that build assumes; on 3.11 we give None
a reference count no session can use up. Harmless if PySide is fixed: None is never
freed anyway."""

from __future__ import annotations

import ctypes
import sys

CUSHION = 1 << 40  # ~10^12 void calls


def guard_none_refcount() -> None:
    if sys.version_info >= (3, 12) or getattr(sys, "_streetledger_none_guard", False):
        return
    ctypes.c_ssize_t.from_address(id(None)).value += CUSHION  # ob_refcnt, the first field
    sys._streetledger_none_guard = True


def none_refcount_drops() -> bool:
    """True if this PySide6 still drops a reference to None per void call."""
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(100):
        label.setText("")
    return sys.getrefcount(None) < before
