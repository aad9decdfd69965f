"""The whole app's look: Qt's own words in Chinese, a visible focus ring, the font size
chosen on this PC, and window titles that name the app once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui.focus_ring import FOCUS_COLOUR


def _texts(widget) -> list[str]:
    return [w.text() for cls in (QLabel, QPushButton) for w in widget.findChildren(cls) if w.text()]


def test_qt_file_dialog_speaks_chinese(app, qtbot, tmp_path):
    (tmp_path / "台账.xlsx").write_bytes(b"")
    dlg = QFileDialog(None, "导出Excel", str(tmp_path), "Excel 工作簿 (*.xlsx)")
    dlg.setOption(QFileDialog.DontUseNativeDialog, True)
    dlg.setAcceptMode(QFileDialog.AcceptSave)
    qtbot.addWidget(dlg)
    dlg.show()
    texts = _texts(dlg)
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts
    assert "文件名称(&N)：" in texts and "保存(&S)" in texts and "取消" in texts
    english = [t for t in texts if any("a" <= ch.lower() <= "z" for ch in t.replace("&", ""))
               and "(" not in t]
    assert not english, english
    tree = dlg.findChild(QWidget, "treeView")
    header = [tree.model().headerData(i, Qt.Horizontal) for i in range(4)]
    assert header == ["名称", "大小", "类型", "修改日期"]


def test_standard_buttons_and_context_menu_words_are_chinese(app):
    box = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel | QDialogButtonBox.Save
                           | QDialogButtonBox.Close)
    assert sorted(b.text() for b in box.buttons()) == sorted(["确定", "取消", "保存", "关闭"])
    edit = QLineEdit()
    menu = edit.createStandardContextMenu()
    words = [a.text() for a in menu.actions() if a.text()]
    assert any("复制" in w for w in words) and any("粘贴" in w for w in words), words
    menu.deleteLater()


def _ring_pixels(widget) -> int:
    """Ring-coloured pixels on and just around `widget` (a focus frame sits outside it)."""
    image = widget.window().grab(widget.geometry().adjusted(-3, -3, 3, 3)).toImage()
    ring = QColor(FOCUS_COLOUR).rgb()
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixel(x, y) == ring)


def test_focused_widgets_show_a_ring(app, qtbot):
    """Tab from widget to widget: the one with the keyboard is drawn with the ring, the
    others are not — a button whose own style sheet sets a border (the filter chips) too."""
    host = QWidget()
    lay = QVBoxLayout(host)
    edit, button, chip = QLineEdit("关键字"), QPushButton("导出Excel"), QPushButton("清单类别 ×")
    chip.setStyleSheet("QPushButton { border: 1px solid #90caf9; border-radius: 10px;"
                       " padding: 2px 8px; background: #e3f2fd; }")
    tool_chip = QToolButton()  # the summary strip's chips: tool buttons with a style sheet
    tool_chip.setText("下放行政权力 159")
    tool_chip.setStyleSheet("QToolButton { border: 1px solid #c9d3df; border-radius: 3px;"
                            " padding: 2px 8px; background: #f4f7fb; }")
    table = QTableWidget(3, 2)
    for w in (edit, button, chip, tool_chip, table):
        lay.addWidget(w)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    widgets = (edit, button, chip, tool_chip, table)
    for current in widgets:
        assert current.hasFocus()
        counts = {w: _ring_pixels(w) for w in widgets}
        assert counts[current] > 20, (current, counts)
        assert all(n == 0 for w, n in counts.items() if w is not current), counts
        qtbot.keyClick(current, Qt.Key_Tab)


@pytest.fixture
def restore_font(app):
    font = app.font()
    yield
    app.setFont(font)


def test_font_size_setting_scales_the_ui_and_is_remembered(qtbot, window, restore_font):
    """设置 → 界面字号…: choosing 特大 enlarges every widget's text at once and is kept in
    this PC's settings; the next start applies it; 标准 goes back."""
    from ui.appearance import FONT_KEY, apply_font_size, saved_font_size
    from ui.settings import qsettings

    app = QApplication.instance()
    before = app.font().pointSizeF()
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "设置(&S)")
    next(a for a in menu.actions() if a.text() == "界面字号…").trigger()
    panel = window.settings_page.display
    assert window.settings_page.tabs.currentWidget() is panel
    combo = panel.font_size
    assert combo.currentText() == "标准（系统默认）"
    label_height = panel.sample.sizeHint().height()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key_End)  # 特大, as with the keyboard
    assert combo.currentText() == "特大（14 磅）"
    assert app.font().pointSizeF() == 14
    qtbot.waitUntil(lambda: panel.sample.font().pointSizeF() == 14)  # Qt posts the change
    qtbot.waitUntil(lambda: panel.note.font().pointSizeF() == 14)  # one with a style sheet too
    assert panel.sample.sizeHint().height() > label_height
    assert float(qsettings().value(FONT_KEY)) == 14 and saved_font_size() == 14
    apply_font_size(saved_font_size())  # what the next start does
    assert app.font().pointSizeF() == 14
    qtbot.keyClick(combo, Qt.Key_Home)
    assert app.font().pointSizeF() == before and saved_font_size() == 0


def test_our_catalogue_is_built_from_its_source(tmp_path):
    """resources/translations/qt_extra_zh_CN.qm is what lrelease makes of the .ts beside it."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    folder = Path(__file__).resolve().parent.parent / "resources" / "translations"
    lrelease = shutil.which("pyside6-lrelease") or str(Path(sys.executable).parent / "pyside6-lrelease")
    if not Path(lrelease).exists():
        pytest.skip("没有 pyside6-lrelease，无法重建翻译文件")
    out = tmp_path / "extra.qm"
    subprocess.run([lrelease, str(folder / "qt_extra_zh_CN.ts"), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (folder / "qt_extra_zh_CN.qm").read_bytes()


def test_the_translations_loaded_are_qt_s_and_ours(app):
    loaded = app.property("streetledger_translations")
    assert [p.rsplit("/", 1)[-1] for p in loaded] == ["qtbase_zh_CN.qm", "qt_extra_zh_CN.qm"]


def test_none_outlives_pysides_void_calls(app):
    """The focus-ring style calls into PySide on every paint; on Python 3.11 PySide 6.12
    drops a reference to None per void call, which aborted the interpreter once None's
    count reached zero. create_application gives None a cushion no session uses up."""
    import sys

    from ui.pyside_fix import CUSHION, none_refcount_drops

    if sys.version_info >= (3, 12):
        pytest.skip("Python 3.12 起 None 不会被释放")
    label = QLabel()
    for _ in range(10_000):
        label.setText("")
    assert sys.getrefcount(None) > CUSHION // 2
    if none_refcount_drops():  # still the case with this PySide: the guard is what saves us
        assert sys._streetledger_none_guard


def test_true_outlives_pysides_signal_emits(app):
    """Signal.emit() drops a reference to the True it returns (PySide 6.12, Python 3.11):
    the status bar's selection summary and every page message emit, and the interpreter
    aborted with "bool_dealloc" once True's count reached zero. The same cushion."""
    import sys

    from PySide6.QtCore import QObject, Signal

    from ui.pyside_fix import CUSHION, true_refcount_drops

    if sys.version_info >= (3, 12):
        pytest.skip("Python 3.12 起 True 不会被释放")

    class Sender(QObject):
        said = Signal(str)

    sender = Sender()
    for _ in range(10_000):
        sender.said.emit("")
    assert sys.getrefcount(True) > CUSHION // 2 and sys.getrefcount(False) > CUSHION // 2
    if true_refcount_drops():
        assert sys._streetledger_none_guard
