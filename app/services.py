"""The one write path and the generic reads, driven by ledger specs.

Every create/update/delete from the GUI, the CLI and the importer goes through
`save_row` / `delete_row`: parse and validate → check the row version → write →
commit, in one short session. Reads return plain tuples so the GUI can filter
and sort 100,000 rows in Python without touching the ORM."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session, aliased

from app.audit import record
from app.auth import area_path, authorize
from app.db import Database
from app.errors import ConflictError, UserError, ValidationError
from app.models import Area, now
from app.normalize import name_key
from app.specs import Field, LedgerSpec


@dataclass
class RowSet:
    """Rows of one ledger as plain values, in spec.table_fields order (refs as labels)."""

    fields: tuple[Field, ...]
    ids: list[int]
    versions: list[int]
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list:
        i = [f.name for f in self.fields].index(name)
        return [r[i] for r in self.rows]


def scope_clause(db: Database, spec: LedgerSpec, model=None, *, deleted: bool = False):
    """Rows of this ledger within the session's area subtree (live, or only deleted ones)."""
    model = model or spec.model
    subtree = select(Area.id).where(Area.path.startswith(db.scope_path, autoescape=True))
    clauses = [getattr(model, spec.area_field).in_(subtree.scalar_subquery())]
    clauses += [getattr(model, k) == v for k, v in spec.fixed.items()]
    clauses.append(model.deleted_at.is_not(None) if deleted else model.deleted_at.is_(None))
    return and_(*clauses)


def sort_column(spec: LedgerSpec, name: str):
    """ORDER BY for a field: a choice field sorts in its list's own order (下放 → 法定 →
    属地, as the spec, summaries and buttons show them), not by the text's code points."""
    column = getattr(spec.model, name)
    field = next((f for f in spec.fields if f.name == name), None)
    if field is not None and field.kind == "enum" and field.choices:
        return case({c: i for i, c in enumerate(field.choices)}, value=column,
                    else_=len(field.choices))
    return column


def list_rows(db: Database, spec: LedgerSpec, fields: tuple[Field, ...] | None = None,
              *, deleted: bool = False) -> RowSet:
    fields = fields or spec.table_fields
    model = spec.model
    cols, joins = [], []
    for f in fields:
        if f.kind == "ref":
            target = aliased(f.ref.model)
            cols.append(getattr(target, f.ref.label))
            joins.append((target, target.id == getattr(model, f.name)))
        else:
            cols.append(getattr(model, f.name))
    stmt = select(model.id, model.version, *cols)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    stmt = stmt.where(scope_clause(db, spec, deleted=deleted))
    stmt = stmt.order_by(*(sort_column(spec, k) for k in spec.default_sort))
    with db.session() as s:
        result = s.execute(stmt).all()
    return RowSet(fields, [r[0] for r in result], [r[1] for r in result],
                  [tuple(r[2:]) for r in result])


def get_row(db: Database, spec: LedgerSpec, row_id: int) -> dict:
    """One live row as {field: value} (refs as ids) plus id and version."""
    with db.session() as s:
        obj = _load(s, db, spec, row_id)
        return _as_dict(spec, obj)


def _as_dict(spec: LedgerSpec, obj) -> dict:
    d = {f.name: getattr(obj, f.name) for f in spec.fields}
    d["id"], d["version"] = obj.id, obj.version
    return d


def _load(s: Session, db: Database, spec: LedgerSpec, row_id: int, *, deleted=False):
    obj = s.execute(
        select(spec.model).where(spec.model.id == row_id, scope_clause(db, spec, deleted=deleted))
    ).scalar_one_or_none()
    if obj is None:
        raise ConflictError(f"该{spec.title}记录已被他人删除或不存在（编号 {row_id}）", None)
    return obj


