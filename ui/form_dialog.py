"""Add/edit form generated from a ledger spec's form fields.

Saving goes through app.core.undo.save_row (app.services.save_row that also says how to
undo it: the page's Ctrl+Z). Validation messages appear in red
under the field they concern and the dialog stays open; a version conflict
shows "your value / their value" per field and lets the user decide."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app import services
from app.connection import explain, is_connection_error
from app.core import undo
from app.core.children import read_children
from app.db import Database
from app.errors import ConflictError, UserError, ValidationError
from app.specs import LedgerSpec
from ui.child_editor import ChildTable
from ui.dialogs import ConflictDialog, fit_screen, scrolling, show_error
from ui.field_widgets import Editor, make_editor

ERROR_STYLE = "color: #c62828;"
NOTE_STYLE = "color: #b26a00;"


class FormDialog(QDialog):
    """`saved_id` is set when the dialog closes with a saved (or reloaded) row."""

    def __init__(self, db: Database, spec: LedgerSpec, row_id: int | None = None,
                 parent=None, *, ref_choices: dict[str, list[tuple[int, str]]] | None = None):
        super().__init__(parent)
        self.db, self.spec, self.row_id = db, spec, row_id
        self.version: int | None = None
        self.saved_id: int | None = None
        self.undo_entry = None  # app.core.undo.Undoable of the save, for the page's Ctrl+Z
        self.warned: dict[str, str] = {}  # the warnings shown: saving again accepts them
        from ui.login import may  # ui.login imports this module

        # Viewers (and a database opened read-only) see the row, with nothing to save.
        self.read_only = not may(db, "update" if row_id is not None else "create")
        verb = "查看" if self.read_only else ("编辑" if row_id else "新增")
        self.setWindowTitle(f"{verb}{spec.title}")
        refs = ref_choices if ref_choices is not None else {}
        self.editors: dict[str, Editor] = {}
        self.errors: dict[str, QLabel] = {}

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        self.strips: dict = {}  # attachment fields: thumbnails, added below the fields
        for f in spec.editor_fields:
            if f.type.editor == "attachments":
                continue
            choices = refs.get(f.name)
            if f.type.is_ref and choices is None:
                choices = services.ref_choices(db, f)
            ed = make_editor(f, choices, None if self.read_only else self._reveal)
            self.editors[f.name] = ed
            err = QLabel()
            err.setWordWrap(True)
            err.setStyleSheet(ERROR_STYLE)
            err.hide()
            self.errors[f.name] = err
            cell = QWidget()
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            box.addWidget(ed.widget)
            box.addWidget(err)
            star = ' <span style="color:#c62828">*</span>' if f.required else ""
            label = QLabel(f"{f.label}{star}")
            label.setBuddy(ed.focus)
            form.addRow(label, cell)

        inner = QWidget()
        column = QVBoxLayout(inner)
        self.workflow = None
        if spec.workflow is not None:  # the status and its buttons above the fields
            from ui.workflow_panel import WorkflowPanel

            self.workflow = WorkflowPanel(db, spec, row_id)
            self.workflow.transitioned.connect(self._moved)
            column.addWidget(self.workflow)
        column.addLayout(form)
        self.children: dict[str, ChildTable] = {}
        for child in spec.children:  # 办件量, posts, a progress log: edited with the row
            table = self.children[child.name] = ChildTable(db, child)
            err = self.errors[child.name] = QLabel()
            err.setWordWrap(True)
            err.setStyleSheet(ERROR_STYLE)
            err.hide()
            heading = QLabel(child.label)
            heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
            column.addWidget(heading)
            column.addWidget(table)
            column.addWidget(err)
        for f in spec.editor_fields:
            if f.type.editor == "attachments":
                from ui.attachment_editor import AttachmentStrip

                strip = self.strips[f.name] = AttachmentStrip(db, spec, row_id, f.name,
                                                              self.read_only)
                strip.changed.connect(self._moved)
                heading = QLabel(f.label)
                heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
                column.addWidget(heading)
                column.addWidget(strip)
        column.addStretch(1)  # spare height goes below the form, not between its rows
        scroll = scrolling(inner)

        required = QLabel('带 <span style="color:#c62828">*</span> 的为必填项')
        required.setStyleSheet("color: #666;")
        self.general = QLabel()  # problems not tied to one field
        self.general.setWordWrap(True)
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.save_button.setToolTip("保存（Ctrl+S）")
        buttons.addButton("关闭" if self.read_only else "取消", QDialogButtonBox.RejectRole)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        if self.read_only:
            self.save_button.hide()
            required.hide()
            for ed in self.editors.values():
                ed.set_read_only()
            for table in self.children.values():
                table.set_read_only()
        else:
            QShortcut(QKeySequence.Save, self, activated=self.save)
            QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.save)

        lay = QVBoxLayout(self)
        lay.addWidget(scroll, 1)
        lay.addWidget(required)
        lay.addWidget(self.general)
        lay.addWidget(buttons)
        # Enter in a field saves. Set once the button is in the dialog: set before, the
        # dialog did not know it and made the first button after the focus its default
        # (添加办件量 — Enter added a row to the child table).
        self.save_button.setDefault(True)
        fit_screen(self, 680 if self.children else 640, min(720, inner.sizeHint().height() + 110))

        if row_id is not None:
            self.load(services.get_row(db, spec, row_id))
            self._share_version(self.version)
            for name, table in self.children.items():
                table.set_rows(read_children(db, spec, row_id, name))
                if self.read_only:
                    table.set_read_only()
        else:
            for f in spec.editor_fields:
                if f.default is not None and f.name in self.editors:
                    self.editors[f.name].set_value(f.default)
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.focus.setFocus()

    def _reveal(self) -> bool:
        """The user asked to see a masked value whole: allowed and audited by the core."""
        if self.row_id is None:
            return True  # a new row: nothing stored to reveal
        try:
            services.reveal_sensitive(self.db, self.spec, [self.row_id])
        except UserError as exc:
            show_error(self, exc)
            return False
        return True

    def _moved(self, version: int) -> None:
        """A transition or an attachment moved the row's version: the form saves against
        it, and the page shows the row anew when the form closes."""
        self.saved_id = self.row_id
        self._share_version(version)

    def _share_version(self, version: int | None) -> None:
        self.version = version
        if self.workflow is not None:
            # Only the version: the panel reads its own state (a second refresh() of a
            # panel not yet shown left its first buttons drawn over the timeline).
            self.workflow.version = version
        for strip in self.strips.values():
            strip.version = version

    # -- values -------------------------------------------------------------
    def load(self, values: dict) -> None:
        for name, ed in self.editors.items():
            value = values.get(name)
            if ed.field.type.is_ref and value is not None and not ed.has_choice(value):
                ed.add_choice(value, services.ref_label(self.db, ed.field, value))
            ed.set_value(value)
        self.version = values.get("version")

    def raw_values(self) -> dict:
        raw = {name: ed.value() for name, ed in self.editors.items()}
        raw.update({name: table.values() for name, table in self.children.items()})
        return raw

    # -- messages -----------------------------------------------------------
    def clear_messages(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()
        self.general.hide()

    def show_errors(self, errors: dict[str, str]) -> None:
        self.clear_messages()
        loose = []
        for name, msg in errors.items():
            label = self.errors.get(name)
            if label is None:
                loose.append(msg)
                continue
            label.setStyleSheet(ERROR_STYLE)
            label.setText(msg)
            label.show()
        if loose:
            self.general.setStyleSheet(ERROR_STYLE)
            self.general.setText("；".join(loose))
            self.general.show()
        for name in self.editors:
            if name in errors:
                self.editors[name].focus.setFocus()
                break

    def _show_theirs(self, diffs: list[tuple[str, str, str]]) -> None:
        self.clear_messages()
        for name, _mine, theirs in diffs:
            label = self.errors[name]
            label.setStyleSheet(NOTE_STYLE)
            label.setText(f"他人已改为：{theirs or '（空）'}")
            label.show()

    # -- saving -------------------------------------------------------------
    def save(self) -> None:
        self._save(self.version)

    def _save(self, expected_version: int | None) -> None:
        if self.read_only:
            return
        raw = self.raw_values()
        if self._warn(raw):
            return
        try:
            self.saved_id, self.version, self.undo_entry = undo.save_row(
                self.db, self.spec, raw, self.row_id, expected_version)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        except ConflictError as exc:
            self._conflict(exc)
            return
        except UserError as exc:
            show_error(self, exc)
            return
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            # The server went away: keep the dialog and everything typed in it.
            show_error(self, UserError(f"{explain(exc)}，未能保存。\n\n您填写的内容仍保留在此窗口中，"
                                       "连接恢复后请再点“保存”。"))
            return
        self.accept()

    def _warn(self, raw: dict) -> bool:
        """The spec's warnings, shown once under their fields (orange) before saving: a
        second 保存 with the same warnings saves."""
        try:
            warnings = services.row_warnings(self.db, self.spec, raw)
        except Exception as exc:
            if not is_connection_error(exc):
                raise
            return False  # the save below words the lost connection
        if not warnings or warnings == self.warned:
            return False
        self.warned = warnings
        self.clear_messages()
        for name, msg in warnings.items():
            label = self.errors.get(name)
            if label is not None:
                label.setStyleSheet(NOTE_STYLE)
                label.setText(f"提醒：{msg}")
                label.show()
        self.general.setStyleSheet(NOTE_STYLE)
        self.general.setText("以上为提醒，不影响保存；核对无误请再点“保存”。")
        self.general.show()
        return True

    def diffs(self, theirs: dict) -> list[tuple[str, str, str, str]]:
        """(field, label, your value, their value) for every field that differs."""
        out = []
        for name, ed in self.editors.items():
            mine, other = ed.display_text().strip(), ed.display_of(theirs.get(name)).strip()
            if mine != other:
                out.append((name, ed.field.label, mine, other))
        return out

    def _conflict(self, exc: ConflictError) -> None:
        theirs, version = exc.theirs, exc.version
        if theirs is None and self.row_id is not None:
            try:  # a conflict found at commit time carries no values: read them now
                theirs = services.get_row(self.db, self.spec, self.row_id)
                version = theirs["version"]
            except ConflictError:
                theirs = None
        if theirs is None:
            show_error(self, UserError(f"{exc.message}\n\n该记录已被删除，您的修改无法保存。"))
            self.reject()
            return
        diffs = self.diffs(theirs)
        self.conflict_dialog = dlg = ConflictDialog(exc.message, [d[1:] for d in diffs], self)
        dlg.exec()
        self.conflict_dialog = None
        if dlg.choice == ConflictDialog.KEEP_MINE:
            self._save(version)
        elif dlg.choice == ConflictDialog.TAKE_THEIRS:
            self.saved_id = self.row_id
            self.accept()
        else:  # keep editing against the new version, their values shown under the fields
            self.version = version
            self._show_theirs([(d[0], d[2], d[3]) for d in diffs])
