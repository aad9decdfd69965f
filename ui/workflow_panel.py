"""The status workflow of one row: the current state as a coloured chip, one button per
transition the signed-in role may take from it, and the row's timeline.

Embedded in a ledger's form (ui/form_dialog.py) for specs that declare a workflow; a
transition is its own audited write (app.core.workflow.transition), not part of the
form's save. `transitioned(new_version)` tells the form the row's version moved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.core import workflow
from app.db import Database
from app.errors import ConflictError, UserError
from app.specs import LedgerSpec
from app.specs.workflow import Transition

ERROR_STYLE = "color: #c62828;"
MUTED_STYLE = "color: #666;"
TIMELINE_HEADINGS = ("时间", "操作人", "操作", "由", "到", "理由")


def chip_style(colour: str) -> str:
    """A rounded label in the state's colour, with dark text on light colours."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    text = "#212121" if 0.299 * r + 0.587 * g + 0.114 * b > 160 else "#ffffff"
    return (f"background: {colour}; color: {text}; border-radius: 10px; "
            "padding: 3px 12px; font-weight: bold;")


class ReasonDialog(QDialog):
    """Confirms one transition; asks for its reason (required for 退回 and the like,
    otherwise an optional note). `reason` holds the text once accepted."""

    def __init__(self, t: Transition, current: str, parent=None):
        super().__init__(parent)
        self.transition, self.required = t, t.reason
        self.setWindowTitle(t.label)
        text = QLabel(f"将把状态由“{current}”改为“{t.target}”。")
        text.setWordWrap(True)
        label = QLabel("理由（必填）：" if t.reason else "说明（选填）：")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText("请写明理由，将记入办理经过" if t.reason else "可不填")
        self.reason_edit.setTabChangesFocus(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(t.label, QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.ok_button.clicked.connect(self.submit)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(label)
        lay.addWidget(self.reason_edit, 1)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.reason = ""
        self.resize(420, 240)

    def submit(self) -> None:
        try:
            self.reason = workflow.clean_reason(self.reason_edit.toPlainText(), self.required,
                                                self.transition.label)
        except UserError as exc:
            self.error.setText(exc.message)
            self.error.show()
            self.reason_edit.setFocus()
            return
        self.accept()


class WorkflowPanel(QWidget):
    transitioned = Signal(int)  # the row's new version

    def __init__(self, db: Database, spec: LedgerSpec, row_id: int | None,
                 version: int | None = None, parent=None):
        super().__init__(parent)
        self.db, self.spec, self.row_id, self.version = db, spec, row_id, version
        self.workflow = workflow.workflow_of(spec)
        self.state = self.workflow.initial
        self.chip = QLabel()
        self.chip.setAlignment(Qt.AlignCenter)
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        # Bound methods only (see ui/dialogs.FirstStartDialog): the group says which.
        self.group.idClicked.connect(self._clicked)
        self.note = QLabel()
        self.note.setStyleSheet(MUTED_STYLE)
        self.bar = QHBoxLayout()
        self.bar.addWidget(QLabel(f"{spec.field(self.workflow.field).label}："))
        self.bar.addWidget(self.chip)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.note)
        self.bar.addStretch(1)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.table = QTableWidget(0, len(TIMELINE_HEADINGS))
        self.table.setHorizontalHeaderLabels(TIMELINE_HEADINGS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setWordWrap(True)
        self.table.setFocusPolicy(Qt.NoFocus)  # a history to read, no current cell
        hh = self.table.horizontalHeader()
        for c in range(len(TIMELINE_HEADINGS) - 1):
            hh.setSectionResizeMode(c, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(len(TIMELINE_HEADINGS) - 1, QHeaderView.Stretch)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(self.bar)
        lay.addWidget(self.error)
        lay.addWidget(QLabel("办理经过："))
        lay.addWidget(self.table, 1)
        self.refresh()

    # -- showing -------------------------------------------------------------
    def refresh(self) -> None:
        """Read the row's state, version and timeline again (after a save elsewhere)."""
        steps = []
        if self.row_id is not None:
            try:
                row = services.get_row(self.db, self.spec, self.row_id)
            except ConflictError as exc:  # deleted meanwhile
                self._show_error(exc.message)
                self._set_buttons([])
                return
            self.state, self.version = row[self.workflow.field], row["version"]
            steps = workflow.timeline(self.db, self.spec, self.row_id)
        self._show_state()
        self._fill_timeline(steps)

    def _show_state(self) -> None:
        try:
            colour = self.workflow.state(self.state).colour
        except KeyError:  # a value from before the workflow was declared
            colour = "#9e9e9e"
        self.chip.setText(self.state or "（无状态）")
        self.chip.setStyleSheet(chip_style(colour))
        if self.row_id is None:
            self._set_buttons([])
            self.note.setText("保存后可办理状态流转")
            return
        offered = workflow.available(self.db, self.spec, self.state)
        self._set_buttons(offered)
        if offered:
            self.note.setText("")
        elif self.state in self.workflow.final_states:
            self.note.setText("已办结")
        else:
            self.note.setText("当前状态下没有您可执行的操作")

    def _set_buttons(self, offered: list[Transition]) -> None:
        for b in self.buttons.values():
            self.group.removeButton(b)
            self.bar.removeWidget(b)
            # Out of the layout but still a child until deleteLater runs: hidden, or a
            # panel not yet shown would show it at (0, 0) over the timeline.
            b.hide()
            b.deleteLater()
        self.buttons = {}
        for i, t in enumerate(offered):
            b = QPushButton(t.label)
            b.setToolTip(f"{self.state} → {t.target}" + ("（须填写理由）" if t.reason else ""))
            self.group.addButton(b, i)
            self.bar.addWidget(b)
            self.buttons[t.key] = b
        self._offered = offered

    def _fill_timeline(self, steps) -> None:
        self.table.setRowCount(len(steps))
        for r, st in enumerate(steps):
            texts = (st.at.strftime("%Y-%m-%d %H:%M") if st.at else "", st.who, st.label,
                     st.from_state or "—", st.to_state, st.reason)
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        if steps:
            self.table.scrollToBottom()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -- acting --------------------------------------------------------------
    def _clicked(self, index: int) -> None:
        self.take(self._offered[index].key)

    def ask(self, t: Transition) -> str | None:
        """The reason (or note) for `t`, or None when the person cancels."""
        dlg = ReasonDialog(t, self.state, self)
        try:
            return dlg.reason if dlg.exec() == QDialog.Accepted else None
        finally:
            dlg.deleteLater()

    def take(self, key: str) -> bool:
        """Confirm and make transition `key`; True when it was made."""
        t = self.workflow.transition(key)
        reason = self.ask(t)
        if reason is None:
            return False
        try:
            version = workflow.transition(self.db, self.spec, self.row_id, key, reason=reason,
                                          expected_version=self.version)
        except ConflictError as exc:
            self.refresh()  # show the state as it is now
            self._show_error(exc.message)
            return False
        except UserError as exc:
            self._show_error(exc.message)
            return False
        self._show_error("")
        self.refresh()
        self.version = version
        self.transitioned.emit(version)
        return True
