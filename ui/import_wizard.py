"""The import wizard: file → sheet and header → column mapping → check → import.

The pages are in ui.import_pages, ui.import_mapping and ui.import_results; the work
is app.importer's, run off the GUI thread by ui.import_pages.InlineTask with a
progress bar and a 取消 button on the page, so the window stays responsive.
Nothing is written before the last step, and that step writes all or nothing.

For a ledger page:
    open_import_wizard(db, spec, parent, path=None) -> bool   # True: rows were written
    save_template(db, spec, parent)                           # 下载导入模板
    accepts_drop(mime) / dropped_path(mime)                   # an Excel file dropped on it
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.errors import PermissionDenied, UserError
from app.importer import (
    Grid,
    ImportPlan,
    ImportSummary,
    Layout,
    SheetInfo,
    commit_import,
    detect_layout,
    map_columns,
    open_source,
    prepare_import,
    remember_plan,
    summarize,
)
from app.specs import LedgerSpec
from ui import dialogs
from ui.busy_dialog import ClosesWhenIdle
from ui.import_mapping import MappingPage
from ui.import_pages import FilePage, InlineTask, SheetPage
from ui.import_results import CheckPage, CommitPage
from ui.login import may
from ui.workers import run_task

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
FILE_FILTER = "Excel/WPS/CSV 文件 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)"
STEPS = ("选择文件", "工作表与表头", "列对应", "检查结果", "导入")


# -- for a ledger page ------------------------------------------------------------
def dropped_path(mime: QMimeData | None) -> str | None:
    """The first local spreadsheet file among dropped URLs, or None."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(SUFFIXES):
            return url.toLocalFile()
    return None


def accepts_drop(mime: QMimeData | None) -> bool:
    return dropped_path(mime) is not None


def open_import_wizard(db: Database, spec: LedgerSpec, parent: QWidget | None = None,
                       path: str | None = None) -> bool:
    """Run the wizard modally; True when rows were written (the page should reload)."""
    if not may(db, "import"):
        user = getattr(db, "user", None)
        who = f"{user.role_label}“{user.username}”" if user is not None else "当前账号"
        dialogs.show_error(parent, PermissionDenied(f"{who}无权导入数据"))
        return False
    wizard = ImportWizard(db, spec, parent, path)
    wizard.exec()
    imported = wizard.imported
    wizard.deleteLater()
    return imported


def save_template(db: Database, spec: LedgerSpec, parent: QWidget | None,
                  on_saved: Callable[[Path], None] | None = None):
    """Ask where, then write the ledger's import template off the GUI thread.
    Returns the task, or None when the user closed the file dialog."""
    from ui.exports import ask_save_path

    path = ask_save_path(parent, "保存导入模板", f"{spec.title}导入模板.xlsx",
                         "Excel 工作簿 (*.xlsx)", ".xlsx")
    if path is None:
        return None

    def job(_task):
        from reports.templates import write_template

        return write_template(path, spec, db=db)

    def done(out):
        message = getattr(parent, "message", None)  # a ledger page's status-bar signal
        if message is not None and hasattr(message, "emit"):
            message.emit(f"已保存{spec.title}导入模板：{out}")
        if on_saved is not None:
            on_saved(out)

    return run_task(parent, job, label="正在生成导入模板…", on_done=done)


