"""PDF time for very long cell texts (issue 18, finding 19): 20 rows whose 备注 and
实施依据 hold N characters each, for N = 7,500, 15,000 and 30,000, against the same 20 rows
with short texts in the same run. Linear means the time per character stays flat as N
doubles. Target: 20 rows × 30,000 characters in at most 60 s.

    python tests/benchmarks/bench_pdf_long_text.py [ROWS]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

TEXT = ("依据《中华人民共和国行政处罚法》第十八条及《四川省城市管理综合行政执法条例》的规定，"
        "对辖区内擅自占用城市道路设置摊点的行为实施处罚。Article 18, see also "
        "https://example.org/law?id=18&x=1. ")


def rows_with(n_rows: int, chars: int):
    from app.services import RowSet
    from app.specs.powers import POWERS

    fields = POWERS.export_fields
    names = [f.name for f in fields]
    long = (TEXT * (chars // len(TEXT) + 1))[:chars]
    rows = []
    for i in range(n_rows):
        values = {f.name: None if f.kind in ("date", "int", "ref") else "" for f in fields}
        values.update(list_kind="法定权力事项", power_type="行政处罚", name=f"长文本事项{i}",
                      legal_basis=long, remarks=long, status="运行中")
        rows.append(tuple(values[f] for f in names))
    return POWERS, RowSet(fields, list(range(n_rows)), [1] * n_rows, rows)


def timed(n_rows: int, chars: int, out: Path) -> tuple[float, int]:
    from reports.pdf import write_ledger_pdf

    spec, rowset = rows_with(n_rows, chars)
    start = time.perf_counter()
    pages = write_ledger_pdf(out, spec, rowset, title="长文本", street_name="南城街道")
    return time.perf_counter() - start, pages


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "long.pdf"
        timed(2, 100, out)  # fonts loaded once, outside the timings
        base, base_pages = timed(n_rows, 100, out)
        print(f"baseline {n_rows} rows × 100 chars: {base:.2f} s, {base_pages} pages")
        per_char = []
        for chars in (7_500, 15_000, 30_000):
            t, pages = timed(n_rows, chars, out)
            per_char.append((t - base) / chars)
            print(f"{n_rows} rows × 2 cells × {chars:,} chars: {t:.2f} s ({t / base:.1f} × baseline), "
                  f"{pages} pages, {1e6 * per_char[-1] / n_rows:.1f} µs per character per row")
        growth = per_char[-1] / per_char[0]
        print(f"time per character at 30,000 vs 7,500: {growth:.2f} × (1.0 = linear); "
              f"target 30,000 chars ≤ 60 s: {'met' if t <= 60 else 'NOT met'}")


if __name__ == "__main__":
    main()
