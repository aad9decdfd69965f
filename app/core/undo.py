"""Undo of a page's saves, newest first, each written as a new change (Qt-free).

A save made through `save_row` here returns, beside the id and version, an `Undoable`:
what the save did (修改 / 新增; `after_delete` makes one for a 删除) and, for an edit,
the row's form values as they were just before it, read in the save's own transaction.
`undo(db, entry)` then writes the opposite through the ordinary steps of the unit of
work — the old values back (an edit), a soft delete to the 回收站 (a new row), a restore
(a deleted row) — so permission, validation and the audit trail apply as to any save;
each audit entry says 撤销上次…. Each row must still be at the version the save left it
at: a row changed since (by anyone) is refused and named, never overwritten.

`UndoStack` keeps a page's saves, newest last, so that Ctrl+Z can go back step by step."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select

from app.audit import ACTIONS
from app.core.children import stored_children
from app.core.ops import write_operation
from app.core.uow import Changes, UnitOfWork
from app.core.writes import create, delete, restore, update
from app.errors import ConflictError, PermissionDenied, UserError
from app.models import AuditEntry
from app.services import _load, _when, row_label
from app.specs import LedgerSpec, get_spec

KINDS = ("update", "create", "delete")
_STEP = {"update": "update", "create": "delete", "delete": "restore"}  # the permission undo needs
LABEL_CHARS = 24  # a row's name in the action's text; the tooltip has it whole
DEPTH = 20  # saves a page keeps to undo, newest last


@dataclass(frozen=True)
class Undoable:
    """One save that can be undone: `rows` are (row id, version right after the save)."""

    ledger: str  # spec key
    kind: str  # what the save did: update | create | delete
    rows: tuple[tuple[int, int], ...]
    labels: tuple[str, ...]  # the rows' names, for the texts
    # update: per row, the form values before the save ({field or collection: value}),
    # references as ids, collections as their stored rows.
    before: tuple[dict, ...] = ()
    changed: tuple[str, ...] = ()  # update: labels of the fields the save changed
    actor: str = ""  # who saved: only they may undo it
    # per row, its version just before the save (None: it did not exist); () unknown
    prior: tuple[int | None, ...] = ()
    at: datetime | None = None  # when the save was written (its audit entries' time)

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        assert self.rows and len(self.labels) == len(self.rows)
        assert not self.prior or len(self.prior) == len(self.rows)
        assert self.kind != "update" or len(self.before) == len(self.rows)

    @property
    def what(self) -> str:
        """修改「XK001 / 城市道路挖掘许可」, 删除「…」等 3 条."""
        name = self.labels[0] or "（无名称）"
        if len(name) > LABEL_CHARS:
            name = name[:LABEL_CHARS - 1] + "…"
        more = f"等 {len(self.rows)} 条" if len(self.rows) > 1 else ""
        return f"{ACTIONS[self.kind]}「{name}」{more}"

    @property
    def text(self) -> str:
        """The undo action's text: 撤销：修改「…」."""
        return f"撤销：{self.what}"

    @property
    def tip(self) -> str:
        names = "、".join(f"「{n}」" for n in self.labels[:3]) + (
            f"等 {len(self.labels)} 条" if len(self.labels) > 3 else "")
        title = get_spec(self.ledger).title
        if self.kind == "update":
            fields = "、".join(self.changed) or "各项"
            return f"把{title}{names}的{fields}改回上次保存前的值"
        if self.kind == "create":
            return f"删除刚新增的{title}{names}（删除后可在回收站恢复）"
        return f"从回收站恢复刚删除的{title}{names}"

    @property
    def note(self) -> str:
        """What the audit entries of the undo say: 撤销上次修改."""
        return f"撤销上次{ACTIONS[self.kind]}"


def form_values(s, spec: LedgerSpec, obj) -> dict:
    """The row as a form would send it back: its stored form fields (references as ids)
    and every collection as its stored rows."""
    values = {f.name: getattr(obj, f.name) for f in spec.form_fields if f.stored}
    for child in spec.children:
        values[child.name] = stored_children(s, child, obj.id)
    return values


@write_operation
def save_row(db, spec: LedgerSpec, raw: dict, row_id: int | None = None,
             expected_version: int | None = None, *, area_id: int | None = None
             ) -> tuple[int, int, Undoable | None]:
    """app.core.writes.save_row that also says how to undo it: (id, new version, the
    Undoable, or None when the save changed nothing). The values before an edit are read
    in the same transaction as the edit, so they are exactly what it replaced."""
    with UnitOfWork(db) as uow:
        if row_id is None:
            obj = create(uow, spec, raw, area_id=area_id)
            before = None
        else:
            s = uow.session
            old = _load(s, db, spec, row_id)
            version, before = old.version, form_values(s, spec, old)
            prior = (version,)
            obj = update(uow, spec, row_id, raw, expected_version)
            after = form_values(s, spec, obj) if obj.version != version else None
    label = row_label(spec, obj)
    if row_id is None:
        return obj.id, obj.version, Undoable(spec.key, "create", ((obj.id, obj.version),),
                                             (label,), actor=db.actor, prior=(None,),
                                             at=uow.stamp)
    if after is None:  # nothing changed, nothing audited: nothing to undo
        return obj.id, obj.version, None
    changed = tuple(_label(spec, k) for k in before if before[k] != after.get(k))
    return obj.id, obj.version, Undoable(spec.key, "update", ((obj.id, obj.version),),
                                         (label,), (before,), changed, db.actor, prior,
                                         uow.stamp)


def _label(spec: LedgerSpec, name: str) -> str:
    try:
        return spec.field(name).label
    except KeyError:
        return spec.child(name).label


