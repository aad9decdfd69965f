"""A child collection (app.specs.Children) edited as a small table: one row per child,
one editor per field, 添加 / 删除所选. The form and the collection's own dialog use it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.specs import Children
from ui.field_widgets import Editor, make_editor


class ChildTable(QWidget):
    def __init__(self, db, child: Children, parent=None):
        super().__init__(parent)
        self.db, self.child = db, child
        self.read_only = False
        self._editors: dict[int, Editor] = {}  # by id() of the cell widget
        self._choices = {f.name: services.ref_choices(db, f) for f in child.fields
                         if f.type.is_ref}
        self.table = QTableWidget(0, len(child.fields))
        self.table.setHorizontalHeaderLabels(
            [f.label + (" *" if f.required else "") for f in child.fields])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 16)
        self.table.setMinimumHeight(self.fontMetrics().height() * 7)
        self.add_button = QPushButton(f"添加{child.label}")
        self.add_button.clicked.connect(self._add_clicked)
        self.remove_button = QPushButton("删除所选行")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if child.hint:
            note = QLabel(child.hint)
            note.setWordWrap(True)
            note.setStyleSheet("color: #666;")
            lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)

    def _add_clicked(self) -> None:
        self.add_row()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.editors()[-1][0].focus.setFocus()

    def add_row(self, *values, row: dict | None = None) -> None:
        """A row from `row` (field → value), or from positional values in field order, or
        the collection's defaults for a new row."""
        if row is None and values:
            row = dict(zip((f.name for f in self.child.fields), values, strict=False))
        if row is None:
            row = self.child.new_row(self.values()) if self.child.new_row else {}
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, f in enumerate(self.child.fields):
            ed = make_editor(f, self._choices.get(f.name))
            value = row.get(f.name, f.default)
            if f.type.is_ref and value is not None and not ed.has_choice(value):
                ed.add_choice(value, services.ref_label(self.db, f, value))
            if value is not None:
                ed.set_value(value)
            if self.read_only:
                ed.set_read_only()
            self.table.setCellWidget(r, c, ed.widget)
            self._editors[id(ed.widget)] = ed

    def set_rows(self, rows: list[dict]) -> None:
        while self.table.rowCount():
            self.table.removeRow(0)
        self._editors = {}
        for row in rows:
            self.add_row(row=row)

    def remove_selected(self) -> None:
        rows = sorted({ix.row() for ix in self.table.selectionModel().selectedIndexes()}
                      or ({self.table.currentRow()} - {-1}), reverse=True)
        for r in rows:
            self.table.removeRow(r)

    def editors(self) -> list[list[Editor]]:
        """The editors row by row, as the table holds them now."""
        t = self.table
        return [[self._editors[id(t.cellWidget(r, c))] for c in range(t.columnCount())]
                for r in range(t.rowCount())]

    def values(self) -> list[dict]:
        return [{f.name: ed.value() for f, ed in zip(self.child.fields, line, strict=True)}
                for line in self.editors()]

    def set_read_only(self) -> None:
        self.read_only = True
        self.add_button.hide()
        self.remove_button.hide()
        for line in self.editors():
            for ed in line:
                ed.set_read_only()
        self.table.setFocusPolicy(Qt.NoFocus)
