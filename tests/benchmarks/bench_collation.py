"""Pinyin/natural sort keys and initials (app.collation) on a 100,000-row column, against
plain sorted() by the raw text (code-point order) measured in the same run.

    python3 tests/benchmarks/bench_collation.py [ROWS]

Keys are column_keys (what the table sorts by: compact keys for an all-ASCII column such
as the codes). Cold: no key cached yet (a column's first sort after loading); warm: every
key cached (the next sorts). Rows are the table benchmark's synthetic powers rows."""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def measure(collation, name: str, col: list[str]) -> None:
    idx = list(range(len(col)))
    base = statistics.median(clock(lambda: sorted(idx, key=col.__getitem__)) for _ in range(3))

    def pinyin():
        keys = collation.column_keys(list(col))  # a new list, as the table makes each time
        sorted(idx, key=keys.__getitem__)

    collation._keys.clear()
    collation._recent.clear()
    cold = clock(pinyin)
    warm = statistics.median(clock(pinyin) for _ in range(3))
    ini = clock(lambda: collation.initials_many(col))
    print(f"  {name:8} {len(set(col)):>7,} distinct | sorted() {base * 1000:6.1f} ms | "
          f"pinyin cold {cold * 1000:6.1f} ms ({cold / base:4.1f} ×) | warm "
          f"{warm * 1000:6.1f} ms ({warm / base:4.1f} ×) | initials {ini * 1000:6.1f} ms")


def main(n: int = 100_000) -> int:
    from bench_table import synthetic

    from app import collation

    fields, rows = synthetic(n)
    names = [f.name for f in fields]
    collation.sort_key("预热")  # builds the tables once (about 0.1 s), not counted
    print(f"{n:,} rows")
    for name in ("name", "code", "body_id"):
        measure(collation, name, [r[names.index(name)] for r in rows])
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
