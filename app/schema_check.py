"""Which schema the app itself creates, so a file from elsewhere can be compared with it.

A backup is a whole database: besides the rows it could carry a trigger that makes an
account an administrator, a view over the password hashes, or lack the triggers that keep
the audit trail append-only. Restore accepts only what the migrations build: the
reference is made by migrating an empty temporary SQLite file to the backup's revision,
so it follows every migration the app ships without a list kept by hand."""

from __future__ import annotations

import re
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.errors import UserError

KINDS = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A file: URI for sqlite3.connect(uri=True); # ? % in the name are quoted."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


_CONSTRAINT = re.compile(r"(CONSTRAINT|FOREIGN KEY|UNIQUE|CHECK|PRIMARY KEY)\b", re.I)


def _split_top(body: str) -> list[str]:
    """The comma-separated items of a CREATE TABLE body, commas in brackets or quotes kept."""
    items, depth, quote, start = [], 0, "", 0
    for i, ch in enumerate(body):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`[":
            quote = "]" if ch == "[" else ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(body[start:i].strip())
            start = i + 1
    items.append(body[start:].strip())
    return items


def _normalised(kind: str, sql: str) -> str:
    """Whitespace collapsed; a table's constraint clauses sorted. Alembic's batch mode on
    SQLite rebuilds a table from SQLAlchemy's set of constraints, whose order differs from
    one run to the next, so the same migration can write its clauses in another order."""
    sql = re.sub(r"\s+", " ", sql or "").strip()
    if kind != "table" or "(" not in sql or not sql.endswith(")"):
        return sql
    head, body = sql[:sql.index("(")], sql[sql.index("(") + 1:-1]
    items = _split_top(body)
    columns = [i for i in items if not _CONSTRAINT.match(i)]
    constraints = sorted(i for i in items if _CONSTRAINT.match(i))
    return f"{head}({', '.join(columns + constraints)})"


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    # sqlite_* objects (autoindexes, sqlite_sequence) are SQLite's own; nobody can create them.
    return {(t, n): _normalised(t, sql) for t, n, sql in rows if not n.startswith("sqlite_")}


@lru_cache(maxsize=8)
def reference_schema(revision: str) -> tuple[tuple[tuple[str, str], str], ...]:
    """The schema objects of an empty database migrated to `revision`."""
    from sqlalchemy import create_engine

    from app.migrations import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reference.sqlite3"
        engine = create_engine("sqlite:///" + path.as_posix())
        try:
            upgrade(engine, revision)
        finally:
            engine.dispose()
        conn = sqlite3.connect(path)
        try:
            return tuple(sorted(_objects(conn).items()))
        finally:
            conn.close()


def check_schema(conn: sqlite3.Connection, revision: str, filename: str) -> None:
    """Refuse a database whose tables, indexes, triggers or views differ from the app's."""
    expected = dict(reference_schema(revision))
    found = _objects(conn)
    for key in sorted(found.keys() - expected.keys()):
        raise UserError(f"“{filename}”含有本程序不会创建的{KINDS.get(key[0], key[0])}“{key[1]}”，"
                        "可能被改动过，不能恢复")
    for key in sorted(expected.keys() - found.keys()):
        raise UserError(f"“{filename}”缺少本程序的{KINDS.get(key[0], key[0])}“{key[1]}”"
                        "（例如留痕保护），可能被改动过，不能恢复")
    for key in sorted(expected):
        if found[key] != expected[key]:
            raise UserError(f"“{filename}”中的{KINDS.get(key[0], key[0])}“{key[1]}”与本程序创建的"
                            "不同，可能被改动过，不能恢复")


_SQLITE_PROTECTION = [
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, '审计记录不可修改或删除'); END"
    for event in ("UPDATE", "DELETE")
]


def ensure_audit_protection(engine: Engine) -> None:
    """(Re-)create the triggers that keep the audit trail append-only, after any migrate."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            if not conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='audit_log'")).first():
                return
            for stmt in _SQLITE_PROTECTION:
                conn.execute(text(stmt))
            return
        if not conn.execute(text("SELECT to_regclass('audit_log')")).scalar():
            return
        conn.execute(text(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION '审计记录不可修改或删除'; END $$ LANGUAGE plpgsql"))
        present = conn.execute(text(
            "SELECT 1 FROM pg_trigger WHERE tgname = 'audit_log_append_only' "
            "AND tgrelid = to_regclass('audit_log')")).first()
        if not present:
            conn.execute(text(
                "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"))


def verify_sqlite_file(path: Path) -> str:
    """PRAGMA integrity_check of a file, read-only; returns "ok" or the first problem."""
    conn = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
