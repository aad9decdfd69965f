"""回收站: rows deleted from any ledger, with who deleted them and when. 恢复 brings
them back (editors and administrators, within their area); 彻底删除 removes them
for good and is offered to administrators only (the core refuses everyone else)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app import services
from app.db import Database
from app.errors import UserError
from app.specs import all_specs, get_spec
from ui.dialogs import confirm, show_error
from ui.login import may
from ui.text_table import TextTableModel, text_table_view

HEADINGS = ("台账", "记录", "删除人", "删除时间")


class RecyclePage(QWidget):
    restored = Signal(str)  # spec key of a ledger that got rows back: reload its page
    message = Signal(str)  # for the status bar

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.items: list[dict] = []
        self.restore_button = QPushButton("恢复")
        self.restore_button.setToolTip("把选中的记录恢复到原来的台账中")
        self.purge_button = QPushButton("彻底删除")
        self.purge_button.setToolTip("从数据库中永久删除选中的记录，不能恢复（仅管理员）")
        self.purge_button.setVisible(may(db, "purge"))
        self.reload_button = QPushButton("刷新")
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button.clicked.connect(self.purge_selected)
        self.reload_button.clicked.connect(self.reload)
        self.restore_button.setVisible(may(db, "restore"))
        bar = QHBoxLayout()
        bar.addWidget(self.restore_button)
        bar.addWidget(self.purge_button)
        bar.addStretch(1)
        bar.addWidget(self.reload_button)

        self.model = TextTableModel(HEADINGS, self)
        self.table = text_table_view(self.model, (8, 36, 8, 10))
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._double_clicked)
        title = QLabel("回收站")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.count = QLabel()
        self.count.setStyleSheet("color: #555;")
        head = QHBoxLayout()
        head.addWidget(title)
        head.addStretch(1)
        head.addWidget(self.count)
        note = QLabel("删除的记录不再出现在台账和报表中，在这里可以恢复。")
        note.setStyleSheet("color: #666;")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.addLayout(head)
        lay.addWidget(note)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        self.reload()

    def reload(self, *_args) -> None:
        items = []
        for spec in all_specs():
            items += services.deleted_rows(self.db, spec)
        items.sort(key=lambda d: d["deleted_at"], reverse=True)
        self.items = items
        self.model.set_rows([
            (d["title"], d["label"], d["deleted_by"] or "",
             d["deleted_at"].strftime("%Y-%m-%d %H:%M") if d["deleted_at"] else "")
            for d in items])
        self.count.setText(f"共 {len(items)} 条")
        self._update_buttons()

    def selected(self) -> list[dict]:
        rows = sorted({ix.row() for ix in self.table.selectionModel().selectedRows()})
        return [self.items[r] for r in rows if r < len(self.items)]

    def _update_buttons(self, *_args) -> None:
        has = bool(self.selected())
        self.restore_button.setEnabled(has)
        self.purge_button.setEnabled(has)

    def _apply(self, fn, verb: str) -> set[str]:
        """Run fn on each selected row; returns the ledgers that changed."""
        chosen = self.selected()
        done, failed, keys = 0, [], set()
        for d in chosen:
            try:
                fn(self.db, get_spec(d["ledger"]), d["id"], d["version"])
            except UserError as exc:
                failed.append(f"{d['title']}“{d['label']}”：{exc.message}")
                continue
            done += 1
            keys.add(d["ledger"])
        self.reload()
        self.message.emit(f"已{verb} {done} 条记录")
        if failed:
            show_error(self, UserError(f"以下记录未能{verb}：\n" + "\n".join(failed)))
        return keys

    def _double_clicked(self, _index) -> None:
        self.restore_selected()

    def restore_selected(self) -> None:
        if self.restore_button.isVisible() and self.selected():
            for key in sorted(self._apply(services.restore_row, "恢复")):
                self.restored.emit(key)

    def purge_selected(self) -> None:
        chosen = self.selected()
        if not chosen or not may(self.db, "purge"):
            return
        names = "、".join(f"“{d['label']}”" for d in chosen[:3])
        more = f"等 {len(chosen)} 条记录" if len(chosen) > 3 else ""
        if not confirm(self, "彻底删除",
                       f"确定彻底删除{names}{more}吗？\n彻底删除后无法恢复（操作留痕会保留删除记录）。",
                       "彻底删除"):
            return
        self._apply(services.purge_row, "彻底删除")