# -- the wizard -------------------------------------------------------------------
class ImportWizard(ClosesWhenIdle, QDialog):
    FILE, SHEET, MAPPING, CHECK, COMMIT = range(5)

    def __init__(self, db: Database, spec: LedgerSpec, parent: QWidget | None = None,
                 path: str | None = None):
        super().__init__(parent)
        self.db, self.spec = db, spec
        self.setWindowTitle(f"导入{spec.title}")
        self.setAcceptDrops(True)
        self.path: Path | None = None
        self.sheets: list[SheetInfo] = []
        self.grid: Grid | None = None
        self.table_layout: Layout | None = None
        self.plan: ImportPlan | None = None
        self.summary: ImportSummary | None = None
        self.imported = False
        self.work = InlineTask(self)
        self.work.idle.connect(self._idle)

        self.steps = QLabel()
        self.steps.setTextFormat(Qt.RichText)
        self.steps.setWordWrap(True)  # the largest font on a narrow screen
        self.file_page = fp = FilePage(spec)
        self.sheet_page = SheetPage()
        self.sheet_page.header_chosen.connect(self.set_header)
        self.mapping_page = MappingPage(db, spec)
        self.check_page = CheckPage()
        self.commit_page = CommitPage()
        self.stack = QStackedWidget()
        for page in (fp, self.sheet_page, self.mapping_page, self.check_page, self.commit_page):
            # A page taller than the screen leaves (1366×768 at 150 %) scrolls: the
            # dialog and its 下一步 stay on the screen.
            self.stack.addWidget(dialogs.scrolling(page))
        self.back_button = QPushButton("上一步")
        self.next_button = QPushButton("下一步")
        self.close_button = QPushButton("取消")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.close_button):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.steps)
        lay.addWidget(self.stack, 1)
        lay.addLayout(buttons)
        self.next_button.setDefault(True)  # once in the dialog (see ui.login._FormDialog)

        fp.browse_button.clicked.connect(self.browse)
        fp.template_button.clicked.connect(self.download_template)
        fp.path_edit.returnPressed.connect(self.go_next)
        self.sheet_page.sheet_combo.currentIndexChanged.connect(self._sheet_chosen)
        self.check_page.save_button.clicked.connect(self.save_rejected)
        self.commit_page.save_button.clicked.connect(self.save_rejected)
        self.check_page.accept_valid.toggled.connect(self._update_buttons)
        for row in (fp.progress, self.sheet_page.progress, self.check_page.progress,
                    self.commit_page.progress):
            row.cancel_button.clicked.connect(self.work.cancel)
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.close_button.clicked.connect(self.reject)

        dialogs.fit_screen(self, 1120, 680)  # fits 1366×768 with a taskbar, at 150 % too
        self._show_page(self.FILE)
        if path:
            fp.path_edit.setText(str(path))
            QTimer.singleShot(0, self, self.go_next)  # once the window is up

    # -- navigation -------------------------------------------------------------
    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _show_page(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        parts = []
        for i, name in enumerate(STEPS):
            text = f"{i + 1}&nbsp;{name}"
            if i == index:
                text = f'<b style="color:#1565c0">{text}</b>'
            elif i > index:
                text = f'<span style="color:#9e9e9e">{text}</span>'
            parts.append(text)
        self.steps.setText("&nbsp;&nbsp;›&nbsp;&nbsp;".join(parts))
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        page, busy = self.page, self.busy
        done = page == self.COMMIT and self.summary is not None and self.summary.written
        self.back_button.setEnabled(not busy and page > self.FILE and not done)
        self.next_button.setVisible(page != self.COMMIT)
        self.next_button.setText("开始导入" if page == self.CHECK else "下一步")
        ok = not busy
        if page == self.SHEET:
            ok = ok and self.table_layout is not None
        elif page == self.CHECK:
            plan = self.plan
            ok = ok and plan is not None and bool(plan.new_rows or plan.updates or plan.replaced)
            ok = ok and (not plan.rejected or self.check_page.accept_valid.isChecked())
        self.next_button.setEnabled(ok)
        self.close_button.setText("完成" if done else "取消")
        self.close_button.setEnabled(not self._close_when_idle)
        self.sheet_page.sheet_combo.setEnabled(not busy)
        self.check_page.save_button.setEnabled(not busy)
        self.commit_page.save_button.setEnabled(not busy)

    def go_next(self) -> None:
        if self.busy:
            return
        page = self.page
        if page == self.FILE:
            self.open_file()
        elif page == self.SHEET and self.table_layout is not None:
            self._show_page(self.MAPPING)
        elif page == self.MAPPING:
            self.check()
        elif page == self.CHECK:
            self.commit()

    def go_back(self) -> None:
        if self.busy or self.page == self.FILE:
            return
        if self.page == self.COMMIT:  # after a failed or cancelled write: check again
            self.check()
            return
        self._show_page(self.page - 1)

    def finish(self) -> None:
        if self.imported:  # 完成 after a write
            QDialog.accept(self)
        else:
            QDialog.reject(self)

    # -- 1 file -------------------------------------------------------------------
    def browse(self) -> None:
        current = self.file_page.path_edit.text().strip()
        start = str(Path(current).parent) if current else ""
        path, _ = QFileDialog.getOpenFileName(self, "选择要导入的文件", start, FILE_FILTER)
        if path:
            self.file_page.path_edit.setText(path)
            self.open_file()

    def download_template(self) -> None:
        save_template(self.db, self.spec, self, on_saved=self.file_page.show_saved)

    def dragEnterEvent(self, event):  # noqa: N802 - Qt API
        if self.page == self.FILE and not self.busy and accepts_drop(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802 - Qt API
        path = dropped_path(event.mimeData())
        if path and self.page == self.FILE and not self.busy:
            event.acceptProposedAction()
            self.file_page.path_edit.setText(path)
            self.open_file()

    def open_file(self, sheet: str | None = None) -> None:
        """Open and read the file (the first sheet with data, or `sheet`) and find
        its header, off the GUI thread."""
        fp, sp = self.file_page, self.sheet_page
        text = fp.path_edit.text().strip().strip('"')
        if not text:
            fp.show_failed("请先选择要导入的文件")
            return
        fp.error.hide()
        sp.error.hide()
        path, spec = Path(text), self.spec

        def read(progress, _cancelled):
            progress(0, 0, f"正在读取“{path.name}”…")
            with open_source(path) as src:
                sheets = list(src.sheets)
                grid = src.read(sheet)
            try:
                layout = detect_layout(grid, spec)
            except UserError as exc:  # no header: show the sheet and say so
                return path, sheets, grid, None, exc.message, None
            return path, sheets, grid, layout, None, self._map(grid, layout)

        self.work.start(fp.progress if sheet is None else sp.progress,
                        f"正在读取“{path.name}”…", read, self._file_read,
                        fp.show_failed if sheet is None else self._sheet_failed)
        self._update_buttons()

    def _map(self, grid, layout):
        """Remembered headings, exact ones, then the closest: taken as proposals that the
        mapping page shows for confirming (take_ambiguous)."""
        return map_columns(self.db, self.spec, grid, layout, take_ambiguous=True)

    def set_header(self, header_row: int, header_rows: int) -> None:
        """The sheet page's header override: the table is taken from that row."""
        sp = self.sheet_page
        try:
            layout = detect_layout(self.grid, self.spec, header_row=header_row,
                                   header_rows=header_rows)
        except UserError as exc:
            sp.error.setText(exc.message)
            sp.error.show()
            return
        sp.error.hide()
        self.table_layout = layout
        self.plan = self.summary = None
        sp.show_grid(self.grid, layout)
        self.mapping_page.set_mapping(self._map(self.grid, layout), self.grid, layout)
        self._update_buttons()

    def _file_read(self, result) -> None:
        self.path, self.sheets, self.grid, self.table_layout, problem, mapping = result
        self.plan = self.summary = None
        sp = self.sheet_page
        sp.set_sheets(self.sheets, self.grid.sheet)
        sp.show_grid(self.grid, self.table_layout)
        sp.error.setText(problem or "")
        sp.error.setVisible(bool(problem))
        if self.table_layout is not None:
            self.mapping_page.set_mapping(mapping, self.grid, self.table_layout)
        self._show_page(self.SHEET)

    def _sheet_failed(self, message: str | None) -> None:
        self.table_layout = None
        self.sheet_page.show_failed(message)
        if self.grid is not None:  # the combo shows the sheet still loaded
            self.sheet_page.set_sheets(self.sheets, self.grid.sheet)

    # -- 2 sheet --------------------------------------------------------------------
    def _sheet_chosen(self, index: int) -> None:
        name = self.sheet_page.sheet_combo.itemData(index)
        if name and not self.busy and (self.grid is None or name != self.grid.sheet):
            self.open_file(name)

    # -- 4 check --------------------------------------------------------------------
    def check(self) -> None:
        """Validate every row against the spec and the database; nothing is written."""
        mp = self.mapping_page
        fixed, problem = mp.fixed_values()
        if problem:
            mp.error.setText(problem)
            mp.error.show()
            self._show_page(self.MAPPING)
            return
        mp.error.hide()
        db, spec, grid, layout, mapping = (self.db, self.spec, self.grid, self.table_layout,
                                           mp.mapping)
        mode = mp.mode()
        value_map, create = mp.value_map()
        self.plan = self.summary = None
        self.check_page.clear()
        self._show_page(self.CHECK)

        def run(progress, cancelled):
            return prepare_import(db, spec, grid, layout, mapping, mode=mode, set_values=fixed,
                                  create_missing=create, value_map=value_map,
                                  progress=progress, cancel=cancelled)

        self.work.start(self.check_page.progress, "正在检查每一行…", run, self._checked,
                        self.check_page.show_failed)
        self._update_buttons()

    def _checked(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.check_page.show_plan(plan, summarize(plan, self.path.name))

    def save_rejected(self) -> None:
        """The rejected rows in the file's own layout plus 错误说明, to fix in Excel
        (from the check, or after importing only the valid rows)."""
        from ui.exports import ask_save_path

        page = self.commit_page if self.page == self.COMMIT else self.check_page
        plan = self.summary.plan if page is self.commit_page and self.summary else self.plan
        if plan is None or not plan.rejected or self.busy:
            return
        out = ask_save_path(self, "保存被拒绝的行", f"{self.path.stem}_被拒绝的行.xlsx",
                            "Excel 工作簿 (*.xlsx)", ".xlsx")
        if out is None:
            return
        from app.errors import UserError
        from app.outputs import check_output

        try:  # the dialog asked before replacing a file, but never the file being imported
            check_output(out, self.path)
        except UserError as exc:
            page.show_saved(exc.message, False)
            return
        n = len(plan.rejected)

        def write(_progress, _cancelled):
            from reports.templates import write_rejected_rows

            return write_rejected_rows(plan, out)

        def saved(path):
            page.show_saved(f"被拒绝的 {n:,} 行已保存到：{path}"
                            "（最后一列是错误说明；改正后可直接重新导入）", True)

        def failed(message):
            page.show_saved(f"未能保存被拒绝的行：{message or '已取消'}", False)

        self.work.start(page.progress, "正在保存被拒绝的行…", write, saved, failed,
                        cancellable=False)
        self._update_buttons()

    # -- 5 commit -------------------------------------------------------------------
    def commit(self) -> None:
        plan = self.plan
        if plan is None:
            return
        accept_valid = self.check_page.accept_valid.isChecked()
        if plan.mode == "replace" and plan.replaced:
            n = len(plan.new_rows) + len(plan.updates)
            text = (f"将删除{self.spec.title}中现有的 {plan.replaced:,} 条记录，再导入文件中的 "
                    f"{n:,} 行。\n删除的记录可在“回收站”中恢复。确定替换吗？")
            if not dialogs.confirm(self, "确认替换整个台账", text, "替换"):
                return
        db, name = self.db, self.path.name
        self.summary = None
        self.commit_page.clear()
        self._show_page(self.COMMIT)

        def run(progress, cancelled):
            return commit_import(db, plan, file=name, accept_valid=accept_valid,
                                 progress=progress, cancel=cancelled)

        self.work.start(self.commit_page.progress, "正在写入数据库…", run, self._committed,
                        self._commit_failed, write=True)
        self._update_buttons()

    def _committed(self, summary: ImportSummary) -> None:
        self.summary = summary
        self.plan = None  # its placeholders now name real rows: never commit it twice
        self.imported = summary.written and bool(summary.added or summary.updated
                                                 or summary.replaced or summary.created)
        if summary.written and summary.plan is not None:
            # What the user confirmed on the mapping page, for the next file.
            try:
                remember_plan(self.db, summary.plan)
            except UserError as exc:
                self.commit_page.show_saved(f"未能记住本次的列对应：{exc.message}", False)
        self.commit_page.show_summary(summary)

    def _commit_failed(self, message: str | None) -> None:
        self.plan = None  # ids given to new names were rolled back: check again first
        self.commit_page.show_failed(message)
