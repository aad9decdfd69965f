"""The ledger table view: its keys (Enter/F2, Delete, Ctrl+C, Alt+↓) and what the
selected cells say: tab-separated text for Excel/WPS, and the status bar's 计数/求和."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QTableView


class LedgerTable(QTableView):
    """Enter/F2 edit, Delete deletes, Ctrl+C copies cells as tab-separated text, Alt+↓
    opens the column's filter."""

    edit_requested = Signal()
    delete_requested = Signal()
    filter_requested = Signal(int)  # Alt+↓: the current column's filter, as in Excel

    frozen = None  # ui.frozen_columns.FrozenColumns over the key columns, if any

    def resizeEvent(self, event):  # noqa: N802 - Qt API
        super().resizeEvent(event)
        if self.frozen is not None:
            self.frozen.place()

    def updateGeometries(self):  # noqa: N802 - Qt API
        super().updateGeometries()
        if self.frozen is not None:
            self.frozen.place()

    def moveCursor(self, action, modifiers):  # noqa: N802 - Qt API
        current = super().moveCursor(action, modifiers)
        if self.frozen is not None:  # ← onto a cell under the frozen columns: scroll it out
            value = self.frozen.uncovered(current)
            if value is not None:
                self.horizontalScrollBar().setValue(value)
        return current

    def scrollTo(self, index, hint=QAbstractItemView.EnsureVisible):  # noqa: N802 - Qt API
        if self.frozen is not None and index.isValid() and index.column() < self.frozen.count:
            keep = self.horizontalScrollBar().value()  # a frozen cell is always in view
            super().scrollTo(index, hint)
            self.horizontalScrollBar().setValue(keep)
            return
        super().scrollTo(index, hint)
        if self.frozen is not None and index.isValid():
            value = self.frozen.uncovered(index)
            if value is not None:
                self.horizontalScrollBar().setValue(value)

    def keyPressEvent(self, event):  # noqa: N802 - Qt API
        if event.key() == Qt.Key_Down and event.modifiers() & Qt.AltModifier:
            self.filter_requested.emit(max(self.currentIndex().column(), 0))
        elif event.matches(QKeySequence.Copy):
            copy_selection(self)
        elif event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_F2):
            self.edit_requested.emit()
        elif event.key() == Qt.Key_Delete:
            self.delete_requested.emit()
        else:
            super().keyPressEvent(event)


def selection_text(view: QTableView) -> str:
    """Selected cells, tab between columns and newline between rows (pastes into Excel/WPS)."""
    indexes = view.selectionModel().selectedIndexes()
    if not indexes:
        return ""
    header = view.horizontalHeader()
    rows = sorted({ix.row() for ix in indexes})
    cols = sorted({ix.column() for ix in indexes}, key=header.visualIndex)
    chosen = {(ix.row(), ix.column()) for ix in indexes}
    model = view.model()
    lines = []
    for r in rows:
        cells = []
        for c in cols:
            text = model.cell_text(r, c) if (r, c) in chosen else ""
            cells.append(text.replace("\t", " ").replace("\r", " ").replace("\n", " "))
        lines.append("\t".join(cells))
    return "\n".join(lines)


def copy_selection(view: QTableView) -> None:
    text = selection_text(view)
    if text:
        QGuiApplication.clipboard().setText(text)


def selection_summary(view: QTableView) -> str:
    """'计数 12  求和 345' for the selected cells (Excel's status bar): 求和 and 平均值 over
    the numeric columns' filled cells; '' for one cell or none. Read from the ranges,
    not cell by cell: Ctrl+A on 100,000 rows stays quick."""
    ranges = view.selectionModel().selection()
    model = view.model()
    count, total, numbers, seen = 0, 0, 0, set()
    for rng in ranges:
        cols = [c for c in range(rng.left(), rng.right() + 1) if not view.isColumnHidden(c)]
        rows = range(rng.top(), rng.bottom() + 1)
        count += len(cols) * len(rows)
        for c in cols:
            if not model.fields[c].type.numeric:
                continue
            for r in rows:
                if (r, c) in seen:
                    continue
                if len(ranges) > 1:
                    seen.add((r, c))
                value = model.value_at(r, c)
                if value is not None and not isinstance(value, (bool, str)):
                    total += value  # int, float or Decimal (money)
                    numbers += 1
    if count <= 1:
        return ""
    text = f"计数 {count:,}"
    if numbers:
        shown = f"{total:,.2f}".rstrip("0").rstrip(".") if not isinstance(total, int) \
            else f"{total:,}"
        average = f"{total / numbers:,.2f}".rstrip("0").rstrip(".")
        text += f"  求和 {shown}  平均值 {average}"
    return text
