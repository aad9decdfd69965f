"""Backups of the embedded SQLite database, with SQLite's online backup API.

Automatic: at most once a day (on start and on exit), keeping the last 7 daily and
4 weekly copies. Restore checks the file first, backs up the current database, and
upgrades an older schema. PostgreSQL is backed up by its server (pg_dump)."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from app.errors import UserError
from app.schema_check import sqlite_uri

PREFIX = "streetledger-"
SUFFIX = ".sqlite3"
KEEP_DAILY = 7
KEEP_WEEKLY = 4
# pg_dump carries the attachments (ordinary bytea rows); the Excel export cannot.
PG_MESSAGE = ("共享数据库（PostgreSQL）的备份由数据库服务器负责，请联系信息管理员用 pg_dump 定期备份"
              "（附件一并备份）；也可使用“导出全部数据”把所有台账保存为一个 Excel 工作簿（不含附件）")


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
    """Copy through a .part file that is checked before it takes the final name: a damaged
    database or a full disk leaves no backup that looks good, and no .part behind."""
    from app.schema_check import verify_sqlite_file

    tmp = dest_path.with_name(dest_path.name + ".part")
    try:
        tmp.unlink(missing_ok=True)
        dest = sqlite3.connect(tmp)
        try:
            src.backup(dest)
        finally:
            dest.close()
        ok = verify_sqlite_file(tmp)
        if ok != "ok":
            raise UserError(f"数据库文件已损坏（完整性检查：{ok[:200]}），备份未保存，已有的备份保持不变。"
                            "请在“备份与恢复”中从最近的正常备份恢复")
        tmp.replace(dest_path)  # a reader never sees a half-written backup
    except sqlite3.DatabaseError as exc:
        from app.failures import explain

        found = explain(exc)
        if found.kind == "known":
            raise UserError(f"备份未完成：{found.message}") from exc
        raise UserError(f"数据库文件已损坏或无法读取（{str(exc)[:200]}），备份未保存，"
                        "已有的备份保持不变") from exc
    except OSError as exc:
        from app.failures import explain

        raise UserError(f"备份未完成：{explain(exc).message}") from exc
    finally:
        # SQLite's own side files go too: a write that failed on a full disk leaves its
        # rollback journal beside the .part.
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in ("-journal", "-wal", "-shm"))):
            try:
                leftover.unlink(missing_ok=True)
            except OSError:
                pass


def backup_to(db, out: Path, *, audit: bool = True) -> Path:
    """A consistent copy of the live database, even while it is being written.
    A backup someone asks for (`audit`) is an administrator's: it holds every account."""
    if audit:
        from app.auth import authorize

        authorize(db, "backup")
    src_path = sqlite_path(db)
    out = Path(out)
    if out.is_dir():
        out = out / f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S}{SUFFIX}"
    if out.resolve() == src_path.resolve():
        raise UserError("备份文件不能是数据库文件本身，请另选位置")
    src = sqlite3.connect(sqlite_uri(src_path), uri=True)
    try:
        _copy(src, out)
    finally:
        src.close()
    if audit and not getattr(db, "read_only", False):
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