def ref_choices(db: Database, f: Field) -> list[tuple[int, str]]:
    """(id, label) of the rows a ref field may point to, in the current street."""
    m = f.ref.model
    stmt = select(m.id, getattr(m, f.ref.label)).where(
        getattr(m, f.ref.area_field) == db.street_id, m.deleted_at.is_(None),
        *(getattr(m, k) == v for k, v in f.ref.fixed.items()),
    )
    if hasattr(m, "sort_order"):
        stmt = stmt.order_by(m.sort_order, m.id)
    with db.session() as s:
        return [(i, label) for i, label in s.execute(stmt)]


def ref_index(db: Database, f: Field) -> dict[str, int]:
    """name_key(label) → id, for matching names typed or imported."""
    return {name_key(label): i for i, label in ref_choices(db, f)}


def clean_values(db: Database, spec: LedgerSpec, raw: dict, s: Session,
                 refs: dict[str, dict[str, int]] | None = None,
                 parsers: dict | None = None) -> dict:
    """Parse and check every form field; raises ValidationError listing all problems.

    refs (field → name_key → id) and parsers (field → a stand-in for Field.parse with
    the same results, e.g. one that remembers repeated cells) let an import check
    100,000 rows without a query or a re-parse per row."""
    values, errors = {}, {}
    for f in spec.form_fields:
        if f.name not in raw:
            value = f.default if f.default is not None else f.empty
        else:
            try:
                value = parsers[f.name](raw[f.name]) if parsers else f.parse(raw[f.name])
            except ValueError as exc:
                errors[f.name] = str(exc)
                continue
        if f.kind == "ref" and isinstance(value, str):
            if value:
                index = (refs or {}).get(f.name)
                if index is None:
                    index = ref_index(db, f)
                found = index.get(name_key(value))
                if found is None:
                    errors[f.name] = f"“{value}”不在{f.label}的可选范围内"
                    continue
                value = found
            else:
                value = None
        if f.required and value in (None, ""):
            errors[f.name] = "必填"
            continue
        values[f.name] = value
    if not errors and spec.rules:
        errors.update(spec.rules(values))
    if errors:
        raise ValidationError(errors, spec.labels)
    return values


def natural_key_clash(s: Session, db: Database, spec: LedgerSpec, values: dict,
                      row_id: int | None) -> int | None:
    m = spec.model
    stmt = select(m.id).where(
        scope_clause(db, spec), *(getattr(m, k) == values.get(k) for k in spec.natural_key)
    )
    if row_id is not None:
        stmt = stmt.where(m.id != row_id)
    return s.execute(stmt.limit(1)).scalar()


def _key_error(spec: LedgerSpec, values: dict) -> ValidationError:
    shown = "、".join(
        f"{spec.field(k).label}“{values.get(k)}”" for k in spec.natural_key if values.get(k)
    )
    last = [k for k in spec.natural_key if values.get(k)][-1]
    return ValidationError({last: f"已存在相同的记录（{shown}）"}, spec.labels)


def save_row(db: Database, spec: LedgerSpec, raw: dict, row_id: int | None = None,
             expected_version: int | None = None) -> tuple[int, int]:
    """Create (row_id None) or update a row; returns (id, new version).

    An update whose expected_version is not the stored one is refused with
    ConflictError carrying the stored values (someone else saved first)."""
    with db.session() as s:
        values = clean_values(db, spec, raw, s)
        if natural_key_clash(s, db, spec, values, row_id) is not None:
            raise _key_error(spec, values)
        stamp = now()
        if row_id is None:
            authorize(db, "create", area_path(s, db.street_id))
            obj = spec.model(**values, **spec.fixed)
            setattr(obj, spec.area_field, db.street_id)
            obj.created_by = obj.updated_by = db.actor
            obj.created_at = obj.updated_at = stamp
            s.add(obj)
            changes = None
        else:
            obj = _load(s, db, spec, row_id)
            authorize(db, "update", area_path(s, getattr(obj, spec.area_field)))
            _check_version(spec, obj, expected_version)
            changes = {k: (getattr(obj, k), v) for k, v in values.items() if getattr(obj, k) != v}
            if not changes:
                return obj.id, obj.version
            for k, (_old, v) in changes.items():
                setattr(obj, k, v)
            obj.updated_by, obj.updated_at = db.actor, stamp
        with write_guard(s, spec):
            s.flush()
            if spec.after_write:
                spec.after_write(s, obj)
            record(s, db.actor, "create" if row_id is None else "update", spec.key, obj.id,
                   row_label(spec, obj), _labelled_refs(s, spec, changes))
            s.commit()
        return obj.id, obj.version


