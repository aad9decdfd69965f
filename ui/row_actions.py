"""Actions a ledger page offers on its selected row beyond the generic ones, by spec key:
the meetings page's 添加议定事项 (a dialog that writes through app.meetings)."""

from __future__ import annotations


def _decisions(page) -> None:
    from PySide6.QtCore import Qt

    from app import services
    from ui.decisions_dialog import DecisionsDialog

    ix = page.table.currentIndex()
    if not ix.isValid():
        return
    row_id = page.model.row_id(ix.row())
    dlg = DecisionsDialog(page.db, row_id, services.row_label_of(page.db, page.spec, row_id),
                          page.model.row_version(ix.row()), page)
    page.child_dialog = dlg

    def closed(_result: int) -> None:
        page.child_dialog = None
        if dlg.added:  # the meeting's counts moved; the rectification page goes stale
            page.reload()
            page.select_id(row_id)
            page.changed.emit(page.spec.key)
            page.changed.emit("rectification")
            page.message.emit(f"已添加议定事项 {len(dlg.added)} 项，已记入整改台账")
        dlg.deleteLater()

    dlg.setWindowModality(Qt.WindowModal)
    dlg.finished.connect(closed)
    dlg.open()


# spec key → [(label, slot(page), tip)]
ROW_ACTIONS = {
    "meetings": [("添加议定事项", _decisions,
                  "为选中的会议添加议定事项，每项记入整改台账跟踪落实")],
}
