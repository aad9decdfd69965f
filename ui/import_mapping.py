"""Step 3 of the import wizard: which file column feeds which field, one value for
the whole file for required fields the file lacks, the mode and create-missing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.importer import MODES, Grid, Layout, Mapping
from app.importer.header import header_keys, merged_widths, skip_reason
from app.services import ref_choices
from app.specs import Field, LedgerSpec
from ui.import_pages import cell_text, error_label, page_title
from ui.login import note_label

MODE_NOTES = {
    "append": "把文件中的行作为新记录加入台账；与已有记录重复（关键字段相同）的行会被拒绝。",
    "upsert": "按关键字段找到已有记录，用文件中的内容更新；找不到的作为新记录加入。",
    "replace": "先删除台账中现有的全部记录（可在回收站恢复），再导入文件中的行。",
}


class MappingPage(QWidget):
    def __init__(self, db: Database, spec: LedgerSpec, parent=None):
        super().__init__(parent)
        self.db, self.spec = db, spec
        self.mapping: Mapping | None = None
        self.values: dict[str, str] = {}  # what the user gave for the whole file
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["文件中的列", "导入到字段", "文件中的内容（前几行）"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)  # the combos take the focus
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        hh = self.table.horizontalHeader()
        hh.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        hh.setStretchLastSection(True)
        em = self.fontMetrics().horizontalAdvance("中")
        self.table.setColumnWidth(0, em * 20)
        self.table.setColumnWidth(1, em * 12)
        self.combos: dict[int, QComboBox] = {}  # file column index → field combo
        self.unknown = note_label("")

        self.missing_box = QGroupBox("文件中没有的必填项：为整个文件统一填写")
        self.missing_form = QFormLayout(self.missing_box)
        self.missing_form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.value_widgets: dict[str, QWidget] = {}  # field name → its value widget

        options = QGroupBox("导入方式")
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QRadioButton] = {}
        modes = QHBoxLayout()
        for i, (key, label) in enumerate(MODES.items()):
            b = QRadioButton(label)
            b.setToolTip(MODE_NOTES[key])
            self.mode_group.addButton(b, i)
            self.mode_buttons[key] = b
            modes.addWidget(b)
        modes.addStretch(1)
        self.mode_buttons["append"].setChecked(True)
        self.mode_group.idToggled.connect(self._mode_toggled)
        self.mode_note = note_label(MODE_NOTES["append"])
        refs = [f.label for f in spec.form_fields if f.kind == "ref"]
        self.create_missing = QCheckBox(f"自动新建文件中出现的未知{'、'.join(refs) or '名称'}")
        self.create_missing.setToolTip("勾选后，文件中写了但本街道还没有的名称会在导入时一并新建；"
                                       "不勾选则用到这些名称的行被拒绝")
        self.create_missing.setVisible(bool(refs))
        opt = QVBoxLayout(options)
        opt.addLayout(modes)
        opt.addWidget(self.mode_note)
        opt.addWidget(self.create_missing)
        opt.addStretch(1)

        bottom = QHBoxLayout()
        bottom.addWidget(self.missing_box, 1)
        bottom.addWidget(options, 1)
        self.error = error_label()
        lay = QVBoxLayout(self)
        lay.addWidget(page_title("第三步：确认每一列导入到哪个字段"))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.unknown)
        lay.addLayout(bottom)
        lay.addWidget(self.error)

    def mode(self) -> str:
        return next(k for k, b in self.mode_buttons.items() if b.isChecked())

    def _mode_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.mode_note.setText(MODE_NOTES[self.mode()])

    def set_mapping(self, mapping: Mapping, grid: Grid, layout: Layout) -> None:
        """One row per file column: heading, field combo, a few values from the file."""
        self.mapping = mapping
        self.table.setRowCount(len(mapping.columns))
        self.combos = {}
        samples = _samples(grid, layout)
        for r, col in enumerate(mapping.columns):
            item = QTableWidgetItem(f"{col.letter}列  {col.heading}")
            item.setToolTip(col.heading)
            self.table.setItem(r, 0, item)
            combo = QComboBox()
            combo.addItem("不导入", None)
            for f in self.spec.form_fields:
                combo.addItem(f.label + ("（必填）" if _required(f) else ""), f.name)
            combo.setMaxVisibleItems(20)
            combo.setProperty("column", col.index)
            combo.currentIndexChanged.connect(self._column_changed)
            self.table.setCellWidget(r, 1, combo)
            self.combos[col.index] = combo
            text = "、".join(samples.get(col.index, []))
            sample = QTableWidgetItem(text)
            sample.setForeground(QBrush(QColor("#555555")))
            sample.setToolTip(text)
            self.table.setItem(r, 2, sample)
        self._sync()

    def _column_changed(self, _index: int) -> None:
        combo = self.sender()
        self.keep_values()
        self.mapping.assign(combo.property("column"), combo.currentData())
        self._sync()

    def _sync(self) -> None:
        """Combos, ignored columns and the whole-file values as the mapping now is
        (a field feeds from one column: choosing it elsewhere unsets it here)."""
        mapping = self.mapping
        for idx, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(combo.findData(mapping.assigned.get(idx)), 0))
            combo.blockSignals(False)
        ignored = [f"{c.letter}列“{c.heading}”" + _why(mapping.notes.get(c.index))
                   for c in mapping.unknown_columns]
        self.unknown.setText("不导入的列：" + "、".join(ignored) if ignored
                             else "文件中的每一列都有对应的字段。")
        self._show_missing(mapping.missing_required())
        self.error.hide()

    def _show_missing(self, fields: list[Field]) -> None:
        while self.missing_form.rowCount():
            self.missing_form.removeRow(0)
        self.value_widgets = {}
        for f in fields:
            names = [label for _i, label in ref_choices(self.db, f)] if f.kind == "ref" else []
            w = value_widget(f, names, self.values.get(f.name, ""))
            self.value_widgets[f.name] = w
            label = QLabel(f'{f.label} <span style="color:#c62828">*</span>')
            label.setBuddy(w)
            self.missing_form.addRow(label, w)
        self.missing_form.addRow(note_label(
            "文件中没有这些列：导入的每一行都取这里填写的值。" if fields
            else "文件中有台账的全部必填列，不需要统一填写。"))

    def keep_values(self) -> None:
        for name, w in self.value_widgets.items():
            self.values[name] = widget_value(w)

    def fixed_values(self) -> tuple[dict[str, str], str]:
        """The whole-file values (set_values), and a message if something is missing."""
        self.keep_values()
        fixed = {name: self.values.get(name, "") for name in self.value_widgets}
        empty = [self.spec.field(n).label for n, v in fixed.items() if not v]
        if empty:
            return fixed, f"请为整个文件填写：{'、'.join(empty)}（文件中没有这些列）"
        if not self.mapping.assigned:
            return fixed, "没有任何一列对应到台账的字段，请至少为一列选择字段"
        return fixed, ""


def _why(note: str | None) -> str:
    """auto_map's reason a column is not imported, shortened for the list."""
    if not note or note == "已设为不导入":
        return ""
    return f"（{note.removesuffix('，不导入')}）"


