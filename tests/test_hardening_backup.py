"""Issue 18, restore and backups (findings 6–10) and issue 9's whole-database copies:
each test performs the attack or fault and checks the refusal, its words and that the
live data and the good backups are untouched."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import auth, backup
from app.db import Database
from app.errors import PermissionDenied, UserError
from app.models import PowerItem, User

ROOT = Path(__file__).resolve().parent.parent
PW = "Passw0rd!"


def counts(db) -> tuple[int, int]:
    with db.session() as s:
        return (s.execute(select(func.count()).select_from(PowerItem)).scalar_one(),
                s.execute(select(func.count()).select_from(User)).scalar_one())


@pytest.fixture
def signed(sqlite_demo_db):
    db = sqlite_demo_db
    auth.create_user(db, "admin", PW, "admin")
    auth.login(db, "admin", PW)
    auth.create_user(db, "viewer1", PW, "viewer")
    return db


def tamper(path: Path, *sql: str) -> None:
    conn = sqlite3.connect(path)
    for stmt in sql:
        conn.execute(stmt)
    conn.commit()
    conn.close()


@pytest.mark.parametrize("sql, named", [
    (["DROP TRIGGER audit_log_no_delete"], "audit_log_no_delete"),
    (["CREATE TRIGGER promote AFTER INSERT ON audit_log BEGIN "
      "UPDATE app_user SET role='admin' WHERE username='viewer1'; "
      "DELETE FROM audit_log WHERE username='viewer1'; END"], "promote"),
    (["CREATE VIEW hashes AS SELECT username, password_hash FROM app_user"], "hashes"),
    (["CREATE INDEX ix_extra ON app_user (password_hash)"], "ix_extra"),
    (["DROP INDEX ix_audit_log_at", "CREATE INDEX ix_audit_log_at ON audit_log (username)"],
     "ix_audit_log_at"),
])
def test_a_booby_trapped_backup_is_refused_by_name(signed, tmp_path, sql, named):
    """Finding 6: only the schema the migrations create is restored."""
    db = signed
    trapped = backup.backup_to(db, tmp_path / "trapped.sqlite3")
    tamper(trapped, *sql)
    before = counts(db)
    with pytest.raises(UserError) as err:
        backup.restore_from(db, trapped)
    assert named in err.value.message and "不能恢复" in err.value.message
    assert counts(db) == before and db.user is not None  # nothing replaced
    with db.session() as s:
        assert s.execute(select(User.role).where(User.username == "viewer1")).scalar() == "viewer"


def test_audit_protection_is_recreated_after_migrate(sqlite_url):
    from app.schema_check import ensure_audit_protection

    db = Database(sqlite_url)
    tamper(Path(sqlite_url.removeprefix("sqlite:///")), "DROP TRIGGER audit_log_no_update")
    ensure_audit_protection(db.engine)
    with db.engine.connect() as conn:
        names = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"audit_log_no_update", "audit_log_no_delete"} <= names
    db.close()


@pytest.mark.parametrize("name", ["月报#最新.sqlite3", "a?mode=rw.sqlite3", "百分%41号.sqlite3"])
def test_the_file_checked_is_the_file_restored(signed, tmp_path, name):
    """Finding 7: # ? % in a path are quoted, so a decoy named by the prefix is not read."""
    db = signed
    good = backup.backup_to(db, tmp_path / name)
    decoy = tmp_path / name.split("#")[0].split("?")[0].split("%")[0]
    decoy.write_bytes(b"not the backup")
    # The live data moves on after the backup (written behind the app's back).
    tamper(Path(db.url.removeprefix("sqlite:///")), "PRAGMA foreign_keys=ON",
           "DELETE FROM power_item WHERE id <= 10")
    assert counts(db)[0] == 384
    backup.restore_from(db, good)
    assert counts(db) == (394, 2)  # the backup's data, accounts included
    assert auth.login(db, "admin", PW).username == "admin"
    assert decoy.read_bytes() == b"not the backup"


def test_a_backup_without_accounts_needs_a_new_administrator(signed, tmp_path):
    """Finding 8: restoring it would otherwise turn sign-in off."""
    db = signed
    setup_mode = Database(str(tmp_path / "noaccounts.sqlite3"))
    from app.demo import load_demo

    load_demo(setup_mode)
    setup_mode.close()
    empty = backup.backup_to(Database(str(tmp_path / "noaccounts.sqlite3")), tmp_path / "b.sqlite3",
                             audit=False)
    before = counts(db)
    with pytest.raises(UserError, match="没有可用的账号") as err:
        backup.restore_from(db, empty)
    assert "--new-admin" in err.value.message
    assert counts(db) == before and auth.has_accounts(db)
    backup.restore_from(db, empty, new_admin=("boss", "N3wAdminPass"))
    assert counts(db) == (394, 1)
    with pytest.raises(PermissionDenied):  # not setup mode: sign-in is on
        auth.authorize(db, "create")
    assert auth.login(db, "boss", "N3wAdminPass").role == "admin"


def test_cli_restore_without_accounts_is_refused_then_done_with_a_new_admin(tmp_path):
    live, empty = tmp_path / "live.sqlite3", tmp_path / "empty.sqlite3"
    env = {"STREETLEDGER_PASSWORD": PW, "STREETLEDGER_NEW_PASSWORD": "N3wAdminPass"}
    assert cli("demo", "--db", str(empty), "--create").returncode == 0
    assert cli("demo", "--db", str(live), "--create").returncode == 0
    assert cli("user", "add", "admin", "--role", "admin", "--db", str(live),
               env={"STREETLEDGER_NEW_PASSWORD": PW}).returncode == 0
    r = cli("--user", "admin", "restore", str(empty), "--db", str(live), env=env)
    assert r.returncode == 2 and "没有可用的账号" in r.stderr and "Traceback" not in r.stderr
    r = cli("--user", "admin", "restore", str(empty), "--new-admin", "boss", "--db", str(live),
            env=env)
    assert r.returncode == 0, r.stderr
    r = cli("--user", "boss", "user", "list", "--db", str(live),
            env={"STREETLEDGER_PASSWORD": "N3wAdminPass"})
    assert r.returncode == 0 and r.stdout.startswith("boss"), r.stderr


