"""The write floor of an import: how long plain sqlite3 takes to write the rows an
import wrote, with nothing else to do. The rows (the import's tables and the audit log)
are read back from the imported database into memory first; then, on an empty copy of
its schema holding every other table's rows, they are inserted with executemany in one
transaction, with the app's pragmas (WAL, synchronous=NORMAL, foreign keys, the bulk
page cache) and every index. No parsing, checking, mapping or Python per row.

Added to the bare read it is the least an import can take when reading and writing
follow one another: (calamine bare read + write floor) / bare read is the ratio no
import of that file can beat on this schema."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

BULK_CACHE_KIB = 131072  # as app.bulk.BULK_CACHE_KIB (not imported: no app code timed here)


def write_floor(imported: Path, tables: list[str], runs: int = 3,
                before: Path | None = None) -> float:
    """Fastest of `runs` writes of `tables`' rows and the audit rows of `imported`.
    before: the database the import started from (its rows are set-up, not timed);
    without it every row of `tables` and of audit_log is timed (an import into a fresh
    database, whose set-up wrote a dozen audit rows)."""
    src = sqlite3.connect(imported)
    try:
        timed_tables = [*tables, "audit_log"]
        since = _max_ids(before, timed_tables) if before else dict.fromkeys(timed_tables, 0)
        schema = [r[0] for r in src.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]
        names = [r[0] for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        setup, timed = {}, {}
        for t in names:
            cols = [r[1] for r in src.execute(f"PRAGMA table_info({t})")]
            rows = src.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()
            if t in timed_tables:
                k = cols.index("id")
                setup[t] = (cols, [r for r in rows if r[k] <= since[t]])
                timed[t] = (cols, [r for r in rows if r[k] > since[t]])
            else:
                setup[t] = (cols, rows)
    finally:
        src.close()
    target = imported.with_name(imported.stem + "-floor.sqlite3")
    best = float("inf")
    for _ in range(runs):
        best = min(best, _write_once(target, schema, setup, timed, timed_tables))
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    return best


def _max_ids(path: Path, tables: list[str]) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT coalesce(max(id), 0) FROM {t}").fetchone()[0]
                for t in tables}
    finally:
        con.close()


def _insert(con, table: str, cols: list[str], rows: list[tuple]) -> None:
    if rows:
        con.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                        f"({', '.join('?' * len(cols))})", rows)


def _write_once(target: Path, schema, setup, timed, order) -> float:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    con = sqlite3.connect(target, isolation_level=None)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        for sql in schema:
            con.execute(sql)
        con.execute("BEGIN")
        for t, (cols, rows) in setup.items():
            _insert(con, t, cols, rows)
        con.execute("COMMIT")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        t0 = time.perf_counter()
        con.execute("BEGIN")
        for t in order:
            _insert(con, t, *timed[t])
        con.execute("COMMIT")
        took = time.perf_counter() - t0
        for t in order:  # every timed row is there (outside the clock)
            cols, rows = timed[t]
            k = cols.index("id")
            ids = [r[k] for r in rows]
            got = con.execute(f"SELECT count(*) FROM {t} WHERE id BETWEEN ? AND ?",
                              (min(ids, default=0), max(ids, default=-1))).fetchone()[0]
            if got != len(rows):
                raise RuntimeError(f"{t}: {got} rows written of {len(rows)}")
        return took
    finally:
        con.close()