def _required(f: Field) -> bool:
    return f.required and f.default is None


def _samples(grid: Grid, layout: Layout, n: int = 3) -> dict[int, list[str]]:
    """The first few different values of each column in the first data rows."""
    keys, widths = header_keys(grid, layout), merged_widths(grid)
    out: dict[int, list[str]] = {}
    seen = 0
    for r in range(layout.data_start, len(grid.rows)):
        if seen >= 8:
            break
        if skip_reason(grid, layout, r, keys, widths) is not None:
            continue
        seen += 1
        for c, v in enumerate(grid.rows[r]):
            text = cell_text(v).strip()
            if text and len(out.setdefault(c, [])) < n and text[:30] not in out[c]:
                out[c].append(text[:30])
    return out


def value_widget(f: Field, names: list[str], value: str) -> QWidget:
    """enum → a combo of its choices; ref → a combo of the existing names (a new
    name may be typed); anything else → a line edit. widget_value() reads it."""
    if f.kind in ("enum", "ref"):
        w = QComboBox()
        w.addItem("" if f.kind == "ref" else "（请选择）", "")  # a ref's blank shows its hint
        for choice in (f.choices if f.kind == "enum" else names):
            w.addItem(choice, choice)
        w.setMaxVisibleItems(20)
        if f.kind == "ref":
            w.setEditable(True)
            w.lineEdit().setPlaceholderText(f"选择或输入{f.label}")
        i = w.findData(value) if value else 0
        if i >= 0:
            w.setCurrentIndex(i)
        elif f.kind == "ref":
            w.setEditText(value)
        return w
    w = QLineEdit(value)
    w.setPlaceholderText(f.hint or ("如 2023-12-31" if f.kind == "date" else f"填写{f.label}"))
    return w


def widget_value(w: QWidget) -> str:
    if isinstance(w, QComboBox):
        if w.isEditable():
            return w.currentText().strip()
        return w.currentData() or ""
    return w.text().strip()
