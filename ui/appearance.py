"""How the whole app looks and reads, set once on the QApplication: Qt's own words in
Chinese, a focus ring that shows where the keyboard is, and the per-PC font size.

Kept apart from ui.app (start-up) so the settings page can change the font size
without importing the start-up code."""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QLibraryInfo, QLocale, QRect, Qt, QTranslator
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

from ui.settings import qsettings

# Qt catalogues with words a widget app shows (file dialogs, standard buttons, menus).
QT_CATALOGUES = ("qtbase",)
# Words Qt 6 shows in its file dialog that qtbase_zh_CN.qm leaves in English ("Look in:",
# "Files of type:") or says oddly (体积 for Size): a small catalogue of our own.
EXTRA_CATALOGUE = ("translations", "qt_extra_zh_CN.qm")

FOCUS_COLOUR = "#1a73e8"
FOCUS_WIDTH = 2
# Widgets whose whole frame gets the ring when they have the keyboard (buttons, tool
# buttons, check boxes and the current table cell draw Qt's focus rectangle instead).
FRAMED = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit)

FONT_KEY = "ui/font_point_size"
FONT_SIZES = {"标准": 0, "大": 11, "较大": 12, "特大": 14}  # 0: the system's size
_BASE_SIZE = "streetledger_base_point_size"
_KEEP_FOCUS: list = []


def translations_dirs() -> list[Path]:
    """Where Qt's .qm files are: Qt's own path, then PySide6's folders (a PyInstaller
    bundle keeps them under PySide6/Qt/translations)."""
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    found = [Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath)),
             base / "Qt" / "translations", base / "translations"]
    return [p for i, p in enumerate(found) if p.is_dir() and p not in found[:i]]


def install_translations(app: QApplication) -> list[str]:
    """Load Qt's zh_CN catalogues; returns the files loaded (for the log and tests)."""
    loaded = []
    locale = QLocale(QLocale.Chinese, QLocale.China)
    for name in QT_CATALOGUES:
        for folder in translations_dirs():
            translator = QTranslator(app)
            if translator.load(locale, name, "_", str(folder)):
                app.installTranslator(translator)
                loaded.append(translator.filePath())
                break
    # A .qm file, not a QTranslator subclass: a Python translate() runs for every tr()
    # in Qt, and PySide mishandled its None ("not mine") until the interpreter crashed.
    from app.paths import resource

    extra = QTranslator(app)
    if extra.load(str(resource(*EXTRA_CATALOGUE))):
        app.installTranslator(extra)  # installed last: asked first
        loaded.append(extra.filePath())
    return loaded


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


# -- font size ------------------------------------------------------------------------

def saved_font_size() -> float:
    try:
        return float(qsettings().value(FONT_KEY, 0) or 0)
    except (TypeError, ValueError):
        return 0.0


def apply_font_size(point_size: float, *, save: bool = False) -> None:
    """Scale the whole UI: the app font (every widget without a font of its own follows);
    0 goes back to the size the app started with."""
    app = QApplication.instance()
    base = app.property(_BASE_SIZE)
    if base is None:
        base = app.font().pointSizeF()
        app.setProperty(_BASE_SIZE, base)
    font = app.font()
    font.setPointSizeF(point_size if point_size > 0 else float(base))
    app.setFont(font)
    for widget in app.allWidgets():  # Qt leaves widgets with a style sheet at the old size
        if widget.testAttribute(Qt.WA_StyleSheet) and widget.styleSheet():
            widget.setStyleSheet(widget.styleSheet())
    if save:
        qsettings().setValue(FONT_KEY, point_size)
