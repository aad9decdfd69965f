"""Signing in: the first administrator of a new database, the sign-in dialog and
changing one's own password. The checks themselves (argon2id, lockout, audit)
live in app.auth; these dialogs only collect input and show its Chinese messages.

`sign_in_flow(db, parent)` is what start-up, 退出登录 and 切换用户 call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app import APP_TITLE, auth
from app.db import Database
from app.errors import UserError
from ui.dialogs import busy_cursor
from ui.form_dialog import ERROR_STYLE
from ui.settings import qsettings

POLICY = "密码至少 8 位，须同时包含字母和数字"
NOTE_STYLE = "color: #666;"


def password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    edit.setMaxLength(128)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


def note_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(NOTE_STYLE)
    label.setWordWrap(True)
    return label


def may(db: Database, action: str) -> bool:
    """Whether the GUI offers an action (hides what the role cannot do); the core's
    app.auth.authorize still decides. No account yet = setup mode, everything."""
    if getattr(db, "read_only", False) and action not in ("export", "backup"):
        return False
    return db.user is None or db.user.can(action)


def user_status_text(db: Database) -> str:
    """For the status bar: 当前用户：张三（录入员，白塔社区）."""
    user = db.user
    if user is None:
        return "未登录（初始设置模式）"
    name = user.display_name or user.username
    area = f"，{user.area_name}" if user.area_level == "community" else ""
    return f"当前用户：{name}（{user.role_label}{area}）"


class _FormDialog(QDialog):
    """A small form with a red message line above 确定/取消; `submit` does the work
    and returns normally to close the dialog, or raises UserError to stay open."""

    ok_text = "确定"

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.error = error_label()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.ok_text, QDialogButtonBox.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.layout_ = QVBoxLayout(self)
        self.top = QVBoxLayout()
        self.layout_.addLayout(self.top)
        self.layout_.addLayout(self.form)
        self.layout_.addWidget(self.error)
        self.layout_.addSpacing(4)
        self.layout_.addWidget(self.buttons)
        # Enter is 确定/登录. Set once the button is in the dialog: set before, the dialog
        # did not know its default, and Enter went to the last button Tab passed (取消).
        self.ok_button.setDefault(True)
        self.setMinimumWidth(460)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.fit_height()

    def fit_height(self) -> None:
        """Grow to fit a message that appeared (wrapped labels need height for width)."""
        lay = self.layout()
        lay.activate()
        need = (lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth()
                else self.sizeHint().height())
        if need > self.height():
            self.resize(self.width(), need)

    def _submit(self) -> None:
        self.error.hide()
        try:
            with busy_cursor():  # argon2id takes a noticeable moment on purpose
                self.submit()
        except UserError as exc:
            self.show_error(exc.message)
            self.after_error()
            return
        self.accept()

    def submit(self) -> None:
        raise NotImplementedError

    def after_error(self) -> None:
        pass

    @staticmethod
    def same(first: QLineEdit, second: QLineEdit, what: str = "两次输入的密码") -> str:
        if first.text() != second.text():
            second.clear()
            second.setFocus()
            raise UserError(f"{what}不一致，请重新输入")
        return first.text()


class SignInDialog(_FormDialog):
    """账号 and 密码; a wrong password, a locked or disabled account keeps it open
    with app.auth's message. `user` is the CurrentUser after 登录."""

    ok_text = "登录"

    def __init__(self, db: Database, parent=None, *, title: str = "登录"):
        super().__init__(title, parent)  # Qt adds " — 街道治理台账"
        self.db = db
        self.user: auth.CurrentUser | None = None
        heading = QLabel(APP_TITLE)
        heading.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.top.addWidget(heading)
        self.top.addWidget(note_label(db.describe()))
        self.top.addSpacing(6)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.password = password_edit()
        self.form.addRow("账号", self.username)
        self.form.addRow("密码", self.password)
        last = qsettings().value("login/last_user", "")
        if last:
            self.username.setText(str(last))
            self.password.setFocus()
        else:
            self.username.setFocus()

    def submit(self) -> None:
        if not self.username.text().strip():
            self.username.setFocus()
            raise UserError("请输入账号")
        self.user = auth.login(self.db, self.username.text(), self.password.text())
        qsettings().setValue("login/last_user", self.user.username)

    def after_error(self) -> None:
        self.password.clear()
        self.password.setFocus()


