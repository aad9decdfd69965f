"""A dialog whose background work (`self.work`, a ui.import_pages.InlineTask) must not be
cut off: closing it while the work runs asks the work to stop and closes once it has.
Mixed in before QDialog by the import wizard and the paste dialog; `finish()` says how
the dialog closes (rejected, or accepted after a write)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


class ClosesWhenIdle:
    _close_when_idle = False

    @property
    def busy(self) -> bool:
        return self.work.busy

    def finish(self) -> None:
        QDialog.reject(self)

    def reject(self) -> None:
        if self.busy:
            self._close_when_idle = True
            self.work.cancel()
            self._update_buttons()
            return
        self.finish()

    def closeEvent(self, event):  # noqa: N802 - Qt API
        if self.busy:
            event.ignore()
            self.reject()
            return
        QDialog.closeEvent(self, event)

    def _idle(self) -> None:
        self._update_buttons()
        if self._close_when_idle:
            self._close_when_idle = False
            self.reject()
