"""The unit of work: the one way a change reaches the database.

Every write — a form save, a delete, a restore, an import of 100,000 rows, the street's
name, a child row — runs inside `UnitOfWork`. It checks permission on the row's own
area, validates through the ledger spec, checks the row version, writes one audit
entry per changed row (with the field-level diff) in the same transaction, runs the
spec's hooks, commits, and reports what changed (`Changes`: ledger key → row ids), so a
screen refreshes only when the change touches it (as Anki's OpChanges).

Units of work nest: an inner one joins the outer transaction, so several writes commit
or roll back together. A bypass is refused at run time: `install_guard` makes the
engine refuse INSERT/UPDATE/DELETE on guarded tables from a connection that is not
inside a unit of work (or a migration)."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import repeat

from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.audit import ACTIONS, encode_changes
from app.auth import authorize
from app.core.ops import OPERATIONS, write_operation  # noqa: F401 - re-exported
from app.errors import ConflictError, PermissionDenied, UserError
from app.models import Area, AuditEntry, Base, now

# Tables written outside units of work: the audit trail itself, accounts (app.auth
# audits its own changes), the open-lock record and Alembic's bookkeeping.
UNGUARDED = {"audit_log", "app_user", "open_lock", "alembic_version"}
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_]\w*)"?', re.I)
INFO_KEY = "streetledger_uow"

_current: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar("uow", default=None)


class BypassError(RuntimeError):
    """A write to a ledger table that did not go through a unit of work (a bug)."""


def guarded_tables() -> set[str]:
    return {t for t in Base.metadata.tables if t not in UNGUARDED}


def install_guard(engine) -> None:
    """Refuse writes to guarded tables outside a unit of work, whatever path they take
    (ORM flush, Core statement, raw driver SQL)."""
    guarded = guarded_tables()

    @event.listens_for(engine, "before_cursor_execute")
    def _check(conn, _cursor, statement, _params, _context, _many):
        m = _WRITE.match(statement)
        if m and m.group(1).lower() in guarded and not conn.info.get(INFO_KEY):
            raise BypassError(f"写入 {m.group(1)} 未经统一写入通道（UnitOfWork）")


@dataclass
class Changes:
    """What a unit of work changed: ledger key → ids of the rows written."""

    rows: dict[str, set[int]] = field(default_factory=dict)

    def add(self, ledger: str, ids: Iterable[int] = ()) -> None:
        self.rows.setdefault(ledger, set()).update(ids)

    def merge(self, other: Changes) -> None:
        for k, ids in other.rows.items():
            self.add(k, ids)

    def touches(self, *ledgers: str) -> bool:
        return any(k in self.rows for k in ledgers)

    @property
    def ledgers(self) -> set[str]:
        return set(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


# -- the unit of work ------------------------------------------------------------------

class UnitOfWork:
    """`with UnitOfWork(db) as uow:` — commits on success, rolls back on any error.

    Inside, `uow.session` is the transaction's session; the ledger-level steps live in
    app.core.writes and take the unit of work as their first argument."""

    def __init__(self, db, *, join: bool = True, bulk: bool = False, note: str = ""):
        self.db = db
        self.note = note  # added to every audit summary: why the change was made (撤销上次修改)
        self._join = join
        self._bulk = bulk  # many rows: a bigger SQLite page cache while it lasts
        self.session: Session | None = None
        self.changes = Changes()
        self._outer: UnitOfWork | None = None
        self._token = None
        self._conn = None
        self._audit: list[dict] = []
        self._areas: dict[int, tuple[str, str]] = {}  # id → (path, level), read once
        self._allowed: set[tuple[str, int | None]] = set()  # (action, area) granted
        self.cache: dict = {}  # lookups a step repeats (reference choices), per transaction
        self.stamp = now()

    # -- transaction -------------------------------------------------------
    def __enter__(self) -> UnitOfWork:
        outer = _current.get()
        if self._join and outer is not None and outer.db is self.db:
            self._outer = outer
            self.session, self.stamp = outer.session, outer.stamp
            self._areas, self.cache = outer._areas, outer.cache
            self.note = self.note or outer.note
            return self
        if getattr(self.db, "read_only", False):
            raise PermissionDenied("数据库以只读方式打开，不能修改")
        self.session = self.db.session()
        self._conn = self.session.connection()
        # The pooled DBAPI connection's info dict, held here: a connection the server
        # dropped cannot be asked for it again on the way out.
        self._info = self._conn.info
        self._info[INFO_KEY] = True
        self._token = _current.set(self)
        if self._bulk and self._conn.dialect.name == "sqlite":
            from app.bulk import BULK_CACHE_KIB, CACHE_INFO_KEY

            # put back when the pool takes the connection in (app.db), after COMMIT
            self._info.setdefault(CACHE_INFO_KEY,
                                  self._conn.exec_driver_sql("PRAGMA cache_size").scalar())
            self._conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        return self

    def __exit__(self, exc_type, exc, _tb) -> bool:
        if self._outer is not None:
            if exc_type is None:
                self._outer.changes.merge(self.changes)
                self._outer._audit.extend(self._audit)
            return False
        info = self._info
        try:
            if exc_type is None:
                self.flush_audit()
                with self.converting():
                    self.session.flush()
                    # Everything is written; only COMMIT is left. The flag goes first, so a
                    # pooled connection never carries it to someone else.
                    info.pop(INFO_KEY, None)
                    self.session.commit()
            else:
                self._quiet(self.session.rollback)
        finally:
            info.pop(INFO_KEY, None)
            self._quiet(self.session.close) if exc_type is not None else self.session.close()
            _current.reset(self._token)
        return False

    @staticmethod
    def _quiet(step) -> None:
        """Roll back after an error without hiding it: a connection the server dropped
        fails its ROLLBACK too, and the caller must see the first error."""
        try:
            step()
        except Exception:  # noqa: BLE001 - the original exception is on its way up
            from app.logs import log

            log.warning("回滚未能完成（连接可能已断开）", exc_info=True)

    def converting(self, title: str = "记录"):
        return _Converting(self.session, title)

    # -- permission ----------------------------------------------------------
    def _area(self, area_id: int) -> tuple[str | None, str | None]:
        """(path, level) of an area ((None, None) if there is none such), read once per
        unit of work: an import files every batch's rows under the same few dozen grids.
        An area whose path is not set yet (made in this unit) is read again next time."""
        hit = self._areas.get(area_id)
        if hit is None:
            row = self.session.execute(select(Area.path, Area.level)
                                       .where(Area.id == area_id)).first()
            hit = (row[0], row[1]) if row is not None else (None, None)
            if hit[0]:
                self._areas[area_id] = hit
        return hit

    def area_path(self, area_id: int | None) -> str:
        if area_id is None:
            raise UserError("记录缺少所属区域")
        path = self._area(area_id)[0]
        if not path:
            raise UserError(f"区域（编号 {area_id}）的层级路径缺失，请管理员修复后再操作")
        return path

    def area_level(self, area_id: int) -> str | None:
        """The level of an area, None if there is none such."""
        return self._area(area_id)[1]

    def allow(self, action: str, area_id: int | None) -> None:
        """Permission for `action` on a row filed under `area_id` (its own area). Asked
        once per action and area in a unit of work: an import asks for every grid of
        every batch, and the answer cannot change before the commit."""
        key = (action, area_id)
        if key in self._allowed:
            return
        authorize(self.db, action, self.area_path(area_id) if area_id is not None else None)
        self._allowed.add(key)

    # -- audit ---------------------------------------------------------------
    def audit(self, action: str, ledger: str = "", row_id: int | None = None,
              summary: str = "", changes: dict | None = None) -> None:
        """One audit entry, written with the transaction (in bulk, before commit)."""
        assert action in ACTIONS, action
        if self.note:
            summary = f"{summary}（{self.note}）"
        self._audit.append({
            "at": self.stamp, "username": self.db.actor, "action": action, "ledger": ledger,
            "row_id": row_id, "summary": summary[:2000],
            "changes": encode_changes(changes),
        })
        if ledger:
            self.changes.add(ledger, () if row_id is None else (row_id,))

    def audit_many(self, action: str, ledger: str, row_ids: list[int],
                   summaries: list[str]) -> None:
        """One audit entry per row, for many rows (an import): kept as two columns, not
        100,000 dicts, and written with the others in the order they came."""
        from app.audit import ACTIONS

        assert action in ACTIONS, action
        if len(row_ids) != len(summaries):
            raise ValueError("每条记录需要一条留痕摘要")
        if self.note:
            summaries = [f"{t}（{self.note}）" for t in summaries]
        if summaries and max(map(len, summaries)) > 2000:
            summaries = [t[:2000] for t in summaries]
        self._audit.append(_AuditBatch(action, ledger, list(row_ids), summaries))
        self.changes.add(ledger, row_ids)

    def delete_records(self, model, ids: list[int], ledger: str, describe) -> int:
        """Hard-delete small bookkeeping rows (import memory, name aliases) by id, each
        audited with `describe(row)`. Returns how many went."""
        from sqlalchemy import select

        n = 0
        for item in self.session.scalars(select(model).where(model.id.in_(ids))):
            self.audit("delete", ledger, item.id, describe(item))
            self.session.delete(item)
            n += 1
        return n

    def flush_audit(self) -> None:
        if not self._audit:
            return
        items, self._audit = self._audit, []
        s = self.session
        from app.logs import LOGGED_ACTIONS  # the log file gets imports and exports, as before

        s.info.setdefault("streetledger_log", []).extend(
            (e["username"], e["action"], e["ledger"], e["summary"]) for e in items
            if e.__class__ is dict and e["action"] in LOGGED_ACTIONS)
        if s.bind.dialect.name != "sqlite":
            entries = []
            for e in items:
                entries.extend(e.dicts(self) if e.__class__ is _AuditBatch else (e,))
            s.execute(AuditEntry.__table__.insert(), entries)
            return
        from app.bulk import sqlite_insert_columns

        cols: dict[str, list] = {k: [] for k in _AUDIT_COLUMNS}
        for e in items:
            if e.__class__ is _AuditBatch:
                n = len(e.row_ids)
                for k, v in (("at", self.stamp), ("username", self.db.actor),
                             ("action", e.action), ("ledger", e.ledger), ("changes", "")):
                    cols[k].extend(repeat(v, n))
                cols["row_id"].extend(e.row_ids)
                cols["summary"].extend(e.summaries)
            else:
                for k in _AUDIT_COLUMNS:
                    cols[k].append(e[k])
        sqlite_insert_columns(s.connection(), AuditEntry.__table__, len(cols["at"]), cols)


_AUDIT_COLUMNS = ("at", "username", "action", "ledger", "row_id", "summary", "changes")


@dataclass
class _AuditBatch:
    """Entries of one action on many rows of one ledger (UnitOfWork.audit_many)."""

    action: str
    ledger: str
    row_ids: list[int]
    summaries: list[str]

    def dicts(self, uow: UnitOfWork) -> list[dict]:
        return [{"at": uow.stamp, "username": uow.db.actor, "action": self.action,
                 "ledger": self.ledger, "row_id": i, "summary": t, "changes": ""}
                for i, t in zip(self.row_ids, self.summaries, strict=True)]


class _Converting:
    """What a concurrent writer can cause during flush/commit, as user errors."""

    def __init__(self, session: Session, title: str):
        self.session, self.title = session, title

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _tb):
        if exc_type is None or issubclass(exc_type, ConflictError):
            return False
        if issubclass(exc_type, StaleDataError):
            raise ConflictError(f"该{self.title}记录刚被他人修改，请重新打开后再保存") from exc
        if issubclass(exc_type, IntegrityError):
            orig = getattr(exc, "orig", None)
            if (getattr(orig, "sqlstate", None) == "23505"
                    or "UNIQUE constraint failed" in str(orig)):
                raise UserError(f"保存失败：{self.title}中已存在相同的记录（可能有人同时在修改），"
                                "数据库未作修改") from exc
        return False


def current() -> UnitOfWork | None:
    """The unit of work this thread is inside, if any."""
    return _current.get()


def audit_count(session: Session, ledger: str, row_id: int) -> int:
    return session.execute(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.ledger == ledger, AuditEntry.row_id == row_id)).scalar_one()
