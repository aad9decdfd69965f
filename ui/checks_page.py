"""核查: every ledger's declared checks (app.checks) in one list — each check with how many
rows break it, its rows beneath; a double click (or Enter) opens the row on its ledger's
page, filters cleared and the row selected. Administrators set the visit intervals by
risk level here (app.grids.set_visit_days)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.checks import run_checks
from app.errors import UserError
from ui import dialogs
from ui.login import may

WARN = QColor("#b42318")


class ChecksPage(QWidget):
    def __init__(self, window):
        super().__init__()
        self.window_, self.db = window, window.db
        self.stale = True
        layout = QVBoxLayout(self)
        head = QHBoxLayout()
        title = QLabel("数据核查")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        head.addWidget(title)
        self.summary = QLabel()
        head.addWidget(self.summary, 1)
        self.intervals = QPushButton("走访间隔…")
        self.intervals.setToolTip("设置各风险等级重点人员的走访间隔天数（管理员）")
        self.intervals.clicked.connect(self.edit_intervals)
        self.intervals.setVisible(may(self.db, "settings"))
        head.addWidget(self.intervals)
        self.refresh = QPushButton("刷新")
        self.refresh.clicked.connect(self.reload)
        head.addWidget(self.refresh)
        layout.addLayout(head)
        note = QLabel("底数清、情况明、数据准：以下各项列出需要补充或更正的记录，双击一条记录即可打开它。")
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["核查项 / 记录", "数量", "说明"])
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.setColumnWidth(0, 460)
        self.tree.itemActivated.connect(self.open_item)
        layout.addWidget(self.tree, 1)

    def showEvent(self, event):  # noqa: N802 - Qt API
        if self.stale:
            self.reload()
        super().showEvent(event)

    def mark_stale(self, _key: str = "") -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        try:
            findings = run_checks(self.db)
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self.findings = findings
        open_keys = {self.tree.topLevelItem(i).data(0, Qt.UserRole)
                     for i in range(self.tree.topLevelItemCount())
                     if self.tree.topLevelItem(i).isExpanded()}
        self.tree.clear()
        problems = 0
        for f in findings:
            n = len(f.ids)
            problems += n
            top = QTreeWidgetItem([f.label, str(n), f.hint])
            top.setData(0, Qt.UserRole, f.key)
            top.setTextAlignment(1, Qt.AlignRight | Qt.AlignVCenter)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            if n:
                top.setForeground(1, QBrush(WARN))
            top.setToolTip(0, f.hint)
            for row_id, text in f.rows:
                child = QTreeWidgetItem([text, "", f.notes.get(row_id) or f"双击打开{f.title}"])
                child.setData(0, Qt.UserRole, (f.ledger, row_id))
                child.setForeground(2, QBrush(QColor("#777")))
                top.addChild(child)
            if n > len(f.rows):
                top.addChild(QTreeWidgetItem([f"……另有 {n - len(f.rows)} 条，请在{f.title}页筛选查看"]))
            self.tree.addTopLevelItem(top)
            top.setExpanded(f.key in open_keys or (0 < n <= 5 and not open_keys))
        self.summary.setText(f"　共 {len(findings)} 项核查，{problems} 条记录待处理"
                             if problems else f"　共 {len(findings)} 项核查，全部通过")
        self.stale = False

    def open_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        data = item.data(0, Qt.UserRole)
        if isinstance(data, tuple):
            self.window_.open_row(*data)
        elif item.childCount():
            item.setExpanded(not item.isExpanded())

    def edit_intervals(self) -> None:
        from app.grids import set_visit_days, visit_days

        dlg = IntervalsDialog(visit_days(self.db), self)
        if dlg.exec() != QDialog.Accepted:
            return
        try:
            set_visit_days(self.db, dlg.values())
        except UserError as exc:
            dialogs.show_error(self, exc)
            return
        self.window_.show_message("已保存重点人员走访间隔")
        self.reload()


class IntervalsDialog(QDialog):
    """Days between visits for each risk level."""

    def __init__(self, days: dict[str, int], parent=None):
        super().__init__(parent)
        self.setWindowTitle("重点人员走访间隔")
        form = QFormLayout(self)
        form.addRow(QLabel("超过以下天数未走访即为走访逾期："))
        self.spins = {}
        for level, n in days.items():
            spin = QSpinBox()
            spin.setRange(1, 366)
            spin.setSuffix(" 天")
            spin.setValue(n)
            self.spins[level] = spin
            form.addRow(f"{level}色风险", spin)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, int]:
        return {level: spin.value() for level, spin in self.spins.items()}
