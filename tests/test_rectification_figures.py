"""The rectification ledger's computed columns and figures: days left and the warning
colour at their boundaries (counted from today, in SQL, on SQLite and PostgreSQL), the
completion and on-time rates, the demo's figures, and the Rate and Sum figure kinds."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from app.attachments import add_attachment
from app.core.workflow import transition
from app.figures import compute, figures
from app.services import RowSet, list_rows
from app.specs import Field, LedgerSpec
from app.specs.figures import Rate, Sum
from app.specs.rectification import PROBLEMS
from tests.rectification_helpers import TODAY, edit, problem
from tests.test_rectification import PNG

D = timedelta(days=1)


def _columns(db, row_id):
    rows = list_rows(db, PROBLEMS, tuple(PROBLEMS.field(n) for n in (
        "days_left", "warning", "fixed", "on_time")))
    return rows.rows[rows.ids.index(row_id)]


def _fresh(db, deadline, **values):
    """Found five days ago, 90% done today: neither stale nor behind."""
    values.setdefault("progress", f"{TODAY.isoformat()} 集中清理（90%）")
    return problem(db, found=TODAY - 5 * D, deadline=deadline, **values)


def test_days_left_and_the_warning_at_their_boundaries(db):
    cases = {-1: "逾期", 0: "临期", 1: "临期", 10: "临期", 11: "正常"}
    ids = {n: _fresh(db, TODAY + n * D) for n in cases}
    for n, want in cases.items():
        days, warning, *_ = _columns(db, ids[n])
        assert (days, warning) == (n, want), n


def test_no_progress_for_fourteen_days_is_behind(db):
    ok = problem(db, found=TODAY - 40 * D, deadline=TODAY + 60 * D,
                 progress=f"{(TODAY - 14 * D).isoformat()} 清运（90%）")
    stale = problem(db, found=TODAY - 40 * D, deadline=TODAY + 60 * D,
                    progress=f"{(TODAY - 15 * D).isoformat()} 清运（90%）")
    never = problem(db, found=TODAY - 15 * D, deadline=TODAY + 60 * D)
    assert [_columns(db, i)[1] for i in (ok, stale, never)] == ["正常", "滞后", "滞后"]


def test_the_blue_window_follows_the_setting(db):
    from app.rectification_settings import set_settings

    set_settings(db, warn_days=3)
    cases = {0: "临期", 1: "临期", 3: "临期", 4: "正常"}
    ids = {n: _fresh(db, TODAY + n * D) for n in cases}
    assert {n: _columns(db, i)[1] for n, i in ids.items()} == cases


def test_nothing_reported_yet_is_judged_by_the_fourteen_days_only(db):
    # Handed over two days ago, nothing reported: not behind; 10% at half time is.
    new = problem(db, found=TODAY - 2 * D, deadline=TODAY + 60 * D)
    slow = problem(db, found=TODAY - 30 * D, deadline=TODAY + 30 * D,
                   progress=f"{TODAY.isoformat()} 清运（10%）")
    assert [_columns(db, i)[1] for i in (new, slow)] == ["正常", "滞后"]


def test_percent_behind_the_time_elapsed_is_behind(db):
    # Half the time gone: 35% is exactly 70% of the share elapsed, 34% is below it.
    day = TODAY.isoformat()
    on = problem(db, found=TODAY - 50 * D, deadline=TODAY + 50 * D,
                 progress=f"{day} 清运（35%）")
    slow = problem(db, found=TODAY - 50 * D, deadline=TODAY + 50 * D,
                   progress=f"{day} 清运（34%）")
    assert [_columns(db, i)[1] for i in (on, slow)] == ["正常", "滞后"]


def _close(db, row, on=None):
    transition(db, PROBLEMS, row, "start")
    edit(db, row, result_note="已整改")
    transition(db, PROBLEMS, row, "submit")
    edit(db, row, accepted_by="王主任", accepted_on=TODAY, accept_grade="好",
         closed_on=on)
    add_attachment(db, PROBLEMS, row, "photos_after", PNG, "after.png")
    transition(db, PROBLEMS, row, "close")


def test_rates_and_counts(db):
    late = _fresh(db, TODAY - D)  # closed today, a day after its deadline
    _close(db, late)
    on_time = _fresh(db, TODAY + 3 * D)
    _close(db, on_time)
    waiting = _fresh(db, TODAY - 2 * D)
    transition(db, PROBLEMS, waiting, "start")
    edit(db, waiting, result_note="已整改")
    transition(db, PROBLEMS, waiting, "submit")
    overdue = _fresh(db, TODAY - 3 * D)
    _fresh(db, TODAY + 5 * D, funds_planned="1000.50", funds_spent="200")
    got = {v.key: v.value for v in figures(db, PROBLEMS)}
    assert (got["total"], got["fixed"], got["closed"]) == (5, 3, 2)
    assert got["completion"] == 60.0 and got["on_time"] == 50.0
    assert (got["overdue"], got["due_soon"]) == (1, 1)  # waiting and closed are not warned
    assert (got["funds_planned"], got["funds_spent"]) == (1000.5, 200.0)
    assert _columns(db, late)[:4] == (None, None, True, False)
    assert _columns(db, waiting)[:4] == (None, None, True, None)
    assert _columns(db, overdue)[:2] == (-3, "逾期")


def test_the_demo_figures(demo_db):
    got = {v.label: v.value for v in figures(demo_db, PROBLEMS)}
    assert (got["合计"], got["已整改"], got["完成率"]) == (792, 746, 94.2)
    assert got["已销号"] < got["已整改"] and got["逾期"] > 0 and got["专函督办"] > 0
    assert 90 < got["按期完成率"] < 100
    assert got["计划资金（元）"] == 2_800_000.0
    assert sum(got[a] for a in ("组织建设", "服务保障", "治理环境", "治理效能", "安全稳定")) == 792
    powers = {v.label: v.value for v in figures(demo_db, __import__(
        "app.specs.powers", fromlist=["POWERS"]).POWERS)}
    assert (powers["合计"], powers["下放行政权力"]) == (394, 159)


def test_stats_on_the_command_line(tmp_path):
    path = tmp_path / "cli.sqlite3"
    path.touch()
    main = Path(__file__).resolve().parents[1] / "main.py"
    run = [sys.executable, str(main)]
    assert subprocess.run([*run, "demo", "--db", str(path)], capture_output=True,
                          timeout=120).returncode == 0
    r = subprocess.run([*run, "stats", "rectification", "--db", str(path)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:4] == ["合计: 792", "已整改: 746", "已销号: 700", "完成率: 94.2"]
    # The labels first, in its order, one "label: number" per line.
    assert [line.split(": ")[0] for line in lines[:7]] == [
        "合计", "已整改", "已销号", "完成率", "按期完成率", "逾期", "专函督办"]
    assert all(re.fullmatch(r"[^:]+: -?\d+(\.\d+)?", line) for line in lines), lines


# -- the figure kinds, over rows made by hand ---------------------------------------------

class _M:  # a stand-in model: compute() never touches it
    pass


def _spec(figs):
    return LedgerSpec(key="t", title="测试", model=_M, natural_key=("a",), figures=figs,
                      fields=(Field("a", "甲", kind="bool"), Field("b", "乙", kind="bool"),
                              Field("n", "额", kind="decimal")))


def test_rate_counts_where_among_of_and_is_zero_without_rows():
    spec = _spec((Rate("r", "率", {"a": True}), Rate("s", "按期", {"a": True}, {"b": True}),
                  Rate("z", "空", {"a": True}, {"b": None}, decimals=0)))
    rows = RowSet(spec.fields, [1, 2, 3], [1, 1, 1],
                  [(True, True, 1), (False, True, 2), (True, False, None)])
    got = {v.key: v.value for v in compute(None, spec, rows)}
    assert got == {"r": 66.7, "s": 50.0, "z": 0.0}


def test_sum_adds_a_field_over_where():
    from decimal import Decimal

    spec = _spec((Sum("all", "全部", "n"), Sum("some", "部分", "n", {"b": True})))
    rows = RowSet(spec.fields, [1, 2, 3], [1, 1, 1],
                  [(True, True, Decimal("1.25")), (False, True, Decimal("2")), (True, False, None)])
    got = {v.key: v.value for v in compute(None, spec, rows)}
    assert got == {"all": 3.25, "some": 3.25}
    empty = RowSet(spec.fields, [], [], [])
    assert {v.key: v.value for v in compute(None, spec, empty)} == {"all": 0.0, "some": 0.0}


def test_a_reopened_problem_is_warned_again(db):
    row = _fresh(db, TODAY - 3 * D)
    _close(db, row, on=TODAY)
    assert _columns(db, row)[1] is None
    edit(db, row, recheck_on=TODAY, recheck_result="反弹")
    transition(db, PROBLEMS, row, "reopen", reason="回头看发现反弹")
    assert _columns(db, row)[:2] == (-3, "逾期")
