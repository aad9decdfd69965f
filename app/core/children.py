"""Child collections (app.specs.Children): rows edited inside their parent's form.

One step writes them all for one parent: parse and check every row (required fields,
references, the collection's key, exactly one primary row, its rules), compare with what
is stored, replace, and audit the change under the parent, whose version moves. A parent
save and its collections are one unit of work."""

from __future__ import annotations

import operator
from itertools import repeat
from operator import methodcaller

from sqlalchemy import delete, select

from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.errors import ValidationError
from app.normalize import name_key
from app.specs import Children, LedgerSpec


def stored_children(s, child: Children, parent_id: int) -> list[dict]:
    m = child.model
    cols = [getattr(m, f.name) for f in child.fields]
    rows = s.execute(select(*cols).where(getattr(m, child.parent_field) == parent_id)
                     .order_by(*(getattr(m, k) for k in child.order_by))).all()
    return [dict(zip((f.name for f in child.fields), r, strict=True)) for r in rows]


def read_children(db, spec: LedgerSpec, row_id: int, name: str) -> list[dict]:
    """The rows of one collection of one parent (references as ids)."""
    with db.session() as s:
        return stored_children(s, spec.child(name), row_id)


_MEMO_TYPES = (str, int, bool)  # hashable cell values whose parse depends on nothing else


def clean_children(uow: UnitOfWork, spec: LedgerSpec, child: Children,
                   raw_rows: list[dict]) -> list[dict]:
    """Typed rows, or ValidationError naming the collection, the row and the field."""
    from app.core.writes import allowed_refs

    rows, problems = [], []
    # The same post name or date, row after row of an import: parsed once per unit of work.
    memo = uow.cache.setdefault(("child-parse", child.name), {})
    for n, raw in enumerate(raw_rows, 1):
        values = {}
        for f in child.fields:
            v = raw.get(f.name)
            try:
                if v is None:
                    value = f.empty
                elif v.__class__ in _MEMO_TYPES:
                    key = (f.name, v)
                    value = memo[key] if key in memo else memo.setdefault(key, f.parse(v))
                else:
                    value = f.parse(v)
            except ValueError as exc:
                problems.append(f"第{n}行{f.label}{exc}")
                continue
            if f.type.is_ref and isinstance(value, str):
                found = _index(uow, f).get(name_key(value))
                if value and found is None:
                    problems.append(f"第{n}行{f.label}“{value}”不在可选范围内")
                    continue
                value = found
            elif f.type.is_ref and value is not None and value not in allowed_refs(uow, f):
                problems.append(f"第{n}行所选{f.label}不存在、已删除或不在本街道")
                continue
            if f.required and value in (None, ""):
                problems.append(f"第{n}行{f.label}必填")
                continue
            values[f.name] = value
        rows.append(values)
    if not problems:
        problems += _collection_problems(child, rows)
    if problems:
        raise ValidationError({child.name: "；".join(problems)}, {child.name: child.label})
    return rows


def _choices(uow: UnitOfWork, f):
    from app.services import ref_choices

    key = ("ref-choices", f.name, f.ref.model)
    if key not in uow.cache:
        uow.cache[key] = ref_choices(uow.db, f, uow.session)
    return uow.cache[key]


def _index(uow: UnitOfWork, f) -> dict[str, int]:
    """name_key → id of the rows a reference may name, built once per unit of work (an
    import checks the posts of 10,000 people against the same bodies)."""
    key = ("ref-index", f.name, f.ref.model)
    if key not in uow.cache:
        uow.cache[key] = {name_key(lb): i for i, lb in _choices(uow, f)}
    return uow.cache[key]


def _collection_problems(child: Children, rows: list[dict]) -> list[str]:
    out = []
    if child.key:
        seen: dict[tuple, int] = {}
        for n, r in enumerate(rows, 1):
            k = tuple(r.get(x) for x in child.key)
            if k in seen:
                what = "、".join(child.field(x).display(r.get(x)) for x in child.key)
                out.append(f"第{n}行与第{seen[k]}行重复（{what}），请合并为一行")
            seen.setdefault(k, n)
    if child.primary and rows:
        marked = sum(1 for r in rows if r.get(child.primary))
        if marked != 1:
            label = child.field(child.primary).label
            out.append(f"须有且只有一行的“{label}”为“是”（现有 {marked} 行）")
    if child.rules and not out:
        out += [f"第{n}行{msg}" for n, msg in sorted(child.rules(rows).items())]
    return out


