"""设置 → 可选值: the choice lists an administrator may change (机构类别, 重点人员类别, …),
one list per field; saved through app.choices.set_choices (audited, refused while a
removed value is still used). Others see the lists read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import choices
from app.errors import UserError
from ui.dialogs import show_error
from ui.form_dialog import ERROR_STYLE


class ChoicesPanel(QWidget):
    def __init__(self, db, parent=None):
        super().__init__(parent)
        from ui.login import may

        self.db = db
        self.may_edit = may(db, "settings")
        self.pairs = choices.editable_fields()
        self.fields = QListWidget()
        for spec, f in self.pairs:
            QListWidgetItem(f"{spec.title} · {f.label}", self.fields)
        self.fields.currentRowChanged.connect(self._show)
        self.values = QListWidget()
        self.values.setDragDropMode(QListWidget.InternalMove if self.may_edit
                                    else QListWidget.NoDragDrop)
        self.add_button = QPushButton("添加…")
        self.add_button.clicked.connect(self.add_value)
        self.remove_button = QPushButton("删除所选")
        self.remove_button.clicked.connect(self.remove_selected)
        self.reset_button = QPushButton("恢复默认")
        self.reset_button.clicked.connect(self.reset)
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        note = QLabel("可拖动调整顺序；表格、表单、导入模板和统计都按这里的顺序显示。"
                      if self.may_edit else "只有管理员可以修改可选值。")
        note.setStyleSheet("color: #666;")
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.reset_button):
            buttons.addWidget(b)
            b.setVisible(self.may_edit)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.save_button.setVisible(self.may_edit)
        right = QVBoxLayout()
        right.addWidget(note)
        right.addWidget(self.values, 1)
        right.addLayout(buttons)
        right.addWidget(self.status)
        lay = QHBoxLayout(self)
        lay.addWidget(self.fields, 1)
        lay.addLayout(right, 2)
        if self.pairs:
            self.fields.setCurrentRow(0)
        else:
            self.status.setText("目前没有可修改的选项。")

    def _show(self, row: int) -> None:
        self.values.clear()
        self.status.clear()
        if row < 0:
            return
        _spec, f = self.pairs[row]
        for v in f.choices:
            self.values.addItem(v)

    def current_values(self) -> list[str]:
        return [self.values.item(i).text() for i in range(self.values.count())]

    def add_value(self) -> None:
        text, ok = QInputDialog.getText(self, "添加可选值", "新的可选值：")
        if ok and text.strip():
            self.values.addItem(text.strip())

    def remove_selected(self) -> None:
        for item in self.values.selectedItems():
            self.values.takeItem(self.values.row(item))

    def reset(self) -> None:
        row = self.fields.currentRow()
        if row >= 0:
            self.values.clear()
            for v in choices.default_choices(self.pairs[row][1]):
                self.values.addItem(v)

    def save(self) -> None:
        row = self.fields.currentRow()
        if row < 0 or not self.may_edit:
            return
        spec, f = self.pairs[row]
        try:
            saved = choices.set_choices(self.db, spec, f.name, self.current_values())
        except UserError as exc:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(exc.message)
            return
        except Exception as exc:  # a lost connection: the dialog explains it
            show_error(self, exc)
            return
        self._show(row)
        self.status.setStyleSheet("")
        self.status.setText(f"已保存：{'、'.join(saved)}")
        self.values.setFocus(Qt.OtherFocusReason)
