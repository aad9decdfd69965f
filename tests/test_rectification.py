"""The rectification ledger (整改台账): numbers, rules, the units and progress log, and
every transition of its workflow — who may make it, from where, its reason and guard —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import auth
from app.attachments import add_attachment
from app.core.children import read_children
from app.core.workflow import timeline, transition
from app.errors import PermissionDenied, UserError, ValidationError
from app.services import get_row
from app.specs.rectification import PROBLEMS
from app.specs.workflow import check_spec
from tests.rectification_helpers import TODAY, accounts, as_, bodies, edit, problem, status

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
       b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00"
       b"\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def test_the_workflow_fits_the_spec():
    check_spec(PROBLEMS, auth.ROLES)
    assert PROBLEMS.workflow.initial == "未启动"
    assert PROBLEMS.workflow.final_states == ("已销号",)


def test_numbers_are_yearly_and_never_reused(db):
    a = problem(db, found=TODAY.replace(month=1, day=5))
    b = problem(db, found=TODAY.replace(month=1, day=6))
    old = problem(db, found=TODAY.replace(year=TODAY.year - 1, month=3, day=1),
                  deadline=TODAY)
    y = TODAY.year
    assert [get_row(db, PROBLEMS, i)["number"] for i in (a, b, old)] == [
        f"ZG-{y}-0001", f"ZG-{y}-0002", f"ZG-{y - 1}-0001"]
    from app.core.writes import delete_row

    delete_row(db, PROBLEMS, b, get_row(db, PROBLEMS, b)["version"])
    c = problem(db, found=TODAY.replace(month=2, day=1))
    assert get_row(db, PROBLEMS, c)["number"] == f"ZG-{y}-0003"  # 0002 is in the bin
    typed = problem(db, number="DC-2026-7")
    assert get_row(db, PROBLEMS, typed)["number"] == "DC-2026-7"
    with pytest.raises(ValidationError):
        problem(db, number="DC-2026-7")


def test_rules_refuse_dates_out_of_order(db):
    with pytest.raises(ValidationError) as e:
        problem(db, deadline=TODAY - timedelta(days=40))
    assert "整改时限不能早于发现日期" in str(e.value.errors)


def test_units_need_exactly_one_lead(db):
    b = bodies(db)
    unmarked = problem(db, units=[{"body_id": b[0], "lead": False},
                                  {"body_id": b[1], "lead": False}])
    # None marked (a sheet cell "甲；乙"): the first one leads.
    assert {(u["body_id"], u["lead"]) for u in read_children(db, PROBLEMS, unmarked, "units")
            } == {(b[0], True), (b[1], False)}
    with pytest.raises(ValidationError) as e:
        problem(db, units=[{"body_id": b[0], "lead": True}, {"body_id": b[1], "lead": True}])
    assert "有且只有一行" in str(e.value.errors)
    row = problem(db, units=[{"body_id": b[0], "lead": False}, {"body_id": b[1], "lead": True}])
    units = read_children(db, PROBLEMS, row, "units")
    assert {(u["body_id"], u["lead"]) for u in units} == {(b[0], False), (b[1], True)}


def test_progress_log_as_one_cell_and_not_going_back(db):
    f = PROBLEMS.field("progress")
    rows = f.parse("2026-05-01 制定方案（30%，张三）；2026-05-20 完成清运（80%）；2026-06-01 复查")
    assert [(r["work"], r["percent"], r["by_whom"]) for r in rows] == [
        ("制定方案", 30, "张三"), ("完成清运", 80, ""), ("复查", None, "")]
    assert f.display(rows) == ("2026-05-01 制定方案（30%，张三）；2026-05-20 完成清运（80%）；"
                               "2026-06-01 复查")
    with pytest.raises(ValueError, match="应写成"):
        f.parse("五月一日 制定方案")
    with pytest.raises(ValueError, match="0"):
        f.parse("2026-05-01 制定方案（130%）")
    row = problem(db, progress="2026-05-01 制定方案（30%）；2026-05-20 完成清运（80%）")
    assert len(read_children(db, PROBLEMS, row, "progress")) == 2
    with pytest.raises(ValidationError) as e:
        edit(db, row, progress="2026-05-01 制定方案（60%）；2026-05-20 完成清运（40%）")
    assert "低于此前" in str(e.value.errors)


# -- the workflow --------------------------------------------------------------------------

@pytest.fixture
def people(db):
    return accounts(db)


def _to_waiting(db, row):
    transition(db, PROBLEMS, row, "start")
    edit(db, row, result_note="已清运垃圾，设置围挡")
    transition(db, PROBLEMS, row, "submit")


def test_the_whole_way_to_closing(people):
    db = as_(people, "clerk")
    row = problem(db)
    assert status(db, row) == "未启动"
    transition(db, PROBLEMS, row, "start")
    with pytest.raises(UserError, match="整改情况"):  # nothing said about the work done
        transition(db, PROBLEMS, row, "submit")
    edit(db, row, result_note="已清运垃圾，设置围挡")
    transition(db, PROBLEMS, row, "submit")
    assert status(db, row) == "待验收"
    with pytest.raises(PermissionDenied):  # the reporting unit does not close its own
        transition(db, PROBLEMS, row, "close")
    db = as_(db, "checker")
    with pytest.raises(UserError, match="验收人、验收日期、验收等次"):
        transition(db, PROBLEMS, row, "close")
    edit(db, row, accepted_by="王主任", accepted_on=TODAY, accept_grade="一般")
    with pytest.raises(UserError, match="未通过验收"):
        transition(db, PROBLEMS, row, "close")
    edit(db, row, accept_grade="较好")
    with pytest.raises(UserError, match="整改后照片"):
        transition(db, PROBLEMS, row, "close")
    add_attachment(db, PROBLEMS, row, "photos_after", PNG, "after.png")
    transition(db, PROBLEMS, row, "close")
    got = get_row(db, PROBLEMS, row)
    assert got["status"] == "已销号" and got["closed_on"] == TODAY
    steps = [(s.from_state, s.to_state) for s in timeline(db, PROBLEMS, row)]
    assert steps == [("", "未启动"), ("未启动", "整改中"), ("整改中", "待验收"),
                     ("待验收", "已销号")]


def test_send_back_needs_a_reason_and_the_admin(people):
    db = as_(people, "clerk")
    row = problem(db)
    _to_waiting(db, row)
    with pytest.raises(PermissionDenied):
        transition(db, PROBLEMS, row, "reject", reason="照片不清")
    db = as_(db, "boss")
    with pytest.raises(ValidationError):
        transition(db, PROBLEMS, row, "reject", reason="  ")
    transition(db, PROBLEMS, row, "reject", reason="整改后照片不清晰")
    assert status(db, row) == "整改中"
    assert timeline(db, PROBLEMS, row)[-1].reason == "整改后照片不清晰"


def test_long_term_only_for_long_term_problems(people):
    db = as_(people, "checker")
    row = problem(db)
    transition(db, PROBLEMS, row, "start")
    with pytest.raises(UserError, match="长期整改"):
        transition(db, PROBLEMS, row, "long_term", reason="需分年实施")
    edit(db, row, rect_type="长期整改")
    transition(db, PROBLEMS, row, "long_term", reason="需分年实施")
    assert status(db, row) == "长期坚持"
    edit(db, row, result_note="阶段目标完成")
    transition(db, PROBLEMS, row, "submit")
    assert status(db, row) == "待验收"


def test_recheck_relapse_reopens_by_a_verifier(people):
    db = as_(people, "clerk")
    row = problem(db)
    _to_waiting(db, row)
    db = as_(db, "checker")
    edit(db, row, accepted_by="王主任", accepted_on=TODAY, accept_grade="好")
    add_attachment(db, PROBLEMS, row, "photos_after", PNG, "after.png")
    transition(db, PROBLEMS, row, "close")
    with pytest.raises(UserError, match="不能“开始整改”"):
        transition(db, PROBLEMS, row, "start")
    db = as_(db, "clerk")
    with pytest.raises(PermissionDenied):
        transition(db, PROBLEMS, row, "reopen", reason="回头看发现反弹")
    db = as_(db, "checker")
    with pytest.raises(UserError, match="回头看"):  # the recheck is written down first
        transition(db, PROBLEMS, row, "reopen", reason="回头看发现反弹")
    edit(db, row, recheck_on=TODAY, recheck_result="垃圾再次堆放")
    transition(db, PROBLEMS, row, "reopen", reason="回头看发现反弹")
    got = get_row(db, PROBLEMS, row)
    assert (got["status"], got["closed_on"], got["accept_grade"], got["rounds"]) == (
        "整改中", None, "", 1)
    steps = timeline(db, PROBLEMS, row)  # the history is kept
    assert [s.to_state for s in steps] == ["未启动", "整改中", "待验收", "已销号", "整改中"]


def test_a_viewer_moves_nothing(people):
    db = as_(people, "boss")
    row = problem(db)
    db = as_(db, "reader")
    with pytest.raises(PermissionDenied):
        transition(db, PROBLEMS, row, "start")
    assert status(db, row) == "未启动"
