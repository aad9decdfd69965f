"""Unit-of-work steps for many rows at once (imports, demo data): one permission check
per area, bulk statements, and still one audit entry per row."""

from __future__ import annotations

from itertools import repeat
from operator import add, methodcaller

from sqlalchemy import bindparam, select
from sqlalchemy import update as sql_update

from app.bulk import insert_many
from app.core.children import insert_collections, pop_collections, replace_collections
from app.core.uow import UnitOfWork
from app.core.writes import carries_area, labelled_refs, new_row_area
from app.errors import ConflictError
from app.services import scope_clause
from app.specs import LedgerSpec
from app.specs.workflow import new_status, without_status


def insert_rows(uow: UnitOfWork, spec: LedgerSpec, rows: list[dict], *, note: str = "",
                area_id: int | None = None) -> list[int]:
    """Already-cleaned rows in bulk: one permission check for their area, hooks, and one
    audit entry per row. Returns the new ids in order."""
    if not rows:
        return []
    if area_id is None and carries_area(spec) and all(r.get(spec.area_field) for r in rows):
        # Each row names its own area (a grid's community): each area checked once.
        for a in sorted({r[spec.area_field] for r in rows}):
            uow.allow("create", new_row_area(uow, spec, a))
        area = None
    else:
        area = new_row_area(uow, spec, area_id)
        uow.allow("create", area)
    rows, popped = pop_collections(spec, rows)
    if spec.workflow is not None:
        rows = [{**r, **new_status(spec)} for r in rows]
    ids = insert_many(uow.session, uow.db, spec, rows, area=area)
    if popped:
        insert_collections(uow, spec, ids, popped)
    if spec.after_insert:
        spec.after_insert(uow.session, ids)
    elif spec.after_write:
        uow.session.flush()
        for i in ids:
            spec.after_write(uow.session, uow.session.get(spec.model, i))
        uow.session.flush()
    uow.audit_many("create", spec.key, ids, _labels_of(spec, rows, note))
    return ids


def update_rows(uow: UnitOfWork, spec: LedgerSpec, updates: list[tuple[int, int, dict]], *,
                note: str = "") -> None:
    """(id, expected version, {field: new value}) in bulk, each row's version checked in
    its WHERE; one audit entry per row with its diff. Any row changed by someone else
    meanwhile rolls the whole unit back."""
    if spec.workflow is not None:
        updates = [(i, v, ch) for i, v, c in updates if (ch := without_status(spec, c))]
    if not updates:
        return
    s, m = uow.session, spec.model
    table = m.__table__
    ids = [u[0] for u in updates]
    changes, popped = pop_collections(spec, [ch for _i, _v, ch in updates])
    updates = [(i, v, ch) for (i, v, _old), ch in zip(updates, changes, strict=True)]
    stored = {}
    for k in range(0, len(ids), 500):
        chunk = ids[k:k + 500]
        cols = sorted({c for _i, _v, ch in updates for c in ch} | set(spec.label_fields))
        for row in s.execute(select(m.id, getattr(m, spec.area_field),
                                    *(getattr(m, c) for c in cols))
                             .where(m.id.in_(chunk), scope_clause(uow.db, spec))):
            stored[row[0]] = (row[1], dict(zip(cols, row[2:], strict=True)))
    for area in {a for a, _ in stored.values()}:
        uow.allow("update", area)
    if carries_area(spec):  # rows moved to another area: allowed there too
        for a in {ch[spec.area_field] for _i, _v, ch in updates if ch.get(spec.area_field)}:
            uow.allow("create", new_row_area(uow, spec, a))
    if len(stored) != len(ids):
        raise ConflictError(f"{spec.title}中有 {len(ids) - len(stored)} 条记录已被他人删除，"
                            "已全部撤销；请重新校验后再导入")
    by_columns: dict[tuple[str, ...], list[dict]] = {}
    for row_id, version, ch in updates:
        params = {f"p_{k}": v for k, v in ch.items()}
        params.update(b_id=row_id, b_version=version)
        by_columns.setdefault(tuple(sorted(ch)), []).append(params)
    changed = 0
    for cols, params in by_columns.items():
        stmt = (sql_update(table)
                .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"),
                       table.c.deleted_at.is_(None))
                .values({**{c: bindparam(f"p_{c}") for c in cols},
                         "version": table.c.version + 1, "updated_by": uow.db.actor,
                         "updated_at": uow.stamp}))
        changed += s.execute(stmt, params).rowcount
    if s.bind.dialect.supports_sane_multi_rowcount and changed != len(updates):
        raise ConflictError(f"期间{spec.title}中有 {len(updates) - changed} 条记录被他人修改或删除，"
                            "已全部撤销；请重新校验后再导入")
    child_diffs = replace_collections(uow, spec, ids, popped) if popped else {}
    for row_id, _version, ch in updates:
        old = stored[row_id][1]
        diff = {k: (old.get(k), v) for k, v in ch.items()}
        label = _label_of(spec, {**old, **ch})
        uow.audit("update", spec.key, row_id, label + note,
                  {**labelled_refs(uow, spec, diff), **child_diffs.get(row_id, {})})


def soft_delete_all(uow: UnitOfWork, spec: LedgerSpec, *, note: str = "") -> int:
    """Every live row of the ledger in the session's scope to the recycle bin (an import
    that replaces the ledger); audited row by row."""
    s, m = uow.session, spec.model
    rows = s.execute(select(m.id, getattr(m, spec.area_field),
                            *(getattr(m, c) for c in spec.label_fields))
                     .where(scope_clause(uow.db, spec))).all()
    for area in {r[1] for r in rows}:
        uow.allow("delete", area)
    if not rows:
        return 0
    table = m.__table__
    s.execute(sql_update(table).where(table.c.id.in_(bindparam("ids", expanding=True)))
              .values(deleted_at=uow.stamp, deleted_by=uow.db.actor, updated_at=uow.stamp,
                      updated_by=uow.db.actor, version=table.c.version + 1),
              {"ids": [r[0] for r in rows]})
    for r in rows:
        label = _label_of(spec, dict(zip(spec.label_fields, r[2:], strict=True)))
        uow.audit("delete", spec.key, r[0], label + note)
    return len(rows)


def _labels_of(spec: LedgerSpec, rows: list[dict], note: str = "") -> list[str]:
    """_label_of of every row, plus the note, by column (an import's 100,000 rows)."""
    parts = []
    for k in spec.label_fields:
        col = list(map(methodcaller("get", k), rows))
        if set(map(type, col)) - {str}:
            col = [str(v or "") for v in col]
        parts.append(col)
    if not parts:
        labels = [""] * len(rows)
    elif len(parts) == 1:
        labels = parts[0]
    elif all("" not in col for col in parts):  # no part blank: no row to filter
        labels = list(map(" / ".join, zip(*parts, strict=True)))
    else:
        labels = [" / ".join(filter(None, t)) for t in zip(*parts, strict=True)]
    return list(map(add, labels, repeat(note))) if note else list(labels)


def _label_of(spec: LedgerSpec, values: dict) -> str:
    parts = [str(values.get(k) or "") for k in spec.label_fields]
    return " / ".join(p for p in parts if p)
