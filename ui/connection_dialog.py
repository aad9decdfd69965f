"""数据库设置: the embedded SQLite file or a shared PostgreSQL server, with 测试连接.

The choice is kept per PC in QSettings; the PostgreSQL password never is: it goes
to the OS keyring when the user asks to remember it (and a keyring exists),
otherwise it is asked for each time (`ask_password`)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.connection import (
    ConnectionSettings,
    check_connection,
    forget_password,
    load_password,
    store_password,
)
from app.paths import default_db_path
from ui.login import note_label, password_edit
from ui.settings import qsettings
from ui.workers import run_task

OK_STYLE = "color: #2e7d32;"
BAD_STYLE = "color: #c62828;"
KEY = "database/"


def keyring_available() -> bool:
    """Is there an OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)?"""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # noqa: BLE001 - not installed or no usable backend
        return False


def load_connection_settings() -> ConnectionSettings:
    """What this PC last saved (SQLite in the default place when nothing was)."""
    s = qsettings()
    d = ConnectionSettings()
    try:
        port = int(s.value(KEY + "port", d.port))
    except (TypeError, ValueError):
        port = d.port
    out = ConnectionSettings(
        kind="postgresql" if s.value(KEY + "kind", d.kind) == "postgresql" else "sqlite",
        path=str(s.value(KEY + "path", d.path) or ""),
        host=str(s.value(KEY + "host", d.host) or d.host), port=port,
        database=str(s.value(KEY + "name", d.database) or d.database),
        user=str(s.value(KEY + "user", d.user) or d.user))
    if out.kind == "postgresql" and remembers_password():
        out.password = load_password(out)
    return out


def remembers_password() -> bool:
    return str(qsettings().value(KEY + "remember", "false")).lower() == "true"


def save_connection_settings(settings: ConnectionSettings, remember: bool = False) -> bool:
    """Keep the choice for this PC, never the password in the file. With `remember`,
    the password goes to the keyring; returns whether it is remembered."""
    s = qsettings()
    s.setValue(KEY + "kind", settings.kind)
    s.setValue(KEY + "path", settings.path)
    s.setValue(KEY + "host", settings.host)
    s.setValue(KEY + "port", int(settings.port))
    s.setValue(KEY + "name", settings.database)
    s.setValue(KEY + "user", settings.user)
    kept = bool(remember and settings.kind == "postgresql" and settings.password
                and store_password(settings))
    if not kept:
        forget_password(settings)
    s.setValue(KEY + "remember", "true" if kept else "false")
    s.sync()
    return kept


def ask_password(settings: ConnectionSettings, parent: QWidget | None = None) -> bool:
    """PostgreSQL without a remembered password: ask for it; False = cancelled."""
    if settings.kind != "postgresql" or settings.password:
        return True
    text, ok = QInputDialog.getText(
        parent, "连接共享数据库",
        f"请输入数据库用户“{settings.user}”的密码\n（{settings.host}:{settings.port}/"
        f"{settings.database}）", QLineEdit.Password)
    if ok:
        settings.password = text
    return ok


class ConnectionDialog(QDialog):
    saved = Signal(object)  # ConnectionSettings: reopen the database with it

    def __init__(self, settings: ConnectionSettings | None = None, parent=None, *,
                 overridden_by: str = ""):
        super().__init__(parent)
        self.setWindowTitle("数据库设置")
        self.test_task = None
        current = settings or load_connection_settings()
        self.sqlite_radio = QRadioButton("本机数据库（SQLite）")
        self.pg_radio = QRadioButton("共享数据库（PostgreSQL）")
        group = QButtonGroup(self)
        group.addButton(self.sqlite_radio)
        group.addButton(self.pg_radio)

        # SQLite: one file on this PC.
        self.path = QLineEdit(current.path)
        self.path.setPlaceholderText("默认位置")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.sqlite_box = QWidget()
        sq = QFormLayout(self.sqlite_box)
        sq.setContentsMargins(24, 0, 0, 0)
        sq.addRow("数据库文件", row)
        sq.addRow("", note_label(f"默认位置：{default_db_path()}\n"
                                 "适合一台电脑使用。不要把文件放在网络共享文件夹中。"))

        # PostgreSQL: a server on the office network.
        self.host = QLineEdit(current.host)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(int(current.port))
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit(current.database)
        self.user = QLineEdit(current.user)
        self.password = password_edit()
        self.password.setText(current.password)
        self.remember = QCheckBox("记住密码（保存在系统的凭据管理器中）")
        self.pg_box = QWidget()
        pg = QFormLayout(self.pg_box)
        pg.setContentsMargins(24, 0, 0, 0)
        pg.addRow("服务器", self.host)
        pg.addRow("端口", self.port)
        pg.addRow("数据库", self.database)
        pg.addRow("用户名", self.user)
        pg.addRow("密码", self.password)
        if keyring_available():
            self.remember.setChecked(remembers_password())
            pg.addRow("", self.remember)
        else:
            self.remember.setChecked(False)
            self.remember.hide()
            pg.addRow("", note_label("本机没有可用的系统凭据管理器，密码不会保存，"
                                     "每次启动连接时询问。"))
        pg.addRow("", note_label("多台电脑同时使用同一份数据时选择此项，连接信息由信息管理员提供。"))

        self.test_button = QPushButton("测试连接")
        self.test_button.clicked.connect(self.test)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.result, 1)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        if overridden_by:
            lay.addWidget(note_label(f"当前使用的数据库由{overridden_by}指定；"
                                     "这里的设置在不指定时生效。"))
        lay.addWidget(self.sqlite_radio)
        lay.addWidget(self.sqlite_box)
        lay.addSpacing(6)
        lay.addWidget(self.pg_radio)
        lay.addWidget(self.pg_box)
        lay.addSpacing(6)
        lay.addLayout(test_row)
        lay.addStretch(1)
        lay.addWidget(buttons)
        (self.pg_radio if current.kind == "postgresql" else self.sqlite_radio).setChecked(True)
        self.sqlite_radio.toggled.connect(self._kind_changed)
        self._kind_changed()
        self.setMinimumWidth(560)

    def _kind_changed(self, *_args) -> None:
        pg = self.pg_radio.isChecked()
        self.pg_box.setEnabled(pg)
        self.sqlite_box.setEnabled(not pg)
        self.result.clear()

    def settings(self) -> ConnectionSettings:
        if self.sqlite_radio.isChecked():
            return ConnectionSettings(kind="sqlite", path=self.path.text().strip())
        return ConnectionSettings(kind="postgresql", host=self.host.text().strip(),
                                  port=self.port.value(), database=self.database.text().strip(),
                                  user=self.user.text().strip(), password=self.password.text())

    def browse(self) -> None:
        start = self.path.text().strip() or str(default_db_path())
        name, _ = QFileDialog.getSaveFileName(
            self, "选择或新建数据库文件", start, "SQLite 数据库 (*.sqlite3 *.db);;所有文件 (*)",
            options=QFileDialog.DontConfirmOverwrite)
        if name:
            self.path.setText(os.path.normpath(name))

    def show_result(self, ok: bool, message: str) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.result.setText(("✔ " if ok else "✘ ") + message)

    def test(self) -> None:
        settings = self.settings()
        self.test_button.setEnabled(False)
        self.result.setStyleSheet("color: #555;")
        self.result.setText("正在连接…")

        def done(result):
            self.test_button.setEnabled(True)
            self.show_result(*result)

        def failed(exc, _tb):
            self.test_button.setEnabled(True)
            self.show_result(False, f"测试失败：{exc}")

        self.test_task = run_task(self, lambda _t: check_connection(settings),
                                  on_done=done, on_error=failed)

    def save(self) -> None:
        settings = self.settings()
        if settings.kind == "postgresql" and not (settings.host and settings.database
                                                  and settings.user):
            self.show_result(False, "请填写服务器、数据库和用户名")
            return
        save_connection_settings(settings, self.remember.isChecked())
        self.saved.emit(settings)
        self.accept()
