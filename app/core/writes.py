"""The ledger-level steps of a unit of work, driven by ledger specs.

Each step takes the open `UnitOfWork` and does the whole rule for one kind of change:
permission on the row's own area → validation → version → write → hooks → one audit
entry per changed row. The public operations at the bottom (`save_row`, `delete_row`,
…) open a unit of work around one step; callers that need several steps in one
transaction open their own and call the steps."""

from __future__ import annotations

from itertools import repeat
from operator import add, methodcaller

from sqlalchemy import bindparam, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm.attributes import flag_modified

from app.core.uow import UnitOfWork, write_operation
from app.errors import ConflictError, PermissionDenied, UserError, ValidationError
from app.models import Area
from app.services import (
    _as_dict,
    _key_error,
    _load,
    _when,
    clean_values,
    insert_many,
    natural_key_clash,
    row_label,
    scope_clause,
)
from app.specs import LedgerSpec, all_specs

# -- placement ------------------------------------------------------------------------


def new_row_area(uow: UnitOfWork, spec: LedgerSpec, area_id: int | None = None) -> int:
    """The area a new row is filed under: the one asked for, else the signed-in user's
    home area when the ledger keeps rows at that level, else the current street."""
    db = uow.db
    if area_id is not None:
        level = uow.session.execute(select(Area.level).where(Area.id == area_id)).scalar()
        if level is None:
            raise UserError(f"所属区域（编号 {area_id}）不存在")
        if level not in spec.levels:
            raise UserError(f"{spec.title}的记录只能建在{_levels_text(spec)}一级")
        return area_id
    user = db.user
    if user is not None and user.area_level in spec.levels and user.area_level != "street":
        return user.area_id
    if "street" not in spec.levels:
        raise UserError(f"{spec.title}的记录只能建在{_levels_text(spec)}一级，请指定所属区域")
    return db.street_id


LEVEL_NAMES = {"district": "区县", "street": "街道", "community": "社区", "grid": "网格"}


def _levels_text(spec: LedgerSpec) -> str:
    return "、".join(LEVEL_NAMES.get(x, x) for x in spec.levels)


def _row_area(spec: LedgerSpec, obj) -> int:
    return getattr(obj, spec.area_field)


# -- references -----------------------------------------------------------------------


def referrers(uow: UnitOfWork, spec: LedgerSpec, row_id: int, *, live_only: bool = True):
    """(spec, field, count) for every ledger whose rows name this row."""
    out = []
    for other in all_specs():
        for f in other.fields:
            if f.kind != "ref" or f.ref.model is not spec.model:
                continue
            m = other.model
            stmt = select(func.count()).select_from(m).where(getattr(m, f.name) == row_id)
            if live_only:
                stmt = stmt.where(m.deleted_at.is_(None))
            n = uow.session.execute(stmt).scalar_one()
            if n:
                out.append((other, f, n))
    return out


class StillReferenced(UserError):
    """Deleting a row that live rows still name; `referrers` says who."""

    def __init__(self, message: str, referrers: list):
        super().__init__(message)
        self.referrers = referrers


def _referrers_text(refs) -> str:
    return "、".join(f"{n} 条{o.title}" for o, _f, n in refs)


def _check_refs(uow: UnitOfWork, spec: LedgerSpec, values: dict, old: dict | None) -> None:
    """A reference given by id must be one the user may choose — or the stored one,
    which survives a save untouched even when its row went to the recycle bin."""
    from app.services import ref_choices

    errors = {}
    for f in spec.form_fields:
        if f.kind != "ref":
            continue
        v = values.get(f.name)
        if v is None or (old is not None and old.get(f.name) == v):
            continue
        allowed = uow.cache.get(("refs", f.name))
        if allowed is None:
            allowed = uow.cache[("refs", f.name)] = {i for i, _ in ref_choices(uow.db, f)}
        if v not in allowed:
            errors[f.name] = f"所选{f.label}不存在、已删除或不在本街道"
    if errors:
        raise ValidationError(errors, spec.labels)


# -- one row -------------------------------------------------------------------------------


def create(uow: UnitOfWork, spec: LedgerSpec, raw: dict, *, area_id: int | None = None):
    s, db = uow.session, uow.db
    area = new_row_area(uow, spec, area_id)
    uow.allow("create", area)
    values = clean_values(db, spec, raw, s)
    _check_refs(uow, spec, values, None)
    if natural_key_clash(s, db, spec, values, None, area=area) is not None:
        raise _key_error(spec, values)
    obj = spec.model(**values, **spec.fixed)
    setattr(obj, spec.area_field, area)
    obj.created_by = obj.updated_by = db.actor
    obj.created_at = obj.updated_at = uow.stamp
    s.add(obj)
    with uow.converting(spec.title):
        s.flush()
    if spec.after_write:
        spec.after_write(s, obj)
        s.flush()
    uow.audit("create", spec.key, obj.id, row_label(spec, obj))
    return obj


