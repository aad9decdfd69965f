"""Shared pieces of the import wizard (ui.import_wizard) and its first two pages:
choosing the file, and the sheet with its header preview.

InlineTask runs one piece of work off the GUI thread through ui.workers.run_task and
shows its progress in a ProgressRow on the page (not in a modal dialog), with a
cancel flag of its own that app.importer checks between chunks. The worker only
stores its progress; a timer on the GUI thread shows it, so no widget is touched
from the worker thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.failures import explain
from app.importer import Grid, ImportCancelled, Layout
from app.importer.header import HINT, header_keys, merged_widths, skip_reason
from app.importer.prescan import col_letter
from app.logs import log
from app.specs import LedgerSpec
from ui.dialogs import fill_height
from ui.form_dialog import ERROR_STYLE
from ui.login import note_label
from ui.workers import run_task

PREVIEW_ROWS = 30
PREVIEW_COLUMNS = 60
HEADER_BG = QColor("#dbe9f8")
SKIPPED_FG = QColor("#9e9e9e")
SKIPPED_BG = QColor("#f4f4f4")


def page_title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 13pt; font-weight: bold;")
    return label


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    label.hide()
    return label


def cell_text(v) -> str:
    """A cell as the preview shows it: 1.0 → 1, dates as 2023-12-31."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).replace("\n", " ")


def rows_text(rows: list[int]) -> str:
    """Excel row numbers, runs joined: 1–2、5、7–9."""
    runs: list[list[int]] = []
    for r in sorted(rows):
        if runs and r == runs[-1][-1] + 1:
            runs[-1].append(r)
        else:
            runs.append([r])
    return "、".join(f"{g[0]}–{g[-1]}" if len(g) > 1 else str(g[0]) for g in runs)


