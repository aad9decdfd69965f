"""Per-column filters from the header (ui.row_view.OneOf / Between / Contains) on a
100,000-row synthetic powers table, through the model the page uses, attached to a
shown QTableView (reset and repaint included). Target (issue 15): ≤ 100 ms per filter.

    python tests/benchmarks/bench_column_filter.py [ROWS]

Baseline from the same run: a plain list comprehension testing the same column of the
same rows for the same condition."""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _report import emit  # noqa: E402


def synthetic(n: int):
    """n powers rows as bench_table makes them (fields the generator lacks left empty)."""
    from app.demo import BODY_ROWS, power_rows
    from app.specs import Field
    from app.specs.powers import POWERS

    fields = tuple(f for f in POWERS.table_fields if f.name != "case_counts") + (
        Field("case_count", "2026年办件量", kind="int"),)
    base = power_rows([b[0] for b in BODY_ROWS])
    rows = []
    for i in range(n):
        r = dict(base[i % len(base)])
        r["name"] = f"{r['name']}（{i // len(base) + 1}）"
        r["code"] = f"{r['code']}-{i:06d}"
        r["case_count"] = (i * 7919) % 300 if i % 5 else 0
        rows.append(tuple(r.get(f.name) for f in fields))
    return fields, rows


def _clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main(n: int = 100_000) -> int:
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.row_view import Between, Contains, OneOf
    from ui.table_model import LedgerTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    fields, rows = synthetic(n)
    names = [f.name for f in fields]
    model = LedgerTableModel(fields)
    view = QTableView()
    view.setModel(model)
    view.resize(1366, 700)
    view.show()
    model.set_rows(rows, list(range(n)), [1] * n)
    app.processEvents()

    kind, cases = names.index("power_type"), names.index("case_count")
    eff, name = names.index("effective_date"), names.index("name")
    lo, hi = date(2022, 1, 1), date(2023, 6, 30)
    runs = [
        ("选择：权力类型 ∈ {行政处罚, 行政检查}", kind, OneOf({"行政处罚", "行政检查"}),
         lambda r: r[kind] in {"行政处罚", "行政检查"}),
        ("范围：办件量 10–100", cases, Between(10, 100),
         lambda r: r[cases] is not None and 10 <= r[cases] <= 100),
        ("范围：生效日期 2022-01-01–2023-06-30", eff, Between(lo, hi),
         lambda r: r[eff] is not None and lo <= r[eff] <= hi),
        ("文本：事项名称含“学校”", name, Contains("学校"), lambda r: "学校" in r[name]),
    ]
    print(f"{n:,} rows, {len(fields)} columns")
    worst_ratio, worst = 0.0, 0.0
    for label, column, flt, plain in runs:
        took = []
        for _ in range(5):
            model.set_filters({})
            app.processEvents()
            t = time.perf_counter()
            model.set_filters({column: flt})
            app.processEvents()
            took.append(time.perf_counter() - t)
        shown = model.rowCount()
        base = statistics.median(_clock(lambda p=plain: [r for r in rows if p(r)])
                                 for _ in range(5))
        figure = statistics.median(took)
        worst, worst_ratio = max(worst, figure), max(worst_ratio, figure / base)
        print(f"  {label:36} {figure * 1000:7.1f} ms  {shown:>7,} rows | baseline "
              f"{base * 1000:6.1f} ms | ratio {figure / base:.2f} ×")
        emit(f"column filter: {label}", figure, base, 0.1, "list comprehension", "seconds")
    print(f"\nslowest filter {worst * 1000:.1f} ms (target ≤ 100 ms), worst ratio "
          f"{worst_ratio:.2f} × the plain list comprehension")
    return 0 if worst <= 0.1 else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
