"""The 整改台账's issued records and outputs: the frozen 红黑榜 (later edits do not
change it; consecutive black listings; exemptions kept), the month's warnings and the
escalation they bring (two 黄 in a quarter → 专函督办, a 红 → 约谈), the four PDFs (text
read back), the three-sheet Excel, the import of several problems with their units, and
create_problem for other modules."""

from __future__ import annotations

import re
from datetime import date, timedelta

import openpyxl
import pytest
from pypdf import PdfReader

from app.core.children import read_children
from app.core.uow import UnitOfWork
from app.errors import PermissionDenied, UserError
from app.rectification import create_problem, parse_period, red_black
from app.rectification_lists import (
    escalation_for,
    issue_red_black,
    issued_list,
    record_warnings,
    warning_history,
)
from app.services import get_row, list_rows
from app.specs.rectification import PROBLEMS
from reports.rectification_docs import (
    write_annual_pdf,
    write_bulletin_pdf,
    write_dispatch_pdf,
    write_red_black_pdf,
)
from reports.rectification_xlsx import export_problems
from tests.rectification_helpers import TODAY, accounts, as_, bodies, edit, problem

D = timedelta(days=1)
QUARTER = f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"
MONTH = f"{TODAY.year}-{TODAY.month:02d}"


def _text(path, pages=None) -> str:
    got = PdfReader(path).pages
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in got[:pages]))


def test_an_issued_list_is_frozen(db):
    b = bodies(db)
    late = problem(db, lead=b[0], deadline=TODAY - D)  # overdue: 社区治理办公室 lags
    problem(db, lead=b[1], deadline=TODAY + D)
    period = parse_period(QUARTER)
    rb = issue_red_black(db, QUARTER, exempt={"综合行政执法办公室": "承担全区应急任务"})
    before = [(u.unit, u.completion, u.score, u.rank) for u in rb.ranked]
    edit(db, late, deadline=TODAY + 5 * D)  # later edits …
    problem(db, lead=b[2], deadline=TODAY)
    again = issued_list(db, period)  # … do not change the issued list
    assert [(u.unit, u.completion, u.score, u.rank) for u in again.ranked] == before
    assert again.exempted[0].exempt == "承担全区应急任务"
    assert again.issued_by == "测试员"
    assert len(red_black(db, period).ranked) == 3  # the live one sees the new problem
    with pytest.raises(UserError, match="已经发布"):
        issue_red_black(db, QUARTER)


def test_consecutive_black_listings_count_issued_lists(db):
    b = bodies(db)
    problem(db, lead=b[0], deadline=TODAY - 200 * D, found=TODAY - 300 * D)
    problem(db, lead=b[1], deadline=TODAY - 200 * D, found=TODAY - 300 * D)
    edit_fixed = problem(db, lead=b[1], deadline=TODAY - 200 * D, found=TODAY - 300 * D)
    from app.core.workflow import transition

    transition(db, PROBLEMS, edit_fixed, "start")
    edit(db, edit_fixed, result_note="已整改")
    transition(db, PROBLEMS, edit_fixed, "submit")
    now = parse_period(QUARTER)
    first, second = now.previous().previous(), now.previous()
    from app.rectification_settings import set_settings

    set_settings(db, top=1, bottom=1)
    issue_red_black(db, first.key)
    issue_red_black(db, second.key)
    live = red_black(db, now)
    assert [(u.unit, u.black_times) for u in live.black] == [("社区治理办公室", 3)]
    assert [(u.unit, u.black_times) for u in issued_list(db, second).black] == [
        ("社区治理办公室", 2)]
    assert [u.unit for u in live.red] == []  # 50% is below the target


def test_issuing_is_for_verifiers(db):
    accounts(db)
    as_(db, "boss")
    problem(db, deadline=TODAY - D)
    as_(db, "clerk")
    with pytest.raises(PermissionDenied):
        issue_red_black(db, QUARTER)
    with pytest.raises(PermissionDenied):
        record_warnings(db, MONTH)
    as_(db, "checker")
    assert issue_red_black(db, QUARTER).ranked


def test_escalation_rule():
    assert escalation_for([]) == "" and escalation_for(["滞后"]) == ""
    assert escalation_for(["滞后", "滞后"]) == "专函督办"
    assert escalation_for(["滞后", "逾期"]) == escalation_for(["逾期"]) == "约谈"


