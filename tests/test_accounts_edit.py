"""Editing an account (app.accounts): role, home area and display name, by an
administrator only, audited with a diff; the last active administrator stays one."""

from __future__ import annotations

import json

import pytest

from app import auth
from app.accounts import edit_user, keep_an_administrator
from app.audit import entries
from app.errors import PermissionDenied, UserError, ValidationError
from app.models import User
from tests.test_auth import PW, accounts, community_id  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("accounts")


def _user(db, name):
    return next(u for u in auth.list_users(db) if u["username"] == name)


def test_admin_changes_role_area_and_name_with_an_audited_diff(accounts):  # noqa: F811
    db = accounts
    auth.login(db, "admin", PW)
    changes = edit_user(db, "editor", role="viewer", area_id=community_id(db),
                        display_name=" 张三 ")
    assert changes == {"角色": ("录入员", "查看员"), "所属区域": ("南城街道", "白塔社区"),
                       "显示名": ("editor", "张三")}
    u = _user(db, "editor")
    assert (u["role"], u["area"], u["display_name"]) == ("查看员", "白塔社区", "张三")
    entry = entries(db, action="user", limit=1)[0]
    assert entry.summary == "修改账号 editor：角色 录入员→查看员；所属区域 南城街道→白塔社区；显示名 editor→张三"
    assert json.loads(entry.changes)["角色"] == ["录入员", "查看员"]
    auth.logout(db)
    me = auth.login(db, "editor", PW)  # the new role and area apply at the next sign-in
    assert (me.role, me.area_name, me.display_name) == ("viewer", "白塔社区", "张三")


def test_an_edit_that_changes_nothing_writes_nothing(accounts):  # noqa: F811
    db = accounts
    auth.login(db, "admin", PW)
    before = len(entries(db))
    assert edit_user(db, "editor", role="录入员", display_name="editor") == {}
    assert len(entries(db)) == before


def test_only_an_administrator_edits_and_never_their_own_role(accounts):  # noqa: F811
    db = accounts
    auth.login(db, "editor", PW)
    with pytest.raises(PermissionDenied):
        edit_user(db, "viewer", display_name="改名")
    auth.logout(db)
    auth.login(db, "admin", PW)
    with pytest.raises(PermissionDenied, match="自己正在使用的账号"):
        edit_user(db, "admin", role="editor")
    assert edit_user(db, "admin", display_name="王管理") == {"显示名": ("admin", "王管理")}
    assert db.user.display_name == "王管理"
    with pytest.raises(PermissionDenied, match="无权管理"):  # another admin at one's own level
        edit_user(db, "editor", role="admin")
    with pytest.raises(ValidationError, match="角色须为"):
        edit_user(db, "editor", role="boss")
    with pytest.raises(UserError, match="不存在"):
        edit_user(db, "nobody", role="viewer")
    assert _user(db, "editor")["role"] == "录入员"


def test_a_community_administrator_cannot_move_an_account_to_the_street(accounts):  # noqa: F811
    db = accounts
    auth.login(db, "admin", PW)
    auth.create_user(db, "baita_admin", PW, "admin", area_id=community_id(db))
    auth.logout(db)
    auth.login(db, "baita_admin", PW)
    with pytest.raises(PermissionDenied):
        edit_user(db, "community", area_id=db.street_id)
    assert _user(db, "community")["area"] == "白塔社区"


def test_the_last_active_administrator_cannot_be_disabled_or_demoted(accounts):  # noqa: F811
    db = accounts
    with db.session() as s:
        admin = s.query(User).filter_by(username="admin").one()
        with pytest.raises(UserError, match="最后一个在用的管理员"):
            keep_an_administrator(admin, "停用")
        editor = s.query(User).filter_by(username="editor").one()
        keep_an_administrator(editor, "停用")  # not an administrator: nothing to keep
    auth.login(db, "admin", PW)
    auth.create_user(db, "second", PW, "admin", area_id=community_id(db))
    with db.session() as s:
        keep_an_administrator(s.query(User).filter_by(username="admin").one(), "停用")
