"""Staff import timing: a generated 10,000-person roster (.xlsx, the template's headings,
national codes as codes or names, valid ID numbers, 1–3 posts per person in one cell)
imported through the pipeline, measured in the same run against python-calamine's bare
read of the same file. Target (issue 11): within the powers import benchmark's ratio
(bench_import.py: ≤ 2.0 × calamine bare read).

The import runs in a child process (a fresh interpreter, its own peak RSS), 3 times on
fresh databases; the fastest counts.

    python tests/benchmarks/bench_staff_import.py [PEOPLE]
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_import import BODIES, calamine_bare, import_in_child, report_floor  # noqa: E402 - after the path set-up

HEADINGS = ["姓名", "性别", "民族", "身份证号码", "政治面貌", "学历", "人员类别", "编制类型",
            "编制所在机构", "实际工作机构", "岗位", "联系电话", "参加工作时间", "状态"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁"
GIVEN = "伟强磊军勇杰涛斌超明俊波辉刚健芳娟敏静丽艳霞玲燕婷琳雪倩洁颖"
EST = [("行政编制", "公务员"), ("事业编制", "事业"), ("参公事业编制", "参公"),
       ("无编制", "社区工作者"), ("无编制", "编外聘用")]
POSTS = ["文秘", "督查督办", "组织员", "统计员", "社会救助", "网格管理", "综治专干", "执法队员",
         "综合窗口", "应急管理"]


def make_workbook(path: Path, n: int) -> None:
    import openpyxl

    from app.ids import id_check_char

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(["某某街道人员花名册（测试数据）"])
    ws.append(HEADINGS)
    for i in range(n):
        born = date(1965, 1, 1) + timedelta(days=(i * 37) % 12000)
        # Unique: the birth day cycles every 12,000 days, the sequence every 1,000 people.
        first17 = f"5105{(i // 1000) % 3 + 2:02d}{born:%Y%m%d}{i % 1000:03d}"
        est, category = EST[i % len(EST)]
        body = BODIES[i % 9]
        posts = [POSTS[i % 10]] + [f"{BODIES[(i + k) % 9]}/{POSTS[(i + 3 * k) % 10]}"
                                   for k in range(1, i % 3 + 1)]
        ws.append([
            f"{SURNAMES[i % len(SURNAMES)]}{GIVEN[(i // 7) % len(GIVEN)]}{GIVEN[i % 13]}",
            "", "01" if i % 10 else "彝族", first17 + id_check_char(first17),
            "中共党员" if i % 2 else "群众", "本科" if i % 3 else "21", category, est,
            body if est != "无编制" else None, BODIES[(i + i // 9) % 9], "；".join(posts),
            f"139{i:08d}", date(born.year + 20, 7, 1), "在岗",
        ])
    wb.save(path)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 10_000
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = tmp / "staff.xlsx"
        t = time.perf_counter()
        make_workbook(path, n)
        print(f"生成 {n} 人花名册：{time.perf_counter() - t:.1f} 秒，"
              f"{path.stat().st_size / 1024 / 1024:.1f} MB")
        cal = min(calamine_bare(path) for _ in range(3))
        cal_cpu = min(calamine_bare(path, time.process_time) for _ in range(3))
        runs = [import_in_child(path, tmp, n, k, ledger="staff") for k in range(3)]
        imp = min(r["seconds"] for r in runs)
        imp_cpu = min(r["cpu"] for r in runs)
        rss = max(r["maxrss_mb"] for r in runs)
        print(f"python-calamine 裸读：{cal:.3f} 秒（CPU {cal_cpu:.3f} 秒；3 次最快）")
        print(f"人员导入（读取+校验+岗位+写入 SQLite）：{imp:.2f} 秒（CPU {imp_cpu:.2f} 秒；各次 "
              + "、".join(f"{r['seconds']:.2f}" for r in runs) + "）")
        print(f"人员导入 / calamine 裸读 = {imp / cal:.1f}（按 CPU 时间 {imp_cpu / cal_cpu:.1f}）")
        print(f"导入进程峰值内存：{rss:.0f} MB")
        floor = report_floor(tmp / "staff0.sqlite3", ["staff_person", "staff_post"], cal)
        from _report import emit

        emit(f"人员导入 {n:,} 人 xlsx（墙钟）", imp, cal, 2.0, "calamine 裸读")
        emit(f"人员导入 {n:,} 人 xlsx（CPU）", imp_cpu, cal_cpu, 2.0, "calamine 裸读")
        emit("人员导入下限：裸读 + sqlite3 直接写入", cal + floor, cal, None, "calamine 裸读")


if __name__ == "__main__":
    main()