def test_two_yellow_months_in_a_quarter_bring_a_letter_and_red_a_talk(db):
    stale = problem(db, found=TODAY - 60 * D, deadline=TODAY + 60 * D)  # 黄: no progress
    overdue = problem(db, found=TODAY - 60 * D, deadline=TODAY - D)  # 红
    q = parse_period(QUARTER)
    months = [f"{q.start.year}-{q.start.month + k:02d}" for k in range(3)]
    got = record_warnings(db, months[0])
    assert (got["滞后"], got["逾期"], got["约谈"], got["专函督办"]) == (1, 1, 1, 0)
    assert get_row(db, PROBLEMS, stale)["escalation"] == ""  # one 黄 month only
    assert get_row(db, PROBLEMS, overdue)["escalation"] == "约谈"
    record_warnings(db, months[0])  # recording a month again replaces it
    assert warning_history(db, stale) == [(months[0], "滞后")]
    record_warnings(db, months[1])
    assert get_row(db, PROBLEMS, stale)["escalation"] == "专函督办"
    assert warning_history(db, stale) == [(months[0], "滞后"), (months[1], "滞后")]
    with pytest.raises(UserError, match="月份"):
        record_warnings(db, QUARTER)


def test_the_four_documents(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    year = str(TODAY.year)
    assert write_bulletin_pdf(db, tmp_path / "b.pdf", period=MONTH) >= 2
    text = _text(tmp_path / "b.pdf")
    for words in ("整改工作月通报", "红色预警问题", "黄色预警问题", "蓝色预警问题", "专函督办与约谈",
                  "完成率94.2%", "计划资金（元）2,800,000.00"):
        assert words in text, words
    assert write_dispatch_pdf(db, tmp_path / "d.pdf", period=QUARTER) > 3
    text = _text(tmp_path / "d.pdf")
    for words in ("季度调度报告", "专函督办问题", "约谈问题", "整改工作红黑榜", "评比规则",
                  "未销号问题明细", "按问题类别"):
        assert words in text, words
    assert write_annual_pdf(db, tmp_path / "a.pdf", period=year) > 2
    text = _text(tmp_path / "a.pdf")
    for words in (f"{year}年整改工作总结", "逐月趋势", "按社区", "按牵头单位", "红黑榜发布情况"):
        assert words in text, words
    previous = parse_period(QUARTER).previous()
    assert write_red_black_pdf(db, tmp_path / "rb.pdf", period=previous.key) == 1
    text = _text(tmp_path / "rb.pdf")
    assert "发布后不再变动" in text and "评比规则" in text and "黑榜：" in text
    with pytest.raises(UserError, match="不适用"):
        write_bulletin_pdf(db, tmp_path / "x.pdf", period=QUARTER)


def test_the_demo_has_two_issued_quarters(sqlite_demo_db):
    from app.rectification_lists import issued_periods

    now = parse_period(QUARTER)
    assert issued_periods(sqlite_demo_db) == [now.previous().previous().key,
                                              now.previous().key]
    rb = issued_list(sqlite_demo_db, now.previous())
    assert rb.black and rb.black[0].black_times >= 1


def test_three_sheets_for_higher_levels(sqlite_demo_db, tmp_path):
    counts = export_problems(sqlite_demo_db, tmp_path / "p.xlsx")
    assert counts == {"问题清单": 792, "责任清单": 792, "销号清单": 700}
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert wb.sheetnames == ["问题清单", "责任清单", "销号清单"]
    head = [c.value for c in wb["责任清单"][3]]
    assert "责任单位" in head and "阶段目标" in head
    units = [c.value for c in wb["责任清单"][4]][head.index("责任单位")]
    assert "（牵头）" in units
    closing = [c.value for c in wb["销号清单"][3]]
    assert {"验收等次", "销号日期", "按期销号", "回头看情况"} <= set(closing)


def test_several_problems_with_their_units_in_one_import(db, tmp_path):
    from app.importer import run_import

    b = bodies(db)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年第三轮巡察反馈问题整改清单"])
    ws.append(["问题名称", "问题来源", "问题类别", "发现日期", "整改时限", "责任单位"])
    found, due = (TODAY - 3 * D).isoformat(), (TODAY + 30 * D).isoformat()
    ws.append(["小区消防通道堵塞", "巡视巡察", "安全稳定", found, due,
               "综合行政执法办公室（牵头）；社区治理办公室"])
    ws.append(["党群服务中心开放不足", "巡察", "组织建设", found, due, "社区治理办公室"])
    ws.append(["背街小巷垃圾堆放", "巡视巡察", "治理环境", found, due,
               "综合保障中心；综合行政执法办公室（牵头）"])
    path = tmp_path / "p.xlsx"
    wb.save(path)
    summary = run_import(db, PROBLEMS, path)
    assert summary.written and summary.added == 3, summary.lines()
    rows = list_rows(db, PROBLEMS, tuple(PROBLEMS.field(n) for n in ("title", "number",
                                                                     "lead_unit")))
    got = {r[0]: (i, r[1], r[2]) for i, r in zip(rows.ids, rows.rows, strict=True)}
    assert got["小区消防通道堵塞"][2] == "综合行政执法办公室"
    assert got["党群服务中心开放不足"][2] == "社区治理办公室"  # the only one leads
    assert sorted(r[1] for r in got.values()) == [f"ZG-{TODAY.year}-000{n}" for n in (1, 2, 3)]
    units = read_children(db, PROBLEMS, got["背街小巷垃圾堆放"][0], "units")
    assert {(u["body_id"], u["lead"]) for u in units} == {(b[2], False), (b[1], True)}
    ws.append(["月亮问题", "巡视巡察", "治理环境", found, due, "月亮办公室（牵头）"])
    wb.save(path)
    summary = run_import(db, PROBLEMS, path)  # an unknown unit: nothing written
    assert not summary.written and any("月亮办公室" in p.message for p in summary.problems)


def test_create_problem_inside_another_unit_of_work(db):
    b = bodies(db)
    with UnitOfWork(db) as uow:
        pid = create_problem(uow, {"title": "落实联席会议议定事项", "source": "联席会议议定",
                                   "aspect": "治理效能", "found_on": TODAY,
                                   "deadline": TODAY + 30 * D}, lead=b[0], co=(b[1], b[0]))
        assert pid > 0
    row = get_row(db, PROBLEMS, pid)
    assert row["number"].startswith(f"ZG-{TODAY.year}-") and row["status"] == "未启动"
    assert {(u["body_id"], u["lead"]) for u in read_children(db, PROBLEMS, pid, "units")} == {
        (b[0], True), (b[1], False)}
    with pytest.raises(RuntimeError):  # the caller's unit of work fails: nothing is kept
        with UnitOfWork(db) as uow:
            create_problem(uow, {"title": "年度任务", "source": "年度任务清单",
                                 "aspect": "治理效能", "found_on": TODAY,
                                 "deadline": TODAY + D}, lead=b[0])
            raise RuntimeError("the meeting's own write failed")
    assert "年度任务" not in list_rows(db, PROBLEMS).column("title")


def test_periods_know_their_kind_and_the_one_before():
    assert parse_period("2026Q1").previous().key == "2025Q4"
    assert parse_period("2026-01").previous().key == "2025-12"
    assert parse_period("2026W01").previous().kind == "week"
    assert parse_period("2026").previous().key == "2025"
    assert parse_period(None, today=date(2026, 12, 2)).key == "2026Q4"


def test_the_import_template_takes_units_in_one_cell(db, tmp_path):
    from reports.templates import write_template

    write_template(tmp_path / "t.xlsx", PROBLEMS, db=db)
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    cells = [str(c.value or "") for row in ws.iter_rows(max_row=6) for c in row]
    assert "责任单位" in cells and "阶段目标" in cells
    assert any("（牵头）" in c for c in cells)  # the hint shows how to mark the lead


def test_the_place_comes_from_the_area_tree(sqlite_demo_db):
    from app.specs.estates import ESTATES

    db = sqlite_demo_db
    estates = list_rows(db, ESTATES, (ESTATES.field("name"), ESTATES.field("area_id")))
    name, grid = estates.rows[0]
    row = problem(db, community_id="白塔社区", grid_id=grid, estate_id=name, place="3栋楼道")
    got = list_rows(db, PROBLEMS, tuple(PROBLEMS.field(n) for n in (
        "community_id", "grid_id", "estate_id")))
    assert got.rows[got.ids.index(row)] == ("白塔社区", grid, name)
