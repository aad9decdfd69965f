"""账号管理 (administrators): the accounts of this database, creating an account with
its role and home area, editing them, disabling/enabling it and resetting its password. Every
action goes through app.auth, which checks the administrator and writes the audit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app import auth, services
from app.accounts import edit_user
from app.db import Database
from app.errors import UserError
from app.specs.settings import COMMUNITIES
from ui.dialogs import confirm, show_error
from ui.login import POLICY, _FormDialog, note_label, password_edit

COLUMNS = ("账号", "显示名", "角色", "所属区域", "状态", "最近登录")
STATUS_COLORS = {"停用": "#9e9e9e", "锁定": "#c62828", "正常": "#2e7d32"}
ROLE_HINTS = {
    "admin": "管理员：全部功能，包括账号管理、彻底删除和数据恢复",
    "verifier": "审核员：录入员的全部权限，另可验收、退回和销号整改问题（本人提交的除外）",
    "editor": "录入员：在所属区域内新增、修改、删除（可从回收站恢复）记录",
    "viewer": "查看员：只能查看、打印和导出",
}


def area_choices(db: Database) -> list[tuple[int, str]]:
    """(area id, label): the street itself, then each of its communities."""
    rows = services.list_rows(db, COMMUNITIES, (COMMUNITIES.field("name"),))
    street = db.street_name()
    return [(db.street_id, f"{street}（全街道）")] + [
        (i, f"{street} / {r[0]}") for i, r in zip(rows.ids, rows.rows, strict=True)]


def status_of(user: dict) -> str:
    if user["disabled"]:
        return "停用"
    return "锁定" if user["locked"] else "正常"


class NewUserDialog(_FormDialog):
    ok_text = "创建账号"

    def __init__(self, db: Database, parent=None):
        super().__init__("新建账号", parent)
        self.db = db
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.username.setPlaceholderText("登录用，2–32 位汉字、字母或数字")
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(64)
        self.display_name.setPlaceholderText("姓名，可不填")
        self.role = QComboBox()
        for code, label in auth.ROLES.items():
            self.role.addItem(label, code)
        self.role.setCurrentIndex(self.role.findData("editor"))
        self.role_hint = note_label("")
        self.role.currentIndexChanged.connect(self._role_changed)
        self.area = QComboBox()
        for area_id, label in area_choices(db):
            self.area.addItem(label, area_id)
        self.password = password_edit(POLICY)
        self.password2 = password_edit("再输入一次")
        self.form.addRow("账号", self.username)
        self.form.addRow("显示名", self.display_name)
        self.form.addRow("角色", self.role)
        self.form.addRow("", self.role_hint)
        self.form.addRow("所属区域", self.area)
        self.form.addRow("", note_label("只能查看和修改所属区域内的记录"))
        self.form.addRow("初始密码", self.password)
        self.form.addRow("确认密码", self.password2)
        self.form.addRow("", note_label("请把初始密码当面告知本人，并提醒其登录后修改密码"))
        self._role_changed()
        self.created: str | None = None
        self.setMinimumWidth(480)

    def _role_changed(self, *_args) -> None:
        self.role_hint.setText(ROLE_HINTS[self.role.currentData()])

    def submit(self) -> None:
        password = self.same(self.password, self.password2)
        auth.create_user(self.db, self.username.text(), password, self.role.currentData(),
                         self.area.currentData(), self.display_name.text())
        self.created = self.username.text().strip()


class EditUserDialog(_FormDialog):
    """显示名, 角色 and 所属区域 of an existing account (app.accounts.edit_user)."""

    ok_text = "保存修改"

    def __init__(self, db: Database, user: dict, parent=None):
        super().__init__("修改账号", parent)
        self.db, self.username = db, user["username"]
        self.form.addRow("账号", QLabel(user["username"]))
        self.display_name = QLineEdit(user["display_name"])
        self.display_name.setMaxLength(64)
        self.display_name.setPlaceholderText("姓名，可不填")
        self.role = QComboBox()
        for code, label in auth.ROLES.items():
            self.role.addItem(label, code)
        self.role.setCurrentIndex(self.role.findData(user["role_code"]))
        self.role_hint = note_label("")
        self.role.currentIndexChanged.connect(self._role_changed)
        self.area = QComboBox()
        for area_id, label in area_choices(db):
            self.area.addItem(label, area_id)
        if self.area.findData(user["area_id"]) < 0:  # e.g. a district account
            self.area.insertItem(0, user["area"], user["area_id"])
        self.area.setCurrentIndex(self.area.findData(user["area_id"]))
        self.form.addRow("显示名", self.display_name)
        self.form.addRow("角色", self.role)
        self.form.addRow("", self.role_hint)
        self.form.addRow("所属区域", self.area)
        self.form.addRow("", note_label("新的角色和区域在该账号下次登录时生效；修改记入操作留痕"))
        self._role_changed()
        self.changes: dict = {}
        self.setMinimumWidth(480)

    def _role_changed(self, *_args) -> None:
        self.role_hint.setText(ROLE_HINTS[self.role.currentData()])

    def submit(self) -> None:
        self.changes = edit_user(self.db, self.username, role=self.role.currentData(),
                                 area_id=self.area.currentData(),
                                 display_name=self.display_name.text())


class ResetPasswordDialog(_FormDialog):
    ok_text = "重置密码"

    def __init__(self, db: Database, username: str, parent=None):
        super().__init__("重置密码", parent)
        self.db, self.username = db, username
        self.top.addWidget(QLabel(f"为账号“{username}”设置新密码，同时解除锁定。"))
        self.password = password_edit(POLICY)
        self.password2 = password_edit("再输入一次")
        self.form.addRow("新密码", self.password)
        self.form.addRow("确认密码", self.password2)

    def submit(self) -> None:
        auth.reset_password(self.db, self.username, self.same(self.password, self.password2))


class UsersPage(QWidget):
    message = Signal(str)  # for the status bar

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.users: list[dict] = []
        self.new_button = QPushButton("新建账号")
        self.edit_button = QPushButton("修改账号…")
        self.toggle_button = QPushButton("停用")
        self.reset_button = QPushButton("重置密码")
        self.reload_button = QPushButton("刷新")
        self.new_button.clicked.connect(self.new_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.toggle_button.clicked.connect(self.toggle_disabled)
        self.reset_button.clicked.connect(self.reset_password)
        self.reload_button.clicked.connect(self.reload)
        bar = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.toggle_button, self.reset_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.reload_button)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignLeft | Qt.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._double_clicked)
        self.note = note_label("")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        title = QLabel("账号管理")
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        lay.addWidget(title)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.note)
        self.reload()

    def reload(self) -> None:
        keep = self.current_username()
        try:
            self.users = auth.list_users(self.db)
        except UserError as exc:  # not an administrator: the page says so, nothing more
            self.users = []
            self.note.setText(exc.message)
            for b in (self.new_button, self.edit_button, self.toggle_button, self.reset_button):
                b.setEnabled(False)
            self.table.setRowCount(0)
            return
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            status = status_of(u)
            last = u["last_login_at"]
            cells = (u["username"], u["display_name"], u["role"], u["area"], status,
                     last.strftime("%Y-%m-%d %H:%M") if last else "从未登录")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 4 or u["disabled"]:  # a disabled account reads grey all along
                    item.setForeground(QColor(STATUS_COLORS[status]))
                if u["disabled"]:
                    item.setToolTip("该账号已停用，不能登录")
                self.table.setItem(r, c, item)
        self.note.setText(f"共 {len(self.users)} 个账号。锁定：密码连续输错 {auth.MAX_FAILURES} 次后"
                          "锁定 5 分钟，到时自动解除，重置密码也可立即解除。")
        self.new_button.setEnabled(True)
        self.table.resizeColumnsToContents()
        for c in range(len(COLUMNS) - 1):  # breathing room between columns
            self.table.setColumnWidth(c, self.table.columnWidth(c) + 24)
        if keep:
            self.select_username(keep)
        self._update_buttons()

    def current_username(self) -> str | None:
        r = self.table.currentRow()
        if 0 <= r < len(self.users) and self.table.selectionModel().hasSelection():
            return self.users[r]["username"]
        return None

    def select_username(self, username: str) -> bool:
        for r, u in enumerate(self.users):
            if u["username"] == username:
                self.table.selectRow(r)
                return True
        return False

    def _update_buttons(self) -> None:
        name = self.current_username()
        user = next((u for u in self.users if u["username"] == name), None)
        self.toggle_button.setEnabled(user is not None)
        self.edit_button.setEnabled(user is not None)
        self.reset_button.setEnabled(user is not None)
        self.toggle_button.setText("启用" if user and user["disabled"] else "停用")

    def new_user(self) -> None:
        try:
            dlg = NewUserDialog(self.db, self)
        except UserError as exc:
            show_error(self, exc)
            return
        if dlg.exec() and dlg.created:
            self.reload()
            self.select_username(dlg.created)
            self.message.emit(f"已新建账号“{dlg.created}”")

    def toggle_disabled(self) -> None:
        name = self.current_username()
        user = next((u for u in self.users if u["username"] == name), None)
        if user is None:
            return
        disable = not user["disabled"]
        if disable and not confirm(self, "停用账号",
                                   f"停用后“{name}”将不能登录，其录入的记录和留痕都保留。确定停用吗？",
                                   "停用"):
            return
        try:
            auth.set_disabled(self.db, name, disable)
        except UserError as exc:
            show_error(self, exc)
            return
        self.reload()
        self.message.emit(f"已{'停用' if disable else '启用'}账号“{name}”")

    def _double_clicked(self, _index) -> None:
        self.edit_user()  # as a row opens its form elsewhere; 重置密码 stays a button

    def edit_user(self) -> None:
        name = self.current_username()
        user = next((u for u in self.users if u["username"] == name), None)
        if user is None:
            return
        try:
            dlg = EditUserDialog(self.db, user, self)
        except UserError as exc:
            show_error(self, exc)
            return
        if dlg.exec() and dlg.changes:
            self.reload()
            words = "、".join(dlg.changes)
            self.message.emit(f"已修改账号“{name}”的{words}")

    def reset_password(self) -> None:
        name = self.current_username()
        if name is None:
            return
        if ResetPasswordDialog(self.db, name, self).exec():
            self.reload()
            self.message.emit(f"已重置账号“{name}”的密码")
