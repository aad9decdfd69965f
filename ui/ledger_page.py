"""The generic ledger page: toolbar, summary strip, filter bar and table for any
LedgerSpec.

Rows come from app.services.list_rows as plain tuples (computed columns included);
filtering and sorting happen in Python in ui.row_view. The strip shows the spec's
figures; each child collection gets a toolbar action. Writes go through the form
dialog and the core. Subclasses may still add columns (`extra_fields` /
`extend_rows`), a widget above the table (`header_widget`) and actions (`add_actions`)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.db import Database
from app.errors import UserError
from app.specs import Field, LedgerSpec
from ui import dialogs
from ui.cell_delegate import StretchedColourDelegate
from ui.columns import ColumnState
from ui.figures_strip import FiguresStrip
from ui.filter_bar import FilterBar
from ui.form_dialog import FormDialog
from ui.frozen_columns import FrozenColumns, frozen_count
from ui.ledger_table import LedgerTable, copy_selection
from ui.login import may
from ui.page_edit import PageUndo, paste_action
from ui.page_files import FileActions
from ui.page_loader import PageLoader
from ui.page_rows import RowEditing
from ui.row_view import EMPTY
from ui.sheet_features import SheetFeatures
from ui.table_model import LedgerTableModel


class LedgerPage(SheetFeatures, RowEditing, FileActions, QWidget):
    changed = Signal(str)  # spec key, after this page wrote a row
    message = Signal(str)  # for the status bar
    show_rows = Signal(str, str, str)  # ledger key, field, value: open those rows

    def __init__(self, db: Database, spec: LedgerSpec, parent=None):
        super().__init__(parent)
        self.db, self.spec = db, spec
        # Fields the table does not show but a filter or a figure selects by (是否达标,
        # 已整改) are read as hidden columns, so the filter and the click on the figure
        # (strip or 首页) show the rows it counts.
        from app.figures import needed_fields

        wanted = {f.name for f in (*spec.filter_fields, *needed_fields(spec))}
        self.filter_only = tuple(f for f in spec.fields if f.name in wanted and not f.table)
        self.read_fields = spec.table_fields + self.filter_only
        self.fields: tuple[Field, ...] = self.read_fields + self.extra_fields()
        self.stale = False
        self.form: FormDialog | None = None
        self.child_dialog = None
        self.strip: FiguresStrip | None = None
        self.figure_filter: dict[str, object] = {}  # set by a click on the strip
        self._bar_filters: dict[str, object] = {}
        self._ref_choices: dict[str, list[tuple[int, str]]] = {}

        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.act_new = self._action("新增", self.new_row, "Ctrl+N", "新增一条（Ctrl+N）")
        self.act_edit = self._action("编辑", self.edit_current, None, "编辑选中的记录（Enter / F2 / 双击）")
        self.act_delete = self._action("删除", self.delete_selected, None, "删除选中的记录（Delete）")
        self.toolbar.addSeparator()
        self.add_actions(self.toolbar)
        self.act_xlsx = self._action("导出Excel", self.export_xlsx, None,
                                     "把当前筛选、排序后的表格导出为 Excel 文件")
        self.act_pdf = self._action("打印/导出PDF", self.export_pdf, "Ctrl+P",
                                    "生成 PDF 报表并打开打印预览，可在其中打印（Ctrl+P）")
        self.act_import = self._action("导入Excel…", self.import_file, None,
                                       "从 Excel/WPS/CSV 文件导入（也可以把文件拖到本页）")
        self.act_template = self._action("下载导入模板", self.save_template, None,
                                         "保存本台账的 Excel 导入模板，填好后导入")
        self.toolbar.addSeparator()
        self.act_refresh = self._action("刷新", self.reload, "F5", "重新读取数据库（F5）")
        self.act_reveal = self._action("显示完整号码", self.toggle_reveal, None,
                                       "显示选中记录的完整证件号码（会记入操作留痕）")
        # What the signed-in role cannot do is not offered (the core refuses it anyway).
        self.may_write = may(db, "create")
        self.act_new.setVisible(self.may_write)
        self.act_import.setVisible(may(db, "import"))
        self.setAcceptDrops(may(db, "import"))
        self.undo = PageUndo(self)  # Ctrl+Z: the last save of this page, undone
        self.act_undo = self.undo.action
        self.act_paste = paste_action(self)  # Ctrl+V: rows from Excel/WPS, as an import

        self.filter_bar = FilterBar(spec.search_fields, spec.filter_fields)
        self.filter_bar.query_changed.connect(self.set_query)
        self.filter_bar.filters_changed.connect(self.set_filters)
        self.filter_bar.cleared.connect(self._drop_figure)

        self.model = LedgerTableModel(self.fields, self)
        self.table = LedgerTable()
        self.table.setModel(self.model)
        self.table.setItemDelegate(StretchedColourDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setStretchLastSection(True)  # spare width goes to the last column
        self.columns = ColumnState(self.table, self.fields, f"ledger/{spec.key}")
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.edit_requested.connect(self.edit_current)
        self.table.delete_requested.connect(self.delete_selected)
        self.table.setContextMenuPolicy(Qt.ActionsContextMenu)
        copy = QAction("复制（Ctrl+C）", self.table)
        copy.triggered.connect(self.copy_selection)
        menu = [self.act_edit, self.act_delete, copy, self.act_undo]
        self.table.addActions(menu + ([self.act_paste] if may(db, "import") else []))
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.install_sheet_features()
        self.filter_bar.cleared.connect(self.clear_column_filters)  # 清除筛选 clears all

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.toolbar)
        top = self.header_widget()
        if top is not None:
            lay.addWidget(top)
        lay.addWidget(self.filter_bar)
        lay.addWidget(self.chips)
        lay.addWidget(self.table, 1)

        self.act_reveal.setVisible(bool(self.model.masked) and may(db, "reveal"))
        self.columns.restore()
        for f in self.filter_only:
            self.table.setColumnHidden(self.fields.index(f), True)
        frozen = frozen_count(spec, self.fields)
        self.frozen = FrozenColumns(self.table, frozen) if frozen else None
        self.table.frozen = self.frozen
        if self.frozen is not None:
            self.frozen.view.doubleClicked.connect(self._double_clicked)
        self.reload()

    # -- hooks for subclasses ---------------------------------------------
    def extra_fields(self) -> tuple[Field, ...]:
        return ()

    def extend_rows(self, rowset: services.RowSet) -> list[tuple]:
        return rowset.rows

    def header_widget(self) -> QWidget | None:
        """The figures strip, for a ledger that declares more than its 合计."""
        if len(self.spec.figures) <= 1:
            return None
        self.strip = FiguresStrip()
        self.strip.clicked.connect(self.show_figure)
        return self.strip

    def add_actions(self, toolbar: QToolBar) -> None:
        """One action per child collection (办件量: Ctrl+K for the first)."""
        self.child_actions = {}
        for n, child in enumerate(self.spec.children):
            self.child_actions[child.name] = self._action(
                child.label, lambda _checked=False, name=child.name: self.edit_children(name),
                "Ctrl+K" if n == 0 else None, f"查看或修改选中记录的{child.label}")
        if self.spec.children:
            toolbar.addSeparator()
        from ui.ledger_actions import actions_for

        for label, run, tip in actions_for(self.spec.key):  # a ledger's own documents
            self._action(label, lambda _checked=False, run=run: run(self), None, tip)
        # The ledger's own actions on the selected row, then the documents it declares
        # (a meeting's decisions; its pack and minutes; 一小区一图示).
        from ui.row_actions import ROW_ACTIONS

        for label, slot, tip in ROW_ACTIONS.get(self.spec.key, ()):
            act = self.child_actions[label] = self._action(
                label, lambda _checked=False, f=slot: f(self), None, tip)
            act.setVisible(may(self.db, "update"))  # they write: not offered to viewers
        if self.spec.documents:
            from ui.documents import add_document_actions

            add_document_actions(self)
            toolbar.addSeparator()

    def depends_on(self) -> set[str]:
        """Ledgers whose changes this page shows: its own, and those its references name."""
        return {self.spec.key} | {f.ref.ledger for f in self.fields
                                  if f.type.is_ref and f.ref.ledger}

    # -- data ---------------------------------------------------------------
    def reload(self, wait: bool | None = None) -> None:
        """Read the rows again. A small ledger is read at once (whoever calls has the rows
        when this returns); from ui.page_loader.SYNC_ROWS rows on, on a pool thread, the old
        rows staying until the new ones are in (`self.loader.loaded`, `.wait()`). wait=True
        or False forces either way."""
        if not hasattr(self, "loader"):
            self.loader = PageLoader(self)
        db, spec, extend = self.db, self.spec, self.extend_rows  # looked up on this thread
        fields = self.read_fields
        figures_of = None
        if self.strip is not None:
            from app.figures import compute as figures_of  # not first on a pool thread

        def read(limit: int | None = None):  # no Qt here: it may run on a pool thread
            rowset = services.list_rows(db, spec, fields, limit=limit)
            # The figures count every row: a first screen (limit) has none.
            figures = figures_of(db, spec, rowset) if figures_of and limit is None else None
            choices = {f.name: services.ref_choices(db, f) for f in spec.filter_fields
                       if f.type.is_ref}
            return extend(rowset), rowset.ids, rowset.versions, (choices, figures)

        self.loader.load(read, self._loaded, wait, partial(services.count_rows, db, spec))

    def _loaded(self, keep: int | None, extra: tuple) -> None:
        choices, figures = extra
        if figures is not None:
            self.whole_figures = figures
            self.strip.set_figures(figures)
        for name, found in choices.items():
            self._ref_choices[name] = found
            self.filter_bar.set_choices(name, [lb for _i, lb in found])
        self.stale = False
        self._after_change(keep)

    def set_query(self, text: str) -> None:
        keep = self.current_id()
        self.model.set_query(text)
        self._after_change(keep)

    def set_filters(self, filters: dict) -> None:
        keep = self.current_id()
        self._bar_filters = dict(filters)
        cols = {f.name: i for i, f in enumerate(self.fields)}
        wanted = {**filters, **self.figure_filter}
        self.model.set_filters({**{cols[k]: v if v == EMPTY else self.fields[cols[k]].type
                                   .filter_value(self.fields[cols[k]], v)
                                   for k, v in wanted.items() if k in cols},
                                **self.column_filters})
        if self.strip is not None:
            self.strip.mark(self._figure_where())
        self._after_change(keep)

    def show_figure(self, where: dict) -> None:
        """The rows behind a figure of the strip ({} = all rows again): filters the bar
        offers are set there, the others (this year's 办件量 is 0) are kept by the page."""
        combos = self.filter_bar.combos
        at = {k: self._combo_index(k, v) for k, v in where.items() if k in combos}
        # A value the bar does not offer (True for a 是/否 combo offering labels is found
        # by its label) stays with the page rather than showing every row.
        self.figure_filter = {k: v for k, v in where.items() if at.get(k, -1) < 0}
        for name, combo in combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(at.get(name, 0), 0))
            combo.blockSignals(False)
        self.set_filters(self.filter_bar.filters())

    def _combo_index(self, name: str, value) -> int:
        """The item of filter combo `name` standing for the stored `value`, or -1."""
        combo = self.filter_bar.combos[name]
        found = combo.findData(value)
        if found >= 0:
            return found
        f = next((f for f in self.fields if f.name == name), None)
        for i in range(1, combo.count()):
            data = combo.itemData(i)
            if f is not None and data not in (None, EMPTY) and \
                    f.type.filter_value(f, data) == value:
                return i
        return -1

    def _figure_where(self) -> dict:
        return {**self._bar_filters, **self.figure_filter}

    def _drop_figure(self) -> None:
        self.figure_filter = {}

    def _after_change(self, keep_id: int | None) -> None:
        self.filter_bar.set_count(self.model.rowCount(), len(self.model.view.rows))
        self.strip_follows()
        if keep_id is not None:
            self.select_id(keep_id)
        self._update_actions()

    def current_id(self) -> int | None:
        ix = self.table.currentIndex()
        if not ix.isValid() or ix.row() >= self.model.rowCount():
            return None
        return self.model.row_id(ix.row())

    def select_id(self, row_id: int) -> bool:
        if self.loader.loading:  # a saved row may be new: select it once the rows are in
            self.loader.select_when_loaded(row_id)
        r = self.model.view_row_of_id(row_id)
        if r is None:
            return False
        col = max(self.table.currentIndex().column(), 0)
        self.table.setCurrentIndex(self.model.index(r, col))
        self.table.scrollTo(self.model.index(r, col))
        return True

    def selected_rows(self) -> list[int]:
        return sorted({ix.row() for ix in self.table.selectionModel().selectedIndexes()})

    def _update_actions(self, *_args) -> None:
        has = self.table.currentIndex().isValid()
        for act in getattr(self, "child_actions", {}).values():
            act.setEnabled(has)
        self.act_edit.setEnabled(has)
        self.act_edit.setText("编辑" if self.may_write else "查看")
        self.act_delete.setEnabled(has and self.may_write)
        self.act_delete.setVisible(self.may_write)

    def refresh_quietly(self) -> None:
        """Another client changed data: reload, keeping the selection and scroll position."""
        if not self.isVisible():
            self.stale = True
            return
        ids = {self.model.row_id(r) for r in self.selected_rows()}
        current = self.current_id()
        bar = self.table.verticalScrollBar()
        scroll = bar.value()
        self.reload()
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row_id in ids:
            r = self.model.view_row_of_id(row_id)
            if r is not None:
                selection.select(self.model.index(r, 0),
                                 selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
        if current is not None and self.model.view_row_of_id(current) is not None:
            selection.setCurrentIndex(self.model.index(self.model.view_row_of_id(current),
                                                       max(self.table.currentIndex().column(), 0)),
                                      selection.SelectionFlag.NoUpdate)
        bar.setValue(scroll)

    def mark_stale(self) -> None:
        """Another page changed data this one may show: reload now if visible, else when
        next shown."""
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event):  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.stale:
            self.reload()
        if self.columns.fit_pending:
            self.columns.fit_pending = False
            # After layout. A timer that is the page's child dies with the page: PySide's
            # singleShot(0, receiver, slot) fired after its table was gone and crashed.
            if getattr(self, "_fit_timer", None) is None:
                self._fit_timer = QTimer(self, singleShot=True, interval=0)
                self._fit_timer.timeout.connect(self.columns.fit)
            self._fit_timer.start()

    # -- writes -------------------------------------------------------------
    def _double_clicked(self, _index) -> None:
        self.edit_current()

    def copy_selection(self) -> None:
        copy_selection(self.table)

    def toggle_reveal(self) -> None:
        """Whole ID numbers for the rows shown, after the core allowed and audited it."""
        if self.model.revealed:
            self.model.revealed = False
        else:
            ids = [self.model.row_id(r) for r in range(self.model.rowCount())]
            try:
                services.reveal_sensitive(self.db, self.spec, ids)
            except UserError as exc:
                dialogs.show_error(self, exc)
                return
            self.model.revealed = True
        self.act_reveal.setText("隐藏完整号码" if self.model.revealed else "显示完整号码")
        self.model.layoutChanged.emit()

    def filter_by(self, field: str, value: str) -> None:
        """Set one filter combo to `value` (a second call with the same value clears it)."""
        combo = self.filter_bar.combos[field]
        i = combo.findData(value)
        combo.setCurrentIndex(i if combo.currentIndex() != i else 0)

    def _action(self, text, slot, shortcut=None, tip=None) -> QAction:
        act = QAction(text, self)
        act.triggered.connect(slot)  # bound methods only (see ui.dialogs.FirstStartDialog)
        if shortcut:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            self.addAction(act)
        if tip:
            act.setToolTip(tip)
        self.toolbar.addAction(act)
        return act
