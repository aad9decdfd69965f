"""Filter-as-you-type and sort on a 100,000-row synthetic powers table, through the
table model the powers page uses (ui.table_model.LedgerTableModel, attached to a
shown QTableView so the view's reset and repaint are included).
Targets (issue 2): filter ≤ 100 ms per keystroke, sort ≤ 300 ms.

    python tests/benchmarks/bench_table.py [ROWS]

A plain-Python baseline is measured in the same run: a list comprehension testing
one field for the substring (filter) and sorted() by one tuple item (sort)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from operator import itemgetter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def synthetic(n: int):
    """n powers rows (+ this year's case count) built from the demo generator's items,
    with numbered names and codes so rows differ."""
    from app.demo import BODY_ROWS, power_rows
    from app.specs.powers import POWERS

    fields = POWERS.table_fields  # this year's 办件量 and the 办件量 summary among them
    base = power_rows([b[0] for b in BODY_ROWS])
    rows = []
    for i in range(n):
        r = dict(base[i % len(base)])
        r["name"] = f"{r['name']}（{i // len(base) + 1}）"
        r["code"] = f"{r['code']}-{i:06d}"
        r["case_count"] = (i * 7919) % 300 if i % 5 else 0
        r["case_counts"] = f"2026年：{r['case_count']} 件" if r["case_count"] else ""
        rows.append(tuple(r[f.name] for f in fields))
    return fields, rows


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main(n: int = 100_000) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.table_model import LedgerTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    fields, rows = synthetic(n)
    names = [f.name for f in fields]
    model = LedgerTableModel(fields)
    view = QTableView()
    view.setModel(model)
    view.resize(1366, 700)
    view.show()

    t = time.perf_counter()
    model.set_rows(rows, list(range(n)), [1] * n)
    app.processEvents()
    load = time.perf_counter() - t
    print(f"{n:,} rows, {len(fields)} columns; load (search index + first paint): {ms(load)}")

    def timed(fn) -> float:
        t = time.perf_counter()
        fn()
        app.processEvents()  # the view's reset and repaint
        return time.perf_counter() - t

    print("\nfilter as you type (search box; each keystroke):")
    worst = 0.0
    for query in ("对单位和", "XF-0"):
        for k in range(1, len(query) + 1):
            took = timed(lambda q=query[:k]: model.set_query(q))
            worst = max(worst, took)
            print(f"  {query[:k]!r:12} {ms(took)}  {model.rowCount():>7,} rows shown")
        for k in range(len(query) - 1, -1, -1):  # backspace: a full scan each time
            took = timed(lambda q=query[:k]: model.set_query(q))
            worst = max(worst, took)
        print(f"  backspacing to '' (slowest step counted below)  {model.rowCount():>7,} rows")
    combo = timed(lambda: model.set_filters({names.index("list_kind"): "属地管理事项"}))
    print(f"  combo filter 属地管理事项 {ms(combo)}  {model.rowCount():>7,} rows shown")
    model.set_filters({})

    # The same keystrokes in the engine alone (no Qt reset and repaint), for the record.
    from ui.row_view import RowView

    engine = RowView(fields)
    engine.set_rows(rows, list(range(n)), [1] * n)
    engine_worst = max(_clock(lambda q=q[:k]: engine.set_query(q))
                       for q in ("对单位和", "XF-0") for k in range(1, len(q) + 1))
    print(f"  engine alone (RowView, no view): slowest keystroke {ms(engine_worst)}")

    name_i = names.index("name")
    base_f = statistics.median(
        _clock(lambda: [r for r in rows if "对单位和" in r[name_i]]) for _ in range(5))

    print("\nsort (header click):")
    sort_times = {}
    for f in fields:
        c = names.index(f.name)
        up = timed(lambda c=c: model.sort(c, Qt.AscendingOrder))
        down = timed(lambda c=c: model.sort(c, Qt.DescendingOrder))
        sort_times[f.label] = max(up, down)
    for label, took in sort_times.items():
        print(f"  {label:8} {ms(took)}")
    model.sort(-1)
    base_s = statistics.median(
        _clock(lambda: sorted(rows, key=itemgetter(name_i))) for _ in range(3))

    worst_sort = max(sort_times.values())
    print("\nsummary")
    print(f"  filter: slowest keystroke {ms(worst)} | plain-Python filter baseline "
          f"{ms(base_f)} | ratio {worst / base_f:.2f} × | target ≤ 100 ms: "
          f"{'met' if worst <= 0.1 else 'MISSED'}")
    print(f"  sort:   slowest column    {ms(worst_sort)} | sorted() baseline        "
          f"{ms(base_s)} | ratio {worst_sort / base_s:.2f} × | target ≤ 300 ms: "
          f"{'met' if worst_sort <= 0.3 else 'MISSED'}")
    from _report import emit

    emit("表格：筛选最慢一次按键（秒）", worst, base_f, 0.1, "纯 Python 筛选", kind="seconds")
    emit("表格：排序最慢一列（秒）", worst_sort, base_s, 0.3, "sorted()", kind="seconds")
    view.close()
    return 0


def _clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
