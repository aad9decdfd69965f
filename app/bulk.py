"""Many new rows at once: insert_many (Core executemany; on SQLite by column through
sqlite_insert_columns, sqlite3's executemany fed straight from column lists).

An import of 100,000 rows spends more time assembling parameters than SQLite spends
writing them when each row is a dict merged with the shared values and picked apart
again. Here a value shared by every row is given once, a column that needs a bind
processor (dates, datetimes) has each distinct value processed once, and the rows
are zipped from the columns at C speed. The statement still goes through the
connection, so the unit-of-work guard sees it."""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from app.models.base import now

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.db import Database
    from app.specs import LedgerSpec

# A bigger page cache for one bulk write: 100,000 rows and their indexes (some 70 MB)
# are written once at commit instead of spilled to the WAL and rewritten meanwhile.
BULK_CACHE_KIB = 131072
CACHE_INFO_KEY = "streetledger_cache_size"  # the size to restore, in the pool record's info


def restore_cache_size(dbapi_conn, record) -> None:
    """Pool check-in: a connection a bulk unit of work enlarged gets its cache back."""
    size = record.info.pop(CACHE_INFO_KEY, None)
    if size is not None and dbapi_conn is not None:
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA cache_size={int(size)}")
        cur.close()


def sqlite_insert_columns(conn, table, n: int, columns: dict[str, list],
                          constants: dict[str, object] | None = None) -> None:
    """INSERT n rows: columns maps a column name to its n values, constants a column
    name to the one value of every row. Columns of the table given in neither take
    their scalar default (or NULL), as SQLAlchemy's executemany would.

    conn: a SQLAlchemy Connection inside the caller's transaction."""
    if n <= 0:
        return
    constants = dict(constants or {})
    for c in table.columns:
        if c.name in columns or c.name in constants or c.primary_key:
            continue
        d = c.default
        if d is not None and d.is_scalar:
            constants[c.name] = d.arg
        elif d is not None and d.is_callable:
            constants[c.name] = d.arg({})
    dialect = conn.dialect
    names = list(columns) + list(constants)
    compiled = table.insert().compile(dialect=dialect, column_keys=names)
    order = list(compiled.positiontup)
    series = []
    for k in order:
        proc = table.c[k].type.dialect_impl(dialect).bind_processor(dialect)
        if k in constants:
            v = constants[k]
            series.append(repeat(proc(v) if proc and v is not None else v, n))
            continue
        col = columns[k]
        if len(col) != n:
            raise ValueError(f"column {k}: {len(col)} values for {n} rows")
        if proc is not None:
            col = _processed(col, proc)
        series.append(col)
    # a list: SQLAlchemy tells many parameter sets from one by the type
    conn.exec_driver_sql(str(compiled), list(zip(*series, strict=True)))


def _processed(col: list, proc) -> list:
    """proc of every value but None, each distinct value once (dates repeat)."""
    try:
        table = {v: proc(v) for v in set(col) if v is not None}
    except TypeError:  # an unhashable value: one by one
        return [None if v is None else proc(v) for v in col]
    table[None] = None
    return list(map(table.__getitem__, col))


def dict_columns(rows: list[dict], keys) -> dict[str, list]:
    """Row dicts (all with the same keys) → column lists."""
    return {k: list(map(itemgetter(k), rows)) for k in keys}


def insert_many(s: Session, db: Database, spec: LedgerSpec, rows: list[dict],
                *, area: int | None = None) -> list[int]:
    """Bulk insert already-cleaned rows inside a unit of work's transaction (Core
    executemany): one statement for many rows, not one ORM object per row. Returns the
    new ids in order. Only app.core.bulk.insert_rows calls this: it checks permission
    and audits each row."""
    if not rows:
        return []
    stamp = now()
    area = area if area is not None else db.street_id
    base = {**spec.fixed, spec.area_field: area, "created_by": db.actor,
            "updated_by": db.actor, "created_at": stamp, "updated_at": stamp, "version": 1}
    table = spec.model.__table__
    if s.bind.dialect.name == "sqlite":
        return _sqlite_insert_many(s, table, rows, base)
    payload = [{**base, **r} for r in rows]
    # A blank optional number is None after cleaning; the ORM then uses the column's
    # default, Core would write NULL into a NOT NULL column: do as the ORM does.
    for c in table.columns:
        if (not c.nullable and c.default is not None and c.default.is_scalar
                and c.name in rows[0]):
            for p in payload:
                if p[c.name] is None:
                    p[c.name] = c.default.arg
    if s.bind.dialect.insert_executemany_returning:
        result = s.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True),
                           payload)
        return list(result.scalars())
    ids = []
    for p in payload:
        ids.append(s.execute(table.insert(), p).inserted_primary_key[0])
    return ids


def _sqlite_insert_many(s: Session, table, rows: list[dict], base: dict) -> list[int]:
    """insert_many on SQLite, column by column. The fast path has no
    RETURNING; inside the write transaction SQLite holds the database's write lock, so
    the new rows are exactly those above the highest id before the insert, numbered
    in insertion order."""
    columns = dict_columns(rows, rows[0])
    constants = {k: v for k, v in base.items() if k not in columns}
    for c in table.columns:  # a blank optional number: the column's default, as the ORM
        col = columns.get(c.name)
        if (col is not None and not c.nullable and c.default is not None
                and c.default.is_scalar and None in col):
            columns[c.name] = [c.default.arg if v is None else v for v in col]
    before = s.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    sqlite_insert_columns(s.connection(), table, len(rows), columns, constants)
    first, last, count = s.execute(select(func.min(table.c.id), func.max(table.c.id),
                                          func.count()).where(table.c.id > before)).one()
    if count != len(rows):
        raise RuntimeError("批量写入的行数与返回的编号数不一致")
    if last - first + 1 == count:
        return list(range(first, last + 1))
    return list(s.execute(select(table.c.id).where(table.c.id > before)
                          .order_by(table.c.id)).scalars())
