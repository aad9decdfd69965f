"""操作留痕: the audit trail, filtered by account, ledger, action and date, exported
to Excel. Administrators see every entry, other accounts their own (app.audit
scopes the query). There is deliberately no way to edit or delete an entry."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app import audit, auth
from app.db import Database
from app.errors import UserError
from reports.audit_xlsx import HEADINGS, entry_row, ledger_titles
from ui.exports import ask_save_path, offer_open
from ui.flow_layout import FlowLayout
from ui.text_table import TextTableModel, text_table_view
from ui.workers import run_task

LIMIT = 2000  # newest entries shown; the export has no limit
DEFAULT_DAYS = 30
ALL = "全部"


def _combo(items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
    combo.setMaxVisibleItems(20)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _date_edit(value: date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


class AuditPage(QWidget):
    message = Signal(str)  # for the status bar

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.titles = ledger_titles()
        self.entries: list = []
        self.export_task = None
        self.last_export = None

        self.user = _combo([(ALL, None)])
        self.user.setEditable(True)  # a failed sign-in may name an account that never existed
        self.user.lineEdit().setPlaceholderText(ALL)
        self.user.setMinimumContentsLength(8)
        self.ledger = _combo([(ALL, None)] + [(t, k) for k, t in self.titles.items()])
        self.action = _combo([(ALL, None)] + [(t, k) for k, t in audit.ACTIONS.items()])
        today = date.today()
        self.since = _date_edit(date.fromordinal(today.toordinal() - DEFAULT_DAYS))
        self.until = _date_edit(today)
        self.export_button = QPushButton("导出Excel")
        self.export_button.setToolTip("把符合筛选条件的全部留痕导出为 Excel 文件")
        self.export_button.clicked.connect(self.export_xlsx)
        self.reload_button = QPushButton("刷新")
        self.reload_button.clicked.connect(self.reload)
        for combo in (self.ledger, self.action):
            combo.currentIndexChanged.connect(self.reload)
        self.user.activated.connect(self.reload)
        self.user.lineEdit().editingFinished.connect(self.reload)
        self.since.dateChanged.connect(self.reload)
        self.until.dateChanged.connect(self.reload)

        bar = QHBoxLayout()
        filters = FlowLayout(spacing=8)  # wraps on a narrow window (1366×768 at 150 %)
        for label, widget in (("账号", self.user), ("台账", self.ledger), ("操作", self.action),
                              ("日期", self.since), ("至", self.until)):
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(QLabel(label))
            row.addWidget(widget)
            filters.addWidget(pair)
        bar.addLayout(filters, 1)
        bar.addWidget(self.export_button, 0, Qt.AlignTop)
        bar.addWidget(self.reload_button, 0, Qt.AlignTop)

        self.model = TextTableModel(HEADINGS, self)
        self.table = text_table_view(self.model, (10, 6, 5, 5, 20, 14, 12))
        self.table.selectionModel().currentRowChanged.connect(self.show_detail)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("选中一条留痕，在这里查看完整内容")
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")
        self.scope_note = QLabel()
        self.scope_note.setStyleSheet("color: #666;")

        title = QLabel("操作留痕")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(12)
        head.addWidget(self.scope_note)
        head.addStretch(1)
        head.addWidget(self.count)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addLayout(head)
        lay.addLayout(bar)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setSizes([400, 4 * self.fontMetrics().height() + 16])
        split.setCollapsible(0, False)
        lay.addWidget(split, 1)
        self.fill_users()
        self.reload()

    # -- filters --------------------------------------------------------------
    def fill_users(self) -> None:
        """Administrators choose among all accounts; others only see themselves."""
        user = self.db.user
        self.user.blockSignals(True)
        self.user.clear()
        if user is not None and user.role != "admin":
            self.user.addItem(user.username, user.username)
            self.user.setEnabled(False)
            self.scope_note.setText("（只显示本人的操作）")
        else:
            self.user.addItem(ALL, None)
            try:
                names = [u["username"] for u in auth.list_users(self.db)]
            except UserError:
                names = []
            for name in names:
                self.user.addItem(name, name)
            self.scope_note.setText("（全部账号的操作）")
        self.user.setCurrentIndex(0)
        self.user.blockSignals(False)

    def filters(self) -> dict:
        """Keyword arguments of app.audit.entries for what the bar shows."""
        text = self.user.currentText().strip()
        user = None if text in ("", ALL) else text
        since, until = self.since.date().toPython(), self.until.date().toPython()
        if since > until:
            since, until = until, since
        return {"user": user, "ledger": self.ledger.currentData(),
                "action": self.action.currentData(), "since": since, "until": until}

    def describe_filters(self) -> str:
        f = self.filters()
        parts = [f"日期 {f['since']:%Y-%m-%d} 至 {f['until']:%Y-%m-%d}"]
        if f["user"]:
            parts.append(f"账号“{f['user']}”")
        if f["ledger"]:
            parts.append(f"台账“{self.ledger.currentText()}”")
        if f["action"]:
            parts.append(f"操作“{self.action.currentText()}”")
        return "筛选条件：" + "；".join(parts)

    # -- data -----------------------------------------------------------------
    def reload(self, *_args) -> None:
        self.entries = audit.entries(self.db, **self.filters(), limit=LIMIT)
        self.model.set_rows([entry_row(e, self.titles) for e in self.entries])
        self.detail.clear()
        n = len(self.entries)
        self.count.setText(f"仅显示最新 {LIMIT} 条，请缩小筛选范围（导出Excel包含全部）"
                           if n >= LIMIT else f"共 {n} 条")

    def show_detail(self, current, _previous=None) -> None:
        """The whole entry: the table cuts long records and changes short."""
        if not current.isValid() or current.row() >= len(self.model.rows):
            self.detail.clear()
            return
        row = self.model.rows[current.row()]
        lines = ["　".join(v for v in row[:4] if v)]
        lines += [f"{HEADINGS[k]}：{row[k]}" for k in (4, 5, 6) if row[k]]
        self.detail.setPlainText("\n".join(lines))

    def export_xlsx(self) -> None:
        path = ask_save_path(self, "导出操作留痕", f"操作留痕_{date.today():%Y%m%d}.xlsx",
                             "Excel 工作簿 (*.xlsx)", ".xlsx")
        if path is None:
            return
        filters, note = self.filters(), self.describe_filters()

        def job(task):
            from reports.audit_xlsx import export_audit

            return export_audit(self.db, path, filters=filters, description=note,
                                progress=task.progress, cancel=lambda: task.cancelled)

        def done(n):
            self.last_export = path
            self.message.emit(f"已导出操作留痕 {n} 条：{path}")
            self.reload()  # the export left its own entry
            self.output_offer = offer_open(self, path, f"已导出操作留痕 {n} 条",
                                           self.message.emit)

        self.export_task = run_task(self, job, label="正在导出操作留痕…", on_done=done)
