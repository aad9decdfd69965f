"""Search box and one combo per filterable field, generated from a ledger spec."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from app.specs import Field
from ui.flow_layout import FlowLayout
from ui.row_view import EMPTY

ALL = "全部"
EMPTY_LABEL = "（未填写）"


class FilterBar(QWidget):
    """Emits query_changed (debounced while typing) and filters_changed (field → value)."""

    query_changed = Signal(str)
    filters_changed = Signal(dict)
    cleared = Signal()  # 清除筛选: the page drops filters set from elsewhere too

    DEBOUNCE_MS = 150

    def __init__(self, search_fields: tuple[Field, ...], filter_fields: tuple[Field, ...],
                 parent=None):
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        labels = "、".join(f.label for f in search_fields)
        self.search.setPlaceholderText(f"搜索{labels}" if labels else "搜索")
        self.search.setToolTip(f"输入关键字即时筛选（{labels}）；多个关键字用空格分开")
        self.search.setMinimumWidth(300)
        self._timer = QTimer(self, singleShot=True, interval=self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.emit_query)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self.emit_query)

        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        # The box and the combos wrap onto more rows when the page is narrow (ten filters
        # in one row made 整改台账 1,900 px wide: more than a 1366×768 screen).
        self.flow = FlowLayout(spacing=8)
        lay.addLayout(self.flow, 1)
        self.flow.addWidget(self.search)
        self.combos: dict[str, QComboBox] = {}
        self._fields = {f.name: f for f in filter_fields}
        for f in filter_fields:
            combo = QComboBox()
            combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
            combo.setMaxVisibleItems(20)
            combo.setToolTip(f"按{f.label}筛选")
            self.combos[f.name] = combo
            self.set_choices(f.name, list(f.type.filter_choices(f)))
            combo.currentIndexChanged.connect(self._combo_changed)
            pair = QWidget()  # the label stays with its combo
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(4)
            row.addWidget(QLabel(f"{f.label}:"))
            row.addWidget(combo)
            self.flow.addWidget(pair)
        self.reset = QToolButton()
        self.reset.setText("清除筛选")
        self.reset.clicked.connect(self.clear)
        self.flow.addWidget(self.reset)
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")
        lay.addWidget(self.count, 0, Qt.AlignTop | Qt.AlignRight)

    def _typed(self, _text: str) -> None:
        self._timer.start()  # restarts: the query goes out 150 ms after the last key

    def set_choices(self, name: str, choices: list[str]) -> None:
        """Refill one combo (ref choices change when the other ledger changes)."""
        combo = self.combos[name]
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(ALL, None)
        for c in choices:
            combo.addItem(c, c)
        if not self._fields[name].required:
            combo.addItem(EMPTY_LABEL, EMPTY)
        i = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(i, 0))
        combo.blockSignals(False)
        if current is not None and i < 0:
            self._combo_changed()

    def emit_query(self) -> None:
        self._timer.stop()
        self.query_changed.emit(self.search.text())

    def filters(self) -> dict[str, object]:
        return {name: c.currentData() for name, c in self.combos.items()
                if c.currentData() is not None}

    def _combo_changed(self, *_args) -> None:
        self.filters_changed.emit(self.filters())

    def clear(self) -> None:
        for c in self.combos.values():
            c.blockSignals(True)
            c.setCurrentIndex(0)
            c.blockSignals(False)
        self.search.clear()
        self.cleared.emit()
        self.emit_query()
        self._combo_changed()

    def set_count(self, shown: int, total: int) -> None:
        self.count.setText(f"共 {total} 条" if shown == total else f"显示 {shown} / 共 {total} 条")
