"""Backups, restore and the one-writer lock of the embedded SQLite database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app import backup, lock
from app.db import Database
from app.errors import UserError
from app.services import delete_row, get_row, list_rows, save_row
from app.specs.powers import POWERS

TABLES = ("area", "functional_body", "power_item", "power_case_count")


def dump(db) -> dict:
    with db.session() as s:
        return {t: s.execute(text(f"SELECT * FROM {t} ORDER BY id")).all() for t in TABLES}


def test_restore_round_trip(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    before = dump(db)
    saved = backup.backup_to(db, tmp_path / "b.sqlite3")
    for row_id in list_rows(db, POWERS).ids[:5]:
        row = get_row(db, POWERS, row_id)
        save_row(db, POWERS, {**row, "remarks": "改动"}, row_id, row["version"])
    victim = get_row(db, POWERS, list_rows(db, POWERS).ids[10])
    delete_row(db, POWERS, victim["id"], victim["version"])
    assert dump(db) != before
    safety = backup.restore_from(db, saved)
    assert dump(db) == before
    assert safety.exists()
    # The copy taken before restoring holds the changes that were undone.
    with sqlite3.connect(safety) as conn:
        assert conn.execute("SELECT count(*) FROM power_item WHERE remarks='改动'").fetchone()[0] == 5


@pytest.mark.parametrize("content,message", [
    (b"PK\x03\x04 not a database", "不是 SQLite"),
    (b"", "不是 SQLite"),
])
def test_restore_refuses_non_databases(sqlite_demo_db, tmp_path, content, message):
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(content)
    before = dump(sqlite_demo_db)
    with pytest.raises(UserError) as err:
        backup.restore_from(sqlite_demo_db, bad)
    assert message in err.value.message
    assert dump(sqlite_demo_db) == before


def test_restore_refuses_foreign_and_newer_files(sqlite_demo_db, tmp_path):
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(UserError) as err:
        backup.restore_from(sqlite_demo_db, foreign)
    assert "不是 StreetLedger" in err.value.message

    newer = backup.backup_to(sqlite_demo_db, tmp_path / "newer.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num='9999'")
    with pytest.raises(UserError) as err:
        backup.restore_from(sqlite_demo_db, newer)
    assert "更新版本" in err.value.message


def test_restore_upgrades_an_older_schema(sqlite_demo_db, tmp_path):
    from sqlalchemy import create_engine

    from app.migrations import HEAD, REVISIONS

    old = tmp_path / "old.sqlite3"
    engine = create_engine("sqlite:///" + old.as_posix())
    from app.migrations import upgrade

    upgrade(engine, REVISIONS[0])
    engine.dispose()
    backup.restore_from(sqlite_demo_db, old)
    from app.db import current_revision

    assert current_revision(sqlite_demo_db.engine) == HEAD
    assert list_rows(sqlite_demo_db, POWERS).ids == []


def test_restore_refuses_a_corrupt_file(sqlite_demo_db, tmp_path):
    copy = backup.backup_to(sqlite_demo_db, tmp_path / "c.sqlite3")
    data = bytearray(copy.read_bytes())
    for i in range(4096 * 3, len(data), 4096):  # scribble over b-tree pages
        data[i + 100:i + 400] = os.urandom(300)
    copy.write_bytes(bytes(data))
    with pytest.raises(UserError):
        backup.restore_from(sqlite_demo_db, copy)


def test_auto_backup_once_a_day_keeps_7_daily_and_4_weekly(sqlite_demo_db):
    db = sqlite_demo_db
    start = date(2026, 1, 1)
    for i in range(60):
        backup.auto_backup(db, start + timedelta(days=i))
        backup.auto_backup(db, start + timedelta(days=i))  # second start the same day
    days = sorted(backup._day(p) for p in backup.list_backups(db))
    last = start + timedelta(days=59)
    assert days[-7:] == [last - timedelta(days=n) for n in range(6, -1, -1)]
    older = days[:-7]
    assert len(older) == 4
    assert len({d.isocalendar()[:2] for d in older}) == 4


def test_manual_backups_are_not_pruned(sqlite_demo_db):
    manual = backup.backup_to(sqlite_demo_db, backup.backup_dir(sqlite_demo_db))
    for i in range(30):
        backup.auto_backup(sqlite_demo_db, date(2026, 3, 1) + timedelta(days=i))
    assert manual.exists()


def test_postgresql_backup_says_it_is_the_servers_job(pg_url):
    db = Database(pg_url)
    with pytest.raises(UserError) as err:
        backup.backup_to(db, Path("x.sqlite3"))
    assert "pg_dump" in err.value.message
    assert backup.auto_backup(db) is None
    db.close()


def test_lock_detects_live_holder_and_clears_stale_one(sqlite_url):
    db = Database(sqlite_url)
    assert lock.holders(db) == []
    # A process on this host that has died: its row is stale and is cleared.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    with db.session() as s:
        s.execute(text("INSERT INTO open_lock (hostname, pid, username, opened_at) "
                       "VALUES (:h, :p, 'ghost', CURRENT_TIMESTAMP)"),
                  {"h": __import__("socket").gethostname(), "p": int(dead)})
        s.commit()
    assert lock.holders(db) == []
    # A live process elsewhere (another PC) is reported.
    with db.session() as s:
        s.execute(text("INSERT INTO open_lock (hostname, pid, username, opened_at) "
                       "VALUES ('OFFICE-PC-2', 4242, '张三', CURRENT_TIMESTAMP)"))
        s.commit()
    found = lock.holders(db)
    assert [h.hostname for h in found] == ["OFFICE-PC-2"]
    assert "张三" in found[0].describe()
    lock.acquire(db)
    assert [h.hostname for h in lock.holders(db)] == ["OFFICE-PC-2"]  # not ourselves
    lock.release(db)
    db.close()


def test_read_only_database_refuses_writes(sqlite_url):
    from app.errors import PermissionDenied

    db = Database(sqlite_url, read_only=True)
    with pytest.raises(PermissionDenied):
        save_row(db, POWERS, {"list_kind": "法定权力事项", "power_type": "公共服务", "name": "x"})
    db.close()


def test_network_share_detection(tmp_path, monkeypatch):
    assert lock.on_network_share(tmp_path) is False
    mounts = f"server:/export {tmp_path} nfs4 rw 0 0\n"
    real = Path.read_text

    def fake(self, *a, **k):
        return mounts if str(self) == "/proc/mounts" else real(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", fake)
    assert lock.on_network_share(tmp_path / "data.sqlite3") is True
