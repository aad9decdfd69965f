"""Accounts, roles, area scoping and the audit trail, enforced below the GUI."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, text

from app import auth
from app.audit import entries
from app.db import Database
from app.errors import ConflictError, PermissionDenied, UserError, ValidationError
from app.models import AuditEntry
from app.powers import set_case_counts
from app.services import (
    delete_row,
    deleted_rows,
    get_row,
    list_rows,
    purge_row,
    restore_row,
    save_row,
)
from app.specs.powers import POWERS
from app.specs.settings import BODIES, COMMUNITIES

PW = "Passw0rd!"
ITEM = {"list_kind": "法定权力事项", "power_type": "公共服务", "name": "测试事项",
        "status": "运行中"}


def community_id(db, name="白塔社区"):
    rows = list_rows(db, COMMUNITIES)
    return rows.ids[rows.column("name").index(name)]


@pytest.fixture
def accounts(demo_db):
    """admin (street), editor (street), viewer (street), a community editor."""
    auth.create_user(demo_db, "admin", PW, "admin")
    auth.login(demo_db, "admin", PW)
    auth.create_user(demo_db, "editor", PW, "录入员")
    auth.create_user(demo_db, "viewer", PW, "viewer")
    auth.create_user(demo_db, "community", PW, "editor", area_id=community_id(demo_db))
    auth.logout(demo_db)
    return demo_db


def test_first_account_must_be_admin(demo_db):
    with pytest.raises(UserError):
        auth.create_user(demo_db, "alice", PW, "editor")
    auth.create_user(demo_db, "alice", PW, "admin")
    # Setup mode is over: nobody signed in may write or create accounts.
    with pytest.raises(PermissionDenied):
        save_row(demo_db, POWERS, ITEM)
    with pytest.raises(PermissionDenied):
        auth.create_user(demo_db, "bob", PW, "editor")


def test_password_policy_and_hash(demo_db):
    with pytest.raises(ValidationError):
        auth.create_user(demo_db, "admin", "short1", "admin")
    auth.create_user(demo_db, "admin", PW, "admin")
    with demo_db.session() as s:
        stored = s.execute(text("SELECT password_hash FROM app_user")).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PW not in stored


def test_viewer_cannot_write_through_any_service(accounts):
    db = accounts
    auth.login(db, "viewer", PW)
    row = get_row(db, POWERS, list_rows(db, POWERS).ids[0])  # reading is fine
    attempts = [
        lambda: save_row(db, POWERS, ITEM),
        lambda: save_row(db, POWERS, {**row, "remarks": "x"}, row["id"], row["version"]),
        lambda: delete_row(db, POWERS, row["id"], row["version"]),
        lambda: set_case_counts(db, row["id"], {2024: 1}, row["version"]),
        lambda: save_row(db, BODIES, {"name": "新机构"}),
        lambda: auth.create_user(db, "x1", PW, "viewer"),
        lambda: auth.reset_password(db, "editor", "Another1x"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert get_row(db, POWERS, row["id"])["version"] == row["version"]


def test_editor_writes_in_area_but_cannot_purge(accounts):
    db = accounts
    auth.login(db, "editor", PW)
    row_id, version = save_row(db, POWERS, ITEM)
    delete_row(db, POWERS, row_id, version)  # soft delete is allowed
    with pytest.raises(PermissionDenied):
        purge_row(db, POWERS, row_id)
    restore_row(db, POWERS, row_id)
    assert row_id in list_rows(db, POWERS).ids


def test_community_editor_sees_and_touches_only_its_subtree(accounts):
    db = accounts
    street_row = list_rows(db, POWERS).ids[0]
    auth.login(db, "community", PW)
    assert list_rows(db, POWERS).ids == []  # street-level rows are outside its area
    with pytest.raises(PermissionDenied):
        save_row(db, POWERS, ITEM)  # would create a street-level row
    with pytest.raises(ConflictError):  # as if it did not exist
        get_row(db, POWERS, street_row)


def test_lockout_survives_restart(accounts, db_url):
    for _ in range(4):
        with pytest.raises(UserError):
            auth.login(accounts, "editor", "wrong-password1")
    with pytest.raises(UserError) as err:
        auth.login(accounts, "editor", "wrong-password1")
    assert "锁定" in err.value.message
    reopened = Database(db_url)  # a new process would see the same
    with pytest.raises(UserError) as err:
        auth.login(reopened, "editor", PW)  # right password, still locked
    assert "锁定" in err.value.message
    assert auth.is_locked(reopened, "editor")
    reopened.close()


def test_disabled_account_cannot_sign_in(accounts):
    auth.login(accounts, "admin", PW)
    auth.set_disabled(accounts, "viewer")
    auth.logout(accounts)
    with pytest.raises(UserError) as err:
        auth.login(accounts, "viewer", PW)
    assert "停用" in err.value.message


def test_every_kind_of_change_is_audited(accounts):
    db = accounts
    auth.login(db, "admin", PW)
    row_id, v = save_row(db, POWERS, ITEM)
    row_id, v = save_row(db, POWERS, {**ITEM, "remarks": "改"}, row_id, v)
    v = set_case_counts(db, row_id, {2025: 3}, v)
    delete_row(db, POWERS, row_id, v)
    restore_row(db, POWERS, row_id)
    v = get_row(db, POWERS, row_id)["version"]
    delete_row(db, POWERS, row_id, v)
    purge_row(db, POWERS, row_id)
    mine = [e for e in entries(db) if e.row_id == row_id and e.ledger == "powers"]
    assert [e.action for e in reversed(mine)] == [
        "create", "update", "update", "delete", "restore", "delete", "purge"]
    updates = [e for e in mine if e.action == "update"]  # newest first
    assert json.loads(updates[0].changes)["case_counts"] == ["", "2025年3件"]
    first_update = updates[-1]
    assert json.loads(first_update.changes) == {"remarks": ["", "改"]}
    assert all(e.username == "admin" for e in mine)
    actions = {e.action for e in entries(db)}
    assert {"login", "user"} <= actions


def test_failed_sign_in_is_audited(accounts):
    with pytest.raises(UserError):
        auth.login(accounts, "viewer", "nope-nope1")
    last = entries(accounts, limit=1)[0]
    assert (last.action, last.username) == ("login_failed", "viewer")


def test_audit_entries_cannot_be_edited_or_deleted(accounts):
    from sqlalchemy.exc import DBAPIError

    for sql in ("UPDATE audit_log SET username='x'", "DELETE FROM audit_log"):
        with accounts.session() as s, pytest.raises(DBAPIError):
            s.execute(text(sql))
            s.commit()


def test_editor_sees_only_own_audit_entries(accounts):
    auth.login(accounts, "editor", PW)
    save_row(accounts, POWERS, ITEM)
    assert {e.username for e in entries(accounts)} == {"editor"}


def test_recycle_bin_lists_who_and_when(accounts):
    auth.login(accounts, "editor", PW)
    row = get_row(accounts, POWERS, list_rows(accounts, POWERS).ids[0])
    delete_row(accounts, POWERS, row["id"], row["version"])
    binned = deleted_rows(accounts, POWERS)
    assert binned[0]["id"] == row["id"] and binned[0]["deleted_by"] == "editor"
    assert row["name"] in binned[0]["label"]


def test_no_password_or_hash_in_audit(accounts):
    auth.login(accounts, "admin", PW)
    auth.reset_password(accounts, "viewer", "Newpass123")
    with accounts.session() as s:
        texts = [f"{e.summary} {e.changes}" for e in s.execute(select(AuditEntry)).scalars()]
    assert not any(PW in t or "Newpass123" in t or "$argon2" in t for t in texts)


def test_no_password_or_hash_in_the_log_or_exports(accounts, tmp_path):
    from app.logs import log_file, setup_logging
    from reports.export_all import export_all

    setup_logging()
    with pytest.raises(UserError):
        auth.login(accounts, "viewer", "Wrong-pass1")
    auth.login(accounts, "admin", PW)
    auth.reset_password(accounts, "viewer", "Newpass123")
    out = tmp_path / "all.xlsx"
    export_all(accounts, out)
    import logging
    import zipfile

    for h in logging.getLogger().handlers + logging.getLogger("streetledger").handlers:
        h.flush()
    log_text = log_file().read_text(encoding="utf-8")
    with zipfile.ZipFile(out) as z:
        xlsx_text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert "admin" in log_text  # sign-ins are logged, without their passwords
    for written in (log_text, xlsx_text):
        assert PW not in written and "Newpass123" not in written and "Wrong-pass1" not in written
        assert "$argon2" not in written
