"""What the main window offers around the ledgers: the 账号/管理/设置/帮助 menus (文件 /
编辑 / 视图 come from ui.menus), the signed-in user in the status bar, the admin pages,
and live updates from other clients.

Restarts (switch user, a restored backup, another database) end the window's event
loop with a code that ui.app.run_gui acts on."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from app import auth
from ui.login import ChangePasswordDialog, may, switch_user, user_status_text

RESTART_SIGN_IN = 1001  # signed out / switched user: sign in again, new window
RESTART_DATABASE = 1002  # another database chosen, or a backup restored: reopen


def install(window) -> None:
    """Menus, status bar, admin pages and the change watcher for a MainWindow."""
    db = window.db
    window.user_label = QLabel(user_status_text(db))
    gap = QFrame()  # the database and the user would read as one run of text otherwise
    gap.setFrameShape(QFrame.VLine)
    gap.setFrameShadow(QFrame.Sunken)
    window.statusBar().addPermanentWidget(gap)
    window.statusBar().addPermanentWidget(window.user_label)
    _admin_pages(window)
    _menus(window)
    _live(window)


class LazyPage(QWidget):
    """A navigation entry whose page is built (and its module imported) when first shown,
    so start-up pays only for the ledger on screen."""

    def __init__(self, window, build):
        super().__init__()
        self.window_, self.build, self.page = window, build, None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget:
        if self.page is None:
            self.page = self.build(self.window_)
            self.layout().addWidget(self.page)
            if self.isVisible():  # a child added to a shown widget is not shown by itself
                self.page.show()
        return self.page

    def showEvent(self, event):  # noqa: N802 - Qt API
        self.built()
        super().showEvent(event)


def _audit(window):
    from ui.audit_page import AuditPage

    page = AuditPage(window.db)
    page.message.connect(window.show_message)
    return page


def _recycle(window):
    from ui.recycle_page import RecyclePage

    page = RecyclePage(window.db)
    page.message.connect(window.show_message)
    page.restored.connect(window.reload_ledger)
    return page


def _users(window):
    from ui.users_page import UsersPage

    page = UsersPage(window.db)
    page.message.connect(window.show_message)
    return page


def _admin_pages(window) -> None:
    db = window.db
    window.add_page("操作留痕", LazyPage(window, _audit))
    if may(db, "restore"):
        window.add_page("回收站", LazyPage(window, _recycle))
    if may(db, "users"):
        window.add_page("账号管理", LazyPage(window, _users))


def _action(window, menu, text: str, slot, enabled: bool = True) -> QAction:
    act = QAction(text, window)
    act.triggered.connect(slot)
    act.setEnabled(enabled)
    menu.addAction(act)
    return act


def _menus(window) -> None:
    from ui import menus

    menus.install(window)  # 文件 / 编辑 / 视图 (退出 is in 文件), on the page shown
    db = window.db
    bar = window.menuBar()
    account = bar.addMenu("账号(&Z)")
    signed_in = db.user is not None
    _action(window, account, "修改密码…", window.change_password, signed_in)
    _action(window, account, "切换用户…", window.switch_user, signed_in)
    _action(window, account, "退出登录", window.sign_out, signed_in)
    manage = bar.addMenu("管理(&G)")
    # Bound methods only: a lambda holding the window in a connection crashed PySide6 at exit.
    _action(window, manage, "操作留痕", window.show_audit)
    if may(db, "restore"):
        _action(window, manage, "回收站", window.show_recycle)
    if may(db, "users"):
        _action(window, manage, "账号管理", window.show_users)
    if may(db, "backup"):  # whole-database copies are an administrator's
        _action(window, manage, "备份与恢复…", window.backup_restore)
    settings = bar.addMenu("设置(&S)")
    _action(window, settings, "街道与机构", window.show_settings)
    _action(window, settings, "界面字号…", window.show_display_settings)
    viewer = db.user is not None and db.user.role == "viewer"
    if not getattr(db, "read_only", False) and not viewer:  # viewers choose no database
        _action(window, settings, "数据库设置…", window.database_settings)
    helpm = bar.addMenu("帮助(&H)")
    guide = _action(window, helpm, "使用说明", window.user_guide)
    guide.setShortcut(QKeySequence("F1"))  # from anywhere in the window
    helpm.addSeparator()
    _action(window, helpm, "关于", window.about)


def _live(window) -> None:
    from ui.live import ChangeWatcher, ConnectionBanner

    window.watcher = ChangeWatcher(window.db, parent=window)
    window.banner = ConnectionBanner()
    window.banner.attach(window.watcher)
    holder = QWidget()
    lay = QVBoxLayout(holder)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(0)
    lay.addWidget(window.banner)
    lay.addWidget(window.takeCentralWidget(), 1)
    window.setCentralWidget(holder)
    window.watcher.changed.connect(window.others_changed)
    window.watcher.start()


# -- the actions (bound as MainWindow methods) -----------------------------------------

class SessionActions:
    """Mixed into MainWindow: what the menus do."""

    def show_audit(self) -> None:
        self.show_page("操作留痕")

    def show_recycle(self) -> None:
        self.show_page("回收站")

    def show_users(self) -> None:
        self.show_page("账号管理")

    def show_settings(self) -> None:
        self.show_page("设置")

    def show_display_settings(self) -> None:
        self.show_page("设置")
        self.settings_page.show_display()

    def change_password(self) -> None:
        ChangePasswordDialog(self.db, self).exec()

    def switch_user(self) -> None:
        if switch_user(self.db, self):
            self.restart(RESTART_SIGN_IN)

    def sign_out(self) -> None:
        auth.logout(self.db)
        self.restart(RESTART_SIGN_IN)

    def backup_restore(self) -> None:
        from ui.backup_dialog import BackupDialog

        self.watcher.stop()
        self._restored = False
        dlg = BackupDialog(self.db, self)
        dlg.restored.connect(self._backup_restored)
        dlg.exec()
        dlg.deleteLater()
        if self._restored:
            self.restart(RESTART_DATABASE)
        else:
            self.watcher.start()

    def _backup_restored(self) -> None:
        self._restored = True

    def database_settings(self) -> None:
        from ui.connection_dialog import ConnectionDialog

        self._chosen = None
        dlg = ConnectionDialog(parent=self, overridden_by=self.db_overridden_by)
        dlg.saved.connect(self._database_chosen)
        dlg.exec()
        dlg.deleteLater()
        if self._chosen is not None:
            self.restart(RESTART_DATABASE)

    def _database_chosen(self, settings) -> None:
        self._chosen = settings

    def user_guide(self) -> None:
        from ui.help_dialog import UserGuideDialog

        guide = getattr(self, "guide", None)
        if guide is None:  # one window, kept: it opens where the reader left it
            guide = self.guide = UserGuideDialog(self)
        guide.show()
        guide.raise_()
        guide.activateWindow()

    def about(self) -> None:
        from ui.about import AboutDialog

        AboutDialog(self.db, self).exec()

    def others_changed(self, _counter: int) -> None:
        for page in self.ledger_pages():
            page.refresh_quietly()

    def reload_ledger(self, key: str) -> None:
        for page in self.ledger_pages():
            if page.spec.key == key:
                page.mark_stale()

    def restart(self, code: int) -> None:
        self.restart_code = code
        self.close()
        QApplication.instance().exit(code)
