"""整改文书 (from the 整改台账 page): 月通报, 季调度, 年总结, the one-page 红黑榜 as PDF, and
the three sheets for higher levels as Excel. 发布 (管理员、审核员) freezes the 红黑榜 or
records the month's warnings; exemptions are typed one per line as 单位=理由."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from app.auth import VERIFIERS
from app.errors import UserError

# label → (documents key, period kind, may issue, takes exemptions)
DOCS = {
    "月通报": ("bulletin", "month", True, False),
    "季度调度报告": ("dispatch", "quarter", False, True),
    "年度总结": ("annual", "year", False, False),
    "红黑榜（单页张贴）": ("red-black", "quarter", True, True),
    "三张清单（Excel：问题/责任/销号）": ("problems", "", False, False),
}
_ISSUE = {"bulletin": "发布月通报：登记本月预警，连续两月黄色预警升级为专函督办、红色预警升级为约谈",
          "red-black": "发布红黑榜：冻结本期榜单，发布后不再随数据变化"}


def default_period(kind: str, today: date | None = None) -> str:
    today = today or date.today()
    return {"month": f"{today.year}-{today.month:02d}",
            "quarter": f"{today.year}Q{(today.month - 1) // 3 + 1}",
            "year": str(today.year)}.get(kind, "")


def parse_exempt(text: str) -> dict[str, str]:
    """Lines “单位=理由” (or ：) → {unit: reason}; UserError naming the bad line."""
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        unit, sep, reason = line.replace("：", "=").replace(":", "=").partition("=")
        if not sep or not unit.strip() or not reason.strip():
            raise UserError(f"免于列榜第 {n} 行应写成 单位=理由：{line}")
        out[unit.strip()] = reason.strip()
    return out


class DocumentsDialog(QDialog):
    def __init__(self, page):
        super().__init__(page)
        self.page, self.db = page, page.db
        self.setWindowTitle("整改文书")
        user = self.db.user
        self.may_issue = user is None or user.role in VERIFIERS
        self.kind = QComboBox()
        self.kind.addItems(list(DOCS))
        self.period = QLineEdit()
        self.period.setPlaceholderText("2026-11 / 2026Q4 / 2026")
        self.issue = QCheckBox()
        self.exempt = QPlainTextEdit()
        self.exempt.setPlaceholderText("每行一个：单位=理由，如 党建工作办公室=承担全区迎检任务")
        self.exempt.setFixedHeight(70)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")
        form = QFormLayout()
        form.addRow("文书", self.kind)
        form.addRow("期间", self.period)
        form.addRow("", self.issue)
        form.addRow("免于列榜", self.exempt)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("生成…", QDialogButtonBox.AcceptRole)
        buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.generate)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.note)
        lay.addWidget(buttons)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._kind_changed(self.kind.currentText())
        self.resize(560, self.sizeHint().height())

    def _kind_changed(self, label: str) -> None:
        key, kind, issues, exempts = DOCS[label]
        self.period.setText(default_period(kind))
        self.period.setEnabled(bool(kind))
        self.issue.setText(_ISSUE.get(key, "（此文书无需发布）"))
        self.issue.setChecked(False)
        self.issue.setEnabled(issues and self.may_issue)
        self.exempt.setEnabled(exempts)
        self.note.setText("表格中的预警按颜色打印（红：逾期；黄：滞后；蓝：临期）。"
                          + ("" if self.may_issue else "发布限管理员、审核员。"))

    def request(self) -> tuple[str, dict]:
        """(documents key, keyword arguments of its writer) from the dialog's fields."""
        key, kind, issues, exempts = DOCS[self.kind.currentText()]
        kw: dict = {}
        if kind:
            kw["period"] = self.period.text().strip() or None
        if issues and self.issue.isChecked():
            kw["issue"] = True
        if exempts:
            exempt = parse_exempt(self.exempt.toPlainText())
            if exempt:
                kw["exempt"] = exempt
        return key, kw

    def generate(self) -> None:
        from ui.dialogs import show_error

        try:
            key, kw = self.request()
        except UserError as exc:
            show_error(self, exc)
            return
        run_document(self.page, key, kw, self.kind.currentText())
        self.accept()


def run_document(page, key: str, kw: dict, label: str) -> None:
    """Ask where to save, then write the document off the GUI thread."""
    from reports.catalog import NAMED  # the PDFs; the rest is the workbook
    from ui.exports import ask_save_path, offer_open, preview_or_offer
    from ui.workers import run_task

    doc = NAMED.get(key)
    xlsx = doc is None
    suffix = ".xlsx" if xlsx else ".pdf"
    name = f"{page.db.street_name()}整改{label.split('（')[0]}{kw.get('period') or ''}{suffix}"
    path = ask_save_path(page, "保存整改文书", name,
                         "Excel 工作簿 (*.xlsx)" if xlsx else "PDF 文件 (*.pdf)", suffix)
    if path is None:
        return
    if xlsx:
        from reports.rectification_xlsx import export_problems

        def job(_task):
            return export_problems(page.db, path)
    else:
        def job(_task):
            return doc.write(page.db, path, kw)

    def done(_result):
        text = f"已生成{label}{'（已发布）' if kw.get('issue') else ''}"
        page.message.emit(f"{text}：{path}")
        if xlsx:
            page.output_offer = offer_open(page, path, text, page.message.emit)
        else:  # a PDF: its print preview
            page.last_pdf = path
            page.output_offer = preview_or_offer(page, path, text, page.message.emit,
                                                 title=label.split("（")[0])
        if kw.get("issue"):
            page.reload()  # escalations may have changed

    page.export_task = run_task(page, job, label=f"正在生成{label}…", on_done=done)


def open_documents(page) -> DocumentsDialog:
    dialog = DocumentsDialog(page)
    dialog.open()
    return dialog