def delete_row(db: Database, spec: LedgerSpec, row_id: int, expected_version: int | None) -> int:
    """Soft delete: the row leaves every view and report but stays restorable.

    Returns the row's new version."""
    with db.session() as s:
        obj = _load(s, db, spec, row_id)
        authorize(db, "delete", area_path(s, getattr(obj, spec.area_field)))
        _check_version(spec, obj, expected_version)
        obj.deleted_at, obj.deleted_by = now(), db.actor
        obj.updated_at, obj.updated_by = obj.deleted_at, db.actor
        record(s, db.actor, "delete", spec.key, obj.id, row_label(spec, obj))
        _commit(s, spec)
        return obj.version


def restore_row(db: Database, spec: LedgerSpec, row_id: int) -> int:
    """Bring a row back from the recycle bin (回收站), unless its key is taken meanwhile."""
    with db.session() as s:
        obj = _load(s, db, spec, row_id, deleted=True)
        authorize(db, "restore", area_path(s, getattr(obj, spec.area_field)))
        values = {k: getattr(obj, k) for k in spec.natural_key}
        if natural_key_clash(s, db, spec, values, row_id) is not None:
            raise UserError(f"无法恢复：{spec.title}中已有相同的记录（{row_label(spec, obj)}）")
        obj.deleted_at = obj.deleted_by = None
        obj.updated_at, obj.updated_by = now(), db.actor
        record(s, db.actor, "restore", spec.key, obj.id, row_label(spec, obj))
        _commit(s, spec)
        return obj.version


def purge_row(db: Database, spec: LedgerSpec, row_id: int) -> None:
    """Delete a row from the recycle bin for good (administrators only)."""
    with db.session() as s:
        obj = _load(s, db, spec, row_id, deleted=True)
        authorize(db, "purge", area_path(s, getattr(obj, spec.area_field)))
        record(s, db.actor, "purge", spec.key, obj.id, row_label(spec, obj))
        s.delete(obj)
        _commit(s, spec)


def deleted_rows(db: Database, spec: LedgerSpec) -> list[dict]:
    """The recycle bin of one ledger: what was deleted, by whom and when."""
    m = spec.model
    with db.session() as s:
        objs = s.execute(select(m).where(scope_clause(db, spec, deleted=True))
                         .order_by(m.deleted_at.desc())).scalars()
        return [{"id": o.id, "ledger": spec.key, "title": spec.title, "label": row_label(spec, o),
                 "deleted_at": o.deleted_at, "deleted_by": o.deleted_by} for o in objs]


def row_label(spec: LedgerSpec, obj) -> str:
    """A short human name of a row for the audit trail and the recycle bin."""
    parts = [str(getattr(obj, k) or "") for k in spec.natural_key]
    return " / ".join(p for p in parts if p)


def _labelled_refs(s: Session, spec: LedgerSpec, changes: dict | None) -> dict | None:
    """Audit ref changes by name, not by id, so the trail reads well years later."""
    if not changes:
        return changes
    out = {}
    for k, (old, new) in changes.items():
        f = spec.field(k)
        if f.kind == "ref":
            label = getattr(f.ref.model, f.ref.label)
            names = dict(s.execute(select(f.ref.model.id, label)
                                   .where(f.ref.model.id.in_([old, new]))).all())
            old, new = names.get(old, old), names.get(new, new)
        out[k] = (old, new)
    return out


def _check_version(spec: LedgerSpec, obj, expected_version: int | None) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(
            f"该{spec.title}记录已被“{obj.updated_by or '他人'}”于 "
            f"{_when(obj.updated_at)} 修改，请核对后再保存",
            _as_dict(spec, obj), obj.version,
        )


