"""Export timing: the styled ledger export (reports.xlsx.write_ledger_xlsx) of a
100,000-row synthetic powers list against openpyxl write-only writing the same
values bare, in the same run. Target (issue 2/3): export ≤ 1.2 × bare.
Also times the 394-row demo powers PDF.

    python tests/benchmarks/bench_export.py [ROWS]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def synthetic_rows(n: int):
    from app.services import RowSet
    from app.specs.powers import DEVOLUTION_MODES, LIST_KINDS, POWER_TYPES, POWERS, STATUSES

    fields = POWERS.export_fields
    names = [f.name for f in fields]
    rows = []
    for i in range(n):
        cases = (i * 7919) % 300 if i % 5 else 0
        row = dict(
            list_kind=LIST_KINDS[i % 3], power_type=POWER_TYPES[i % 11], code=f"XF-{i:06d}",
            name=f"对单位和个人在第{i % 97}号路段擅自设置摊点的处罚",
            sub_item="" if i % 4 else "一般情形", origin_department="区综合行政执法局",
            legal_basis=f"《城市道路管理条例》第{i % 60 + 1}条" + "，依法实施" * (i % 3),
            body_id="综合行政执法办公室", devolution_mode=DEVOLUTION_MODES[i % 3],
            effective_date=date(2020, 1, 1) + timedelta(days=i % 1500), status=STATUSES[i % 4],
            remarks="=HYPERLINK(\"http://x\")" if i % 1000 == 0 else "",
            case_count=cases, case_counts=f"2026年：{cases} 件" if cases else "")
        rows.append(tuple(row[k] for k in names))  # KeyError: a field added to the export
    return POWERS, RowSet(fields, list(range(n)), [1] * n, rows)


def bare(path: Path, rowset, *, blanks: bool = False) -> None:
    """The same values with no title, styles or guards; blanks=True also writes ""
    as an empty cell, as the export does."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("bare")
    for n, row in enumerate(rowset.rows, 1):
        ws.append((n, *((None if v == "" else v) for v in row)) if blanks else (n, *row))
    wb.save(path)


def best_of(k: int, fn) -> float:
    """Least CPU time of k runs: CPU time, because other processes share this machine."""
    times = []
    for _ in range(k):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return min(times)


def interleaved(k: int, a, b) -> tuple[float, float]:
    """best_of for two functions run alternately, so a busy spell hurts both alike."""
    ta, tb = [], []
    for _ in range(k):
        ta.append(best_of(1, a))
        tb.append(best_of(1, b))
    return min(ta), min(tb)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    from reports.xlsx import write_ledger_xlsx

    spec, rowset = synthetic_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t_bare, t_export = interleaved(
            3, lambda: bare(out / "bare.xlsx", rowset),
            lambda: write_ledger_xlsx(out / "export.xlsx", spec, rowset, title="南城街道权责清单",
                                      street_name="南城街道"))
        print(f"xlsx {n} rows (CPU s): bare openpyxl {t_bare:.2f}, export {t_export:.2f}, "
              f"ratio {t_export / t_bare:.2f} (target ≤ 1.2)")
        from _report import emit

        emit(f"导出 {n:,} 行 xlsx（CPU）", t_export, t_bare, 1.2, "openpyxl 裸写")
        t_blank, t_export2 = interleaved(
            2, lambda: bare(out / "bare2.xlsx", rowset, blanks=True),
            lambda: write_ledger_xlsx(out / "export.xlsx", spec, rowset, title="南城街道权责清单",
                                      street_name="南城街道"))
        print(f"  against a bare run that also leaves empty strings blank: {t_blank:.2f} vs "
              f"{t_export2:.2f}, ratio {t_export2 / t_blank:.2f}")
        # Worst case: every row has text too long for its column (wrapped, row height set).
        legal = [f.name for f in rowset.fields].index("legal_basis")
        long_rows = [r[:legal] + ("《城市道路管理条例》第四十二条：" + "依法责令改正并处以罚款" * 4,)
                     + r[legal + 1:] for r in rowset.rows]
        heavy = type(rowset)(rowset.fields, rowset.ids, rowset.versions, long_rows)
        t_hb, t_he = interleaved(
            2, lambda: bare(out / "bare3.xlsx", heavy),
            lambda: write_ledger_xlsx(out / "export3.xlsx", spec, heavy, title="南城街道权责清单"))
        print(f"  every row wrapping (worst case): bare {t_hb:.2f} vs export {t_he:.2f}, "
              f"ratio {t_he / t_hb:.2f}")
        print(f"  sizes: bare {os.path.getsize(out / 'bare.xlsx') / 1e6:.1f} MB, "
              f"export {os.path.getsize(out / 'export.xlsx') / 1e6:.1f} MB")

        os.environ["STREETLEDGER_HOME"] = tmp
        from app.db import Database
        from app.demo import load_demo
        from reports.fonts import pdf_fonts
        from reports.powers import write_powers_pdf

        db = Database("sqlite:///" + (out / "demo.sqlite3").as_posix())
        load_demo(db)
        pdf_fonts()  # font loading is a one-off per process; time it apart
        t_pdf = best_of(3, lambda: write_powers_pdf(db, out / "powers.pdf"))
        db.close()
        print(f"pdf demo powers list (394 rows): {t_pdf:.2f} CPU s")


if __name__ == "__main__":
    main()
