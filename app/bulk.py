"""Many rows into SQLite by column: sqlite3's executemany fed straight from column lists.

An import of 100,000 rows spends more time assembling parameters than SQLite spends
writing them when each row is a dict merged with the shared values and picked apart
again. Here a value shared by every row is given once, a column that needs a bind
processor (dates, datetimes) has each distinct value processed once, and the rows
are zipped from the columns at C speed. The statement still goes through the
connection, so the unit-of-work guard sees it."""

from __future__ import annotations

from itertools import repeat
from operator import itemgetter

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
