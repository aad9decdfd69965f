"""A dialog listing the rows behind one 核查 line (e.g. people whose ID number's area
code deserves a second look): the ledger's printed columns, red where a value is, ID
numbers masked; a double click opens the row's form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
)

from app.checks import Finding
from app.db import Database
from app.services import list_rows
from app.specs import Field, get_spec
from ui.dialogs import fit_screen
from ui.table_model import LedgerTableModel

NOTE = Field("check_note", "核查说明", width=30)


class RowsDialog(QDialog):
    def __init__(self, db: Database, check: Finding, parent=None):
        super().__init__(parent)
        self.db, self.check = db, check
        self.spec = spec = get_spec(check.ledger)
        self.setWindowTitle(f"核查：{check.label}")
        named = set(spec.label_fields) | set(spec.natural_key)
        fields = tuple(f for f in spec.table_fields
                       if f.name in named or f.type.is_ref or f.filterable or f.alert)
        rs = list_rows(db, spec, fields)
        wanted = set(check.ids)
        keep = [k for k, i in enumerate(rs.ids) if i in wanted]
        rows = [rs.rows[k] for k in keep]
        if check.notes:  # why each row is listed (the ID number itself is masked)
            fields = (NOTE, *fields)
            rows = [(check.notes.get(rs.ids[k], ""), *r) for k, r in zip(keep, rows, strict=True)]
        self.model = LedgerTableModel(fields, self)
        self.model.set_rows(rows, [rs.ids[k] for k in keep], [rs.versions[k] for k in keep])
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        em = self.fontMetrics().horizontalAdvance("中")
        for c, f in enumerate(fields):
            self.table.setColumnWidth(c, int(min(f.width, 14) * em * 0.9) + 12)
        if check.notes:
            self.table.setColumnWidth(0, int(max(len(n) for n in check.notes.values()) * em) + 16)
        self.table.doubleClicked.connect(self._open)
        note = QLabel(f"共 {len(keep)} 条。{check.hint + '。' if check.hint else ''}双击打开记录。")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        fit_screen(self, 1100, 460)
        self.form = None

    def _open(self, index) -> None:
        from ui.form_dialog import FormDialog

        self.form = FormDialog(self.db, self.spec, self.model.row_id(index.row()), self)
        self.form.open()
