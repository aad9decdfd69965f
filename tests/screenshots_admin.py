"""The second half of tests/screenshots.py: a signed-in administrator's window with its
menus, 操作留痕, 回收站, 账号管理, the sign-in dialogs, backups, the open lock, database
settings, the connection banner, 关于, the error dialog, every page of the import
wizard, and a viewer's powers page. Run through tests/screenshots.py."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

# A copy of ../shared/samples/powers_two_row_header.xlsx, so the tests need nothing outside the repo.
SAMPLE = Path(__file__).resolve().parent / "data" / "powers_two_row_header.xlsx"
PW = "Admin1234"
SIZE = (1366, 768)  # the main window's; tests/screenshots.py --size/--scale sets it


class Shooter:
    """Shows a widget, lets Qt lay it out and paint, and saves its grab as OUT/NAME.png.
    Keeps the top-level widgets it made so they are closed and deleted before exit."""

    def __init__(self, app, out: Path):
        self.app, self.out = app, out
        self.shots: list[Path] = []
        self.made: list = []

    def settle(self) -> None:
        for _ in range(3):
            self.app.processEvents()

    def keep(self, widget):
        self.made.append(widget)
        return widget

    def shot(self, widget, name: str, pixmap=None) -> None:
        widget.show()
        self.settle()
        path = self.out / f"{name}.png"
        (pixmap or widget.grab()).save(str(path))
        self.shots.append(path)

    def wait(self, done, seconds: float = 15.0) -> bool:
        """Run the event loop until done() or the deadline (workers report by signal)."""
        from PySide6.QtCore import QEventLoop

        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:
            self.app.processEvents(QEventLoop.AllEvents, 50)
            time.sleep(0.01)
        self.settle()
        return done()

    def dispose(self, widget) -> None:
        widget.close()
        widget.deleteLater()
        if widget in self.made:
            self.made.remove(widget)

    def dispose_all(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        for widget in reversed(self.made[:]):
            self.dispose(widget)
        self.settle()
        QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        self.settle()


def window(s: Shooter, db):
    from ui.main_window import MainWindow

    win = s.keep(MainWindow(db))
    win.resize(*SIZE)
    return win


def with_menu(s: Shooter, win, title: str):
    """The window's grab with its menu `title` (管理(&G)) painted open under the title."""
    from PySide6.QtGui import QPainter

    bar = win.menuBar()
    action = next(a for a in bar.actions() if a.text() == title)
    menu = action.menu()
    menu.popup(bar.mapToGlobal(bar.actionGeometry(action).bottomLeft()))
    s.settle()
    pix = win.grab()
    painter = QPainter(pix)
    painter.drawPixmap(win.mapFromGlobal(menu.pos()), menu.grab())
    painter.end()
    menu.hide()
    return pix


def render_admin(s: Shooter, db, tmp: Path) -> None:
    """Shots 14–: `db` holds the demo data and no account yet."""
    from app import auth, services
    from app.specs.powers import POWERS
    from ui.users_page import area_choices

    auth.create_user(db, "admin", PW, "admin", display_name="王管理")
    auth.login(db, "admin", PW)
    win = window(s, db)
    s.shot(win, "14_main_signed_in")
    s.shot(win, "15_menu_manage", with_menu(s, win, "管理(&G)"))

    for n in (3, 4):  # two deleted power items for the recycle bin and the audit trail
        row = services.get_row(db, POWERS, services.list_rows(db, POWERS).ids[n])
        services.delete_row(db, POWERS, row["id"], row["version"])
    baita = next(i for i, label in area_choices(db) if label.endswith("白塔社区"))
    auth.create_user(db, "baita", PW, "editor", baita, "白塔录入")
    auth.create_user(db, "lizhi", PW, "editor", display_name="已调离人员")
    auth.set_disabled(db, "lizhi")  # shown greyed on the accounts page
    win.others_changed(0)  # what the change watcher does a moment later
    for title, name in (("操作留痕", "16_audit"), ("回收站", "17_recycle"),
                        ("账号管理", "18_users")):
        win.show_page(title)  # a LazyPage: built now, on first show
        s.settle()
        s.shot(win, name)
    win.show_page("权责清单")
    win.banner.show_lost("")
    s.shot(win, "19_connection_banner")
    win.banner.hide()

    dialogs(s, db, tmp)
    import_wizard(s, db, tmp)

    auth.create_user(db, "chakan", PW, "viewer", display_name="赵查看")
    auth.login(db, "chakan", PW)
    s.dispose(win)
    viewer = window(s, db)
    s.shot(viewer, "35_viewer_powers")
    page = viewer.powers
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.edit_current()
    s.shot(page.form, "36_viewer_form")
    page.form.reject()
    page.edit_children("case_counts")
    s.shot(page.child_dialog, "37_viewer_case_counts")
    page.child_dialog.reject()
    viewer.show_page("设置")
    s.shot(viewer, "38_viewer_street_settings")


