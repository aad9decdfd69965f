"""粘贴 (Ctrl+V on a ledger page): a block copied from Excel/WPS, written as an import.

The block is read by app.importer.paste (by its headings, or by position onto the table's
columns from the current cell on), checked by prepare_import off the GUI thread, and
shown on the import wizard's own 检查结果 page: rows to add, to update, unchanged,
rejected with their line and a Chinese message. Nothing is written before 确认写入; then
commit_import writes it all in one transaction — with rejected rows only when the user
ticks the wizard's “只导入有效行”, otherwise 确认写入 stays disabled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import PermissionDenied, UserError
from app.importer import ImportPlan, ImportSummary, commit_import, prepare_import, summarize
from app.importer.paste import MODE, SHEET, SOURCE, PasteBlock, read_paste
from app.specs import Field, LedgerSpec
from ui import dialogs
from ui.busy_dialog import ClosesWhenIdle
from ui.import_pages import InlineTask, cell_text
from ui.import_results import BAD_COLOUR, CheckPage
from ui.login import may, note_label

PREVIEW_LINES = 50
UNKNOWN_HINT = ("本街道还没有这些名称，用到它们的行会被拒绝：可先在对应的台账或“设置”中添加后再粘贴，"
                "或改用“导入Excel…”并勾选“自动新建…”。")


def paste_rows(page, text=None) -> None:
    """What Ctrl+V does on a ledger page: `text`, or the clipboard's when it is not a str
    (a QAction passes its `checked`)."""
    db, spec = page.db, page.spec
    if getattr(db, "read_only", False):
        dialogs.show_error(page, PermissionDenied("数据库以只读方式打开，不能粘贴数据"))
        return
    if not may(db, "import"):
        user = getattr(db, "user", None)
        who = f"{user.role_label}“{user.username}”" if user is not None else "当前账号"
        dialogs.show_error(page, PermissionDenied(
            f"{who}无权粘贴数据：粘贴会新增或修改{spec.title}的记录，只能由录入员、审核员或管理员操作"))
        return
    if not isinstance(text, str):
        text = QGuiApplication.clipboard().text()
    try:
        block = read_paste(db, spec, text, shown_columns(page))
    except UserError as exc:
        dialogs.show_error(page, exc)
        return
    dlg = page.paste_dialog = PasteDialog(db, spec, block, page)
    dlg.setWindowModality(Qt.WindowModal)
    dlg.finished.connect(dlg.tell_page)
    dlg.open()


def pasted(page, dlg: PasteDialog) -> None:
    """After the dialog closed: the page shows what was written and says so."""
    page.paste_dialog = None
    summary = dlg.summary
    if summary is not None and summary.written and (summary.added or summary.updated):
        page.reload()
        page.changed.emit(page.spec.key)
        text = f"已粘贴到{page.spec.title}：新增 {summary.added:,} 行，更新 {summary.updated:,} 行"
        if summary.rejected:
            text += f"；被拒绝的 {summary.rejected:,} 行未写入"
        page.message.emit(text + "（已记入操作留痕）")
    elif summary is None:
        page.message.emit("已取消粘贴，未写入任何数据")
    dlg.deleteLater()


def shown_columns(page) -> list[Field]:
    """The table's columns in the order shown, hidden ones left out, from the current
    cell's column on (all of them when no cell is current)."""
    table = page.table
    header = table.horizontalHeader()
    order = [header.logicalIndex(v) for v in range(header.count())]
    shown = [c for c in order if not table.isColumnHidden(c)]
    current = table.currentIndex().column() if table.currentIndex().isValid() else -1
    if current in shown:
        shown = shown[shown.index(current):]
    return [page.fields[c] for c in shown]


