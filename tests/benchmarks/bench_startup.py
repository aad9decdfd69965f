"""Start-up time: `python main.py` until its first window is visible (the start-up
frame, shown before the data layer loads), and until the main window is shown with the
powers page populated from the demo data, against a bare PySide6 window process, in
the same run. Targets (issue 16): visible ≤ 2 ×, filled ≤ 4 × the bare window.

    python tests/benchmarks/bench_startup.py [RUNS] [--json]

Both are whole processes (interpreter start included), timed from spawn to exit;
STREETLEDGER_EXIT_AFTER_SHOW=1 makes the app quit once its window is shown filled,
=visible once its first frame is shown.
Runs alternate so that disk caches and CPU frequency treat both alike. Medians of wall
time and of the child's CPU time (user + system) are printed: on a busy machine the
wall time of the longer process suffers more, the CPU time stays comparable."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1366, 768)
w.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""

# The least the app must load before it can read one row: the same bare window, after
# importing SQLAlchemy and the data models and configuring their mappers (what any
# first query does). No database is opened, no page built.
FLOOR = """
import sys
sys.path.insert(0, ".")
import sqlalchemy.orm
import app.models
sqlalchemy.orm.configure_mappers()
""" + BARE

HEAVY = ("reportlab", "openpyxl", "alembic", "sqlalchemy.dialects.postgresql")
CHECK = f"""
import sys, runpy
sys.argv = ["main.py"]
try:
    runpy.run_path("main.py", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print("heavy modules at start-up:", [m for m in {HEAVY!r} if m in sys.modules] or "none")
"""


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds user+system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise SystemExit(f"{cmd} failed ({out.returncode}):\n{out.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main(runs: int = 7, as_json: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "demo.sqlite3"
        env = {**os.environ, "STREETLEDGER_HOME": tmp, "STREETLEDGER_DB": str(db_path),
               "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "STREETLEDGER_EXIT_AFTER_SHOW": "1",
               # signed in as on the command line (includes the argon2id check)
               "STREETLEDGER_USER": "admin", "STREETLEDGER_PASSWORD": "Bench1234"}
        # A user's start finds the app's .pyc files (an installed app ships them, a run
        # from source writes them the first time); with PYTHONDONTWRITEBYTECODE set in
        # the caller's environment every run would compile ~50 modules from source.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([sys.executable, "main.py", "demo", "--create"], cwd=ROOT, env=env, check=True,
                       capture_output=True)
        subprocess.run([sys.executable, "main.py", "user", "add", "admin", "--role", "admin"],
                       cwd=ROOT, env={**env, "STREETLEDGER_NEW_PASSWORD": "Bench1234"},
                       check=True, capture_output=True)
        visible_env = {**env, "STREETLEDGER_EXIT_AFTER_SHOW": "visible"}
        bare_cmd = [sys.executable, "-c", BARE]
        floor_cmd = [sys.executable, "-c", FLOOR]
        app_cmd = [sys.executable, "main.py"]
        # Warm-up: file caches, .pyc files, the settings file of a first start.
        timed(bare_cmd, env)
        timed(app_cmd, env)
        bare, floor, visible, app = [], [], [], []
        for _ in range(runs):
            bare.append(timed(bare_cmd, env))
            floor.append(timed(floor_cmd, env))
            visible.append(timed(app_cmd, visible_env))
            app.append(timed(app_cmd, env))
        check = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, env=env,
                               capture_output=True, text=True, timeout=120)
    med = {name: [statistics.median(r[k] for r in rs) for k in (0, 1)]
           for name, rs in (("bare", bare), ("floor", floor), ("visible", visible),
                            ("filled", app))}
    from _report import emit

    for what, k in (("墙钟", 0), ("CPU", 1)):
        emit(f"启动：窗口可见（{what}）", med["visible"][k], med["bare"][k], 2.0, "裸 PySide6 窗口")
        emit(f"启动：首页已填充（{what}）", med["filled"][k], med["bare"][k], 4.0, "裸 PySide6 窗口")
        emit(f"启动下限：裸窗口 + 数据层导入（{what}）", med["floor"][k], med["bare"][k], None,
             "裸 PySide6 窗口")
    if as_json:
        import json

        print(json.dumps({"rows": [
            {"work": "启动：窗口可见（墙钟）", "figure": med["visible"][0], "baseline": med["bare"][0],
             "target": 2.0, "unit": "s"},
            {"work": "启动：窗口可见（CPU）", "figure": med["visible"][1], "baseline": med["bare"][1],
             "target": 2.0, "unit": "s"},
            {"work": "启动：首页已填充（墙钟）", "figure": med["filled"][0], "baseline": med["bare"][0],
             "target": 4.0, "unit": "s"},
            {"work": "启动：首页已填充（CPU）", "figure": med["filled"][1], "baseline": med["bare"][1],
             "target": 4.0, "unit": "s"},
            {"work": "启动下限：裸窗口 + 数据层导入（墙钟）", "figure": med["floor"][0],
             "baseline": med["bare"][0], "target": None, "unit": "s"},
        ], "baseline_name": "裸 PySide6 窗口进程"}, ensure_ascii=False))
        return 0
    print(f"platform: {env['QT_QPA_PLATFORM']}, runs: {runs} each, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for k, what in ((0, "wall"), (1, "CPU ")):
        b, v, a, f = med["bare"][k], med["visible"][k], med["filled"][k], med["floor"][k]
        print(f"{what}: bare PySide6 window {b * 1000:6.0f} ms | main.py visible {v * 1000:6.0f} ms"
              f" ({v / b:.2f} ×, target ≤ 2 ×) | filled {a * 1000:6.0f} ms ({a / b:.2f} ×, target ≤ 4 ×)"
              f" | floor (bare + data layer import) {f * 1000:6.0f} ms ({f / b:.2f} ×)")
    print("(wall time swells when other processes compete for the CPUs; CPU time does not)")
    print(check.stdout.strip().splitlines()[-1] if check.stdout.strip() else check.stderr)
    return 0


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(main(int(args[0]) if args else 7, "--json" in sys.argv))