class FirstAdminDialog(_FormDialog):
    """Setup mode: the database has no account yet. Creates its first administrator
    (there is no default password) and signs in as that account."""

    ok_text = "创建并登录"

    def __init__(self, db: Database, parent=None):
        super().__init__("设置管理员账号", parent)
        self.db = db
        self.user: auth.CurrentUser | None = None
        heading = QLabel("设置第一个管理员账号")
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.top.addWidget(heading)
        self.top.addWidget(note_label(
            "这个数据库还没有任何账号。请先为本单位的系统管理员设置账号和密码，"
            "之后由管理员在“账号管理”中为其他工作人员开设账号。\n"
            f"数据库：{db.describe()}"))
        self.top.addSpacing(6)
        self.username = QLineEdit()
        self.username.setMaxLength(32)
        self.username.setPlaceholderText("如 admin 或 张三，2–32 位")
        self.display_name = QLineEdit()
        self.display_name.setMaxLength(64)
        self.display_name.setPlaceholderText("可不填，默认与账号相同")
        self.password = password_edit(POLICY)
        self.password2 = password_edit("再输入一次")
        self.form.addRow("账号", self.username)
        self.form.addRow("显示名", self.display_name)
        self.form.addRow("密码", self.password)
        self.form.addRow("确认密码", self.password2)
        self.form.addRow("", note_label(POLICY + "。请牢记：忘记后只能由其他管理员重置。"))
        self.cancel_button.setText("退出")
        self.username.setFocus()

    def submit(self) -> None:
        password = self.same(self.password, self.password2)
        auth.create_user(self.db, self.username.text(), password, "admin",
                         display_name=self.display_name.text())
        self.user = auth.login(self.db, self.username.text(), password)
        qsettings().setValue("login/last_user", self.user.username)


class ChangePasswordDialog(_FormDialog):
    ok_text = "修改密码"

    def __init__(self, db: Database, parent=None):
        super().__init__("修改密码", parent)
        self.db = db
        if db.user is not None:
            self.top.addWidget(note_label(f"账号：{db.user.username}"))
        self.old = password_edit()
        self.new = password_edit(POLICY)
        self.new2 = password_edit("再输入一次")
        self.form.addRow("原密码", self.old)
        self.form.addRow("新密码", self.new)
        self.form.addRow("确认新密码", self.new2)
        self.old.setFocus()

    def submit(self) -> None:
        new = self.same(self.new, self.new2, "两次输入的新密码")
        if new == self.old.text():
            raise UserError("新密码不能与原密码相同")
        auth.change_own_password(self.db, self.old.text(), new)


def sign_in_flow(db: Database, parent: QWidget | None = None) -> bool:
    """Make sure someone is signed in; False when the user gave up (the app quits).

    No account yet → create the first administrator (there is no way around it: a
    GUI without accounts would let anyone change everything). A database opened
    read-only cannot store an account, so it stays in setup mode and only reads."""
    if db.user is not None:
        return True
    if not auth.has_accounts(db):
        if getattr(db, "read_only", False):
            return True
        dlg = FirstAdminDialog(db, parent)
    else:
        dlg = SignInDialog(db, parent)
    return dlg.exec() == QDialog.Accepted and db.user is not None


def switch_user(db: Database, parent: QWidget | None = None) -> bool:
    """切换用户: sign in as someone else; cancelling keeps the current user."""
    dlg = SignInDialog(db, parent, title="切换用户")
    if db.user is not None:
        dlg.username.clear()
        dlg.username.setFocus()
    return dlg.exec() == QDialog.Accepted
