"""设置 → 导入记忆: the column headings remembered for each ledger (another office's
职权名称 is our 事项名称) and the other names of rows (综合行政执法队 is 综合行政执法办公室),
listed, and deleted when they were a mistake. Deleting is audited like any write."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import UserError
from app.importer.aliases import delete_aliases, list_aliases
from app.importer.memory import forget, list_memory
from app.specs import all_specs
from ui.login import note_label


def _table(headings: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headings))
    t.setHorizontalHeaderLabels(headings)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class ImportMemoryPanel(QWidget):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.columns = _table(["台账", "文件中的列标题", "导入到字段", "记住的人", "时间"])
        self.aliases = _table(["台账", "别名（文件中的写法）", "对应的记录", "记住的人", "时间"])
        self.delete_columns = QPushButton("删除所选列的对应")
        self.delete_columns.clicked.connect(self._delete_columns)
        self.delete_aliases = QPushButton("删除所选别名")
        self.delete_aliases.clicked.connect(self._delete_aliases)
        self.message = note_label("")
        lay = QVBoxLayout(self)
        lay.addWidget(note_label("导入时确认或用 --map 指定的列对应、以及对应到已有记录的名称，"
                                 "会在下次导入同样的文件时自动使用。记错了可以在这里删除。"))
        for box_title, table, button in (("记住的列对应", self.columns, self.delete_columns),
                                         ("名称别名", self.aliases, self.delete_aliases)):
            box = QGroupBox(box_title)
            b = QVBoxLayout(box)
            b.addWidget(table)
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(button)
            b.addLayout(row)
            lay.addWidget(box, 1)
        lay.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        specs = {s.key: s for s in all_specs()}
        memory = list_memory(self.db)
        self.columns.setRowCount(len(memory))
        for r, m in enumerate(memory):
            spec = specs.get(m.ledger)
            label = spec.labels.get(m.field, m.field) if spec else m.field
            self._fill(self.columns, r, m.id, [spec.title if spec else m.ledger, m.heading, label,
                                               m.created_by, f"{m.created_at:%Y-%m-%d %H:%M}"])
        aliases = list_aliases(self.db)
        names = _row_names(self.db, {a.ledger for a in aliases})
        self.aliases.setRowCount(len(aliases))
        for r, a in enumerate(aliases):
            spec = specs.get(a.ledger)
            self._fill(self.aliases, r, a.id, [spec.title if spec else a.ledger, a.alias,
                                               names.get((a.ledger, a.row_id), f"第 {a.row_id} 号"),
                                               a.created_by, f"{a.created_at:%Y-%m-%d %H:%M}"])
        self.delete_columns.setEnabled(bool(memory))
        self.delete_aliases.setEnabled(bool(aliases))

    @staticmethod
    def _fill(table: QTableWidget, r: int, item_id: int, texts: list[str]) -> None:
        for c, text in enumerate(texts):
            item = QTableWidgetItem(text)
            if c == 0:
                item.setData(256, item_id)  # Qt.UserRole
            table.setItem(r, c, item)

    @staticmethod
    def _selected(table: QTableWidget) -> list[int]:
        rows = {i.row() for i in table.selectedIndexes()}
        return [table.item(r, 0).data(256) for r in sorted(rows)]

    def _delete_columns(self) -> None:
        self._delete(self.columns, forget, "列对应")

    def _delete_aliases(self) -> None:
        self._delete(self.aliases, delete_aliases, "别名")

    def _delete(self, table, fn, what: str) -> None:
        ids = self._selected(table)
        if not ids:
            self.message.setText(f"请先选择要删除的{what}")
            return
        try:
            n = fn(self.db, ids)
        except UserError as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"已删除 {n} 条{what}")
        self.reload()


def _row_names(db: Database, ledgers: set[str]) -> dict[tuple[str, int], str]:
    from sqlalchemy import select

    from app.specs import get_spec

    out = {}
    with db.session() as s:
        for key in ledgers:
            try:
                spec = get_spec(key)
            except UserError:
                continue
            m = spec.model
            label = next((f.name for f in spec.fields if f.name == "name"), "id")
            for i, name in s.execute(select(m.id, getattr(m, label))):
                out[(key, i)] = str(name)
    return out
