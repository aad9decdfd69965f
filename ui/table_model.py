"""Table model for any ledger: rows cached as plain tuples, filtered and sorted in Python
by ui.row_view.RowView; the Qt model only maps view rows to row indexes through one
list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from app.specs import Field
from ui.row_view import RowView

# Roles as plain ints: views pass ints, and int == int is much cheaper than comparing
# with the enum members, for the seven roles data() answers per painted cell.
# (Overriding multiData() would save the calls, but PySide6 6.12's
# QModelRoleData.setData corrupts the refcount of None: the process crashes.)
_DISPLAY = Qt.DisplayRole.value
_ALIGN = Qt.TextAlignmentRole.value
_TIP = Qt.ToolTipRole.value
_BACK = Qt.BackgroundRole.value
_FORE = Qt.ForegroundRole.value
ALERT = QColor("#c62828")  # 超编, 未核定, a lapsing certificate: red wherever shown

class LedgerTableModel(QAbstractTableModel):
    """Qt face of a RowView; header clicks call `sort`, which sorts in Python."""

    def __init__(self, fields: Sequence[Field], parent=None):
        super().__init__(parent)
        self.view = RowView(fields)
        self.fields = self.view.fields
        from reports import is_masked_field, mask_id

        # ID numbers and the like are masked unless the user asked to see them whole.
        self._mask = mask_id
        self.masked = {i for i, f in enumerate(self.fields) if is_masked_field(f)}
        self.revealed = False
        # Columns whose field names a colour per value (warnings, workflow states).
        self._coloured = {i for i, f in enumerate(self.fields) if f.colours}
        self._brushes: dict[str, tuple] = {}
        self._alerts = {i for i, f in enumerate(self.fields) if f.alert is not None}
        self._align = [
            int(Qt.AlignRight | Qt.AlignVCenter) if f.type.numeric
            else int(Qt.AlignLeft | Qt.AlignVCenter)
            for f in self.fields
        ]

    # -- Qt model interface -------------------------------------------------
    def rowCount(self, parent=None):  # noqa: N802 - Qt API
        return 0 if parent is not None and parent.isValid() else len(self.view.visible)

    def columnCount(self, parent=None):  # noqa: N802 - Qt API
        return 0 if parent is not None and parent.isValid() else len(self.fields)

    def data(self, index, role=_DISPLAY):
        if role == _DISPLAY:
            return self.cell_text(index.row(), index.column()).replace("\n", " ")
        if role == _ALIGN:
            return self._align[index.column()]
        if role == _TIP:
            text = self.cell_text(index.row(), index.column())
            return text if len(text) > 16 else None
        if (role == _BACK or role == _FORE) and index.column() in self._coloured:
            return self._brush(index.row(), index.column(), role == _BACK)
        if role == _FORE and index.column() in self._alerts:
            alert = self.fields[index.column()].alert
            return ALERT if alert(self.view.rows[self.view.visible[index.row()]][index.column()]) else None
        return None

    def _brush(self, view_row: int, column: int, back: bool):
        value = self.view.rows[self.view.visible[view_row]][column]
        fill = self.fields[column].colour(value)
        if fill is None:
            return None
        pair = self._brushes.get(fill)
        if pair is None:
            from PySide6.QtGui import QBrush, QColor

            from app.specs import text_colour

            pair = self._brushes[fill] = (QBrush(QColor(fill)), QBrush(QColor(text_colour(fill))))
        return pair[0] if back else pair[1]

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Horizontal:
            if role == Qt.DisplayRole:
                return self.fields[section].title
            if role == Qt.ToolTipRole and self.fields[section].hint:
                return self.fields[section].hint
        elif role == Qt.DisplayRole:
            return section + 1
        return None

    def sort(self, column, order=Qt.AscendingOrder):
        self.layoutAboutToBeChanged.emit()
        before = self.view.visible
        self.view.sort(column if column >= 0 else None, order == Qt.DescendingOrder)
        self._remap_persistent(before)
        self.layoutChanged.emit()

    # -- ours ---------------------------------------------------------------
    def set_rows(self, rows: list[tuple], ids: list[int], versions: list[int]) -> None:
        self.beginResetModel()
        self.view.set_rows(rows, ids, versions)
        self.endResetModel()

    def set_view(self, view: RowView) -> None:
        """Swap in a view prepared elsewhere (ui.page_loader builds it off the GUI thread)."""
        self.beginResetModel()
        self.view = view
        self.endResetModel()

    def set_query(self, text: str) -> None:
        self.beginResetModel()
        self.view.set_query(text)
        self.endResetModel()

    def set_filters(self, filters: dict[int, object]) -> None:
        self.beginResetModel()
        self.view.set_filters(filters)
        self.endResetModel()

    def _remap_persistent(self, before: list[int]) -> None:
        # Keep the selection on the same rows when the order changes.
        old = self.persistentIndexList()
        if not old:
            return
        pos = {r: k for k, r in enumerate(self.view.visible)}
        new = []
        for ix in old:
            src = before[ix.row()] if ix.row() < len(before) else None
            k = pos.get(src)
            new.append(self.index(k, ix.column()) if k is not None else QModelIndex())
        self.changePersistentIndexList(old, new)

    def source_row(self, view_row: int) -> int:
        return self.view.visible[view_row]

    def row_id(self, view_row: int) -> int:
        return self.view.ids[self.view.visible[view_row]]

    def row_version(self, view_row: int) -> int:
        return self.view.versions[self.view.visible[view_row]]

    def view_row_of_id(self, row_id: int) -> int | None:
        try:
            src = self.view.ids.index(row_id)
        except ValueError:
            return None
        try:
            return self.view.visible.index(src)
        except ValueError:
            return None

    def visible_rows(self) -> tuple[list[int], list[int], list[tuple]]:
        """ids, versions and rows of what the user sees, in the order shown."""
        v = self.view
        return ([v.ids[i] for i in v.visible], [v.versions[i] for i in v.visible],
                [v.rows[i] for i in v.visible])

    def value_at(self, view_row: int, column: int):
        """The stored value of a cell (not its text): the status bar sums these."""
        return self.view.rows[self.view.visible[view_row]][column]

    def cell_text(self, view_row: int, column: int) -> str:
        value = self.view.rows[self.view.visible[view_row]][column]
        text = self.fields[column].display(value)
        if column in self.masked and not self.revealed:
            return self._mask(text)
        return text
