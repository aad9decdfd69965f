"""Column widths, hidden columns and sort order of a ledger table, remembered per PC.

Widths are stored by field name (JSON), not as a header blob, so a spec that
gains or loses a column keeps the user's other widths. Without remembered
widths the columns are fitted to the view: choice, date and number columns get
what their content needs, text columns share the rest by their spec width."""

from __future__ import annotations

import json

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMenu, QTableView

from app.specs import Field
from ui.settings import qsettings


class ColumnState(QObject):
    """A QObject child of the table, so Qt connections to its methods hold no Python
    reference that would outlive the table."""

    def __init__(self, table: QTableView, fields: tuple[Field, ...], key: str):
        super().__init__(table)
        self.table, self.fields, self.key = table, fields, key
        self.busy = False  # True while we set widths ourselves: do not save those
        self.fit_pending = False
        header = table.horizontalHeader()
        header.sectionResized.connect(self.save_widths)
        header.sortIndicatorChanged.connect(self.save_sort)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)

    # -- widths -------------------------------------------------------------
    def _text_width(self, text: str) -> int:
        return self.table.fontMetrics().horizontalAdvance(text)

    def min_width(self, f: Field) -> int:
        return self._text_width(f.title) + 30  # room for the sort arrow

    def content_width(self, f: Field) -> int | None:
        """Exact need of closed-set columns (choices, dates, numbers); None for free text."""
        if f.type.ranked and f.choices:
            return max(self._text_width(c) for c in f.choices) + 18
        if f.type.sample:
            return self._text_width(f.type.sample) + 18
        return None

    def default_width(self, f: Field, *, full: bool = False) -> int:
        exact = self.content_width(f)
        if exact is not None:
            return max(exact, self.min_width(f))
        # Spec widths count a Chinese character as 2 (as Excel does). Long texts are read
        # in the tooltip or the form, so they get their full width only when there is room.
        chars = f.width if full or f.type.editor != "multiline" else min(f.width, 16)
        unit = self._text_width("中") / 2
        return max(int(chars * unit) + 16, self.min_width(f))

    def content_need(self, column: int, sample: int = 120) -> int:
        """Width that shows 90 % of a sample of the column's cells in full."""
        model = self.table.model()
        n = model.rowCount()
        if n == 0:
            return 0
        step = max(1, n // sample)
        widths = sorted(self._text_width(model.cell_text(r, column)) for r in range(0, n, step))
        return widths[int(len(widths) * 0.9)] + 16 if widths[-1] else 0

    def fit(self) -> None:
        """Share the view's width: closed-set columns get their need; text columns get
        what their content needs, up to the spec's width, then share what is left; room
        beyond every spec width goes to texts that are still cut."""
        from shiboken6 import isValid

        if not isValid(self.table):  # the table went away before this deferred call
            return
        avail = self.table.viewport().width() - 4
        visible = [i for i in range(len(self.fields)) if not self.table.isColumnHidden(i)]
        widths = {i: self.default_width(self.fields[i]) for i in visible}
        flex = [i for i in visible if self.content_width(self.fields[i]) is None]
        fixed = sum(w for i, w in widths.items() if i not in flex)
        room = avail - fixed
        content = {i: self.content_need(i) for i in flex}
        need = {i: min(widths[i], max(content[i], self.min_width(self.fields[i])))
                for i in flex}
        total_need = sum(need.values())
        if flex and total_need:
            if total_need >= room:  # too narrow even for the content: shrink alike
                k = max(room / total_need, 0.0)
                for i in flex:
                    widths[i] = max(self.min_width(self.fields[i]), int(need[i] * k))
            else:  # spare room: grow toward the full spec widths, then stop
                grow = {i: self.default_width(self.fields[i], full=True) - need[i]
                        for i in flex}
                k = min(1.0, (room - total_need) / max(sum(grow.values()), 1))
                for i in flex:
                    widths[i] = need[i] + int(grow[i] * k)
                # Room left after the spec widths: texts still cut get it, not the
                # stretched last column (often an empty 备注).
                spare = room - sum(widths[i] for i in flex)
                cut = {i: content[i] - widths[i] for i in flex if content[i] > widths[i]}
                if spare > 0 and cut:
                    k = min(1.0, spare / sum(cut.values()))
                    for i, more in cut.items():
                        widths[i] += int(more * k)
        self.busy = True
        for i, w in widths.items():
            self.table.setColumnWidth(i, w)
        self.busy = False

    def restore(self) -> None:
        s = qsettings()
        widths = self._load(s, "widths", {})
        hidden = set(self._load(s, "hidden", []))
        self.busy = True
        self.fit_pending = not widths
        for i, f in enumerate(self.fields):
            self.table.setColumnHidden(i, f.name in hidden)
        last = self._stretched()
        for i, f in enumerate(self.fields):
            w = None if i == last else widths.get(f.name)
            self.table.setColumnWidth(i, int(w) if w else self.default_width(f))
        name, _, order = str(s.value(f"{self.key}/sort", "") or "").partition(":")
        cols = [f.name for f in self.fields]
        if name in cols:
            self.table.sortByColumn(cols.index(name),
                                    Qt.DescendingOrder if order == "desc" else Qt.AscendingOrder)
        else:
            self.table.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.busy = False

    def _stretched(self) -> int | None:
        """The last visible column when the header stretches it: its width is whatever
        the view has left, so it is neither saved nor restored (a width remembered from
        a wider view would pin it and push the table into a horizontal scroll)."""
        if not self.table.horizontalHeader().stretchLastSection():
            return None
        visible = [i for i in range(len(self.fields)) if not self.table.isColumnHidden(i)]
        return visible[-1] if visible else None

    def _load(self, s, name: str, default):
        try:
            value = json.loads(s.value(f"{self.key}/{name}", "") or "null")
        except ValueError:
            return default
        return value if isinstance(value, type(default)) else default

    def save_widths(self, *_args) -> None:
        if self.busy:
            return
        last = self._stretched()
        widths = {f.name: self.table.columnWidth(i) for i, f in enumerate(self.fields)
                  if not self.table.isColumnHidden(i) and i != last}
        qsettings().setValue(f"{self.key}/widths", json.dumps(widths))

    def save_sort(self, column: int, order) -> None:
        if self.busy:
            return
        value = "" if column < 0 else \
            f"{self.fields[column].name}:{'desc' if order == Qt.DescendingOrder else 'asc'}"
        qsettings().setValue(f"{self.key}/sort", value)

    # -- hiding columns -----------------------------------------------------
    def set_hidden(self, column: int, hidden: bool) -> None:
        self.table.setColumnHidden(column, hidden)
        if not hidden and self.table.columnWidth(column) < 20:
            self.table.setColumnWidth(column, self.default_width(self.fields[column]))
        names = [f.name for i, f in enumerate(self.fields) if self.table.isColumnHidden(i)]
        qsettings().setValue(f"{self.key}/hidden", json.dumps(names))
        if getattr(self.table, "frozen", None) is not None:
            self.table.frozen.sync()  # a frozen key column hidden or shown again

    on_filter = None  # column → open its filter (ui.column_filters), set by the page

    def _header_menu(self, pos) -> None:
        menu = QMenu(self.table)
        column = self.table.horizontalHeader().logicalIndexAt(pos)
        filt = None
        if self.on_filter is not None and column >= 0:
            filt = menu.addAction(f"筛选“{self.fields[column].title}”…（Alt+↓）")
        menu.addSection("显示的列")
        shown = sum(not self.table.isColumnHidden(i) for i in range(len(self.fields)))
        for i, f in enumerate(self.fields):
            act = menu.addAction(f.title)
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(i))
            act.setEnabled(self.table.isColumnHidden(i) or shown > 1)  # keep one column
            act.setData(i)
        menu.addSeparator()
        fit = menu.addAction("恢复默认列宽")
        chosen = menu.exec(self.table.horizontalHeader().mapToGlobal(pos))
        menu.deleteLater()
        if chosen is not None and chosen is filt:
            self.on_filter(column)
        elif chosen is fit:
            self.fit()
        elif chosen is not None and chosen.isCheckable():
            self.set_hidden(chosen.data(), not chosen.isChecked())