@contextmanager
def write_guard(s: Session, spec: LedgerSpec):
    """Turn what a concurrent writer can cause during flush/commit into user errors."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm.exc import StaleDataError

    try:
        yield
    except ConflictError:
        raise
    except StaleDataError as exc:  # changed between our read and our write
        s.rollback()
        raise ConflictError(f"该{spec.title}记录刚被他人修改，请重新打开后再保存") from exc
    except IntegrityError as exc:  # the unique natural key, raced by another client
        s.rollback()
        raise UserError(f"保存失败：{spec.title}中已存在相同的记录") from exc


def _commit(s: Session, spec: LedgerSpec) -> None:
    with write_guard(s, spec):
        s.commit()


def _when(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M") if t else ""


def insert_many(s: Session, db: Database, spec: LedgerSpec, rows: list[dict],
                *, returning: bool = True) -> list[int]:
    """Bulk insert already-cleaned rows inside the caller's transaction (Core executemany).

    Used by imports and the demo data: one statement for many rows, not one ORM
    object per row. Returns the new ids in order ([] when returning is False, which
    lets the driver's plain executemany run: imports do not need the ids)."""
    if not rows:
        return []
    stamp = now()
    base = {**spec.fixed, spec.area_field: db.street_id, "created_by": db.actor,
            "updated_by": db.actor, "created_at": stamp, "updated_at": stamp, "version": 1}
    table = spec.model.__table__
    payload = [{**base, **r} for r in rows]
    # A blank optional number is None after cleaning; the ORM then uses the column's
    # default, Core would write NULL into a NOT NULL column: do as the ORM does.
    for c in table.columns:
        if (not c.nullable and c.default is not None and c.default.is_scalar
                and c.name in rows[0]):
            for p in payload:
                if p[c.name] is None:
                    p[c.name] = c.default.arg
    if not returning:
        if s.bind.dialect.name == "sqlite":
            _sqlite_executemany(s, table, payload)
        else:  # psycopg batches executemany itself
            s.execute(table.insert(), payload)
        return []
    if s.bind.dialect.insert_executemany_returning:
        result = s.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True),
                           payload)
        return list(result.scalars())
    ids = []
    for p in payload:
        ids.append(s.execute(table.insert(), p).inserted_primary_key[0])
    return ids


def _sqlite_executemany(s: Session, table, payload: list[dict]) -> None:
    """sqlite3's executemany without SQLAlchemy's per-row parameter assembly.

    The INSERT is compiled once by SQLAlchemy; values of columns whose type has a
    bind processor (dates, datetimes) still go through it, so they are stored exactly
    as the ORM stores them. For 100,000 rows this takes about half the time of
    Connection.execute."""
    from operator import itemgetter

    conn = s.connection()
    dialect = conn.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=list(payload[0]))
    order = list(compiled.positiontup)
    fill = {}
    for k in order:  # columns the rows do not mention take their default
        default = table.c[k].default
        if k not in payload[0]:
            fill[k] = (default.arg if default is not None and default.is_scalar else
                       default.arg({}) if default is not None and default.is_callable else None)
    processed = [(i, proc) for i, k in enumerate(order)
                 if (proc := table.c[k].type.dialect_impl(dialect).bind_processor(dialect))]
    get = itemgetter(*order)
    rows = []
    memo: dict[int, tuple] = {}  # the same created_at for every row: process it once
    for p in payload:
        values = get({**fill, **p} if fill else p)
        if processed:
            values = list(values)
            for i, proc in processed:
                v = values[i]
                if v is not None:
                    seen = memo.get(i)
                    if seen is not None and seen[0] is v:
                        values[i] = seen[1]
                    else:
                        out = proc(v)
                        memo[i] = (v, out)
                        values[i] = out
        rows.append(tuple(values))
    conn.exec_driver_sql(str(compiled), rows)
