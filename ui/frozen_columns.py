"""Frozen key columns (Excel's 冻结窗格): a second QTableView over the table's first
columns, on the same model and selection model, kept in step — vertical scroll, row
heights, column widths and hidden columns, the sort indicator — so 事项编码 and 事项名称
stay in view when the table scrolls right. The pattern of Qt's "Frozen Column" example."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from app.specs import LedgerSpec

LEADING = 4  # key columns are frozen only when they are among the first four


def frozen_count(spec: LedgerSpec, fields) -> int:
    """How many leading columns to freeze: up to the last of the spec's `frozen` fields,
    by default of its first two label fields (0 when they are not leading columns)."""
    names = [f.name for f in fields]
    wanted = spec.frozen or spec.label_fields[:2]
    at = [names.index(n) for n in wanted if n in names[:LEADING]]
    return max(at) + 1 if at else 0


class FrozenColumns:
    def __init__(self, table: QTableView, count: int):
        self.table, self.count = table, count
        self.view = view = QTableView(table)
        view.setObjectName("frozen")
        view.setModel(table.model())
        view.setSelectionModel(table.selectionModel())
        view.setFocusPolicy(Qt.NoFocus)  # the keyboard stays in the table
        view.setSelectionBehavior(table.selectionBehavior())
        view.setSelectionMode(table.selectionMode())
        view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        view.setAlternatingRowColors(table.alternatingRowColors())
        view.setWordWrap(False)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        view.verticalHeader().setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Fixed)  # widths follow the table's
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(table.horizontalHeader().defaultAlignment())
        # A click on a frozen heading sorts the table as a click on its own heading would
        # (the table sorts; this header only shows the indicator).
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        main = table.horizontalHeader()
        header.setSortIndicator(main.sortIndicatorSection(), main.sortIndicatorOrder())
        header.sectionClicked.connect(self._heading_clicked)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        view.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        table.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollPerPixel)
        view.setStyleSheet("#frozen { border: none; border-right: 2px solid #b8c4d4; }")
        view.setContextMenuPolicy(Qt.ActionsContextMenu)
        view.addActions(table.actions())
        table.viewport().stackUnder(view)

        table.horizontalHeader().sectionResized.connect(self._width_changed)
        table.verticalScrollBar().valueChanged.connect(view.verticalScrollBar().setValue)
        view.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
        table.horizontalHeader().sortIndicatorChanged.connect(self._sorted_in_table)
        table.model().modelReset.connect(self.sync)
        table.model().layoutChanged.connect(self.sync)
        self._syncing = False
        self.sync()
        view.show()

    def width(self) -> int:
        return sum(self.table.columnWidth(c) for c in range(self.count)
                   if not self.table.isColumnHidden(c))

    def sync(self, *_args) -> None:
        """Columns, widths and place again (after a reset, a resize, a column hidden)."""
        view = self.view
        for c in range(self.table.model().columnCount()):
            view.setColumnHidden(c, c >= self.count or self.table.isColumnHidden(c))
            if c < self.count:
                view.setColumnWidth(c, self.table.columnWidth(c))
        view.horizontalHeader().setFixedHeight(self.table.horizontalHeader().height())
        self.place()

    def place(self) -> None:
        t = self.table
        frame = t.frameWidth()
        left = frame + (t.verticalHeader().width() if t.verticalHeader().isVisible() else 0)
        self.view.setGeometry(left, frame, self.width(),
                              t.viewport().height() + t.horizontalHeader().height())
        self.view.verticalScrollBar().setValue(t.verticalScrollBar().value())

    def _width_changed(self, column: int, _old: int, new: int) -> None:
        if column < self.count:
            self.view.setColumnWidth(column, new)
            self.place()

    def _sorted_in_table(self, column: int, order) -> None:
        if not self._syncing:
            self._syncing = True
            self.view.horizontalHeader().setSortIndicator(column, order)
            self._syncing = False

    def _heading_clicked(self, column: int) -> None:
        main = self.table.horizontalHeader()
        ascending = main.sortIndicatorSection() != column or \
            main.sortIndicatorOrder() == Qt.DescendingOrder
        self.table.sortByColumn(column, Qt.AscendingOrder if ascending else Qt.DescendingOrder)

    def uncovered(self, index) -> int | None:
        """The horizontal scroll value that brings `index` out from under the frozen
        columns (None: it is not under them)."""
        if index.column() < self.count:
            return None
        x = self.table.visualRect(index).left()
        covered = self.width()
        if x < covered:
            return self.table.horizontalScrollBar().value() + x - covered
        return None
