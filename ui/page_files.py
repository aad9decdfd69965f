"""A ledger page's file actions: export to Excel and PDF, import (the wizard, a file
dropped on the page), paste from Excel/WPS, and the import template. A mixin of
ui.ledger_page.LedgerPage (it uses the page's db, spec, reload, changed and message);
the wizard and the paste dialog load when first used, not at start-up."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from ui import exports


class FileActions:
    def export_xlsx(self) -> None:
        exports.export_view_xlsx(self)

    def export_pdf(self) -> None:
        exports.export_pdf(self)

    def import_file(self) -> None:  # no parameter: QAction.triggered passes `checked`
        self.import_path(None)

    def import_path(self, path: str | None) -> None:
        from ui import import_wizard  # loaded when first used: not at start-up

        if import_wizard.open_import_wizard(self.db, self.spec, self, path):
            self.reload()
            self.changed.emit(self.spec.key)  # other pages go stale (offices may be new)
            self.message.emit(f"已导入{self.spec.title}")

    def paste_rows(self, text: str | None = None) -> None:
        """Rows pasted from Excel/WPS (the clipboard, or `text`): checked, previewed, and
        written as an import once confirmed (ui.paste_dialog)."""
        from ui import paste_dialog

        paste_dialog.paste_rows(self, text)

    def save_template(self) -> None:
        from ui import import_wizard

        import_wizard.save_template(self.db, self.spec, self)

    def dragEnterEvent(self, event):  # noqa: N802 - Qt API
        from ui import import_wizard

        if import_wizard.accepts_drop(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event):  # noqa: N802 - Qt API
        from ui import import_wizard

        path = import_wizard.dropped_path(event.mimeData())
        if path is None:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self._dropped = path
        QTimer.singleShot(0, self, self._import_dropped)  # not inside the drop: Explorer waits

    def _import_dropped(self) -> None:
        path, self._dropped = getattr(self, "_dropped", None), None
        if path:
            self.import_path(path)
