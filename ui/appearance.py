"""How the whole app reads, set once on the QApplication: Qt's own words in Chinese and
the per-PC font size (the focus ring: ui.focus_ring).

Kept apart from ui.app (start-up) so the settings page can change the font size
without importing the start-up code."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from ui.settings import qsettings

# Qt catalogues with words a widget app shows (file dialogs, standard buttons, menus).
QT_CATALOGUES = ("qtbase",)
# Words Qt 6 shows in its file dialog that qtbase_zh_CN.qm leaves in English ("Look in:",
# "Files of type:") or says oddly (体积 for Size): a small catalogue of our own.
EXTRA_CATALOGUE = ("translations", "qt_extra_zh_CN.qm")

FONT_KEY = "ui/font_point_size"
FONT_SIZES = {"标准": 0, "大": 11, "较大": 12, "特大": 14}  # 0: the system's size
_BASE_SIZE = "streetledger_base_point_size"


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
