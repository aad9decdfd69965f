"""Import timing: a generated 100,000-row powers workbook (.xlsx), measured in the
same run against python-calamine's bare read and openpyxl's read-only bare read.
Targets (issue 3): import (read + check + write to SQLite) ≤ 2.0 × calamine bare
read; peak memory of the import process ≤ 500 MB.

The import runs in a child process so its peak RSS (ru_maxrss) is its own.

    python tests/benchmarks/bench_import.py [ROWS] [--no-openpyxl]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BODIES = ["党政综合办公室", "党建工作办公室", "经济发展办公室", "社会事务办公室", "社区治理办公室",
          "平安法治办公室", "综合行政执法办公室", "便民服务中心", "综合保障中心"]


def make_workbook(path: Path, n: int) -> None:
    """A realistic file: title and unit lines, a header with aliases, dates as dates."""
    import openpyxl

    from app.specs.powers import DEVOLUTION_MODES, LIST_KINDS, POWER_TYPES, STATUSES

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("权责清单")
    ws.append(["某某街道权责清单（测试数据）"])
    ws.append(["单位（盖章）：某某街道办事处"])
    ws.append(["序号", "清单类别", "权力类型", "事项编码", "事项名称", "子项", "原实施部门", "实施依据",
               "承接科室", "下放方式", "生效日期", "状态", "备注"])
    for i in range(n):
        kind = LIST_KINDS[i % 3]
        ws.append([
            i + 1, kind, POWER_TYPES[i % 11], f"XF-{i:06d}",
            f"对单位和个人在第{i}号路段擅自设置摊点的处罚", "" if i % 4 else "一般情形",
            "区综合行政执法局", f"《城市道路管理条例》第{i % 60 + 1}条",
            BODIES[i % 9], DEVOLUTION_MODES[i % 2] if kind == "下放行政权力" else "",
            date(2020, 1, 1) + timedelta(days=i % 1500), STATUSES[i % 4], "",
        ])
    wb.save(path)


def calamine_bare(path: Path, clock=time.perf_counter) -> float:
    import python_calamine as pc

    t = clock()
    wb = pc.CalamineWorkbook.from_path(str(path))
    n = sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())
    wb.close()
    assert n > 0
    return clock() - t


def openpyxl_bare(path: Path) -> float:
    import openpyxl

    t = time.perf_counter()
    wb = openpyxl.load_workbook(path, read_only=True)
    n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    assert n > 0
    return time.perf_counter() - t


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, {root!r})
from app.db import Database
from app.services import save_row
from app.specs import get_spec
from app.importer import run_import
db = Database("sqlite:///" + {db!r}, actor="bench")
bodies = get_spec("bodies")
for b in {bodies!r}:
    save_row(db, bodies, {{"name": b}})
t, c = time.perf_counter(), time.process_time()
summary = run_import(db, {ledger!r}, {path!r})
elapsed, cpu = time.perf_counter() - t, time.process_time() - c
assert summary.ok and summary.added == {n}, summary.text()
print(json.dumps({{"seconds": elapsed, "cpu": cpu, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def import_in_child(path: Path, tmp: Path, n: int, k: int, ledger: str = "powers") -> dict:
    """One whole import of `path` into a fresh database with the nine bodies, in a child
    process (its own peak RSS); seconds, CPU seconds and peak MB."""
    db = tmp / f"{ledger}{k}.sqlite3"
    code = CHILD.format(root=str(ROOT), db=str(db), path=str(path), bodies=BODIES, n=n,
                        ledger=ledger)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def report_floor(imported: Path, tables: list[str], bare: float,
                 before: Path | None = None) -> float:
    """Print the write floor (_floor.py) of an import and the ratio it leaves."""
    from _floor import write_floor

    floor = write_floor(imported, tables, before=before)
    print(f"写入下限（sqlite3 直接写入同样的行与留痕，不做任何解析与校验）：{floor:.2f} 秒")
    print(f"下限比值 = (裸读 + 写入下限) / 裸读 = {(bare + floor) / bare:.2f}"
          "（读与写先后进行时，任何导入都不会低于此值）")
    return floor


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = tmp / "powers.xlsx"
        t = time.perf_counter()
        make_workbook(path, n)
        print(f"生成 {n} 行工作簿：{time.perf_counter() - t:.1f} 秒，"
              f"{path.stat().st_size / 1024 / 1024:.1f} MB")
        cal = min(calamine_bare(path) for _ in range(3))
        cal_cpu = min(calamine_bare(path, time.process_time) for _ in range(3))
        runs = [import_in_child(path, tmp, n, k) for k in range(3)]
        imp = min(r["seconds"] for r in runs)
        imp_cpu = min(r["cpu"] for r in runs)
        rss = max(r["maxrss_mb"] for r in runs)
        print(f"python-calamine 裸读：{cal:.2f} 秒（CPU {cal_cpu:.2f} 秒；3 次最快）")
        if "--no-openpyxl" not in sys.argv:
            opx = openpyxl_bare(path)
            print(f"openpyxl 只读模式裸读：{opx:.2f} 秒")
        print(f"完整导入（读取+校验+写入 SQLite）：{imp:.2f} 秒（CPU {imp_cpu:.2f} 秒；3 次最快；各次 "
              + "、".join(f"{r['seconds']:.2f}" for r in runs) + "）")
        print(f"导入 / calamine 裸读 = {imp / cal:.2f}（按 CPU 时间 {imp_cpu / cal_cpu:.2f}；目标 ≤ 2.0）")
        if "--no-openpyxl" not in sys.argv:
            print(f"导入 / openpyxl 只读裸读 = {imp / opx:.2f}")
        print(f"导入进程峰值内存：{rss:.0f} MB（目标 ≤ 500 MB）")
        floor = report_floor(tmp / "powers0.sqlite3", ["power_item"], cal)
        from _report import emit

        emit(f"导入 {n:,} 行 xlsx（墙钟）", imp, cal, 2.0, "calamine 裸读")
        emit(f"导入 {n:,} 行 xlsx（CPU）", imp_cpu, cal_cpu, 2.0, "calamine 裸读")
        emit("导入进程峰值内存（MB）", rss, 500, 1.0, "上限 500 MB")
        emit("导入下限：裸读 + sqlite3 直接写入", cal + floor, cal, None, "calamine 裸读")


if __name__ == "__main__":
    main()
