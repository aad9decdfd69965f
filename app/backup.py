"""Backups of the embedded SQLite database, with SQLite's online backup API.

Automatic: at most once a day (on start and on exit), keeping the last 7 daily and
4 weekly copies. Restore checks the file first, backs up the current database, and
upgrades an older schema. PostgreSQL is backed up by its server (pg_dump)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from app.errors import UserError

PREFIX = "streetledger-"
SUFFIX = ".sqlite3"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
PG_MESSAGE = ("共享数据库（PostgreSQL）的备份由数据库服务器负责，请联系信息管理员用 pg_dump 定期备份；"
              "也可使用“导出全部数据”把所有台账保存为一个 Excel 工作簿")


def sqlite_path(db) -> Path:
    u = make_url(db.url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        raise UserError(PG_MESSAGE)
    return Path(u.database)


def backup_dir(db) -> Path:
    path = sqlite_path(db).parent / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _copy(src: sqlite3.Connection, dest_path: Path) -> None:
    tmp = dest_path.with_suffix(dest_path.suffix + ".part")
    tmp.unlink(missing_ok=True)
    dest = sqlite3.connect(tmp)
    try:
        src.backup(dest)
    finally:
        dest.close()
    tmp.replace(dest_path)  # a reader never sees a half-written backup


def backup_to(db, out: Path, *, audit: bool = True) -> Path:
    """A consistent copy of the live database, even while it is being written."""
    src_path = sqlite_path(db)
    out = Path(out)
    if out.is_dir():
        out = out / f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S}{SUFFIX}"
    src = sqlite3.connect(src_path)
    try:
        _copy(src, out)
    finally:
        src.close()
    if audit:
        from app.audit import record

        with db.session() as s:
            record(s, db.actor, "backup", summary=str(out))
            s.commit()
    return out


def list_backups(db) -> list[Path]:
    return sorted(backup_dir(db).glob(f"{PREFIX}*{SUFFIX}"), reverse=True)


def _day(path: Path) -> date | None:
    stamp = path.name[len(PREFIX):len(PREFIX) + 8]
    try:
        return datetime.strptime(stamp, "%Y%m%d").date()
    except ValueError:
        return None


def auto_backup(db, today: date | None = None) -> Path | None:
    """Back up once a day at most, then prune to 7 daily and 4 weekly copies."""
    try:
        sqlite_path(db)
    except UserError:
        return None
    today = today or date.today()
    existing = list_backups(db)
    made = None
    if not any(_day(p) == today and "-auto" in p.name for p in existing):
        made = backup_to(db, backup_dir(db) / f"{PREFIX}{today:%Y%m%d}-auto{SUFFIX}", audit=False)
    prune(db)
    return made


def prune(db) -> list[Path]:
    """Of the automatic copies keep the newest of each of the last 7 days, then the newest
    of each of the 4 weeks before those; manual backups are never pruned."""
    autos = [p for p in list_backups(db) if "-auto" in p.name and _day(p)]  # newest first
    days: set[date] = set()
    weeks: set[tuple[int, int]] = set()
    kept: set[Path] = set()
    for path in autos:
        day = _day(path)
        week = day.isocalendar()[:2]
        if day in days or week in weeks:
            continue
        if len(days) < KEEP_DAILY:
            days.add(day)
            kept.add(path)
        elif len(weeks) < KEEP_WEEKLY and week not in {d.isocalendar()[:2] for d in days}:
            weeks.add(week)
            kept.add(path)
    removed = [p for p in autos if p not in kept]
    for path in removed:
        path.unlink()
    return removed


def check_backup_file(path: Path) -> str:
    """Refuse what is not a sound StreetLedger database; returns its schema revision."""
    from app.migrations import HEAD, known_revisions

    path = Path(path)
    if not path.is_file():
        raise UserError(f"找不到备份文件：{path}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UserError(f"“{path.name}”不是 StreetLedger 备份文件（不是 SQLite 数据库）")
    conn = sqlite3.connect(f"file:{path.as_posix()}?mode=ro", uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise UserError(f"备份文件已损坏（完整性检查：{ok}），不能恢复")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "area", "power_item"} <= tables:
            raise UserError(f"“{path.name}”不是 StreetLedger 的数据库，不能恢复")
        rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"无法读取备份文件“{path.name}”：{exc}") from exc
    finally:
        conn.close()
    rev = rev[0] if rev else None
    if rev not in known_revisions():
        raise UserError(f"该备份来自更新版本的 StreetLedger（数据库版本 {rev}，本程序为 {HEAD}），"
                        "请先升级程序再恢复")
    return rev


def restore_from(db, path: Path) -> Path:
    """Replace the live database with a checked backup; returns the safety copy made first."""
    from app.auth import authorize

    authorize(db, "restore_db")
    check_backup_file(path)
    actor = db.actor
    live = sqlite_path(db)
    safety = backup_to(db, backup_dir(db) / f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S}"
                       f"-before-restore{SUFFIX}", audit=False)
    # Copy through a temporary file so the backup itself is never opened for writing.
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "restore.sqlite3"
        shutil.copyfile(path, staged)
        db.engine.dispose()
        src = sqlite3.connect(staged)
        dest = sqlite3.connect(live)
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
    from app.db import migrate

    migrate(db.engine)  # an older backup is brought up to this version's schema
    from app.audit import record

    with db.session() as s:
        record(s, actor, "restore_db", summary=f"从 {Path(path).name} 恢复（恢复前的数据已存为 {safety.name}）")
        s.commit()
    db.user = None  # accounts may differ in the restored data: sign in again
    db._street_id = db._street_path = None
    return safety
