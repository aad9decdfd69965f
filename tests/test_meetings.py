"""The joint-meeting ledger (联席会议): its workflow, issue numbers, filing under a
community, and decisions — each a rectification problem, added in one unit of work
that leaves nothing behind when one item is bad — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app import auth
from app.core.workflow import transition
from app.core.writes import save_row
from app.errors import PermissionDenied, UserError, ValidationError
from app.meetings import add_annual_tasks, decisions, previous_meeting, resolve_meeting
from app.models import MeetingDecision, RectificationProblem
from app.services import get_row
from app.specs.meetings import MEETINGS
from app.specs.rectification import PROBLEMS
from app.specs.workflow import check_spec
from tests.meetings_helpers import community, decide, meeting
from tests.rectification_helpers import accounts, as_, bodies


def _count(db, model) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_the_workflow_fits_the_spec():
    check_spec(MEETINGS, auth.ROLES)
    assert MEETINGS.workflow.state_names == ("筹备", "已召开", "纪要已印发", "归档")
    assert "年度任务清单" in PROBLEMS.field("source").choices
    assert "联席会议议定" in PROBLEMS.field("source").choices


def test_issue_numbers_count_per_year_level_and_community(db):
    a = meeting(db, date(2026, 3, 20))
    b = meeting(db, date(2026, 6, 20))
    c = community(db)
    k = meeting(db, date(2026, 6, 5), level="社区", community_id=c)
    old = meeting(db, date(2025, 12, 20))
    typed = meeting(db, date(2026, 9, 20), issue="2026年第7次")
    after = meeting(db, date(2026, 12, 20))
    issues = [get_row(db, MEETINGS, i)["issue"] for i in (a, b, k, old, typed, after)]
    assert issues == ["2026年第1次", "2026年第2次", "2026年第1次", "2025年第1次",
                      "2026年第7次", "2026年第8次"]


def test_a_community_meeting_is_filed_under_its_community(db):
    c = community(db)
    k = meeting(db, date(2026, 6, 5), level="社区", community_id=c)
    with db.session() as s:
        from app.models import Meeting

        assert s.get(Meeting, k).area_id == c
    with pytest.raises(ValidationError) as e:
        meeting(db, date(2026, 6, 6), level="社区")
    assert "社区联席会议须选择所属社区" in str(e.value)
    with pytest.raises(ValidationError):
        meeting(db, date(2026, 6, 7), level="街道", community_id=c)


def test_a_community_account_cannot_file_a_street_meeting(db):
    c = community(db)
    accounts(db)
    auth.login(db, "boss", "Passw0rd1")
    auth.create_user(db, "baita", "Passw0rd1", "editor", area_id=c)
    as_(db, "baita")
    meeting(db, date(2026, 6, 5), level="社区", community_id=c, held_status=False)
    with pytest.raises(PermissionDenied):
        meeting(db, date(2026, 6, 6), level="街道", held_status=False)


def test_minutes_are_issued_only_with_their_number_and_date(db):
    m = meeting(db, date(2026, 6, 20))
    with pytest.raises(UserError) as e:
        transition(db, MEETINGS, m, "issue")
    assert "纪要文号" in str(e.value)
    row = get_row(db, MEETINGS, m)
    raw = {k: v for k, v in row.items() if k not in ("id", "version", "status")}
    save_row(db, MEETINGS, {**raw, "minutes_no": "南城联席纪〔2026〕2号",
                            "minutes_on": date(2026, 6, 22)}, m, row["version"])
    transition(db, MEETINGS, m, "issue")
    assert get_row(db, MEETINGS, m)["status"] == "纪要已印发"


def test_decisions_are_rectification_problems_of_their_meeting(db):
    m = meeting(db, date(2026, 6, 20), minutes_no="南城联席纪〔2026〕2号")
    ids = decide(db, m, date(2026, 7, 31), date(2026, 8, 31))
    more = decide(db, m, date(2026, 9, 30), kind="协调")
    rows = [get_row(db, PROBLEMS, i) for i in ids + more]
    assert {r["source"] for r in rows} == {"联席会议议定"}
    assert {r["found_on"] for r in rows} == {date(2026, 6, 20)}
    assert rows[0]["source_doc"] == "南城联席纪〔2026〕2号"
    assert rows[0]["leader"] == "刘副主任"
    got = decisions(db, m)
    assert [(d.seq, d.kind, d.problem_id) for d in got] == [
        (1, "部署", ids[0]), (2, "部署", ids[1]), (3, "协调", more[0])]
    assert got[0].lead and got[0].co and got[0].feedback_weeks == 2


def test_adding_decisions_is_one_unit_of_work(db):
    m = meeting(db, date(2026, 6, 20))
    version = get_row(db, MEETINGS, m)["version"]
    b = bodies(db)
    good = {"content": "完成老旧小区改造摸底。", "lead": b[0], "deadline": date(2026, 8, 1)}
    for bad, said in (({"content": "无时限的事项", "lead": b[0]}, "整改时限"),
                      ({"content": "无牵头单位", "deadline": date(2026, 8, 1)}, "牵头单位"),
                      ({**good, "kind": "表彰"}, "事项类型"),
                      ({**good, "lead": "不存在的科室"}, "不存在的科室"),
                      ({**good, "feedback_weeks": 0}, "反馈周期")):
        with pytest.raises(UserError) as e:
            from app.meetings import add_decisions

            add_decisions(db, m, [good, bad])
        assert "第2项议定事项" in str(e.value) and said in str(e.value), str(e.value)
        assert _count(db, RectificationProblem) == 0
        assert _count(db, MeetingDecision) == 0
        assert get_row(db, MEETINGS, m)["version"] == version


def test_a_viewer_cannot_add_decisions(db):
    m = meeting(db, date(2026, 6, 20))
    accounts(db)
    as_(db, "reader")
    with pytest.raises(PermissionDenied):
        decide(db, m, date(2026, 7, 31))
    assert _count(db, RectificationProblem) == 0


def test_annual_tasks_are_tasks_of_their_own_source(db):
    b = bodies(db)
    ids = add_annual_tasks(db, 2026, [
        {"content": "全面推行小区党组织覆盖。", "lead": b[0], "deadline": date(2026, 12, 31)},
        {"content": "网格员队伍规范化建设。", "lead": b[1], "deadline": date(2026, 10, 31)}])
    rows = [get_row(db, PROBLEMS, i) for i in ids]
    assert [r["source"] for r in rows] == ["年度任务清单"] * 2
    assert rows[0]["source_doc"] == "2026年工作要点"
    with pytest.raises(UserError):
        add_annual_tasks(db, 2026, [{"content": "无时限", "lead": b[0]}])
    assert _count(db, RectificationProblem) == 2


def test_latest_and_previous_meeting(db):
    first = meeting(db, date(2026, 3, 20))
    second = meeting(db, date(2026, 6, 20))
    c = community(db)
    k = meeting(db, date(2026, 7, 5), level="社区", community_id=c)
    assert resolve_meeting(db, "latest") == second  # the street's own, before communities'
    assert resolve_meeting(db, str(k)) == k
    assert previous_meeting(db, second) == first
    assert previous_meeting(db, first) is None
    assert previous_meeting(db, k) is None
    with pytest.raises(UserError):
        resolve_meeting(db, "9999")
    with pytest.raises(UserError):
        resolve_meeting(db, "上次")