class ProgressRow(QWidget):
    """A progress bar with its text and a 取消 button, shown while work runs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.label = QLabel()
        self.label.setWordWrap(True)  # a long file name wraps, never widens the dialog
        self.cancel_button = QPushButton("取消")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.bar, 1)
        lay.addWidget(self.cancel_button)
        self.hide()

    def start(self, text: str, cancellable: bool = True) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first report
        self.bar.setFormat("")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(cancellable)
        self.show()

    def report(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
            self.bar.setFormat(f"{min(done, total):,} / {total:,} 行")
        if text:
            self.label.setText(text)

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("正在取消……")

    def stop(self) -> None:
        self.hide()


class InlineTask(QObject):
    """One background job at a time, its progress shown in a ProgressRow.

    start(row, text, fn, after, failed): fn(progress, cancelled) runs on a pool
    thread; then after(result) or failed(message) runs here, failed(None) meaning
    cancelled. `idle` is emitted once the callback has run."""

    idle = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)  # no Python reference back to the page: no cycle for the GC
        self.task = None
        self.flag = threading.Event()  # the cancel flag app.importer polls
        self._state: tuple[int, int, str] | None = None
        self._row: ProgressRow | None = None
        self._after: Callable | None = None
        self._failed: Callable | None = None
        self._write = False
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def start(self, row: ProgressRow, text: str, fn: Callable, after: Callable,
              failed: Callable, *, cancellable: bool = True, write: bool = False) -> None:
        """write: a write that finished before it saw the cancel still reports its result."""
        self.flag.clear()
        self._state = None
        self._row, self._after, self._failed, self._write = row, after, failed, write
        row.start(text, cancellable)
        report, cancelled = self.report, self.flag.is_set

        def job(_task):
            return fn(report, cancelled)

        self.task = run_task(self.parent(), job, on_done=self._done,
                             on_error=self._error)
        self._timer.start()

    def report(self, done: int, total: int, text: str) -> None:  # on the worker thread
        self._state = (done, total, text)

    def cancel(self) -> None:
        if self.busy:
            self.flag.set()
            self._row.cancelling()

    def _poll(self) -> None:
        state, row = self._state, self._row
        if state is not None and row is not None and not self.flag.is_set():
            row.report(*state)

    def _finish(self) -> tuple[Callable, Callable]:
        self._timer.stop()
        self._row.stop()
        after, failed = self._after, self._failed
        self.task = self._row = self._after = self._failed = None
        return after, failed

    def _done(self, result) -> None:
        cancelled, write = self.flag.is_set(), self._write
        after, failed = self._finish()
        if cancelled and not write:  # a read or check nobody wants any more
            failed(None)
        else:
            after(result)
        self.idle.emit()

    def _error(self, exc: BaseException, tb: str) -> None:
        _after, failed = self._finish()
        if isinstance(exc, ImportCancelled):
            failed(None)
        elif isinstance(exc, UserError):
            failed(exc.message)
        else:
            why = explain(exc)  # plain words for disk full, file in use, database locked
            if why.is_bug:
                log.error("导入向导出错：%s", tb)
            failed(why.message)
        self.idle.emit()


# -- 1 选择文件 ------------------------------------------------------------------
class FilePage(QWidget):
    def __init__(self, spec: LedgerSpec, parent=None):
        super().__init__(parent)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("点击“浏览…”选择文件，或把文件拖到这里")
        self.browse_button = QPushButton("浏览…")
        self.template_button = QPushButton("下载导入模板")
        self.progress = ProgressRow()
        self.error = error_label()
        self.note = note_label("")
        self.note.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("文件："))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        tpl = QHBoxLayout()
        tpl.addWidget(self.template_button)
        tpl.addWidget(note_label(f"还没有现成的文件？下载{spec.title}的导入模板：列已按台账排好，"
                                 "带填写说明和下拉选项，填好后在这里导入。"), 1)
        lay = QVBoxLayout(self)
        lay.addWidget(page_title(f"第一步：选择要导入{spec.title}的文件"))
        lay.addLayout(row)
        lay.addWidget(note_label(
            "可导入 Excel 工作簿（.xlsx、.xlsm、.xls）、WPS 表格保存的 .xlsx/.xls、"
            "OpenDocument 表格（.ods）和 CSV 文本（UTF-8 或 GBK 编码）。\n"
            "文件可以带标题行、单位/日期行、两行表头、填写说明行和表尾的制表人/审核人行，"
            "程序会自动识别；下一步可以查看识别结果。\n"
            "设置了打开密码的文件请先在 Excel/WPS 中取消密码；文件最大 100 MB。"))
        lay.addSpacing(12)
        lay.addLayout(tpl)
        lay.addWidget(self.note)
        lay.addSpacing(12)
        lay.addWidget(self.progress)
        lay.addWidget(self.error)
        lay.addStretch(1)

    def show_failed(self, message: str | None) -> None:
        self.error.setText(message or "已取消读取文件")
        self.error.show()

    def show_saved(self, path) -> None:
        self.note.setText(f"导入模板已保存到：{path}")
        self.note.show()


# -- 2 工作表与表头 ----------------------------------------------------------------
class SheetPage(QWidget):
    header_chosen = Signal(int, int)  # header row (1-based), header rows

    def __init__(self, parent=None):
        super().__init__(parent)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumContentsLength(16)
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setWordWrap(False)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.progress = ProgressRow()
        self.error = error_label()
        row = QHBoxLayout()
        row.addWidget(QLabel("工作表："))
        row.addWidget(self.sheet_combo)
        row.addStretch(1)
        legend = QLabel('<span style="background:#dbe9f8">&nbsp;表头&nbsp;</span>&nbsp;&nbsp;'
                        '<span style="color:#9e9e9e;background:#f4f4f4">&nbsp;标题、说明、'
                        '空行等（不导入）&nbsp;</span>&nbsp;&nbsp;白底为数据行')
        row.addWidget(legend)
        # The header override, for the rare sheet where the detection is wrong.
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1000)
        self.header_rows = QComboBox()
        self.header_rows.addItem("1 行", 1)
        self.header_rows.addItem("2 行（上一行是分组标题）", 2)
        self.header_button = QPushButton("按此表头重新识别")
        self.header_button.clicked.connect(self._header_clicked)
        hrow = QHBoxLayout()
        hrow.addWidget(QLabel("表头识别有误时，可指定：表头在第"))
        hrow.addWidget(self.header_row)
        hrow.addWidget(QLabel("行，共"))
        hrow.addWidget(self.header_rows)
        hrow.addWidget(self.header_button)
        hrow.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(page_title("第二步：确认工作表和表头"))
        lay.addLayout(row)
        lay.addLayout(hrow)
        lay.addWidget(self.summary)
        lay.addWidget(self.progress)
        lay.addWidget(self.error)
        lay.addWidget(fill_height(self.table, (self.fontMetrics().height() + 8) * 6), 1)

    def _header_clicked(self) -> None:
        self.header_chosen.emit(self.header_row.value(), self.header_rows.currentData())

    def set_sheets(self, sheets, current: str) -> None:
        combo = self.sheet_combo
        combo.blockSignals(True)
        combo.clear()
        for info in sheets:
            combo.addItem(info.name + ("（隐藏）" if info.hidden else ""), info.name)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def show_failed(self, message: str | None) -> None:
        self.clear()
        self.error.setText(message or "已取消读取工作表")
        self.error.show()

    def clear(self) -> None:
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.summary.clear()

    def show_grid(self, grid: Grid, layout: Layout | None) -> None:
        """The first rows of the sheet, each marked with what it was recognised as."""
        if layout is not None:  # the override starts from what was found
            self.header_row.setValue(layout.header_rows[0] + 1)
            self.header_rows.setCurrentIndex(len(layout.header_rows) - 1)
        rows = grid.preview(PREVIEW_ROWS)
        ncols = min(max([grid.width] + [len(r) for r in rows]), PREVIEW_COLUMNS)
        t = self.table
        t.clear()
        t.setRowCount(len(rows))
        t.setColumnCount(ncols + 1)
        t.setHorizontalHeaderLabels(["识别为"] + [col_letter(c) for c in range(ncols)])
        t.setVerticalHeaderLabels([str(r + 1) for r in range(len(rows))])
        kinds = self.row_kinds(grid, layout, len(rows))
        bold = QFont(t.font())
        bold.setBold(True)
        for r, cells in enumerate(rows):
            kind = kinds[r]
            head = kind == "表头"
            data = kind == "数据"
            for c in range(ncols + 1):
                text = kind if c == 0 else cell_text(cells[c - 1]) if c - 1 < len(cells) else ""
                item = QTableWidgetItem(text)
                if head:
                    item.setBackground(QBrush(HEADER_BG))
                    item.setFont(bold)
                elif not data:
                    item.setForeground(QBrush(SKIPPED_FG))
                    item.setBackground(QBrush(SKIPPED_BG))
                if len(text) > 6:
                    item.setToolTip(text)
                t.setItem(r, c, item)
        t.clearSpans()
        for (r0, c0), (r1, c1) in grid.merged:  # as Excel shows it: titles, group headings
            if r0 < len(rows) and c0 < ncols and (r1 > r0 or c1 > c0):
                t.setSpan(r0, c0 + 1, min(r1, len(rows) - 1) - r0 + 1, min(c1, ncols - 1) - c0 + 1)
        em = self.fontMetrics().horizontalAdvance("中")
        t.setColumnWidth(0, em * max(len(k) for k in kinds + ["识别为"]) + 16)
        sized = [r for r in range(len(rows)) if kinds[r] != "标题"]  # titles span the table
        for c in range(1, ncols + 1):
            longest = max((len(t.item(r, c).text()) for r in sized), default=0)
            t.setColumnWidth(c, int(em * min(max(longest, 3), 14)) + 12)
        self.summary.setText(self.describe(grid, layout, kinds))

    @staticmethod
    def row_kinds(grid: Grid, layout: Layout | None, n: int) -> list[str]:
        if layout is None:
            return ["空行" if grid.rows[r] is None else "未识别" for r in range(n)]
        keys, widths = header_keys(grid, layout), merged_widths(grid)
        out = []
        for r in range(n):
            if r in layout.header_rows:
                out.append("表头")
            elif r < layout.header_rows[0]:
                out.append("空行" if grid.rows[r] is None else "标题")
            else:
                reason = skip_reason(grid, layout, r, keys, widths)
                out.append("数据" if reason is None else reason)
        return out

    @staticmethod
    def describe(grid: Grid, layout: Layout | None, kinds: list[str]) -> str:
        if layout is None:
            return ""
        parts = []
        titles = [r + 1 for r, k in enumerate(kinds) if k == "标题"]
        if titles:
            parts.append(f"第 {rows_text(titles)} 行是标题（不导入）")
        heads = "、".join(str(r + 1) for r in layout.header_rows)
        two = "，上一行是分组标题" if len(layout.header_rows) == 2 else ""
        parts.append(f"<b>第 {heads} 行是表头</b>（共 {len(layout.columns)} 列{two}）")
        hints = [r + 1 for r, k in enumerate(kinds) if k == HINT]
        if hints:
            parts.append(f"第 {rows_text(hints)} 行是填写说明（跳过）")
        first = next((r for r in range(layout.data_start, len(kinds)) if kinds[r] == "数据"), None)
        if first is None:
            first = _first_data_row(grid, layout, len(kinds))
        parts.append(f"<b>数据从第 {first + 1} 行开始</b>" if first is not None
                     else '<span style="color:#c62828">表头下面没有数据行</span>')
        text = "；".join(parts) + "。"
        cut = [f"前 {n} {what}" for n, total, what in ((PREVIEW_ROWS, len(grid.rows), "行"),
                                                      (PREVIEW_COLUMNS, grid.width, "列"))
               if total > n]
        if cut:
            text += (f"下表只显示{'、'.join(cut)}（工作表共 {len(grid.rows):,} 行、"
                     f"{grid.width} 列）。")
        return text + "下一步可调整每一列导入到哪个字段。"


def _first_data_row(grid: Grid, layout: Layout, start: int) -> int | None:
    keys, widths = header_keys(grid, layout), merged_widths(grid)
    for r in range(max(start, layout.data_start), len(grid.rows)):
        if skip_reason(grid, layout, r, keys, widths) is None:
            return r
    return None


