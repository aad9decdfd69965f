"""What a ledger page does to its rows, mixed into ui.ledger_page.LedgerPage: the form
for a new or the current row, a child collection's dialog, and deleting the selected
rows (an administrator may first move what still refers to a row). Each write goes
through the core; afterwards the page reloads, says `changed` and records its undo."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import services
from app.core import undo
from app.core.writes import StillReferenced
from app.errors import UserError
from ui import dialogs
from ui.form_dialog import FormDialog
from ui.login import may


class RowEditing:
    def edit_children(self, name: str) -> None:
        """The child collection `name` of the current row in a dialog of its own."""
        from ui.children_dialog import ChildrenDialog

        ix = self.table.currentIndex()
        if not ix.isValid():
            return
        row_id = self.model.row_id(ix.row())
        label = services.row_label_of(self.db, self.spec, row_id)
        dlg = ChildrenDialog(self.db, self.spec, self.spec.child(name), row_id, label,
                             self.model.row_version(ix.row()), self)
        self.child_dialog = dlg
        dlg.setWindowModality(Qt.WindowModal)
        dlg.finished.connect(self._children_closed)
        dlg.open()

    def _children_closed(self, _result: int) -> None:
        dlg, self.child_dialog = self.child_dialog, None
        if dlg is None:
            return
        if dlg.saved:
            self.reload()
            self.changed.emit(self.spec.key)
            self.message.emit(f"已保存{dlg.child.label}")
        dlg.deleteLater()

    def new_row(self) -> None:
        self._open_form(None)

    def edit_current(self) -> None:
        row_id = self.current_id()
        if row_id is not None:
            self._open_form(row_id)

    def _open_form(self, row_id: int | None) -> None:
        try:
            form = FormDialog(self.db, self.spec, row_id, self)
        except UserError as exc:  # deleted by someone else meanwhile
            dialogs.show_error(self, exc)
            self.reload()
            return
        self.form = form
        form.setWindowModality(Qt.WindowModal)
        form.finished.connect(self._form_closed)
        form.open()

    def _form_closed(self, _result: int) -> None:
        form, self.form = self.form, None  # one modal form at a time
        if form is None:
            return
        if form.saved_id is not None:
            self.reload()
            self.select_id(form.saved_id)
            self.undo.announce({self.spec.key}, form.undo_entry)
            self.message.emit(f"已保存{self.spec.title}记录")
        form.deleteLater()

    def delete_selected(self) -> None:
        if not self.may_write:
            return
        rows = self.selected_rows() or ([self.table.currentIndex().row()]
                                        if self.table.currentIndex().isValid() else [])
        if not rows:
            return
        name_col = next((i for i, f in enumerate(self.fields) if f.name == "name"), 0)
        names = [self.model.cell_text(r, name_col) for r in rows[:3]]
        more = f"等 {len(rows)} 条记录" if len(rows) > 3 else ""
        text = f"确定删除{self.spec.title}中的“{'”、“'.join(names)}”{more}吗？\n删除后不再显示，也不计入报表。"
        if not dialogs.confirm(self, "确认删除", text, "删除"):
            return
        targets = [(self.model.row_id(r), self.model.row_version(r)) for r in rows]
        failed, touched, kept, deleted = [], {self.spec.key}, [], []
        for row_id, version in targets:
            try:
                deleted.append((row_id, services.delete_row(self.db, self.spec, row_id, version)))
            except StillReferenced as exc:
                if not self._reassign_and_delete(row_id, version, exc):
                    failed.append(exc.message)
                    kept.append((row_id, exc))
                else:
                    touched |= {o.key for o, _f, _n in exc.referrers}
            except UserError as exc:
                failed.append(exc.message)
        self.reload()
        if touched == {self.spec.key}:
            self.undo.announce(touched, undo.after_delete(self.db, self.spec, deleted))
        else:  # references moved too: a write undo cannot take back, the history goes
            for key in sorted(touched):
                self.changed.emit(key)
        done = len(targets) - len(failed)
        self.message.emit(f"已删除 {done} 条{self.spec.title}记录")
        if len(kept) == 1 and len(failed) == 1:
            row_id, exc = kept[0]
            other, f, _n = exc.referrers[0]
            label = services.ref_label(self.db, f, row_id)
            if dialogs.confirm(self, "不能删除", exc.message, "查看这些记录"):
                self.show_rows.emit(other.key, f.name, label)  # the main window opens them
        elif failed:
            dialogs.show_error(self, UserError("以下记录未能删除：\n" + "\n".join(failed)))

    def _reassign_and_delete(self, row_id: int, version: int, exc: StillReferenced) -> bool:
        """An administrator may move the references to another row and delete in one step."""
        if not may(self.db, "purge"):  # administrators only
            return False
        label = self.spec.field(self.spec.label_fields[0]).label
        others = [(i, lb) for i, lb in services.ref_choices_of(self.db, self.spec) if i != row_id]
        if not others:
            return False
        name = dialogs.choose(self, "改为引用其他记录后删除",
                              f"{exc.message}\n\n作为管理员，可以把这些引用改为下列{label}后再删除：",
                              [lb for _i, lb in others])
        if name is None:
            return False
        target = dict((lb, i) for i, lb in others)[name]
        try:
            services.delete_row(self.db, self.spec, row_id, version, reassign_to=target)
        except UserError as again:
            dialogs.show_error(self, again)
            return False
        return True