def load_for_change(uow: UnitOfWork, spec: LedgerSpec, row_id: int,
                    expected_version: int | None, action: str = "update", *,
                    deleted: bool = False):
    """The stored row, after the permission check on its own area and the version check."""
    obj = _load(uow.session, uow.db, spec, row_id, deleted=deleted)
    uow.allow(action, _row_area(spec, obj))
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(
            f"该{spec.title}记录已被“{obj.updated_by or '他人'}”于 "
            f"{_when(obj.updated_at)} 修改，请核对后再操作",
            _as_dict(spec, obj), obj.version,
        )
    return obj


def update(uow: UnitOfWork, spec: LedgerSpec, row_id: int, raw: dict,
           expected_version: int | None):
    """Returns the row; nothing is written (nor audited) when no field changed."""
    s, db = uow.session, uow.db
    obj = load_for_change(uow, spec, row_id, expected_version)
    values = clean_values(db, spec, raw, s)
    old = {k: getattr(obj, k) for k in values}
    _check_refs(uow, spec, values, old)
    if natural_key_clash(s, db, spec, values, row_id, area=_row_area(spec, obj)) is not None:
        raise _key_error(spec, values)
    diff = {k: (old[k], v) for k, v in values.items() if old[k] != v}
    if not diff:
        return obj
    for k, (_old, v) in diff.items():
        setattr(obj, k, v)
    obj.updated_by, obj.updated_at = db.actor, uow.stamp
    with uow.converting(spec.title):
        s.flush()
    if spec.after_write:
        spec.after_write(s, obj)
        s.flush()
    uow.audit("update", spec.key, obj.id, row_label(spec, obj), labelled_refs(uow, spec, diff))
    return obj


def touch(uow: UnitOfWork, spec: LedgerSpec, obj, diff: dict, summary: str = "") -> None:
    """A change below the row (its child rows): the row's version moves and the change
    is audited under it."""
    obj.updated_by, obj.updated_at = uow.db.actor, uow.stamp
    flag_modified(obj, "updated_at")  # the version must move even within the same second
    with uow.converting(spec.title):
        uow.session.flush()
    uow.audit("update", spec.key, obj.id, summary or row_label(spec, obj), diff)


def delete(uow: UnitOfWork, spec: LedgerSpec, row_id: int, expected_version: int | None,
           *, reassign_to: int | None = None) -> int:
    """Soft delete. Refused while live rows name this row, unless an administrator
    reassigns them to `reassign_to` in the same step. Returns the new version."""
    obj = load_for_change(uow, spec, row_id, expected_version, "delete")
    refs = referrers(uow, spec, row_id)
    if refs and reassign_to is None:
        what = _referrers_text(refs)
        field_label = refs[0][1].label
        raise StillReferenced(f"{field_label}“{row_label(spec, obj)}”仍被 {what}引用，不能删除；"
                              "可先在这些记录中改选其他项，或由管理员改为引用其他项后再删除", refs)
    if refs:
        if uow.db.user is not None and uow.db.user.role != "admin":
            raise PermissionDenied("只有管理员可以把引用改到其他记录后再删除")
        if reassign_to == row_id:
            raise UserError("不能改为引用将要删除的记录本身")
        target = _load(uow.session, uow.db, spec, reassign_to)
        for other, f, _n in refs:
            m = other.model
            rows = uow.session.execute(select(m).where(getattr(m, f.name) == row_id,
                                                       m.deleted_at.is_(None))).scalars()
            for r in rows:
                uow.allow("update", _row_area(other, r))
                setattr(r, f.name, target.id)
                touch(uow, other, r, {f.name: (row_label(spec, obj), row_label(spec, target))})
    obj.deleted_at, obj.deleted_by = uow.stamp, uow.db.actor
    obj.updated_at, obj.updated_by = uow.stamp, uow.db.actor
    with uow.converting(spec.title):
        uow.session.flush()
    uow.audit("delete", spec.key, obj.id, row_label(spec, obj))
    return obj.version


def restore(uow: UnitOfWork, spec: LedgerSpec, row_id: int, expected_version: int | None) -> int:
    obj = load_for_change(uow, spec, row_id, expected_version, "restore", deleted=True)
    values = {k: getattr(obj, k) for k in spec.natural_key}
    if natural_key_clash(uow.session, uow.db, spec, values, row_id,
                         area=_row_area(spec, obj)) is not None:
        raise UserError(f"无法恢复：{spec.title}中已有相同的记录（{row_label(spec, obj)}）")
    obj.deleted_at = obj.deleted_by = None
    obj.updated_at, obj.updated_by = uow.stamp, uow.db.actor
    with uow.converting(spec.title):
        uow.session.flush()
    uow.audit("restore", spec.key, obj.id, row_label(spec, obj))
    return obj.version


