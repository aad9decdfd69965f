"""The ledger-level steps of a unit of work, driven by ledger specs.

Each step takes the open `UnitOfWork` and does the whole rule for one kind of change:
permission on the row's own area → validation → version → write → hooks → one audit
entry per changed row. The public operations at the bottom (`save_row`, `delete_row`,
…) open a unit of work around one step; callers that need several steps in one
transaction open their own and call the steps."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm.attributes import flag_modified

from app.core.uow import UnitOfWork, write_operation
from app.errors import ConflictError, PermissionDenied, UserError, ValidationError
from app.services import (
    _as_dict,
    _key_error,
    _load,
    _when,
    clean_values,
    natural_key_clash,
    row_label,
)
from app.specs import LedgerSpec, all_specs
from app.specs.workflow import new_status, without_status

# -- placement ------------------------------------------------------------------------


def new_row_area(uow: UnitOfWork, spec: LedgerSpec, area_id: int | None = None) -> int:
    """The area a new row is filed under: the one asked for, else the signed-in user's
    home area when the ledger keeps rows at that level, else the current street."""
    db = uow.db
    if area_id is not None:
        level = uow.area_level(area_id)
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
            if not f.type.is_ref or f.ref.model is not spec.model:
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
    # A ledger naming the row in two fields says which: 8 条人员（编制所在机构）.
    twice = {o.key for o, _f, _n in refs if sum(1 for x, _g, _m in refs if x is o) > 1}
    return "、".join(f"{n} 条{o.title}" + (f"（{f.label}）" if o.key in twice else "")
                    for o, f, n in refs)


def allowed_refs(uow: UnitOfWork, f) -> set[int]:
    """Ids a reference field may newly name: live rows of the user's street."""
    from app.services import ref_choices

    key = ("refs", f.name, f.ref.model)
    if key not in uow.cache:
        uow.cache[key] = {i for i, _ in ref_choices(uow.db, f, uow.session)}
    return uow.cache[key]


def _check_refs(uow: UnitOfWork, spec: LedgerSpec, values: dict, old: dict | None) -> None:
    """A reference given by id must be one the user may choose — or the stored one,
    which survives a save untouched even when its row went to the recycle bin."""
    errors = {}
    for f in spec.form_fields:
        if not f.type.is_ref:
            continue
        v = values.get(f.name)
        if v is None or (old is not None and old.get(f.name) == v):
            continue
        if v not in allowed_refs(uow, f):
            errors[f.name] = f"所选{f.label}不存在、已删除或不在本街道"
    if errors:
        raise ValidationError(errors, spec.labels)


# -- one row -------------------------------------------------------------------------------


def carries_area(spec: LedgerSpec) -> bool:
    """Rows that name their own area in a field (a grid's 所属社区, an estate's 所属网格):
    the field named like spec.area_field is typed and imported like any other."""
    return any(f.name == spec.area_field for f in spec.form_fields)


def create(uow: UnitOfWork, spec: LedgerSpec, raw: dict, *, area_id: int | None = None):
    s, db = uow.session, uow.db
    values, raw = split_collections(spec, clean_values(db, spec, raw, s), raw)
    if area_id is None and carries_area(spec):
        area_id = values.get(spec.area_field)
    area = new_row_area(uow, spec, area_id)
    uow.allow("create", area)
    if carries_area(spec):
        values[spec.area_field] = area
    _check_refs(uow, spec, values, None)
    if natural_key_clash(s, db, spec, values, None, area=area) is not None:
        raise _key_error(spec, values)
    obj = spec.model(**{**values, **new_status(spec)}, **spec.fixed)
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
    _write_children(uow, spec, obj, raw)
    return obj


def split_collections(spec: LedgerSpec, values: dict, raw: dict) -> tuple[dict, dict]:
    """Column values, and `raw` with the collections given as a sheet cell's text
    (办件量 “2024年12件；2025年3件”) turned into their rows."""
    fields = spec.collection_fields
    if not fields:
        return values, raw
    raw = dict(raw)
    for f in fields:
        items = values.pop(f.name, None)
        if items is not None:  # None: not given, the stored rows stay
            raw[f.collection.name] = items
        else:
            raw.pop(f.collection.name, None)
    return values, raw


def _write_children(uow: UnitOfWork, spec: LedgerSpec, obj, raw: dict) -> None:
    """The collections the form sent along with the row, in the same unit of work."""
    from app.core.children import write_children

    for child in spec.children:
        if child.name in raw:
            write_children(uow, spec, obj, child, raw[child.name])


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
    values = without_status(spec, clean_values(db, spec, raw, s))
    values, raw = split_collections(spec, values, raw)
    old = {k: getattr(obj, k) for k in values}
    _check_refs(uow, spec, values, old)
    moved = values.get(spec.area_field, old.get(spec.area_field))
    if carries_area(spec) and moved != old.get(spec.area_field):
        uow.allow("create", new_row_area(uow, spec, moved))  # moving it to another area
    if natural_key_clash(s, db, spec, values, row_id, area=_row_area(spec, obj)) is not None:
        raise _key_error(spec, values)
    diff = {k: (old[k], v) for k, v in values.items() if old[k] != v}
    if not diff:
        _write_children(uow, spec, obj, raw)
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
    _write_children(uow, spec, obj, raw)
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
                if f.name in other.natural_key:  # 编制核定 of 机构 × 类型: no two alike
                    key = {k: getattr(r, k) for k in other.natural_key} | {f.name: target.id}
                    if natural_key_clash(uow.session, uow.db, other, key, r.id,
                                         area=_row_area(other, r)) is not None:
                        raise UserError(
                            f"不能把{other.title}“{row_label(other, r)}”改为引用"
                            f"“{row_label(spec, target)}”：那里已有相同的{other.title}记录；"
                            f"请先在{other.title}中合并或删除后再删除")
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
    from app.attachments import purge_attachments  # imports this module

    purge_attachments(uow, spec.key, [row_id])
    uow.session.delete(obj)
    with uow.converting(spec.title):
        uow.session.flush()


def labelled_refs(uow: UnitOfWork, spec: LedgerSpec, diff: dict) -> dict:
    """Audit reference changes by name, not by id, so the trail reads well years later."""
    out = {}
    for k, (old, new) in diff.items():
        f = spec.field(k)
        if f.type.is_ref:
            label = getattr(f.ref.model, f.ref.label)
            names = dict(uow.session.execute(select(f.ref.model.id, label)
                                             .where(f.ref.model.id.in_([old, new]))).all())
            old, new = names.get(old, old), names.get(new, new)
        out[k] = (old, new)
    return out


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


# The steps for many rows at once live in app.core.bulk; callers import them from here.
from app.core.bulk import insert_rows, soft_delete_all, update_rows  # noqa: E402, F401