def after_delete(db, spec: LedgerSpec, rows: list[tuple[int, int]]) -> Undoable | None:
    """The Undoable of rows just deleted ((id, version delete_row returned) each). A
    delete is one flush of the row: its version moved by one."""
    if not rows:
        return None
    with db.session() as s:
        labels = tuple(row_label(spec, _load(s, db, spec, i, deleted=True)) for i, _v in rows)
    return Undoable(spec.key, "delete", tuple(rows), labels, actor=db.actor,
                    prior=tuple(v - 1 for _i, v in rows))


@dataclass(frozen=True)
class Undone:
    """What an undo wrote: its changes, and each row's version after it."""

    changes: Changes
    versions: dict[int, int] = field(default_factory=dict)


@write_operation
def undo(db, entry: Undoable) -> Undone:
    """Write the opposite of `entry`'s save, all rows or none, as a new audited change.
    Refused (UserError naming the row) when a row changed since the save."""
    spec = get_spec(entry.ledger)
    if entry.actor and entry.actor != db.actor:
        raise PermissionDenied(f"这是“{entry.actor}”的保存，只能由其本人撤销")
    with UnitOfWork(db, note=entry.note) as uow:
        for n, (row_id, version) in enumerate(entry.rows):
            label = entry.labels[n]
            _check_unchanged(uow, spec, entry, row_id, version, label)
            try:
                if entry.kind == "update":
                    update(uow, spec, row_id, entry.before[n], version)
                elif entry.kind == "create":
                    delete(uow, spec, row_id, version)
                else:
                    restore(uow, spec, row_id, version)
            except ConflictError:  # changed between the check above and the write
                raise UserError(f"无法撤销：{spec.title}“{label}”刚被他人修改，未作任何更改") from None
            except PermissionDenied:
                raise
            except UserError as exc:  # a name taken meanwhile, a row now referenced, …
                raise UserError(f"无法撤销{entry.what}：{exc.message}") from None
        changes = uow.changes
    with db.session() as s:  # as committed (a collection's write moves the version too)
        m = spec.model
        versions = dict(s.execute(select(m.id, m.version)
                                  .where(m.id.in_([i for i, _v in entry.rows]))).all())
    return Undone(changes, versions)


def _changed_by(uow: UnitOfWork, entry: Undoable, row_id: int) -> tuple[str, datetime] | None:
    """(who, when) of the first change to the row after `entry`'s save by someone else
    than its author: the change an undo would overwrite (the latest change may be the
    author's own undo of a newer save)."""
    if entry.at is None:
        return None
    found = uow.session.execute(
        select(AuditEntry.username, AuditEntry.at)
        .where(AuditEntry.ledger == entry.ledger, AuditEntry.row_id == row_id,
               AuditEntry.at >= entry.at, AuditEntry.username != entry.actor)
        .order_by(AuditEntry.id).limit(1)).first()
    return tuple(found) if found else None


class UndoStack:
    """A page's saves to undo, newest last (at most `depth`). Undoing the newest takes
    its rows back to the state an older save left them in, at a new version: the older
    entries expecting that state move to the new version, so they can be undone next.
    A row that someone changed in between keeps its old expectation and is refused."""

    def __init__(self, depth: int = DEPTH):
        self.depth = depth
        self.entries: list[Undoable] = []

    @property
    def top(self) -> Undoable | None:
        return self.entries[-1] if self.entries else None

    def push(self, entry: Undoable | None) -> None:
        if entry is not None:
            self.entries.append(entry)
            del self.entries[:-self.depth]

    def clear(self) -> None:
        self.entries.clear()

    def undo(self, db) -> Undone:
        """Undo the newest entry. Refused, the whole history goes: going back past a
        save that cannot be undone would skip it."""
        entry = self.entries.pop()
        try:
            done = undo(db, entry)
        except UserError:
            self.entries.clear()
            raise
        if not entry.prior:
            self.entries.clear()  # where its rows were before is unknown
            return done
        before = dict(zip((i for i, _v in entry.rows), entry.prior, strict=True))
        self.entries = [_moved(e, before, done.versions) for e in self.entries]
        return done


def _moved(entry: Undoable, before: dict[int, int | None], now: dict[int, int]) -> Undoable:
    """entry with each row the undo put back into the state entry left it in (its
    version then is the undone save's prior one) expected at the version it has now."""
    rows = tuple((i, now[i] if i in now and before.get(i) == v else v) for i, v in entry.rows)
    return entry if rows == entry.rows else replace(entry, rows=rows)


def _check_unchanged(uow: UnitOfWork, spec: LedgerSpec, entry: Undoable, row_id: int,
                     version: int, label: str) -> None:
    """The row is where the save left it: live (in the 回收站 for a delete's undo) and at
    the version the save gave it."""
    deleted = entry.kind == "delete"
    try:
        obj = _load(uow.session, uow.db, spec, row_id, deleted=deleted)
    except ConflictError:
        where = "已不在回收站（可能已被恢复或彻底删除）" if deleted else "已被删除"
        raise UserError(f"无法撤销：{spec.title}“{label}”{where}，未作任何更改") from None
    uow.allow(_STEP[entry.kind], getattr(obj, spec.area_field))  # before saying anything more
    if obj.version != version:
        who, when = _changed_by(uow, entry, row_id) or (obj.updated_by or "他人", obj.updated_at)
        raise UserError(f"无法撤销：{spec.title}“{label}”在上次保存之后又被“{who}”于 "
                        f"{_when(when)} 修改过，撤销会覆盖那次修改，未作任何更改；"
                        "如仍要改回，请打开该记录手动修改")

