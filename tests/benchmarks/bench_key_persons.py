"""Grid rosters at scale (issue 12), measured against baselines of the same run:

1. 100,000 key persons in a generated .xlsx: the import (read + check + write to SQLite,
   in a child process so its peak memory is its own) against python-calamine's bare read
   of the same file — target ≤ 2.0 ×, memory ≤ 500 MB;
2. a community's batch 一小区一图示: 200 estates of 6–30 buildings with key persons, one
   PDF — target ≤ 10 seconds.

    python tests/benchmarks/bench_key_persons.py [ROWS] [--runs N] [--estates N] [--no-import]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "敏静丽强磊军洋勇艳杰娟涛明超华慧"


def _id_numbers(n: int):
    """n distinct valid GB 11643 numbers (sequence, day, month, year, region in turn)."""
    from app.ids import id_check_char

    for i in range(n):
        seq, rest = i % 1000, i // 1000
        day, rest = rest % 28 + 1, rest // 28
        month, rest = rest % 12 + 1, rest // 12
        year, region = 1950 + rest % 50, rest // 50 % 100
        body = f"5105{region:02d}{year}{month:02d}{day:02d}{seq:03d}"
        yield body + id_check_char(body)


def make_workbook(path: Path, n: int, grids: list[str]) -> None:
    """A realistic roster: a title line, the headings people use, several categories in a
    cell, a visits cell for some."""
    import openpyxl

    from app.specs.key_persons import CATEGORIES, RISK_LEVELS

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("重点人员")
    ws.append(["某某街道重点人员台账（测试数据）"])
    ws.append(["序号", "所属网格", "姓名", "身份证号码", "性别", "联系电话", "楼栋", "房号",
               "人员类别", "风险等级", "管控责任人", "帮扶人", "列管日期", "走访记录"])
    for i, number in enumerate(_id_numbers(n)):
        k = i + 1
        cats = CATEGORIES[k % 13] + ("、" + CATEGORIES[(k * 7) % 13] if k % 3 == 0 else "")
        ws.append([k, grids[k % len(grids)], SURNAMES[k % 38] + GIVEN[k % 16] + GIVEN[i % 7],
                   number, "男" if int(number[16]) % 2 else "女",
                   f"13{k % 10}{k % 100_000_000:08d}", f"{k % 30 + 1}栋", f"{k % 6 + 1}-{k % 30 + 1}01",
                   cats, RISK_LEVELS[k % 4], "张敏" if k % 20 else "", "李华", "2024-03-01",
                   "2026-11-02 张敏 入户走访" if k % 4 == 0 else ""])
    wb.save(path)


def calamine_bare(path: Path) -> float:
    import python_calamine as pc

    t = time.perf_counter()
    wb = pc.CalamineWorkbook.from_path(str(path))
    n = sum(1 for _ in wb.get_sheet_by_index(0).iter_rows())
    wb.close()
    assert n > 0
    return time.perf_counter() - t


CHILD = r"""
import json, resource, shutil, sys, time
sys.path.insert(0, {root!r})
shutil.copyfile({template!r}, {db!r})
from app.db import Database
from app.importer import run_import
db = Database("sqlite:///" + {db!r}, actor="bench")
t = time.perf_counter()
summary = run_import(db, "key_persons", {path!r})
elapsed = time.perf_counter() - t
assert summary.ok and summary.added == {n}, summary.text()
print(json.dumps({{"seconds": elapsed,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def import_in_child(path: Path, template: Path, tmp: Path, n: int, k: int) -> dict:
    code = CHILD.format(root=str(ROOT), template=str(template), db=str(tmp / f"kp{k}.sqlite3"),
                        path=str(path), n=n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def demo_template(tmp: Path) -> tuple[Path, list[str]]:
    """The demo street (its grids): what the roster is imported into. The generated ID
    numbers' region (510500) never meets the demo's (510502)."""
    from app.db import Database
    from app.demo import load_demo
    from app.services import list_rows
    from app.specs.grids import GRIDS

    path = tmp / "template.sqlite3"
    db = Database("sqlite:///" + str(path), actor="bench")
    load_demo(db)
    grids = list_rows(db, GRIDS).column("name")
    db.close()
    return path, grids


def chart_database(tmp: Path, estates: int) -> object:
    """One community, 10 grids, `estates` estates of 6–30 buildings and their key persons,
    written in bulk through the unit of work as the demo is."""
    import random

    from app.core.uow import UnitOfWork
    from app.core.writes import insert_rows
    from app.db import Database
    from app.demo import load_demo
    from app.services import clean_values
    from app.specs.estates import BUILDINGS, ESTATES
    from app.specs.grids import GRIDS
    from app.specs.key_persons import CATEGORIES, KEY_PERSONS

    db = Database("sqlite:///" + str(tmp / "charts.sqlite3"), actor="bench")
    load_demo(db)
    rng = random.Random(12)
    with UnitOfWork(db) as uow:
        s = uow.session

        def clean(spec, rows):
            return [clean_values(db, spec, r, s) for r in rows]

        grids = [{"parent_id": "白塔社区", "name": f"图示测试第{g + 1}网格", "grid_kind": "综合网格"}
                 for g in range(10)]
        grid_ids = insert_rows(uow, GRIDS, clean(GRIDS, grids))
        rows = [{"area_id": grid_ids[e % 10], "name": f"测试小区{e + 1:03d}",
                 "kind": "成形物业小区", "management": "物业企业",
                 "property_company": "泸州测试物业服务有限公司", "red_stars": 1 + e % 5,
                 "committee": f"测试小区{e + 1:03d}业主委员会",
                 "party_org_kind": "党支部" if e % 7 else "",
                 "party_org_name": f"测试小区{e + 1:03d}党支部" if e % 7 else "",
                 "party_secretary": "王书记" if e % 7 else ""} for e in range(estates)]
        estate_ids = insert_rows(uow, ESTATES, clean(ESTATES, rows))
        buildings, persons, ids = [], [], _id_numbers(10**9)
        for e, eid in enumerate(estate_ids):
            grid = grid_ids[e % 10]
            for b in range(rng.randrange(6, 31)):
                buildings.append({"area_id": grid, "estate_id": eid, "number": f"{b + 1}栋",
                                  "households": 60, "residents": 150,
                                  "head_name": "" if b % 11 == 3 else "李华",
                                  "head_phone": "" if b % 11 == 3 else "13900001111",
                                  "teams": "党组织：张三；业委会或自管委：李四；物业服务：王五"})
                for _k in range(rng.randrange(0, 3)):
                    persons.append({"area_id": grid, "name": "测试", "id_number": next(ids),
                                    "estate_id": eid, "building": f"{b + 1}栋",
                                    "categories": rng.choice(CATEGORIES), "risk_level": "黄",
                                    "controller": "张敏"})
        insert_rows(uow, BUILDINGS, clean(BUILDINGS, buildings))
        insert_rows(uow, KEY_PERSONS, clean(KEY_PERSONS, persons))
    return db, len(buildings), len(persons)


def main() -> None:
    argv = sys.argv[1:]
    valued = {i + 1 for i, a in enumerate(argv) if a in ("--runs", "--estates")}
    args = [a for i, a in enumerate(argv) if not a.startswith("--") and i not in valued]
    n = int(args[0]) if args else 100_000
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 1
    estates = int(sys.argv[sys.argv.index("--estates") + 1]) if "--estates" in sys.argv else 200
    from _report import emit
    from bench_import import report_floor

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        if "--no-import" not in sys.argv:
            template, grids = demo_template(tmp)
            path = tmp / "key_persons.xlsx"
            t = time.perf_counter()
            make_workbook(path, n, grids)
            print(f"生成 {n} 行重点人员工作簿：{time.perf_counter() - t:.1f} 秒，"
                  f"{path.stat().st_size / 1024 / 1024:.1f} MB")
            cal = min(calamine_bare(path) for _ in range(3))
            results = [import_in_child(path, template, tmp, n, k) for k in range(runs)]
            imp = min(r["seconds"] for r in results)
            rss = max(r["maxrss_mb"] for r in results)
            print(f"python-calamine 裸读：{cal:.2f} 秒（3 次最快）")
            print(f"完整导入（读取+校验+写入 SQLite）：{imp:.2f} 秒（{runs} 次最快）")
            print(f"导入 / calamine 裸读 = {imp / cal:.2f}（目标 ≤ 2.0）")
            print(f"导入进程峰值内存：{rss:.0f} MB（目标 ≤ 500 MB）")
            floor = report_floor(tmp / "kp0.sqlite3", ["key_person", "key_person_visit"], cal,
                                 before=template)
            emit(f"重点人员导入 {n:,} 行 xlsx", imp, cal, 2.0, "calamine 裸读")
            emit("重点人员导入峰值内存（MB）", rss, 500, 1.0, "上限 500 MB")
            emit("重点人员导入下限：裸读 + sqlite3 直接写入", cal + floor, cal, None,
                 "calamine 裸读")

        from reports.estate_chart import write_estate_charts

        t = time.perf_counter()
        db, nb, np_ = chart_database(tmp, estates)
        print(f"准备 {estates} 个小区、{nb} 栋楼、{np_} 名重点人员：{time.perf_counter() - t:.1f} 秒")
        t = time.perf_counter()
        pages = write_estate_charts(db, tmp / "charts.pdf", community="白塔社区")
        took = time.perf_counter() - t
        size = (tmp / "charts.pdf").stat().st_size / 1024 / 1024
        print(f"一小区一图示批量（白塔社区，{pages} 页，{size:.1f} MB）：{took:.2f} 秒（目标 ≤ 10 秒）")
        emit(f"一小区一图示 {estates} 个小区（秒）", took, 10.0, 10.0, "目标 10 秒", kind="seconds")
        db.close()


if __name__ == "__main__":
    main()
