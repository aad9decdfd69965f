"""A read-only table of ready-made texts (audit trail, recycle bin): the rows are
tuples of strings, long cells show in full as a tooltip."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


class TextTableModel(QAbstractTableModel):
    def __init__(self, headings: Sequence[str], parent=None):
        super().__init__(parent)
        self.headings = tuple(headings)
        self.rows: list[tuple[str, ...]] = []

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.headings)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role == Qt.DisplayRole:
            return text.replace("\n", " ")
        if role == Qt.ToolTipRole and len(text) > 20:
            return text
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headings[section]
        return None


def text_table_view(model: TextTableModel, widths: Sequence[int] = ()) -> QTableView:
    """A view set up like the ledger tables: rows selected whole, no editing.
    `widths` are in CJK characters."""
    view = QTableView()
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.ExtendedSelection)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    header = view.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.Interactive)
    em = view.fontMetrics().horizontalAdvance("中")
    for i, w in enumerate(widths):
        view.setColumnWidth(i, int(w * em) + 12)
    return view