def check_backup_file(path: Path, *, shown: str | None = None) -> str:
    """Refuse what is not a sound StreetLedger database with exactly the app's own schema;
    returns its schema revision. `shown` is the name used in messages."""
    from app.migrations import HEAD, known_revisions
    from app.schema_check import check_schema

    path = Path(path)
    name = shown or path.name
    if not path.is_file():
        raise UserError(f"找不到备份文件：{path}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UserError(f"“{name}”不是 StreetLedger 备份文件（不是 SQLite 数据库）")
    conn = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise UserError(f"备份文件已损坏（完整性检查：{ok[:200]}），不能恢复")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"alembic_version", "area", "power_item"} <= tables:
            raise UserError(f"“{name}”不是 StreetLedger 的数据库，不能恢复")
        revs = [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")]
        if len(revs) != 1 or not revs[0]:
            raise UserError(f"“{name}”没有记录数据库版本（alembic_version 为空或不唯一），"
                            "不是完整的 StreetLedger 备份，不能恢复")
        rev = revs[0]
        if rev not in known_revisions():
            raise UserError(f"该备份来自更新版本的 StreetLedger（数据库版本 {rev}，本程序为 {HEAD}），"
                            "请先升级程序再恢复")
        check_schema(conn, rev, name)
    except sqlite3.DatabaseError as exc:
        raise UserError(f"无法读取备份文件“{name}”：{str(exc)[:200]}") from exc
    finally:
        conn.close()
    return rev


def backup_has_accounts(path: Path) -> bool:
    conn = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "app_user" not in tables:
            return False
        return bool(conn.execute("SELECT count(*) FROM app_user WHERE NOT disabled").fetchone()[0])
    finally:
        conn.close()


def _stage(path: Path, staged: Path) -> None:
    """A private copy of the backup through SQLite (a -wal beside it is included)."""
    if not path.is_file():
        raise UserError(f"找不到备份文件：{path}")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise UserError(f"“{path.name}”不是 StreetLedger 备份文件（不是 SQLite 数据库）")
    try:
        src = sqlite3.connect(sqlite_uri(path), uri=True)
        dest = sqlite3.connect(staged)
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(f"无法读取备份文件“{path.name}”（{str(exc)[:200]}），可能已损坏，不能恢复") from exc


def restore_from(db, path: Path, *, new_admin: tuple[str, str] | None = None) -> Path:
    """Replace the live database with a checked backup; returns the safety copy made first.

    A backup without accounts would turn sign-in off on a database that has them: refused
    unless `new_admin` (name, password) is given, which is created in the restored data
    before anyone can use it."""
    from app.auth import authorize, check_password_policy, has_accounts, normalize_username

    authorize(db, "restore_db")
    live = sqlite_path(db)
    actor = db.actor
    # Check and restore the same bytes: a staged private copy, never the path again.
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / "restore.sqlite3"
        _stage(Path(path), staged)
        check_backup_file(staged, shown=Path(path).name)
        if not backup_has_accounts(staged) and has_accounts(db):
            if new_admin is None:
                raise UserError(f"“{Path(path).name}”中没有可用的账号，恢复后任何人都能不登录使用并新建管理员。"
                                "如确要恢复，请同时新建一个管理员（命令行：restore 文件 --new-admin 账号，"
                                "密码取自 STREETLEDGER_NEW_PASSWORD）")
            normalize_username(new_admin[0])
            check_password_policy(new_admin[1])
        safety = backup_to(db, backup_dir(db) / f"{PREFIX}{datetime.now():%Y%m%d-%H%M%S}"
                           f"-before-restore{SUFFIX}", audit=False)
        db.engine.dispose()
        src = sqlite3.connect(staged)
        dest = sqlite3.connect(live)
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
    from app.db import migrate
    from app.schema_check import ensure_audit_protection

    migrate(db.engine)  # an older backup is brought up to this version's schema
    ensure_audit_protection(db.engine)
    from app.audit import record

    db.user = None  # accounts may differ in the restored data: sign in again
    db._street_id = db._street_path = None
    if new_admin is not None and not has_accounts(db):
        from app.auth import create_user

        create_user(db, new_admin[0], new_admin[1], "admin")
    with db.session() as s:
        record(s, actor, "restore_db", summary=f"从 {Path(path).name} 恢复（恢复前的数据已存为 {safety.name}）")
        s.commit()
    return safety


def put_back(db_path: Path, good: Path) -> Path:
    """Replace a damaged database file (one that cannot even be opened) by a good backup,
    with SQLite's backup API. The damaged file and its -wal/-shm are kept beside it under
    a dated name, never deleted. Returns where the damaged file went."""
    check_backup_file(good)
    db_path = Path(db_path)
    kept = db_path.with_name(f"{db_path.stem}.损坏-{datetime.now():%Y%m%d-%H%M%S}{db_path.suffix}")
    for side in ("-wal", "-shm"):
        extra = db_path.with_name(db_path.name + side)
        if extra.exists():
            extra.replace(kept.with_name(kept.name + side))
    if db_path.exists():
        db_path.replace(kept)
    src = sqlite3.connect(sqlite_uri(good, "ro"), uri=True)
    try:
        _copy(src, db_path)  # checked before it takes the database's name
    finally:
        src.close()
    return kept
