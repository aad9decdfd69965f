"""Shared-office benchmark: 10 simulated clients on the local PostgreSQL, a realistic mix
(open a 1,000-row page, filter it, open a row, save it), against the same mix by one
client on SQLite, measured in the same run.

    python tests/benchmarks/bench_shared.py [--pg URL] [--seconds 20] [--clients 10]

Prints operations per second and the p50/p95 latency of a save and of opening the page."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

PAGE_ROWS = 1000


def prepare(url: str) -> None:
    from app.core.uow import UnitOfWork
    from app.core.writes import insert_rows
    from app.db import Database
    from app.demo import load_demo
    from app.services import clean_values
    from app.specs.powers import POWERS

    db = Database(url, actor="bench")
    load_demo(db)
    with UnitOfWork(db) as uow:  # the one write path, as the demo's bulk rows
        rows = [clean_values(db, POWERS, {"list_kind": "属地管理事项", "power_type": "行政检查",
                                          "name": f"基准测试事项{i:04d}", "status": "运行中"},
                             uow.session)
                for i in range(PAGE_ROWS - 394)]
        insert_rows(uow, POWERS, rows)
    db.close()


def client(args):
    url, seconds, seed, start_at = args
    from app.db import Database
    from app.errors import ConflictError
    from app.services import get_row, list_rows, save_row
    from app.specs.powers import POWERS

    rng = random.Random(seed)
    db = Database(url, actor=f"c{seed}")
    list_rows(db, POWERS)  # warm up the connection pool before the clock starts
    time.sleep(max(0.0, start_at - time.time()))  # every client starts together
    opens, saves, ops, conflicts = [], [], 0, 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t = time.perf_counter()
        rows = list_rows(db, POWERS)  # open the page
        opens.append(time.perf_counter() - t)
        needle = rng.choice(["处罚", "检查", "安全", "社区", "许可"])
        name_col = [f.name for f in rows.fields].index("name")
        hits = [i for i, r in enumerate(rows.rows) if needle in r[name_col]]  # filter
        ops += 2
        for _ in range(3):  # edit a few rows from what was found
            row_id = rows.ids[rng.choice(hits or range(len(rows.ids)))]
            t = time.perf_counter()
            row = get_row(db, POWERS, row_id)
            try:
                save_row(db, POWERS, {**row, "remarks": f"c{seed}-{ops}"}, row_id, row["version"])
            except ConflictError:
                conflicts += 1
            saves.append(time.perf_counter() - t)
            ops += 1
    db.close()
    return opens, saves, ops, conflicts


def run(url: str, clients: int, seconds: float) -> dict:
    ctx = mp.get_context("spawn")
    start_at = time.time() + 3 + clients * 0.5  # after every process has imported and connected
    with ctx.Pool(clients) as pool:
        results = pool.map(client, [(url, seconds, i, start_at) for i in range(clients)])
    wall = seconds  # each client ran for the same window, all at once
    opens = [x for r in results for x in r[0]]
    saves = [x for r in results for x in r[1]]
    ops = sum(r[2] for r in results)
    return {
        "ops_per_s": ops / wall, "open_p50": statistics.median(opens),
        "open_p95": statistics.quantiles(opens, n=20)[18], "save_p50": statistics.median(saves),
        "save_p95": statistics.quantiles(saves, n=20)[18],
        "conflicts": sum(r[3] for r in results), "ops": ops,
    }


def show(label: str, r: dict) -> None:
    print(f"{label}: {r['ops_per_s']:.0f} 次操作/秒（共 {r['ops']} 次，冲突 {r['conflicts']} 次）；"
          f"打开1000行页面 p50 {r['open_p50'] * 1000:.0f} ms / p95 {r['open_p95'] * 1000:.0f} ms；"
          f"保存 p50 {r['save_p50'] * 1000:.1f} ms / p95 {r['save_p95'] * 1000:.1f} ms")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--clients", type=int, default=10)
    a = p.parse_args()
    from sqlalchemy import create_engine, text

    from app.db import normalize_url

    schema = "bench_" + uuid.uuid4().hex[:8]
    admin = create_engine(normalize_url(a.pg))
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    pg_url = normalize_url(a.pg) + ("&" if "?" in a.pg else "?") + \
        f"options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite_url = "sqlite:///" + (Path(tmp) / "bench.sqlite3").as_posix()
            prepare(sqlite_url)
            prepare(pg_url)
            ref = run(sqlite_url, 1, a.seconds)
            shared = run(pg_url, a.clients, a.seconds)
            show("SQLite，1 个客户端（参照）", ref)
            show(f"PostgreSQL，{a.clients} 个客户端", shared)
            print(f"吞吐量之比 PostgreSQL/SQLite：{shared['ops_per_s'] / ref['ops_per_s']:.2f}")
            from _report import emit

            emit(f"共享库：{a.clients} 个客户端吞吐（次/秒）", shared["ops_per_s"], ref["ops_per_s"],
                 None, "SQLite 1 个客户端")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
