"""设置 → 等级薪酬: the 社区工作者等级薪酬 table (grade × post category → monthly pay) an
administrator edits; an empty cell leaves the grade out of the category's range. Saved
through app.staffing_pay.set_pay_table (audited, checked); others see it read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import staffing_pay
from app.errors import UserError, ValidationError
from app.specs.staff import STAFF
from app.staffing import MAX_GRADE
from ui.dialogs import confirm, show_error
from ui.form_dialog import ERROR_STYLE

OK_STYLE = "color: #2e7d32;"


class PayPanel(QWidget):
    COLUMN = 130  # px per post category
    saved = Signal()  # the pay column and the grade rule read the new table

    def __init__(self, db, parent=None):
        super().__init__(parent)
        from ui.login import may

        self.db = db
        self.may_edit = may(db, "settings")
        self.table = QTableWidget(MAX_GRADE, 0)
        self.table.setVerticalHeaderLabels([f"{g}级" for g in range(MAX_GRADE, 0, -1)])
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignCenter)
        if not self.may_edit:
            self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        note = QLabel("社区工作者按“3岗18级”定岗定级。每格为该岗位类别该等级的月薪酬（元）；"
                      "留空表示该岗位类别没有这一等级，填写了月薪酬的等级即为其等级范围。"
                      "人员的月薪酬、等级校验和“社区工作者等级薪酬表”都按此表。"
                      if self.may_edit else "只有管理员可以修改等级薪酬表。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.reset_button = QPushButton("恢复默认")
        self.reset_button.clicked.connect(self.reset)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        for b in (self.save_button, self.reset_button):
            b.setVisible(self.may_edit)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        inner = self.inner = QWidget()
        col = QVBoxLayout(inner)
        col.addWidget(note)
        col.addWidget(self.table)
        col.addLayout(buttons)
        col.addWidget(self.status)
        col.addStretch(1)
        lay = QHBoxLayout(self)
        lay.addWidget(inner)
        lay.addStretch(1)
        self.load()

    def load(self) -> None:
        stored = staffing_pay.pay_rows(self.db)
        self.posts = [p for p in STAFF.field("cw_post").choices]
        self.posts += [p for p in stored if p not in self.posts]
        self.table.setColumnCount(len(self.posts))
        self.table.setHorizontalHeaderLabels([f"{p}（元/月）" for p in self.posts])
        for c, post in enumerate(self.posts):
            for r in range(MAX_GRADE):
                pay = stored.get(post, {}).get(MAX_GRADE - r)
                item = QTableWidgetItem("" if pay is None else str(pay))
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
            self.table.setColumnWidth(c, self.COLUMN)
        # Every grade and category in view: no scrolling inside an 18-row table.
        width = (self.table.verticalHeader().sizeHint().width() + self.COLUMN * len(self.posts)
                 + 2 * self.table.frameWidth() + 4)
        self.table.setFixedWidth(width)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                    + MAX_GRADE * self.table.verticalHeader().defaultSectionSize()
                                    + 2 * self.table.frameWidth() + 2)
        self.inner.setFixedWidth(max(width + 24, 560))

    def values(self) -> dict[str, dict[int, str]]:
        return {post: {MAX_GRADE - r: self.table.item(r, c).text().strip()
                       for r in range(MAX_GRADE)}
                for c, post in enumerate(self.posts)}

    def save(self) -> None:
        self._write(lambda: staffing_pay.set_pay_table(self.db, self.values()))

    def reset(self) -> None:
        if confirm(self, "恢复默认", "把等级薪酬表恢复为默认值（正职 7–18 级、副职 4–15 级、"
                   "其他 1–12 级）？", "恢复默认"):
            self._write(lambda: staffing_pay.reset_pay_table(self.db))

    def _write(self, fn) -> None:
        if not self.may_edit:
            return
        try:
            changed = fn()
        except ValidationError as exc:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText("；".join(exc.errors.values()))
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self.load()
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText("已保存" if changed else "没有改动")
        if changed:
            self.saved.emit()