def dialogs(s: Shooter, db, tmp: Path) -> None:
    from app import auth, backup
    from app.db import Database
    from app.lock import Holder
    from app.logs import log_file
    from app.models import now
    from ui import login
    from ui.about import AboutDialog
    from ui.backup_dialog import BackupDialog
    from ui.connection_dialog import ConnectionDialog, ConnectionSettings
    from ui.errors import ErrorDialog, traceback_text
    from ui.lock_prompt import LockDialog
    from ui.users_page import EditUserDialog, NewUserDialog

    empty = Database("sqlite:///" + (tmp / "accounts.sqlite3").as_posix())
    dlg = s.keep(login.FirstAdminDialog(empty))
    s.shot(dlg, "20_first_admin")
    s.dispose(dlg)
    empty.close()

    me = db.user
    auth.logout(db)
    dlg = s.keep(login.SignInDialog(db))
    dlg.username.setText("admin")
    dlg.password.setText("wrong-pass1")
    dlg.ok_button.click()
    s.shot(dlg, "21_sign_in_wrong_password")
    s.dispose(dlg)
    auth.login(db, "admin", PW)  # a success clears the failure count
    assert db.user.username == me.username

    for make, name in ((login.ChangePasswordDialog, "22_change_password"),
                       (NewUserDialog, "23_new_user")):
        dlg = s.keep(make(db))
        s.shot(dlg, name)
        s.dispose(dlg)
    baita = next(u for u in auth.list_users(db) if u["username"] == "baita")
    dlg = s.keep(EditUserDialog(db, baita))
    s.shot(dlg, "23b_edit_user")
    s.dispose(dlg)

    backup.auto_backup(db)
    backup.backup_to(db, backup.backup_dir(db))
    dlg = s.keep(BackupDialog(db))
    s.shot(dlg, "24_backup")
    s.dispose(dlg)

    holders = [Holder("办公室电脑2", 4242, "李四", now())]
    dlg = s.keep(LockDialog(holders, db.describe()))
    s.shot(dlg, "25_open_lock")
    s.dispose(dlg)

    dlg = s.keep(ConnectionDialog(ConnectionSettings(
        kind="postgresql", host="127.0.0.1", port=1, database="streetledger", user="street")))
    dlg.show()
    dlg.test_button.click()
    s.wait(lambda: dlg.result.text() not in ("", "正在连接…"))
    s.shot(dlg, "26_connection_pg_failed")
    s.dispose(dlg)

    dlg = s.keep(AboutDialog(db))
    s.shot(dlg, "27_about")
    s.dispose(dlg)

    from ui.help_dialog import UserGuideDialog

    dlg = s.keep(UserGuideDialog())
    dlg.show()
    s.settle()
    s.shot(dlg, "27b_user_guide")
    dlg.find_edit.setText("看不清时可以选")  # the font-size section, with its picture
    dlg.find_next()
    s.shot(dlg, "27c_user_guide_pictures")
    s.dispose(dlg)

    try:
        {}["powers"]["name"]
    except KeyError as exc:
        error = exc
    dlg = s.keep(ErrorDialog(error, traceback_text(error), log_file()))
    s.shot(dlg, "28_error")
    dlg.toggle_details()
    s.shot(dlg, "29_error_details")
    s.dispose(dlg)


def import_wizard(s: Shooter, db, tmp: Path) -> None:
    from app.specs.powers import POWERS
    from ui.import_wizard import ImportWizard

    if not SAMPLE.exists():
        print(f"缺少样例文件 {SAMPLE}，跳过导入向导")
        return
    sample = Path(shutil.copy(SAMPLE, tmp / SAMPLE.name))
    w = s.keep(ImportWizard(db, POWERS))
    w.file_page.path_edit.setText(str(sample))
    s.shot(w, "30_import_file")
    step(s, w)
    s.shot(w, "31_import_sheet")
    step(s, w)
    mp = w.mapping_page
    kind = mp.value_widgets["list_kind"]
    kind.setCurrentIndex(kind.findData("下放行政权力"))
    s.shot(w, "32_import_mapping")
    w.stack.currentWidget().ensureWidgetVisible(mp.values_box)  # scrolled, on a small screen
    s.shot(w, "32b_import_values")
    step(s, w)  # the unknown names refused: rejected rows
    s.shot(w, "33b_import_check_rejected")
    w.back_button.click()
    mp.create_missing.setChecked(True)
    step(s, w)
    s.shot(w, "33_import_check")
    step(s, w)
    s.shot(w, "34_import_summary")
    s.dispose(w)


def step(s: Shooter, w) -> None:
    """下一步, then wait for the wizard's worker."""
    w.next_button.click()
    s.wait(lambda: not w.busy, 60)
