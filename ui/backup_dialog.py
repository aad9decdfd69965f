"""备份与恢复: the SQLite database's backups (list, back up now, save a copy elsewhere,
restore from a checked file) and, for every database, 导出全部数据 as a portable
.xlsx copy. For PostgreSQL, backups are the server's job: the dialog says so.

After a restore the data and the accounts may differ: `restored` tells the app to
sign in again and reload every page."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from app import backup
from app.db import Database
from app.errors import UserError
from ui.dialogs import confirm, fit_screen, show_error
from ui.exports import ask_save_path, offer_open
from ui.login import may
from ui.text_table import TextTableModel, text_table_view
from ui.workers import run_task

HEADINGS = ("备份时间", "类型", "大小", "文件名")
OK_STYLE = "color: #2e7d32;"


def human_size(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(n, 1) / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def kind_of(path: Path) -> str:
    if "-before-restore" in path.name:
        return "恢复前自动保存"
    return "自动备份" if "-auto" in path.name else "手动备份"


def backup_rows(paths: list[Path]) -> list[tuple[str, ...]]:
    rows = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:  # pruned meanwhile
            continue
        rows.append((f"{datetime.fromtimestamp(st.st_mtime):%Y-%m-%d %H:%M}", kind_of(p),
                     human_size(st.st_size), p.name))
    return rows


class BackupDialog(QDialog):
    # Slots are bound methods: PySide6 6.12 crashed at exit on lambda connections.
    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def backup_to_folder(self) -> None:
        self.backup_now(None)

    restored = Signal()  # the database was replaced: sign in again, reload everything

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.task = None
        self.paths: list[Path] = []
        self.setWindowTitle("备份与恢复")
        self.sqlite = db.backend == "sqlite"
        lay = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.export_button = QPushButton("导出全部数据…")
        self.export_button.setToolTip("把所有台账导出到一个 Excel 工作簿（每个台账一个工作表），"
                                      "便于留存或交给上级")
        self.export_button.clicked.connect(self.export_all)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.export_button)
        bottom.addStretch(1)
        bottom.addWidget(close)
        if self.sqlite:
            self._build_sqlite(lay)
        else:
            text = QLabel(backup.PG_MESSAGE + "。")
            text.setWordWrap(True)
            lay.addWidget(QLabel(f"数据库：{db.describe()}"))
            lay.addWidget(text)
            lay.addStretch(1)
        lay.addWidget(self.status)
        lay.addLayout(bottom)
        # The default button once it is in the dialog (see ui.login._FormDialog).
        (self.backup_button if self.sqlite else self.export_button).setDefault(True)
        fit_screen(self, 680, 460 if self.sqlite else 220)

    # -- SQLite ---------------------------------------------------------------
    def _build_sqlite(self, lay: QVBoxLayout) -> None:
        self.folder = backup.backup_dir(self.db)
        where = QLabel(f"备份文件夹：{self.folder}")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextSelectableByMouse)
        open_folder = QPushButton("打开文件夹")
        open_folder.clicked.connect(self.open_folder)
        top = QHBoxLayout()
        top.addWidget(where, 1)
        top.addWidget(open_folder)
        note = QLabel(f"程序每天启动和退出时自动备份一次，保留最近 {backup.KEEP_DAILY} 天和 "
                      f"{backup.KEEP_WEEKLY} 周的自动备份；手动备份不会被自动删除。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.model = TextTableModel(HEADINGS, self)
        self.table = text_table_view(self.model, (9, 7, 5, 20))
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.backup_button = QPushButton("立即备份")
        self.save_as_button = QPushButton("另存为…")
        self.save_as_button.setToolTip("把当前数据备份到指定位置（如U盘）")
        self.restore_button = QPushButton("从备份恢复…")
        # A read-only window (or a role that may not) is offered no restore at all.
        self.restore_button.setVisible(may(self.db, "restore_db"))
        self.restore_button.setToolTip("用备份文件替换当前数据")
        self.backup_button.clicked.connect(self.backup_to_folder)
        self.save_as_button.clicked.connect(self.save_as)
        self.restore_button.clicked.connect(self.restore)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.save_as_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(top)
        lay.addWidget(note)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.paths = backup.list_backups(self.db)
        rows = backup_rows(self.paths)
        self.paths = [p for p in self.paths if any(r[3] == p.name for r in rows)]
        self.model.set_rows(rows)

    def say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet(OK_STYLE if ok else "color: #c62828;")
        self.status.setText(text)

    def backup_now(self, target: Path | None) -> None:
        out = target or self.folder

        def done(path):
            self.reload()
            self.say(f"已备份：{path}")

        self.task = run_task(self, lambda _t: backup.backup_to(self.db, out),
                             label="正在备份…", on_done=done)

    def save_as(self) -> None:
        name = f"{backup.PREFIX}{datetime.now():%Y%m%d-%H%M%S}{backup.SUFFIX}"
        path = ask_save_path(self, "备份另存为", name, "StreetLedger 备份 (*.sqlite3)",
                             backup.SUFFIX)
        if path is not None:
            self.backup_now(path)

    def selected_backup(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        return self.paths[rows[0].row()] if rows else None

    def restore(self) -> None:
        start = self.selected_backup() or self.folder
        name, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份", str(start),
                                              "StreetLedger 备份 (*.sqlite3 *.db);;所有文件 (*)")
        if name:
            self.restore_file(Path(name))

    def restore_file(self, path: Path) -> None:
        """Check the file (off the GUI thread), ask, then restore."""
        self.task = run_task(self, lambda _t: backup.check_backup_file(path),
                             label="正在检查备份文件…",
                             on_done=lambda _rev: self._confirm_restore(path))

    def _confirm_restore(self, path: Path) -> None:
        when = datetime.fromtimestamp(path.stat().st_mtime)
        text = (f"将用备份“{path.name}”（{when:%Y-%m-%d %H:%M}）替换当前数据库中的全部数据。\n\n"
                "恢复前，程序会先把当前数据另存为一份备份（文件名含 before-restore），"
                "如有需要可以再恢复回来。\n恢复完成后请重新登录。")
        if not confirm(self, "从备份恢复", text, "恢复"):
            return

        def done(safety):
            self.reload()
            QMessageBox.information(self, "恢复完成",
                                    f"已从“{path.name}”恢复数据。\n恢复前的数据已保存为“{safety.name}”。"
                                    "\n请重新登录。")
            self.restored.emit()
            self.accept()

        self.task = run_task(self, lambda _t: backup.restore_from(self.db, path),
                             label="正在恢复数据…", on_done=done)

    # -- every database ------------------------------------------------------
    def export_all(self) -> None:
        try:
            street = self.db.street_name()
        except UserError as exc:
            show_error(self, exc)
            return
        path = ask_save_path(self, "导出全部数据", f"{street}全部数据_{date.today():%Y%m%d}.xlsx",
                             "Excel 工作簿 (*.xlsx)", ".xlsx")
        if path is None:
            return

        def job(task):
            from reports.export_all import export_all

            return export_all(self.db, path, progress=task.progress,
                              cancel=lambda: task.cancelled)

        def done(counts):
            self.last_export = path
            text = f"已导出全部数据（{'、'.join(f'{k} {n} 条' for k, n in counts.items())}）"
            self.say(f"{text}：{path}")
            self.output_offer = offer_open(self, path, text, self.say)

        self.task = run_task(self, job, label="正在导出全部数据…", on_done=done)
