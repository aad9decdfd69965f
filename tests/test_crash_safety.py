"""A killed import never leaves a damaged or half-written database.

A child process imports 100,000 rows; it is killed with SIGKILL at random moments,
many times. Afterwards PRAGMA integrity_check is ok, the ledger holds none or all of
the file's rows, and the audit trail agrees with what is there."""

from __future__ import annotations

import csv
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000

CHILD = """
import sys
from app.db import Database
from app.importer import run_import
db = Database(sys.argv[1], actor="导入员")
summary = run_import(db, "powers", sys.argv[2], set_values={"list_kind": "属地管理事项"})
print("IMPORTED", summary.added, summary.written, flush=True)
"""


def write_csv(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(["事项编码", "事项名称", "权力类型", "状态"])
        for i in range(ROWS):
            w.writerow([f"CS-{i:06d}", f"崩溃测试事项{i:06d}", "行政检查", "运行中"])


def state(db_file: Path) -> tuple[str, int, int]:
    conn = sqlite3.connect(db_file)
    try:
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM power_item WHERE name LIKE '崩溃测试事项%'")\
            .fetchone()[0]
        audits = conn.execute("SELECT count(*) FROM audit_log WHERE action='import'").fetchone()[0]
    finally:
        conn.close()
    return ok, rows, audits


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.slow
def test_killed_imports_leave_all_or_nothing(tmp_path):
    data = tmp_path / "big.csv"
    write_csv(data)
    db_file = tmp_path / "crash.sqlite3"
    url = "sqlite:///" + db_file.as_posix()
    from app.db import Database

    Database(url).close()  # migrated, empty
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start():
        return subprocess.Popen([sys.executable, "-c", CHILD, url, str(data)], cwd=ROOT,
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    # How long one whole import takes here, so the kills land all over it.
    began = time.perf_counter()
    first = start()
    out, err = first.communicate(timeout=600)
    duration = time.perf_counter() - began
    assert first.returncode == 0, err.decode()
    assert state(db_file) == ("ok", ROWS, 1)
    # Start again from empty for the kills.
    db_file.unlink()
    for extra in ("-wal", "-shm"):
        Path(str(db_file) + extra).unlink(missing_ok=True)
    Database(url).close()

    rng = random.Random(1205)
    committed_before = 0
    outcomes = []
    for _ in range(8):
        child = start()
        # A random moment on purpose: the kill must land anywhere in the import, not on an event.
        time.sleep(rng.uniform(0.2, duration * 1.1))
        child.send_signal(signal.SIGKILL)
        child.wait()
        ok, rows, audits = state(db_file)
        assert ok == "ok"
        new_audits = audits - committed_before
        assert new_audits in (0, 1)
        assert rows == ROWS * new_audits  # none or all, and the audit trail agrees
        outcomes.append(rows)
        if rows:  # it finished before the kill: clear the rows for the next round
            conn = sqlite3.connect(db_file)
            conn.execute("DELETE FROM power_item")
            conn.commit()
            conn.close()
            committed_before = audits
    assert 0 in outcomes  # at least one kill landed mid-import
    # The database still works for the app after all that.
    db = Database(url)
    from app.services import list_rows
    from app.specs.powers import POWERS

    list_rows(db, POWERS)
    db.close()
