"""One child collection of one row in a dialog of its own (办件量 from the powers page,
Ctrl+K): the same table as in the form, saved with app.core.children.save_children."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from app.core.children import read_children, save_children
from app.db import Database
from app.errors import ConflictError, UserError, ValidationError
from app.specs import Children, LedgerSpec
from ui.child_editor import ChildTable
from ui.dialogs import show_error
from ui.form_dialog import ERROR_STYLE


class ChildrenDialog(QDialog):
    def __init__(self, db: Database, spec: LedgerSpec, child: Children, row_id: int,
                 row_name: str, version: int | None, parent=None):
        super().__init__(parent)
        from ui.login import may

        self.db, self.spec, self.child = db, spec, child
        self.row_id, self.version = row_id, version
        self.saved = False
        self.read_only = not may(db, "update")  # viewers see the rows, change nothing
        self.setWindowTitle(f"查看{child.label}" if self.read_only else child.label)
        title = QLabel(f"{spec.title}：{row_name}")
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: bold;")
        self.editor = ChildTable(db, child)
        self.editor.set_rows(read_children(db, spec, row_id, child.name))
        self.table = self.editor.table
        self.add_button, self.remove_button = self.editor.add_button, self.editor.remove_button
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        buttons.addButton("关闭" if self.read_only else "取消", QDialogButtonBox.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        if self.read_only:
            self.save_button.hide()
            self.editor.set_read_only()
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.editor, 1)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.resize(460, 400)

    def add_row(self, *values) -> None:
        self.editor.add_row(*values)

    def values(self) -> list[dict]:
        return self.editor.values()

    def save(self) -> None:
        if self.read_only:
            return
        try:
            self.version = save_children(self.db, self.spec, self.row_id, self.child.name,
                                         self.values(), self.version)
        except ConflictError as exc:
            show_error(self, UserError(f"{exc.message}\n\n请关闭后重新打开{self.child.label}再修改。"))
            return
        except ValidationError as exc:
            self.error.setText("；".join(exc.errors.values()))
            self.error.show()
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self.saved = True
        self.accept()
