"""添加议定事项: new decisions of the selected meeting typed as a small table, added by
app.meetings.add_decisions in one unit of work (each one a rectification problem):
nothing is written while any row is wrong, and the message names the row."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout

from app.errors import UserError, ValidationError
from app.specs.meetings import DECISION_ENTRY
from ui.child_editor import ChildTable
from ui.dialogs import fit_screen
from ui.form_dialog import ERROR_STYLE


def items_of(rows: list[dict]) -> list[dict]:
    """The table's rows as add_decisions items (配合单位 split at 、，,；)."""
    out = []
    for r in rows:
        co = [c.strip() for c in re.split(r"[、，,；;]", r.get("co") or "") if c.strip()]
        out.append({**r, "co": co})
    return out


class DecisionsDialog(QDialog):
    def __init__(self, db, meeting_id: int, meeting_name: str, version: int | None,
                 parent=None):
        super().__init__(parent)
        self.db, self.meeting_id, self.version = db, meeting_id, version
        self.added: list[int] = []
        self.setWindowTitle("添加议定事项")
        title = QLabel(f"联席会议：{meeting_name}")
        title.setWordWrap(True)
        title.setStyleSheet("font-weight: bold;")
        self.editor = ChildTable(db, DECISION_ENTRY)
        self.editor.add_row()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("添加并记入整改台账", QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(self.editor, 1)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        fit_screen(self, 980, 420)

    def save(self) -> None:
        from app.meetings import add_decisions

        rows = [r for r in self.editor.values() if (r.get("content") or "").strip()]
        if not rows:
            self._say("请至少填写一项议定事项的事项内容")
            return
        try:
            self.added = add_decisions(self.db, self.meeting_id, items_of(rows),
                                       expected_version=self.version)
        except ValidationError as exc:
            self._say("；".join(exc.errors.values()))
            return
        except UserError as exc:  # the row and field are named; nothing was written
            self._say(exc.message)
            return
        self.accept()

    def _say(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
