"""Run every benchmark and print one table: work, figure, baseline (measured in the
same run), ratio, target, met/missed.

    python tests/benchmarks/run_all.py [--quick] [--skip NAME ...]

--quick runs smaller sizes (a smoke run; its figures are not the targets' sizes).
bench_shared needs the PostgreSQL of STREETLEDGER_TEST_PG_URL (skipped without it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def benches(quick: bool) -> list[tuple[str, list[str]]]:
    pg = os.environ.get("STREETLEDGER_TEST_PG_URL")
    out = [
        ("bench_import", ["20000"] if quick else []),
        ("bench_staff_import", ["2000"] if quick else []),
        ("bench_startup", ["3"] if quick else []),
        ("bench_table", ["20000"] if quick else []),
        ("bench_column_filter", ["20000"] if quick else []),
        ("bench_page", ["20000"] if quick else []),
        ("bench_page", ["20000" if quick else "100000", "--ledger", "key_persons"]),
        ("bench_export", ["20000"] if quick else []),
        ("bench_meeting_pack", ["1"] if quick else []),
        ("bench_key_persons", ["20000", "--estates", "50"] if quick else []),
    ]
    if pg:
        out.append(("bench_shared", ["--pg", pg, "--seconds", "5" if quick else "20"]))
    return out


def _fmt(v: float | None, unit: str = "s") -> str:
    if v is None:
        return "—"
    return f"{v * 1000:.0f} ms" if unit == "s" and v < 1 else f"{v:.2f}"


def main() -> int:
    quick = "--quick" in sys.argv
    skip = {a for a in sys.argv[1:] if not a.startswith("--")}
    rows, failed = [], []
    with tempfile.TemporaryDirectory() as tmp:
        out_file = Path(tmp) / "figures.jsonl"
        env = {**os.environ, "STREETLEDGER_BENCH_OUT": str(out_file)}
        for name, args in benches(quick):
            if name in skip:
                continue
            t = time.perf_counter()
            print(f"运行 {name} {' '.join(args)} …", flush=True)
            r = subprocess.run([sys.executable, str(HERE / f"{name}.py"), *args], cwd=ROOT,
                               env=env, capture_output=True, text=True, check=False)
            print(f"  {time.perf_counter() - t:.0f} 秒" + ("" if r.returncode == 0 else "，失败"))
            if r.returncode != 0:
                failed.append((name, r.stderr.strip().splitlines()[-1:] or ["?"]))
        if out_file.exists():
            rows = [json.loads(line) for line in out_file.read_text("utf-8").splitlines()]
    head = ("项目", "测得", "基准", "比值", "目标", "结果")
    table = [head]
    for r in rows:
        fig, base, target, kind = r["figure"], r["baseline"], r["target"], r["kind"]
        ratio = fig / base if base else None
        if target is None:
            verdict, shown_target = "—", "—"
        elif kind == "seconds":
            verdict, shown_target = ("met" if fig <= target else "MISSED"), f"≤ {_fmt(target)}"
        elif kind == "min_ratio":
            verdict = "met" if ratio is not None and ratio >= target else "MISSED"
            shown_target = f"≥ {target:g} ×"
        else:
            verdict = "met" if ratio is not None and ratio <= target else "MISSED"
            shown_target = f"≤ {target:g} ×"
        table.append((r["work"], _fmt(fig), f"{_fmt(base)}（{r['baseline_name']}）" if
                      r["baseline_name"] else _fmt(base),
                      f"{ratio:.2f} ×" if ratio is not None else "—", shown_target, verdict))
    widths = [max(_width(row[i]) for row in table) for i in range(len(head))]
    for k, row in enumerate(table):
        print("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)))
        if k == 0:
            print("  ".join("-" * w for w in widths))
    for name, err in failed:
        print(f"{name} 失败：{err[0]}")
    return 1 if failed else 0


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * (w - _width(s))


if __name__ == "__main__":
    sys.exit(main())
