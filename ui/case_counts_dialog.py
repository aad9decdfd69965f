"""办件量: edit an item's yearly case counts (years as rows)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
)

from app import powers
from app.db import Database
from app.errors import ConflictError, UserError
from ui.dialogs import show_error
from ui.form_dialog import ERROR_STYLE


class CaseCountsDialog(QDialog):
    def __init__(self, db: Database, item_id: int, item_name: str, version: int | None,
                 parent=None):
        super().__init__(parent)
        from ui.login import may

        self.db, self.item_id, self.version = db, item_id, version
        self.saved = False
        self.read_only = not may(db, "update")  # viewers see the counts, change nothing
        self.setWindowTitle("查看办件量" if self.read_only else "办件量")
        title = QLabel(f"事项：{item_name}")
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: bold;")
        note = QLabel("每年办理的件数；某年未办理请填 0。零办件事项按当年办件量为 0 或未填写统计。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["年份", "办件量（件）"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        for year, n in sorted(powers.case_counts(db, item_id).items(), reverse=True):
            self.add_row(year, n)

        add = QPushButton("添加年份")
        add.clicked.connect(self._add_clicked)
        remove = QPushButton("删除所选年份")
        remove.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        buttons.addButton("关闭" if self.read_only else "取消", QDialogButtonBox.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.add_button, self.remove_button = add, remove
        if self.read_only:
            for w in (add, remove, self.save_button):
                w.hide()
            for r in range(self.table.rowCount()):
                for c in (0, 1):
                    self.table.cellWidget(r, c).setReadOnly(True)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(420, 380)

    def _add_clicked(self) -> None:
        self.add_row()

    def add_row(self, year: int | None = None, count: int = 0) -> None:
        if year is None:
            years = [y for y, _n in self.values()]
            year = powers.this_year()
            while year in years:  # the newest missing year at or before this one
                year -= 1
        r = self.table.rowCount()
        self.table.insertRow(r)
        y = QSpinBox()
        y.setRange(1990, 2100)
        y.setValue(year)
        y.setSuffix(" 年")
        n = QSpinBox()
        n.setRange(0, 99_999_999)
        n.setValue(count)
        n.setSuffix(" 件")
        self.table.setCellWidget(r, 0, y)
        self.table.setCellWidget(r, 1, n)

    def remove_selected(self) -> None:
        rows = sorted({ix.row() for ix in self.table.selectionModel().selectedIndexes()}
                      or ({self.table.currentRow()} - {-1}), reverse=True)
        for r in rows:
            self.table.removeRow(r)

    def values(self) -> list[tuple[int, int]]:
        return [(self.table.cellWidget(r, 0).value(), self.table.cellWidget(r, 1).value())
                for r in range(self.table.rowCount())]

    def save(self) -> None:
        if self.read_only:
            return
        counts: dict[int, int] = {}
        for year, n in self.values():
            if year in counts:
                self.error.setText(f"{year}年出现了两次，请合并为一行")
                self.error.show()
                return
            counts[year] = n
        try:
            self.version = powers.set_case_counts(self.db, self.item_id, counts, self.version)
        except ConflictError as exc:
            show_error(self, UserError(f"{exc.message}\n\n请关闭后重新打开办件量再修改。"))
            return
        except ValueError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self.saved = True
        self.accept()
