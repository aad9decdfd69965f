"""At start: is this SQLite file already open elsewhere, and does it sit on a network
share? app.lock keeps a record of who has the file open (stale records of dead
processes on this PC are cleared there); here the user chooses what to do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from app import lock
from app.db import Database

READ_ONLY, OPEN, QUIT = "read_only", "open", "quit"


class LockDialog(QDialog):
    """Names who has the file open and offers 只读打开 / 仍然打开 / 退出."""

    def __init__(self, holders: list[lock.Holder], where: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("数据库正在被使用")
        self.choice = QUIT
        names = "\n".join(f"· {h.describe()}" for h in holders)
        head = QLabel("以下用户正在使用这个数据库：")
        head.setStyleSheet("font-weight: bold;")
        who = QLabel(names)
        who.setWordWrap(True)
        text = QLabel(
            "两处同时修改同一个数据库文件可能造成数据冲突。建议选择“只读打开”查看，"
            "等对方关闭程序后再修改；多人需要同时录入时，请改用“共享数据库（PostgreSQL）”。"
            "\n\n如果对方的电脑已经关机或程序已经异常退出，可以选择“仍然打开”。")
        text.setWordWrap(True)
        path = QLabel(where)
        path.setWordWrap(True)
        path.setStyleSheet("color: #666;")
        self.buttons = {
            READ_ONLY: QPushButton("只读打开"),
            OPEN: QPushButton("仍然打开（可能造成数据冲突）"),
            QUIT: QPushButton("退出"),
        }
        self.buttons[OPEN].setStyleSheet("color: #a33a1f;")
        self.buttons[READ_ONLY].setDefault(True)
        # Bound methods, not lambdas: PySide6 6.12 crashed at exit on lambda connections.
        self.buttons[READ_ONLY].clicked.connect(self._read_only)
        self.buttons[OPEN].clicked.connect(self._open)
        self.buttons[QUIT].clicked.connect(self._quit)
        row = QVBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(who)
        lay.addWidget(path)
        lay.addSpacing(6)
        lay.addWidget(text)
        lay.addSpacing(6)
        lay.addLayout(row)
        self.setMinimumWidth(520)

    def _read_only(self) -> None:
        self._choose(READ_ONLY)

    def _open(self) -> None:
        self._choose(OPEN)

    def _quit(self) -> None:
        self._choose(QUIT)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:  # Esc or the window's close button: leave, safely
        self.choice = QUIT
        super().reject()


def share_warning(parent: QWidget | None) -> None:
    QMessageBox.warning(parent, "数据库位于网络共享文件夹", lock.SHARE_WARNING + "。")


def check_open_lock(db_path: Path | str | None, db: Database,
                    parent: QWidget | None = None) -> str:
    """"read_only", "open" or "quit". Warns first when the file is on a network share.

    The caller then opens read-only (Database(url, read_only=True)) or takes the
    lock (app.lock.acquire) — or quits. PostgreSQL needs none of this: "open"."""
    if db.backend != "sqlite" or not db_path:
        return OPEN
    if lock.on_network_share(Path(db_path)):
        share_warning(parent)
    holders = lock.holders(db)
    if not holders:
        return OPEN
    dlg = LockDialog(holders, db.describe(), parent)
    dlg.exec()
    return dlg.choice
