"""设置 → 本机显示: the font size of the whole UI on this PC (older staff read a larger
one). Remembered in QSettings (per PC, not in the shared database) and applied at once."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from ui.appearance import FONT_SIZES, apply_font_size, saved_font_size


def size_label(name: str, points: int) -> str:
    return f"{name}（{points} 磅）" if points else f"{name}（系统默认）"


class DisplayPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.font_size = QComboBox()
        for name, points in FONT_SIZES.items():
            self.font_size.addItem(size_label(name, points), points)
        saved = saved_font_size()
        index = self.font_size.findData(int(saved)) if saved else 0
        self.font_size.setCurrentIndex(max(index, 0))
        self.font_size.currentIndexChanged.connect(self._changed)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldsStayAtSizeHint)  # a short list, a short box
        form.addRow("界面字号", self.font_size)
        note = self.note = QLabel("字号只保存在这台电脑上，立即对所有窗口生效，下次打开时沿用。"
                      "看不清时可选“大”或“特大”。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.sample = QLabel("示例：南城街道权责清单 事项编码 事项名称 0123456789")
        inner = QWidget()
        inner.setMaximumWidth(560)
        col = QVBoxLayout(inner)
        col.addLayout(form)
        col.addWidget(self.sample)
        col.addSpacing(8)
        col.addWidget(note)
        lay = QVBoxLayout(self)
        lay.addWidget(inner)
        lay.addStretch(1)

    def choose(self, points: int) -> None:
        """The size `points` (a value of FONT_SIZES), as if picked here (视图 → 字号)."""
        index = self.font_size.findData(points)
        if index >= 0:
            self.font_size.setCurrentIndex(index)

    def _changed(self, _index: int) -> None:
        apply_font_size(self.font_size.currentData(), save=True)