def comparable(child: Children, rows: list[dict] | None,
               refs: dict[str, dict[str, int]] | None = None) -> list[dict]:
    """Rows as stored rows compare: every field present, a reference named in a sheet
    cell (“综合办公室/文秘”) resolved to its id through `refs` (field → name_key → id), and
    order-free when the collection has a key. A parsed cell compared with the stored rows
    as they are names bodies where the rows hold ids: it always differed."""
    out = []
    for r in rows or ():
        item = {}
        for f in child.fields:
            v = r.get(f.name, f.empty)
            if f.type.is_ref and isinstance(v, str):
                v = (refs or {}).get(f.name, {}).get(name_key(v), v) if v else None
            item[f.name] = v
        out.append(item)
    if child.key:
        out.sort(key=lambda r: tuple(str(r.get(k)) for k in child.key))
    return out


def describe_all(child: Children, rows: list[dict]) -> str:
    return "，".join(child.describe(r) for r in rows)


def write_children(uow: UnitOfWork, spec: LedgerSpec, obj, child: Children,
                   raw_rows: list[dict]) -> bool:
    """Replace one collection of the loaded parent `obj`; False when nothing changed."""
    from app.core.writes import touch

    s = uow.session
    new = clean_children(uow, spec, child, raw_rows)
    old = stored_children(s, child, obj.id)
    if child.key:  # the stored order is the collection's own: compare as sets of rows
        def order(rows):
            return sorted(rows, key=lambda r: tuple(str(r.get(k)) for k in child.key))
        same = order(old) == order(new)
    else:
        same = old == new
    if same:
        return False
    m = child.model
    s.execute(delete(m).where(getattr(m, child.parent_field) == obj.id))
    for r in new:
        s.add(m(**{child.parent_field: obj.id}, **r))
    if child.key:
        new = sorted(new, key=lambda r: tuple(r.get(k) for k in child.order_by if k in r))
    from app.services import collection_labels

    touch(uow, spec, obj, {child.name: (describe_all(child, collection_labels(s, child, old)),
                                        describe_all(child, collection_labels(s, child, new)))})
    return True


@write_operation
def save_children(db, spec: LedgerSpec, row_id: int, name: str, rows: list[dict],
                  expected_version: int | None) -> int:
    """Replace the collection `name` of one row (e.g. its 办件量 by year); returns the
    row's version, moved when something changed."""
    from app.core.writes import load_for_change

    with UnitOfWork(db) as uow:
        obj = load_for_change(uow, spec, row_id, expected_version)
        write_children(uow, spec, obj, spec.child(name), rows)
    return obj.version


# -- collections given with rows in bulk (imports, demo data) ------------------------------


def pop_collections(spec: LedgerSpec, rows: list[dict]
                    ) -> tuple[list[dict], dict[str, dict[int, list]]]:
    """Bulk rows without their collections (new dicts: the caller's stay whole), and the
    collections: child name → {row index: its rows}. A collection not given (None: the
    file has no such column) is left as stored.

    By column: an import's 100,000 rows each carry the key (None when the file has no
    such column), and a loop over the rows in Python cost more than the insert."""
    fields = spec.collection_fields
    if not fields or not rows:
        return rows, {}
    names = [f.name for f in fields]
    if not any(any(map(operator.contains, rows, repeat(k))) for k in names):
        return rows, {}
    kept = list(map(dict, rows))
    out: dict[str, dict[int, list]] = {}
    for f in fields:
        items = list(map(methodcaller("pop", f.name, None), kept))
        given = {n: v for n, v in enumerate(items) if v is not None}
        if given:
            out[f.collection.name] = given
    return kept, out


