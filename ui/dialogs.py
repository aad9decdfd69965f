"""Small dialogs shared by every page: errors, confirmation, first start, conflicts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError


def show_error(parent: QWidget | None, exc: BaseException, tb: str = "") -> None:
    """A UserError shows its Chinese message; anything else is a bug and says so."""
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, "操作未完成", exc.message)
        return
    from ui import errors  # plain words, the log file and 复制错误信息

    errors.show_error(parent, exc, tb or None)


def fit_screen(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to width × height, no larger than its screen leaves (a taskbar
    included): 1366×768 at 150 % is 911×512, less than a form or the preview asks."""
    from PySide6.QtGui import QGuiApplication

    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 40), min(height, room.height() - 50)
    window.resize(width, height)


def scrolling(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that gives it the width and at least its
    minimum height: what a small screen cannot show scrolls, and the dialog around it
    (its buttons below) stays within the screen instead of growing past it."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.NoFrame)
    area.setWidget(widget)
    return area


def fill_height(widget: QWidget, minimum: int) -> QWidget:
    """`widget` (a table, tabs, a text) in a holder to add to the layout in its place: it
    takes the height its page has spare, and at least `minimum`. In scrolling() a page
    of wrapped labels gets its preferred height, and a table's preferred 192 px scrolled
    the page's own buttons off a small screen; an ignored height with nothing around it
    counted as none there, squeezing the labels."""
    widget.setMinimumHeight(minimum)
    policy = widget.sizePolicy()
    policy.setVerticalPolicy(QSizePolicy.Ignored)
    widget.setSizePolicy(policy)
    holder = QWidget()  # its layout's preferred height is at least the minimum
    lay = QVBoxLayout(holder)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(widget)
    return holder


def confirm(parent: QWidget | None, title: str, text: str, ok: str = "确定") -> bool:
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.NoButton, parent)
    yes = box.addButton(ok, QMessageBox.AcceptRole)
    box.addButton("取消", QMessageBox.RejectRole)
    box.setDefaultButton(yes)
    box.exec()
    return box.clickedButton() is yes


class FirstStartDialog(QDialog):
    """Shown when the database holds no ledger data yet."""

    DEMO, EMPTY = 1, 2

    def __init__(self, describe: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用街道治理台账")
        self.choice = self.EMPTY
        title = QLabel("欢迎使用街道治理台账")
        title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        text = QLabel(
            "当前数据库中还没有台账数据。\n\n"
            "· 载入演示数据：一个示例街道（南城街道）的 9 个职能机构、11 个社区和"
            "权责清单 394 项，便于先熟悉各项功能；之后可在设置中改名或删除。\n"
            "· 从空白开始：先在“设置”中填写街道名称、社区和职能机构，再录入或导入权责清单。"
        )
        text.setWordWrap(True)
        where = QLabel(describe)
        where.setWordWrap(True)
        where.setStyleSheet("color: #666;")
        demo = QPushButton("载入演示数据")
        empty = QPushButton("从空白开始")
        demo.setDefault(True)
        # Bound methods only: a lambda or partial holding `self` in a child's connection
        # makes a cycle that PySide6 6.12 tears down in the wrong order at exit (crash).
        demo.clicked.connect(self._demo)
        empty.clicked.connect(self._empty)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(demo)
        buttons.addWidget(empty)
        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(text)
        lay.addWidget(where)
        lay.addSpacing(8)
        lay.addLayout(buttons)
        self.setMinimumWidth(520)

    def _demo(self) -> None:
        self.choice = self.DEMO
        self.accept()

    def _empty(self) -> None:
        self.choice = self.EMPTY
        self.accept()


class ConflictDialog(QDialog):
    """Someone saved the row while this user edited it: show both values per field."""

    KEEP_MINE, TAKE_THEIRS, EDIT = 1, 2, 3

    def __init__(self, message: str, rows: list[tuple[str, str, str]], parent=None):
        """rows: (field label, your value, their value) for fields that differ."""
        super().__init__(parent)
        self.setWindowTitle("记录已被他人修改")
        self.choice = self.EDIT
        head = QLabel(message)
        head.setWordWrap(True)
        table = QTableWidget(len(rows), 3)
        table.setHorizontalHeaderLabels(["项目", "您填写的值", "他人保存的值"])
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        table.setWordWrap(True)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.setItem(r, c, QTableWidgetItem(value or "（空）"))
        hh = table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.Stretch)
        table.resizeRowsToContents()
        if not rows:
            table.hide()
            head.setText(message + "\n\n双方填写的内容相同。")
        self.table = table
        box = QDialogButtonBox()
        mine = box.addButton("保留我的修改", QDialogButtonBox.AcceptRole)
        theirs = box.addButton("采用他人的值", QDialogButtonBox.DestructiveRole)
        edit = box.addButton("继续编辑", QDialogButtonBox.RejectRole)
        mine.clicked.connect(self._keep_mine)
        theirs.clicked.connect(self._take_theirs)
        edit.clicked.connect(self._edit)
        self.buttons = {self.KEEP_MINE: mine, self.TAKE_THEIRS: theirs, self.EDIT: edit}
        hint = QLabel("保留我的修改：以您填写的内容覆盖他人的修改；采用他人的值：放弃您的修改；"
                      "继续编辑：回到表单，参考他人的值再改。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(table, 1)
        lay.addWidget(hint)
        lay.addWidget(box)
        self.resize(640, 360)

    def _keep_mine(self) -> None:
        self.choice = self.KEEP_MINE
        self.accept()

    def _take_theirs(self) -> None:
        self.choice = self.TAKE_THEIRS
        self.accept()

    def _edit(self) -> None:
        self.choice = self.EDIT
        self.reject()


def choose(parent: QWidget | None, title: str, text: str, items: list[str]) -> str | None:
    """One item from a list, or None when cancelled."""
    from PySide6.QtWidgets import QInputDialog

    item, ok = QInputDialog.getItem(parent, title, text, items, 0, False)
    return item if ok else None


def busy_cursor():
    """Context manager: a wait cursor for short synchronous work."""
    from contextlib import contextmanager

    from PySide6.QtGui import QGuiApplication

    @contextmanager
    def _cm():
        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            yield
        finally:
            QGuiApplication.restoreOverrideCursor()

    return _cm()