def purge(uow: UnitOfWork, spec: LedgerSpec, row_id: int, expected_version: int | None) -> None:
    obj = load_for_change(uow, spec, row_id, expected_version, "purge", deleted=True)
    refs = referrers(uow, spec, row_id, live_only=False)
    if refs:
        raise StillReferenced(f"“{row_label(spec, obj)}”仍被 {_referrers_text(refs)}（含回收站中的）引用，"
                              "不能彻底删除", refs)
    uow.audit("purge", spec.key, obj.id, row_label(spec, obj))
    uow.session.delete(obj)
    with uow.converting(spec.title):
        uow.session.flush()


def labelled_refs(uow: UnitOfWork, spec: LedgerSpec, diff: dict) -> dict:
    """Audit reference changes by name, not by id, so the trail reads well years later."""
    out = {}
    for k, (old, new) in diff.items():
        f = spec.field(k)
        if f.kind == "ref":
            label = getattr(f.ref.model, f.ref.label)
            names = dict(uow.session.execute(select(f.ref.model.id, label)
                                             .where(f.ref.model.id.in_([old, new]))).all())
            old, new = names.get(old, old), names.get(new, new)
        out[k] = (old, new)
    return out


# -- many rows (imports, demo data) -------------------------------------------------------


def insert_rows(uow: UnitOfWork, spec: LedgerSpec, rows: list[dict], *, note: str = "",
                area_id: int | None = None) -> list[int]:
    """Already-cleaned rows in bulk: one permission check for their area, hooks, and one
    audit entry per row. Returns the new ids in order."""
    if not rows:
        return []
    area = new_row_area(uow, spec, area_id)
    uow.allow("create", area)
    ids = insert_many(uow.session, uow.db, spec, rows, area=area)
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
    if not updates:
        return
    s, m = uow.session, spec.model
    table = m.__table__
    ids = [u[0] for u in updates]
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
    for row_id, _version, ch in updates:
        old = stored[row_id][1]
        diff = {k: (old.get(k), v) for k, v in ch.items()}
        label = _label_of(spec, {**old, **ch})
        uow.audit("update", spec.key, row_id, label + note, labelled_refs(uow, spec, diff))


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


# -- the public operations ---------------------------------------------------------------


@write_operation
def save_row(db, spec: LedgerSpec, raw: dict, row_id: int | None = None,
             expected_version: int | None = None, *, area_id: int | None = None
             ) -> tuple[int, int]:
    """Create (row_id None) or update a row; returns (id, new version).

    An update whose expected_version is not the stored one is refused with
    ConflictError carrying the stored values (someone else saved first)."""
    with UnitOfWork(db) as uow:
        if row_id is None:
            obj = create(uow, spec, raw, area_id=area_id)
        else:
            obj = update(uow, spec, row_id, raw, expected_version)
    return obj.id, obj.version


@write_operation
def delete_row(db, spec: LedgerSpec, row_id: int, expected_version: int | None,
               *, reassign_to: int | None = None) -> int:
    """Soft delete: the row leaves every view and report but stays restorable."""
    with UnitOfWork(db) as uow:
        return delete(uow, spec, row_id, expected_version, reassign_to=reassign_to)


@write_operation
def restore_row(db, spec: LedgerSpec, row_id: int, expected_version: int | None = None) -> int:
    """Bring a row back from the recycle bin (回收站), unless its key is taken meanwhile."""
    with UnitOfWork(db) as uow:
        return restore(uow, spec, row_id, expected_version)


@write_operation
def purge_row(db, spec: LedgerSpec, row_id: int, expected_version: int | None = None) -> None:
    """Delete a row from the recycle bin for good (administrators only)."""
    with UnitOfWork(db) as uow:
        purge(uow, spec, row_id, expected_version)


@write_operation
def reveal_sensitive(db, spec: LedgerSpec, row_ids: list[int]) -> None:
    """A user (not a viewer) asks to see whole ID numbers and phones of these rows: allowed
    on rows in their area, and audited — that view of personal data leaves a trace."""
    if not row_ids:
        return
    with UnitOfWork(db) as uow:
        m = spec.model
        areas = set(uow.session.execute(select(getattr(m, spec.area_field))
                                        .where(m.id.in_(row_ids))).scalars())
        for area in areas or {db.street_id}:
            uow.allow("reveal", area)
        uow.audit("reveal", spec.key, row_ids[0] if len(row_ids) == 1 else None,
                  f"查看{spec.title} {len(row_ids)} 条记录的完整证件号码")