def insert_collections(uow: UnitOfWork, spec: LedgerSpec, ids: list[int],
                       popped: dict[str, dict[int, list]]) -> None:
    """The collections of newly inserted rows (part of their creation: no audit of
    their own, the row's creation entry stands for them).

    An import's cells repeat (the same posts, row after row) and the column pass gives
    equal cells the same list: each such list is cleaned once; on SQLite the rows go in
    by column (app.bulk)."""
    s = uow.session
    for name, per_row in popped.items():
        child = spec.child(name)
        names = [f.name for f in child.fields]
        parents: list[int] = []
        cols: dict[str, list] = {k: [] for k in names}
        done: dict[int, tuple[list, list[dict]]] = {}  # id(items) → (items, cleaned)
        for n, items in per_row.items():
            hit = done.get(id(items))
            if hit is None:
                hit = done[id(items)] = (items, clean_children(uow, spec, child, items))
            cleaned = hit[1]
            parents.extend(repeat(ids[n], len(cleaned)))
            for k in names:
                cols[k].extend(map(methodcaller("get", k, _MISSING), cleaned))
        if not parents:
            continue
        table = child.model.__table__
        for k in names:  # a field a cleaned row lacks takes the column's default
            if _MISSING in cols[k]:
                cols[k] = _defaulted(table.c[k], cols[k])
        if s.bind.dialect.name == "sqlite":
            from app.bulk import sqlite_insert_columns

            sqlite_insert_columns(s.connection(), table, len(parents),
                                  {child.parent_field: parents, **cols})
        else:
            payload = [{child.parent_field: p, **dict(zip(names, vals, strict=True))}
                       for p, *vals in zip(parents, *cols.values(), strict=True)]
            s.execute(table.insert(), payload)


_MISSING = object()


def _defaulted(column, values: list) -> list:
    d = column.default
    fill = d.arg if d is not None and d.is_scalar else None
    return [fill if v is _MISSING else v for v in values]


def replace_collections(uow: UnitOfWork, spec: LedgerSpec, ids: list[int],
                        popped: dict[str, dict[int, list]]) -> dict[int, dict]:
    """Replace the collections of existing rows (their versions move with the update
    that carries them); returns row id → audit diff {child name: (old, new)}."""
    from app.services import collection_labels

    s = uow.session
    diffs: dict[int, dict] = {}
    for name, per_row in popped.items():
        child = spec.child(name)
        m = child.model
        parent = getattr(m, child.parent_field)
        targets = [ids[n] for n in per_row]
        old: dict[int, list[dict]] = {}
        for k in range(0, len(targets), 500):
            for pid, *vals in s.execute(select(parent, *(getattr(m, f.name) for f in child.fields))
                                        .where(parent.in_(targets[k:k + 500]))
                                        .order_by(*(getattr(m, x) for x in child.order_by))):
                old.setdefault(pid, []).append(
                    dict(zip((f.name for f in child.fields), vals, strict=True)))
            s.execute(delete(m).where(parent.in_(targets[k:k + 500])))
        payload = []
        for n, items in per_row.items():
            new = clean_children(uow, spec, child, items)
            payload += [{child.parent_field: ids[n], **r} for r in new]
            diffs.setdefault(ids[n], {})[name] = (
                describe_all(child, collection_labels(s, child, old.get(ids[n], []))),
                describe_all(child, collection_labels(s, child, new)))
        if payload:
            s.execute(m.__table__.insert(), payload)
    return diffs


def stored_collections(s, spec: LedgerSpec, ids: list[int]) -> dict[int, dict[str, list]]:
    """row id → {collection field: its rows typed}, to compare an import with."""
    out: dict[int, dict[str, list]] = {}
    for f in spec.collection_fields:
        child = f.collection
        m = child.model
        parent = getattr(m, child.parent_field)
        names = [g.name for g in child.fields]
        stmt = select(parent, *(getattr(m, n) for n in names)).order_by(
            parent, *(getattr(m, x) for x in child.order_by))
        if len(ids) <= 500:
            stmt = stmt.where(parent.in_(ids))
        wanted = set(ids)
        for pid, *vals in s.execute(stmt):
            if pid in wanted:
                out.setdefault(pid, {}).setdefault(f.name, []).append(
                    dict(zip(names, vals, strict=True)))
    return out
