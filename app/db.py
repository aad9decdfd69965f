"""Opening a database: URL handling, SQLite pragmas, migrations, the current street."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.errors import UserError
from app.migrations import HEAD
from app.urls import normalize_url, resolve_url  # noqa: F401 - re-exported


def _sqlite_pragmas(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_pragmas_ro(dbapi_conn, _record):
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


READ_ONLY_NOTE = "数据库文件是只读的（或所在文件夹、磁盘不可写），已以只读方式打开：可以查看、统计和导出，不能修改"


def _writable(path: Path) -> bool:
    """Whether SQLite can write the file: the file and, for the WAL's -shm, its folder."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def read_only_engine(path: Path) -> Engine:
    """A SQLite file opened read-only (mode=ro). On a read-only folder or volume there is
    no -shm to create: without a pending -wal the file is opened as immutable."""
    import sqlite3

    from app.schema_check import sqlite_uri

    uri = sqlite_uri(path, "ro")
    wal = path.with_name(path.name + "-wal")
    if not os.access(path.parent, os.W_OK) and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(
        uri, uri=True, check_same_thread=False), hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas_ro)
    return engine


def make_engine(url: str) -> Engine:
    url = normalize_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an error's text never carries row values or password hashes.
        engine = create_engine(url, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        from app.bulk import restore_cache_size

        event.listen(engine, "checkin", restore_cache_size)
        return engine
    if u.get_backend_name() == "postgresql":
        from app.models import postgresql_options

        postgresql_options()
        # pre_ping replaces a connection the server dropped (restart, network cut) before use.
        return create_engine(url, pool_pre_ping=True, hide_parameters=True, connect_args={
            "connect_timeout": 5, "application_name": "streetledger"})
    raise UserError(f"不支持的数据库地址：{u.render_as_string(hide_password=True)}（支持 SQLite 文件或 PostgreSQL）")


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD; costs nothing (no Alembic import) when already there."""
    rev = current_revision(engine)
    if rev == HEAD:
        return
    from app.migrations import known_revisions, upgrade

    if rev is not None and rev not in known_revisions():
        needed = _stored_app_version(engine)
        raise UserError(
            f"该数据库由更新版本的 StreetLedger{f' {needed}' if needed else ''} 升级过"
            f"（数据库版本 {rev}），本程序不能写入，请安装 StreetLedger "
            f"{needed or '最新版本'}{' 或更新版本' if needed else ''}后再打开"
        )
    upgrade(engine)
    from app.schema_check import ensure_audit_protection

    ensure_audit_protection(engine)  # whatever a migration did, the audit trail stays append-only
    from app import __version__
    from app.core.uow import INFO_KEY

    with engine.begin() as conn:  # which client version the schema now needs
        conn.info[INFO_KEY] = "migration"
        try:
            conn.execute(text("DELETE FROM setting WHERE key='schema_app_version'"))
            conn.execute(text("INSERT INTO setting (key, value) VALUES ('schema_app_version', :v)"),
                         {"v": __version__})
        finally:
            conn.info.pop(INFO_KEY, None)


def _stored_app_version(engine: Engine) -> str:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT value FROM setting WHERE key='schema_app_version'"))\
                .scalar() or ""
    except Exception:  # noqa: BLE001 - an odd database: fall back to a generic message
        return ""


class Database:
    """An open database: engine, session factory, who is acting and which street."""

    def __init__(self, url: str, *, actor: str | None = None, migrate_schema: bool = True,
                 read_only: bool = False):
        from app.logs import install_db_events

        install_db_events()  # once; setup_logging leaves it for when SQLAlchemy is loaded
        self.url = normalize_url(url)
        self.read_only_reason = ""
        u = make_url(self.url)
        path = Path(u.database) if u.get_backend_name() == "sqlite" and u.database \
            and u.database != ":memory:" else None
        if path is not None and path.is_file() and not _writable(path):
            self.engine = read_only_engine(path)
            self.read_only_reason, read_only = READ_ONLY_NOTE, True
        else:
            self.engine = make_engine(self.url)
        try:
            if migrate_schema and self.read_only_reason:
                if current_revision(self.engine) != HEAD:
                    raise UserError("数据库文件是只读的，且需要升级到本版本的格式后才能使用；"
                                    "请把它复制到可写的文件夹后再打开")
            elif migrate_schema:
                migrate(self.engine)
        except UserError:
            self.engine.dispose()
            raise
        except Exception as exc:
            self.engine.dispose()
            if type(exc).__module__.startswith(("sqlalchemy", "psycopg", "sqlite3")):
                from app.failures import explain, explain_driver

                what = explain_driver(getattr(exc, "orig", None) or exc)
                if what is None:
                    found = explain(exc)  # a damaged or read-only file, a busy database…
                    what = found.message if found.kind == "known" else _short(exc)
                raise UserError(f"无法打开{self.describe()}：{what}") from exc
            raise
        # A read-only file: the audit trail of reads (sign-in, export) cannot be written.
        self.Session = sessionmaker(self.engine, expire_on_commit=False,
                                    info={"no_audit": bool(self.read_only_reason)})
        from app.core.uow import install_guard

        install_guard(self.engine)
        self._actor = actor or SETUP_ACTOR
        self._street_id: int | None = None
        self._street_path: str | None = None
        self.user = None  # app.auth.CurrentUser once someone signs in
        self._narrowed = ""  # a sub-scope for roll-ups, see narrowed()
        self.read_only = read_only
        if migrate_schema:
            from app.choices import apply

            apply(self)  # this office's edited choice lists onto the fields
            from app.staffing_pay import load

            load(self)  # the post categories' grade ranges from the stored pay table

    @property
    def actor(self) -> str:
        """Who is acting: the signed-in account, or 初始设置 before any account exists."""
        return self.user.username if self.user is not None else self._actor

    @property
    def scope_path(self) -> str:
        """Area-tree path whose subtree this session may see (materialised path prefix)."""
        if self._narrowed:
            return self._narrowed
        if self.user is not None:
            if not self.user.area_path.startswith("/"):  # never "every row" by accident
                raise UserError(f"账号所属区域“{self.user.area_name}”的层级路径缺失，请管理员修复")
            return self.user.area_path
        if self._street_path is None:
            from app.models import Area

            with self.session() as s:
                self._street_path = s.get(Area, self.street_id).path
        return self._street_path

    @property
    def backend(self) -> str:
        return self.engine.url.get_backend_name()

    def describe(self) -> str:
        u = make_url(self.url)
        if u.get_backend_name() == "sqlite":
            return f"本机数据库 {u.database}"
        return f"共享数据库 {u.username or ''}@{u.host or 'localhost'}:{u.port or 5432}/{u.database}"

    def session(self) -> Session:
        return self.Session()

    @property
    def street_id(self) -> int:
        """The street new rows belong to: the signed-in user's street, else the first one."""
        if self.user is not None:
            parts = [p for p in self.user.area_path.split("/") if p]
            if len(parts) >= 2:
                return int(parts[1])
        if self._street_id is None:
            from app.areas import ensure_street

            self._street_id = ensure_street(self)
        return self._street_id

    @contextmanager
    def narrowed(self, path: str):
        """Look at part of the session's scope only (a district roll-up, street by street)."""
        if not path.startswith(self.scope_path):
            raise UserError("不能查看权限范围以外的区域")
        old, self._narrowed = self._narrowed, path
        try:
            yield self
        finally:
            self._narrowed = old

    def use_street(self, street_id: int) -> None:
        """Work in another street of this database (setup mode and tests; users have theirs)."""
        self._street_id, self._street_path = street_id, None

    def street_name(self) -> str:
        from app.models import Area

        with self.session() as s:
            return s.execute(select(Area.name).where(Area.id == self.street_id)).scalar_one()

    def close(self) -> None:
        self.engine.dispose()


def _short(exc: Exception) -> str:
    msg = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return msg[0][:200] if msg else type(exc).__name__


SETUP_ACTOR = "初始设置"  # changes made before any account existed