class PasteDialog(ClosesWhenIdle, QDialog):
    """`summary` is set once the rows were written; `plan` once the check is done."""

    def __init__(self, db: Database, spec: LedgerSpec, block: PasteBlock,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.spec, self.block = db, spec, block
        self.plan: ImportPlan | None = None
        self.summary: ImportSummary | None = None
        self.setWindowTitle(f"粘贴到{spec.title}")
        self.work = InlineTask(self)
        self.work.idle.connect(self._idle)
        self.intro = note_label(block.describe())
        self.intro.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.check_page = page = CheckPage(title="检查粘贴的内容（尚未写入任何数据）")
        page.layout().insertWidget(1, self.intro)
        self.lines = self._preview()
        more = "" if block.lines <= PREVIEW_LINES else f"（前 {PREVIEW_LINES} 行）"
        page.tabs.addTab(self.lines, f"粘贴的内容{more}")
        page.progress.cancel_button.clicked.connect(self.work.cancel)
        page.accept_valid.toggled.connect(self._update_buttons)
        page.save_button.clicked.connect(self.save_rejected)
        self.confirm_button = QPushButton("确认写入")
        self.confirm_button.setDefault(True)
        self.close_button = QPushButton("取消")
        self.confirm_button.clicked.connect(self.commit)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)
        lay = QVBoxLayout(self)
        lay.addWidget(page, 1)
        lay.addLayout(buttons)
        screen = QGuiApplication.primaryScreen()  # fits 1366×768 with a taskbar
        avail = screen.availableGeometry() if screen is not None else None
        self.resize(min(1060, avail.width() - 40) if avail else 1060,
                    min(640, avail.height() - 50) if avail else 640)
        self.check()

    def _preview(self) -> QTableWidget:
        """The first pasted lines under the field each column goes to."""
        grid, mapping, labels = self.block.grid, self.block.mapping, self.spec.labels
        heads = [labels[mapping.assigned[c]] if c in mapping.assigned else "（不导入）"
                 for c in range(grid.width)]
        start = self.block.layout.data_start
        rows = grid.rows[start:start + PREVIEW_LINES]
        t = QTableWidget(len(rows), grid.width)
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
        t.setWordWrap(False)
        t.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        t.setHorizontalHeaderLabels(heads)
        t.setVerticalHeaderLabels([str(start + n + grid.first_row) for n in range(len(rows))])
        for r, cells in enumerate(rows):
            for c, v in enumerate(cells or ()):
                t.setItem(r, c, QTableWidgetItem(cell_text(v)))
        t.resizeColumnsToContents()
        for c in range(grid.width):
            t.setColumnWidth(c, min(max(t.columnWidth(c), 80), 260))
        return t

    def tell_page(self, _result: int) -> None:
        pasted(self.parentWidget(), self)

    def _update_buttons(self, *_args) -> None:
        plan, busy = self.plan, self.busy
        ok = not busy and plan is not None and bool(plan.new_rows or plan.updates)
        ok = ok and (not plan.rejected or self.check_page.accept_valid.isChecked())
        self.confirm_button.setEnabled(ok)
        self.close_button.setEnabled(not self._close_when_idle)
        self.check_page.save_button.setEnabled(not busy)

    # -- check, then write ----------------------------------------------------------
    def check(self) -> None:
        db, spec, b = self.db, self.spec, self.block

        def run(progress, cancelled):
            return prepare_import(db, spec, b.grid, b.layout, b.mapping, mode=MODE,
                                  progress=progress, cancel=cancelled)

        self.work.start(self.check_page.progress, "正在检查每一行…", run, self._checked,
                        self._check_failed)
        self._update_buttons()

    def _checked(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.check_page.show_plan(plan, summarize(plan, SHEET))
        self.check_page.unknown_hint.setText(UNKNOWN_HINT)
        self._mark_rejected(plan)
        if not plan.problems and not plan.unknown_refs:  # nothing wrong: what goes where
            self.check_page.tabs.setCurrentIndex(3)

    def _mark_rejected(self, plan: ImportPlan) -> None:
        """Rejected lines of the preview in red, their problems as the tooltip."""
        first = self.block.layout.data_start + self.block.grid.first_row
        for line, problems in plan.rejected.items():
            r = line - first
            if not 0 <= r < self.lines.rowCount():
                continue
            tip = "\n".join(f"{p.column}：{p.message}" for p in problems)
            for c in range(self.lines.columnCount()):
                item = self.lines.item(r, c)
                if item is None:
                    item = QTableWidgetItem("")
                    self.lines.setItem(r, c, item)
                item.setForeground(QBrush(QColor(BAD_COLOUR)))
                item.setToolTip(tip)

    def _check_failed(self, message: str | None) -> None:
        self.check_page.show_failed(message or "已取消检查，未写入任何数据")

    def commit(self) -> None:
        plan = self.plan
        if plan is None or self.busy:
            return
        accept_valid = self.check_page.accept_valid.isChecked()
        db = self.db

        def run(progress, cancelled):
            return commit_import(db, plan, file=SHEET, accept_valid=accept_valid,
                                 progress=progress, cancel=cancelled, source=SOURCE)

        self.work.start(self.check_page.progress, "正在写入数据库…", run, self._committed,
                        self._commit_failed, write=True)
        self._update_buttons()

    def _committed(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.accept()

    def _commit_failed(self, message: str | None) -> None:
        self.plan = None  # rolled back: a plan is written once, or checked again
        self.check_page.show_failed(
            ("已取消写入" if message is None else f"写入失败：{message}")
            + "。数据库未作任何修改；可关闭后重新粘贴。")

    def save_rejected(self) -> None:
        """The rejected lines under their headings plus 错误说明, to fix in Excel."""
        from ui.exports import ask_save_path

        plan = self.plan
        if plan is None or not plan.rejected or self.busy:
            return
        out = ask_save_path(self, "保存被拒绝的行", f"{self.spec.title}_粘贴被拒绝的行.xlsx",
                            "Excel 工作簿 (*.xlsx)", ".xlsx")
        if out is None:
            return
        n = len(plan.rejected)

        def write(_progress, _cancelled):
            from reports.templates import write_rejected_rows

            return write_rejected_rows(plan, out)

        self.work.start(self.check_page.progress, "正在保存被拒绝的行…", write,
                        lambda path: self.check_page.show_saved(
                            f"被拒绝的 {n:,} 行已保存到：{path}（最后一列是错误说明）", True),
                        lambda message: self.check_page.show_saved(
                            f"未能保存被拒绝的行：{message or '已取消'}", False),
                        cancellable=False)

    # -- closing ---------------------------------------------------------------------
    def finish(self) -> None:
        if self.summary is not None:  # the write finished before it saw the cancel
            self.accept()
        else:
            QDialog.reject(self)
