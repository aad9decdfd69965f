"""The GUI offers only what the signed-in role may do, and the ledger page reaches import."""

from __future__ import annotations

from app import auth
from tests.admin_helpers import PW
from tests.conftest import make_window


def test_viewer_sees_no_write_actions(qtbot, admin_db):
    auth.create_user(admin_db, "viewer", PW, "viewer")
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    window = make_window(qtbot, admin_db)
    page = window.powers
    assert not page.act_new.isVisible() and not page.act_delete.isVisible()
    assert not page.act_import.isVisible() and not page.acceptDrops()
    assert page.act_xlsx.isVisible()  # viewers may export
    page.table.setCurrentIndex(page.model.index(0, 0))
    assert page.act_edit.text() == "查看"
    assert "账号管理" not in [t for t, _p in window.pages]
    assert "回收站" not in [t for t, _p in window.pages]
    assert "查看员" in window.user_label.text()


def test_admin_gets_import_and_admin_pages(qtbot, admin_db, monkeypatch):
    window = make_window(qtbot, admin_db)
    page = window.powers
    assert page.act_new.isVisible() and page.act_import.isVisible() and page.acceptDrops()
    assert {"操作留痕", "回收站", "账号管理"} <= {t for t, _p in window.pages}
    from ui import import_wizard

    opened = []
    monkeypatch.setattr(import_wizard, "open_import_wizard",
                        lambda db, spec, parent, path=None: opened.append(spec.key) or False)
    page.act_import.trigger()
    assert opened == ["powers"]
    window.show_page("账号管理")  # built on first view
    qtbot.waitUntil(lambda: window.stack.currentWidget().page is not None)


def test_viewer_gets_read_only_forms_case_counts_and_street(qtbot, admin_db, tmp_path):
    auth.create_user(admin_db, "viewer", PW, "viewer")
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    window = make_window(qtbot, admin_db)
    page = window.powers
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.edit_current()
    form = page.form
    assert form.windowTitle() == "查看权责清单" and form.read_only
    assert not form.save_button.isVisible()
    assert form.editors["name"].widget.isReadOnly()
    form.grab().save(str(tmp_path / "viewer-form.png"))
    form.reject()
    page.edit_children("case_counts")
    dlg = page.child_dialog
    assert dlg.read_only and not dlg.add_button.isVisible() and not dlg.save_button.isVisible()
    dlg.reject()
    street = window.settings_page.street_form
    assert street.street.isReadOnly() and not street.save_button.isVisible()
    assert "只有管理员" in street.status.text()
