"""A ledger page's 编辑 actions: 撤销 (Ctrl+Z) and 粘贴 (Ctrl+V). The main window's menu
may list them: `page.act_undo`, `page.act_paste`.

撤销 undoes the user's saves made on that page in this session, newest first, one a press
(app.core.undo does the writing and keeps the history; here are the action, its texts
and the status bar). The page records what its form saves and its deletes return
and announces them through `announce`; any other write of the page (`changed` sent
otherwise) forgets the history, so Ctrl+Z never reaches past a later change to an older
save.

粘贴 takes a block copied from Excel/WPS through the import pipeline (ui.paste_dialog,
loaded when first used)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from app.core import undo
from app.errors import UserError
from ui import dialogs

PASTE_TIP = ("把从 Excel/WPS 复制的单元格粘贴为本台账的记录（Ctrl+V）：先检查并预览，"
             "确认后才写入；关键字段相同的更新，其余新增")
IDLE_TIP = "没有可撤销的保存（Ctrl+Z 依次撤销在本页最近的保存、新增或删除）"


class PageUndo(QObject):
    def __init__(self, page):
        super().__init__(page)
        self.page = page
        self.history = undo.UndoStack()
        self._own = False  # the page is announcing a change it records
        self.action = QAction("撤销", page)
        self.action.setShortcut(QKeySequence.Undo)
        self.action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
        self.action.triggered.connect(self.run)
        page.addAction(self.action)
        page.changed.connect(self.forget)
        self._show()

    @property
    def entry(self) -> undo.Undoable | None:
        """What Ctrl+Z undoes next."""
        return self.history.top

    def announce(self, keys, entry: undo.Undoable | None = None) -> None:
        """`changed` for each ledger key of a write the page can undo (a save, a delete,
        an undo), keeping the history, then `entry` (None: nothing new to undo) on top."""
        self._own = True
        try:
            for key in sorted(keys):
                self.page.changed.emit(key)
        finally:
            self._own = False
        self.record(entry)

    def record(self, entry: undo.Undoable | None) -> None:
        """The page's latest save (None: it changed nothing)."""
        if entry is not None:
            self.history.push(entry)
            self._show()

    def forget(self, *_args) -> None:
        if not self._own:
            self.history.clear()
            self._show()

    def _show(self) -> None:
        entry, more = self.entry, len(self.history.entries) - 1
        self.action.setEnabled(entry is not None)
        self.action.setText(entry.text if entry else "撤销")
        tip = f"{entry.tip}（Ctrl+Z" + (f"；之前还有 {more} 步可撤销）" if more > 0 else "）") \
            if entry else IDLE_TIP
        self.action.setToolTip(tip)
        self.action.setStatusTip(tip)

    def run(self) -> None:
        entry, page = self.entry, self.page
        if entry is None:
            page.message.emit("没有可撤销的保存")
            return
        try:
            done = self.history.undo(page.db)
        except UserError as exc:
            self._show()
            dialogs.show_error(page, exc)
            page.message.emit(f"未能撤销{entry.what}")
            return
        self._show()
        page.reload()
        if entry.kind != "create":  # the row is back or as it was: show it
            page.select_id(entry.rows[0][0])
        self.announce(done.changes.ledgers or {page.spec.key})
        page.message.emit(f"已撤销{entry.what}（已记入操作留痕）")


def paste_action(page) -> QAction:
    """粘贴 on `page` (Ctrl+V while the table has the keyboard; a line edit keeps its own).
    Offered to every role: a viewer is told why nothing is pasted."""
    act = QAction("粘贴", page)
    act.setShortcut(QKeySequence.Paste)
    act.setShortcutContext(Qt.WidgetWithChildrenShortcut)
    act.setToolTip(PASTE_TIP)
    act.setStatusTip(PASTE_TIP)
    act.triggered.connect(page.paste_rows)
    page.addAction(act)
    return act
