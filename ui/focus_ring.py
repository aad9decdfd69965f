"""A clear focus ring on whatever has the keyboard, for every widget of the app.

Apart from ui.appearance: naming QStyle and the widget classes here makes PySide build
their ~130 enums (~50 ms), so start-up installs the ring after its first frame shows."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QLineEdit,
    QProxyStyle,
    QStyle,
    QTextEdit,
    QToolButton,
    QWidget,
)

FOCUS_COLOUR = "#1a73e8"
FOCUS_WIDTH = 2
# Widgets whose whole frame gets the ring when they have the keyboard (buttons, tool
# buttons, check boxes and the current table cell draw Qt's focus rectangle instead).
FRAMED = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit)

_KEEP_FOCUS: list = []


class FocusRingStyle(QProxyStyle):
    """A clear 2-pixel ring on whatever has the keyboard.

    A style, not a style sheet: a `:focus { border: … }` rule would make Qt draw buttons
    and combo boxes flat, and a widget's own style sheet (the filter chips) would
    override it. Qt's focus rectangle is drawn through this style even for widgets
    with a style sheet of their own."""

    def __init__(self, base=None):
        super().__init__(base)
        self.pen = QPen(QColor(FOCUS_COLOUR), FOCUS_WIDTH)

    def _ring(self, painter: QPainter, rect: QRect) -> None:
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, False)
        painter.setPen(self.pen)
        painter.setBrush(QColor(0, 0, 0, 0))
        half = FOCUS_WIDTH // 2
        painter.drawRect(rect.adjusted(half, half, -half, -half))
        painter.restore()

    def drawPrimitive(self, element, option, painter, widget=None):  # noqa: N802 - Qt API
        if element == QStyle.PE_FrameFocusRect:
            self._ring(painter, option.rect)
            return
        super().drawPrimitive(element, option, painter, widget)
        if element in (QStyle.PE_PanelLineEdit, QStyle.PE_FrameLineEdit, QStyle.PE_Frame) \
                and _focused_frame(widget, option):
            self._ring(painter, option.rect)

    def drawComplexControl(self, control, option, painter, widget=None):  # noqa: N802
        super().drawComplexControl(control, option, painter, widget)
        if control in (QStyle.CC_ComboBox, QStyle.CC_SpinBox) and _focused_frame(widget, option):
            self._ring(painter, option.rect)

    def drawControl(self, element, option, painter, widget=None):  # noqa: N802 - Qt API
        super().drawControl(element, option, painter, widget)
        if element == QStyle.CE_ShapedFrame and _focused_frame(widget, option):
            self._ring(painter, option.rect)
        elif element == QStyle.CE_PushButton and _has_keyboard(widget, option):
            # Fusion shows a focused button only by a faint outline of its own.
            self._ring(painter, option.rect)
        elif element == QStyle.CE_FocusFrame:  # see StyledFocus below
            self._ring(painter, option.rect)


def _has_keyboard(widget, option) -> bool:
    return (isinstance(widget, QWidget) and bool(option.state & QStyle.State_HasFocus)
            and widget.hasFocus())


def _focused_frame(widget, option) -> bool:
    if not _has_keyboard(widget, option):
        return False
    if isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox):
        return False  # the line edit inside a spin/combo box: the box gets the ring
    return isinstance(widget, FRAMED)


class StyledFocus:
    """A tool button with a style sheet of its own (the summary chips) is drawn entirely
    by Qt's style-sheet engine, which never asks this style for a focus rectangle: a
    QFocusFrame (drawn by FocusRingStyle) follows the keyboard onto such buttons."""

    def __init__(self, app: QApplication):
        self.frame: QFocusFrame | None = None
        app.focusChanged.connect(self.focus_changed)

    def focus_changed(self, _old, new) -> None:
        styled = isinstance(new, QToolButton) and new.testAttribute(Qt.WA_StyleSheet)
        frame = self.frame
        if frame is not None and not shiboken6.isValid(frame):
            frame = self.frame = None  # went with the window it was in
        if not styled:
            if frame is not None:
                frame.setWidget(None)
            return
        if frame is None:
            frame = self.frame = QFocusFrame()
        frame.setWidget(new)


def install_focus_ring(app: QApplication) -> None:
    if not isinstance(app.style(), FocusRingStyle):
        app.setStyle(FocusRingStyle(app.style().name()))
    if not _KEEP_FOCUS:
        _KEEP_FOCUS.append(StyledFocus(app))
