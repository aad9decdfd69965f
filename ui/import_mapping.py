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
    QHeaderView,
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
from app.importer.aliases import with_aliases
from app.importer.header import data_rows
from app.importer.mapping import REMEMBERED, SIMILAR
from app.importer.refvalues import closest_names
from app.normalize import clean_text, name_key
from app.services import ref_choices
from app.specs import Field, LedgerSpec
from ui.dialogs import fill_height
from ui.import_pages import cell_text, error_label, page_title
from ui.login import note_label

DEFAULT, CREATE, REFUSE = "\x00default", "\x00create", "\x00refuse"  # value choices
BY_DEFAULT = "按“自动新建…”选项"  # a name's first choice: its combo is this wide

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
        row = self.fontMetrics().height() + 14
        self.table.verticalHeader().setDefaultSectionSize(row)
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
        refs = [f.label for f in spec.form_fields if f.type.is_ref]
        self.create_missing = QCheckBox(f"自动新建文件中出现的未知{'、'.join(refs) or '名称'}")
        self.create_missing.setToolTip("勾选后，文件中写了但本街道还没有的名称会在导入时一并新建；"
                                       "不勾选则用到这些名称的行被拒绝")
        self.create_missing.setVisible(bool(refs))
        opt = QVBoxLayout(options)
        opt.addLayout(modes)
        opt.addWidget(self.mode_note)
        opt.addWidget(self.create_missing)
        opt.addStretch(1)

        # Names in reference columns that match no existing row: create, map, or refuse.
        self.values_box = QGroupBox("文件中有、本街道还没有的名称")
        self.values_table = QTableWidget(0, 3)
        self.values_table.setHorizontalHeaderLabels(["文件中的名称", "行数", "怎样处理"])
        self.values_table.verticalHeader().setVisible(False)
        self.values_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        vh = self.values_table.horizontalHeader()
        vh.setSectionResizeMode(0, QHeaderView.Stretch)  # the name gives way, not the choice
        vh.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        vl = QVBoxLayout(self.values_box)
        vl.addWidget(note_label("可对应到已有的名称（以后自动识别为别名）、导入时新建，或不接受"
                                "（用到它的行被拒绝）。"))
        vl.addWidget(fill_height(self.values_table, row * 4), 1)
        self.value_combos: dict[tuple[str, str], QComboBox] = {}  # (field, name) → choice
        self._known: dict[str, tuple[dict, list[str]]] = {}  # field → (index, names)

        # Two columns, not three: the names' choices keep their width on a narrow screen.
        left = QVBoxLayout()
        left.addWidget(self.missing_box)
        left.addWidget(options, 1)
        bottom = QHBoxLayout()
        bottom.addLayout(left, 1)
        bottom.addWidget(self.values_box, 1)
        self.error = error_label()
        lay = QVBoxLayout(self)
        lay.addWidget(page_title("第三步：确认每一列导入到哪个字段"))
        lay.addWidget(fill_height(self.table, row * 5), 1)  # the heading and four columns
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
        self._grid = grid
        self._data = data_rows(grid, layout)  # hint, footer and blank rows left out
        self.value_combos = {}
        self.table.setRowCount(len(mapping.columns))
        self.combos = {}
        samples = _samples(grid, self._data)
        self._known = {}
        for r, col in enumerate(mapping.columns):
            item = QTableWidgetItem(f"{col.letter}列  {col.heading}")
            item.setToolTip(col.heading)
            self.table.setItem(r, 0, item)
            self._mark(r, col.index)
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

    def _mark(self, r: int, index: int) -> None:
        """How a column got its field: a proposal by similarity is shown for confirming."""
        item = self.table.item(r, 0)
        col = self.mapping.column(index)
        how = self.mapping.how.get(index)
        cands = self.mapping.candidates.get(index, [])
        labels = self.spec.labels
        text = f"{col.letter}列  {col.heading}"
        if how == SIMILAR:
            item.setText(f"{text}（相似，请确认）")
            item.setBackground(QBrush(QColor("#fff3c4")))
            item.setToolTip(f"{col.heading}\n按标题相似度建议，最接近的字段："
                            + "、".join(labels[f] for f, _ in cands))
        else:
            item.setText(f"{text}（已记住）" if how == REMEMBERED else text)
            item.setBackground(QBrush())
            item.setToolTip(col.heading)

    def proposals(self) -> list[str]:
        """Headings taken by similarity alone, still to be looked at."""
        return [c.heading for c in self.mapping.proposed]

    def _column_changed(self, _index: int) -> None:
        combo = self.sender()
        self.keep_values()
        self.mapping.assign(combo.property("column"), combo.currentData())
        for r, col in enumerate(self.mapping.columns):
            self._mark(r, col.index)
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
        self._show_unknown_names()
        self.error.hide()

    def _show_unknown_names(self) -> None:
        """Each name of a mapped reference column that no existing row (or alias) has,
        with the closest existing names offered."""
        old = {k: c.currentData() for k, c in self.value_combos.items()}
        self.value_combos = {}
        found = []
        for idx, fname in sorted(self.mapping.assigned.items()):
            f = self.spec.field(fname)
            if not f.type.is_ref:
                continue
            if fname not in self._known:
                pairs = ref_choices(self.db, f)
                index = with_aliases(self.db, f, {name_key(label): i for i, label in pairs})
                self._known[fname] = (index, [label for _i, label in pairs])
            index, names = self._known[fname]
            counts: dict[str, int] = {}
            for r in self._data:
                row = self._grid.rows[r]
                v = row[idx] if row is not None and idx < len(row) else ""
                text = clean_text(v)
                if text and name_key(text) not in index:
                    counts[text] = counts.get(text, 0) + 1
            found += [(f, name, n, names) for name, n in counts.items()][:100]
        t = self.values_table
        t.setRowCount(len(found))
        for r, (f, name, n, names) in enumerate(found):
            t.setItem(r, 0, QTableWidgetItem(name))
            t.setItem(r, 1, QTableWidgetItem(str(n)))
            combo = QComboBox()
            combo.addItem(BY_DEFAULT, DEFAULT)
            near = closest_names(name, names)
            for x in near:
                combo.addItem(f"对应到：{x}", x)
            combo.addItem("导入时新建", CREATE)
            combo.addItem("不接受（拒绝用到它的行）", REFUSE)
            for x in names:
                if x not in near:
                    combo.addItem(f"对应到：{x}", x)
            key = (f.name, name)
            if key in old:
                combo.setCurrentIndex(max(combo.findData(old[key]), 0))
            # As wide as the column, whatever its names; the list opens as wide as they are.
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            fm = combo.fontMetrics()  # the length counts x's
            combo.setMinimumContentsLength(-(-fm.horizontalAdvance(BY_DEFAULT)
                                             // fm.horizontalAdvance("x")))
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 8)
            item = t.item(r, 0)
            item.setToolTip(name)
            t.setCellWidget(r, 2, combo)
            self.value_combos[key] = combo
        if found:
            t.setColumnWidth(2, combo.sizeHint().width() + 1)  # and the grid line
        self.values_box.setVisible(bool(found))

    def value_map(self) -> tuple[dict[str, dict[str, str | None]], bool]:
        """(value_map for prepare_import, create_missing): names mapped to existing rows,
        refused names, and whether any name is to be created."""
        create_all = self.create_missing.isChecked()
        choices = {k: c.currentData() for k, c in self.value_combos.items()}
        create = create_all or CREATE in choices.values()
        out: dict[str, dict[str, str | None]] = {}
        for (fname, name), choice in choices.items():
            if choice == DEFAULT:
                if create and not create_all:
                    out.setdefault(fname, {})[name] = None  # only the chosen ones are new
                continue
            if choice == CREATE:
                continue
            out.setdefault(fname, {})[name] = None if choice == REFUSE else choice
        return out, create

    def _show_missing(self, fields: list[Field]) -> None:
        while self.missing_form.rowCount():
            self.missing_form.removeRow(0)
        self.value_widgets = {}
        for f in fields:
            names = [label for _i, label in ref_choices(self.db, f)] if f.type.is_ref else []
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


def _samples(grid: Grid, data: list[int], n: int = 3) -> dict[int, list[str]]:
    """The first few different values of each column in the first data rows."""
    out: dict[int, list[str]] = {}
    for r in data[:8]:
        for c, v in enumerate(grid.rows[r]):
            text = cell_text(v).strip()
            if text and len(out.setdefault(c, [])) < n and text[:30] not in out[c]:
                out[c].append(text[:30])
    return out


def value_widget(f: Field, names: list[str], value: str) -> QWidget:
    """enum → a combo of its choices; ref → a combo of the existing names (a new
    name may be typed); anything else → a line edit. widget_value() reads it."""
    picks = names if f.type.is_ref else f.type.pick_list(f)
    if f.type.is_ref or picks:
        w = QComboBox()
        w.addItem("" if f.type.is_ref else "（请选择）", "")  # a ref's blank shows its hint
        for choice in picks:
            w.addItem(choice, choice)
        w.setMaxVisibleItems(20)
        if f.type.is_ref:
            w.setEditable(True)
            w.lineEdit().setPlaceholderText(f"选择或输入{f.label}")
        i = w.findData(value) if value else 0
        if i >= 0:
            w.setCurrentIndex(i)
        elif f.type.is_ref:
            w.setEditText(value)
        return w
    w = QLineEdit(value)
    w.setPlaceholderText(f.type.hint(f) or f"填写{f.label}")
    return w


def widget_value(w: QWidget) -> str:
    if isinstance(w, QComboBox):
        if w.isEditable():
            return w.currentText().strip()
        return w.currentData() or ""
    return w.text().strip()