def damage(path: Path) -> None:
    """Overwrite a few pages in the middle of the file, as a failing disk would."""
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size // 2 // 4096 * 4096)
        fh.write(b"\xa5" * 8192)


def test_a_damaged_database_is_not_backed_up_and_good_copies_stay(signed, tmp_path):
    """Finding 9: the copy's integrity is checked before it is kept or rotated in."""
    from datetime import date, timedelta

    db = signed
    today = date(2026, 12, 1)
    for back in range(1, 8):  # seven good daily copies
        backup.auto_backup(db, today - timedelta(days=back))
    good = sorted(backup.list_backups(db))
    assert len(good) == 7
    db.engine.dispose()
    damage(backup.sqlite_path(db))
    with pytest.raises(UserError, match="已损坏") as err:
        backup.auto_backup(db, today)
    assert "已有的备份保持不变" in err.value.message
    with pytest.raises(UserError, match="已损坏"):
        backup.backup_to(db, tmp_path / "manual.sqlite3")
    assert sorted(backup.list_backups(db)) == good  # nothing pushed out, nothing added
    assert not (tmp_path / "manual.sqlite3").exists()
    assert not list(tmp_path.rglob("*.part"))
    for path in good:
        backup.check_backup_file(path)


def test_empty_alembic_version_is_named(signed, tmp_path):
    """Finding 10: not "数据库版本 None"."""
    copy = backup.backup_to(signed, tmp_path / "noversion.sqlite3")
    tamper(copy, "DELETE FROM alembic_version")
    with pytest.raises(UserError) as err:
        backup.restore_from(signed, copy)
    assert "没有记录数据库版本" in err.value.message and "None" not in err.value.message


def cli(*args, env=None):
    import os

    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def test_whole_database_copies_are_an_administrators(tmp_path):
    """Issue 9: a 录入员 homed in a community may not copy the whole database."""
    dbfile = tmp_path / "d.sqlite3"
    assert cli("demo", "--db", str(dbfile), "--create").returncode == 0
    db = Database(str(dbfile))
    auth.create_user(db, "admin", PW, "admin")
    auth.login(db, "admin", PW)
    from app.services import list_rows
    from app.specs.settings import COMMUNITIES

    rows = list_rows(db, COMMUNITIES)
    auth.create_user(db, "clerk", PW, "editor", area_id=rows.ids[0])
    auth.create_user(db, "viewer", PW, "viewer")
    auth.logout(db)
    for name in ("clerk", "viewer"):
        out = tmp_path / f"{name}.sqlite3"
        r = cli("--user", name, "backup", str(out), "--db", str(dbfile),
                env={"STREETLEDGER_PASSWORD": PW})
        assert r.returncode == 2, r.stderr
        assert "无权" in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert not out.exists() and not list(tmp_path.glob("*.part"))
    # In the core, not only the CLI: the export of everything and restore too.
    from reports.export_all import export_all

    auth.login(db, "clerk", PW)
    with pytest.raises(PermissionDenied):
        export_all(db, tmp_path / "all.xlsx")
    with pytest.raises(PermissionDenied):
        backup.backup_to(db, tmp_path / "x.sqlite3")
    with pytest.raises(PermissionDenied):
        backup.restore_from(db, tmp_path / "x.sqlite3")
    assert not (tmp_path / "all.xlsx").exists()
    auth.logout(db)
    auth.login(db, "admin", PW)
    assert backup.backup_to(db, tmp_path / "admin.sqlite3").exists()
    db.close()


def _rewrite_table_sql(path: Path, table: str, change) -> None:
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    conn.execute("PRAGMA writable_schema=ON")
    conn.execute("UPDATE sqlite_master SET sql=? WHERE name=?", (change(sql), table))
    conn.commit()
    conn.close()


def test_constraint_order_is_not_a_difference_but_a_new_constraint_is(signed, tmp_path):
    """Alembic's batch mode rebuilds rectification_problem from a set of constraints, so two
    runs of the same migration may list them in another order: that backup is restored;
    one with a constraint the app never made is refused by the table's name."""
    from app.schema_check import _split_top

    db = signed

    def reordered(sql: str) -> str:
        head, body = sql[:sql.index("(")], sql[sql.index("(") + 1:sql.rindex(")")]
        items = _split_top(body)
        cons = [i for i in items if i.upper().startswith("CONSTRAINT")]
        assert len(cons) >= 2  # the table this test is about has several
        cols = [i for i in items if i not in cons]
        return f"{head}({', '.join(cols + cons[::-1])})"

    shuffled = backup.backup_to(db, tmp_path / "shuffled.sqlite3")
    _rewrite_table_sql(shuffled, "rectification_problem", reordered)
    backup.restore_from(db, shuffled)
    assert counts(db)[0] > 0
    auth.login(db, "admin", PW)  # a restore signs everyone out

    trapped = backup.backup_to(db, tmp_path / "trapped.sqlite3")
    _rewrite_table_sql(trapped, "rectification_problem",
                       lambda sql: sql[:sql.rindex(")")] + ", CHECK (1))")
    with pytest.raises(UserError) as err:
        backup.restore_from(db, trapped)
    assert "rectification_problem" in err.value.message and "不能恢复" in err.value.message
