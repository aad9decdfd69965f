"""What a ledger page does like a spreadsheet, mixed into ui.ledger_page.LedgerPage: the
header's per-column filters with their chips, Ctrl+F to the search box, the status
bar's 计数/求和 of the selected cells, and the summary strip counting what the filters
leave (its figures recomputed from the rows shown, a moment after the last change)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut

from ui.column_filters import ColumnFilterDialog, FilterChips
from ui.ledger_table import selection_summary

STRIP_DELAY_MS = 250  # typing on in the search box recomputes the strip once, at the end


class SheetFeatures:
    selection_summary = Signal(str)  # for the status bar; '' = nothing to say

    def install_sheet_features(self) -> None:
        self.column_filters: dict[int, object] = {}
        self.column_dialog: ColumnFilterDialog | None = None
        self.whole_figures = None  # the strip's figures over every row, as loaded
        self.chips = FilterChips()
        self.chips.removed.connect(self.remove_column_filter)
        self.chips.cleared.connect(self.clear_column_filters)
        self.columns.on_filter = self.open_column_filter
        self.table.filter_requested.connect(self.open_column_filter)
        self.find_shortcut = QShortcut(QKeySequence.Find, self, self.focus_search,
                                       context=Qt.WidgetWithChildrenShortcut)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self._strip_timer = QTimer(self, singleShot=True, interval=STRIP_DELAY_MS)
        self._strip_timer.timeout.connect(self.refresh_strip)

    # -- Ctrl+F and the status bar ---------------------------------------------
    def focus_search(self) -> None:
        self.filter_bar.search.setFocus(Qt.ShortcutFocusReason)
        self.filter_bar.search.selectAll()

    def _selection_changed(self, *_args) -> None:
        self.selection_summary.emit(selection_summary(self.table))

    # -- per-column filters ------------------------------------------------------
    def open_column_filter(self, column: int) -> ColumnFilterDialog:
        """The filter of `column` in a window-modal dialog (not blocking: a test answers
        it through `self.column_dialog`)."""
        f = self.fields[column]
        rows = self.model.view.rows
        # The values with their counts among the rows the other filters leave.
        others = {c: v for c, v in self.model.view.filters.items() if c != column}
        if others:
            keep = dict(self.model.view.filters)
            self.model.view.set_filters(others)
            values = [self.model.value_at(r, column) for r in range(self.model.rowCount())]
            self.model.view.set_filters(keep)
        else:
            values = [r[column] for r in rows]
        dlg = ColumnFilterDialog(f, values, self.column_filters.get(column), self)
        self.column_dialog = dlg
        dlg.setWindowModality(Qt.WindowModal)
        dlg.accepted.connect(lambda: self._column_filter_chosen(column, dlg))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    def _column_filter_chosen(self, column: int, dlg: ColumnFilterDialog) -> None:
        self.column_dialog = None
        if dlg.result_filter is None:
            self.column_filters.pop(column, None)
        else:
            self.column_filters[column] = dlg.result_filter
        self._column_filters_changed()

    def set_column_filter(self, column: int, flt) -> None:
        if flt is None:
            self.column_filters.pop(column, None)
        else:
            self.column_filters[column] = flt
        self._column_filters_changed()

    def remove_column_filter(self, column: int) -> None:
        self.set_column_filter(column, None)
        self.table.setFocus()

    def clear_column_filters(self) -> None:
        if self.column_filters:
            self.column_filters = {}
            self._column_filters_changed()

    def _column_filters_changed(self) -> None:
        self.chips.show_filters(self.fields, self.column_filters)
        self.set_filters(self.filter_bar.filters())

    # -- the strip follows the filter ----------------------------------------------
    def strip_follows(self) -> None:
        if self.strip is not None:
            self._strip_timer.start()

    def refresh_strip(self) -> None:
        """The strip's figures over the rows shown (the whole ledger's when unfiltered)."""
        if self.strip is None or self.loader.loading:
            return
        filtered = self.model.rowCount() != len(self.model.view.rows)
        if not filtered:
            if self.whole_figures is not None:
                self.strip.set_figures(self.whole_figures)
            return
        from app.figures import compute
        from ui.exports import visible_rowset

        self.strip.set_figures(compute(self.db, self.spec, visible_rowset(self, drop_hidden=False)))
