"""The 红黑榜 of the rectification ledger: periods, the score and ranking with ties and
exemptions, units without problems left out; and the reports that print it (text read
back from the PDF)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from app import rectification as rc
from app.errors import UserError
from app.rectification import Period, Rules, UnitScore, parse_period, red_black
from reports.rectification_docs import write_dispatch_pdf, write_red_black_pdf
from tests.rectification_helpers import TODAY, bodies, problem


@pytest.mark.parametrize("text,start,end,label", [
    ("2026Q4", date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"),
    ("2026q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度"),
    ("2026-02", date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
    ("2026-12", date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
    ("2026W49", date(2026, 11, 30), date(2026, 12, 6), "2026年第49周"),
    ("", date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度"),
])
def test_periods(text, start, end, label):
    assert parse_period(text, today=date(2026, 12, 2)) == Period(start, end, label)


@pytest.mark.parametrize("text", ["2026Q5", "2026-13", "26", "2026W60", "本季度"])
def test_a_period_not_understood_is_refused_in_chinese(text):
    with pytest.raises(UserError, match="无法识别"):
        parse_period(text)


def _units(monkeypatch, *scores):
    """Units given as (name, due, fixed, closed, on_time, overdue)."""
    monkeypatch.setattr(rc, "unit_scores",
                        lambda _db, _p: [UnitScore(*s) for s in scores])


PERIOD = Period(date(2026, 10, 1), date(2026, 12, 31), "2026年第四季度")


def test_score_ranking_ties_and_lists(monkeypatch):
    _units(monkeypatch,
           ("甲", 10, 10, 10, 10, 0),  # completion 100, on time 100 → 100
           ("乙", 10, 8, 8, 4, 0),  # 80, 50 → 68
           ("丙", 10, 8, 8, 4, 1),  # the same score as 乙, one overdue: listed after it
           ("丁", 10, 8, 8, 8, 2),  # 80, 100 → 88
           ("戊", 10, 5, 5, 5, 5))  # 50, 100 → 70
    rb = red_black(None, PERIOD, Rules(target=90, top=2, bottom=2))
    assert [(u.unit, u.score, u.rank) for u in rb.ranked] == [
        ("甲", 100.0, 1), ("丁", 88.0, 2), ("戊", 70.0, 3), ("乙", 68.0, 4), ("丙", 68.0, 4)]
    assert [u.unit for u in rb.red] == ["甲"]  # 丁 is second but below the target
    # The bottom two are a tie: both are listed, 戊 (two units below it) is not.
    assert [u.unit for u in rb.black] == ["乙", "丙"]
    # A unit that met the target is never black, however low it ranks.
    _units(monkeypatch, ("甲", 10, 10, 10, 10, 0), ("乙", 10, 10, 10, 0, 0))
    assert red_black(None, PERIOD, Rules(target=90, top=1, bottom=1)).black == []


def test_exemption_needs_a_reason_and_keeps_the_unit_off_the_lists(monkeypatch):
    _units(monkeypatch, ("甲", 10, 10, 10, 10, 0), ("乙", 10, 2, 2, 2, 8))
    with pytest.raises(UserError, match="理由"):
        red_black(None, PERIOD, exempt={"乙": " "})
    rb = red_black(None, PERIOD, Rules(top=1, bottom=1), exempt={"乙": "承担全区应急任务"})
    assert [u.unit for u in rb.black] == [] and rb.exempted[0].exempt == "承担全区应急任务"
    assert [u.unit for u in rb.ranked] == ["甲", "乙"]  # still ranked


def test_unit_scores_count_what_is_due_by_the_period_end(db):
    b = bodies(db)
    period = parse_period(f"{TODAY.year}")
    problem(db, lead=b[0], deadline=TODAY + timedelta(days=1))
    problem(db, lead=b[0], deadline=date(TODAY.year + 1, 6, 1))  # due after the year
    problem(db, lead=b[1], deadline=TODAY - timedelta(days=1))
    got = {u.unit: (u.due, u.fixed, u.overdue) for u in rc.unit_scores(db, period)}
    assert got == {"社区治理办公室": (1, 0, 0), "综合行政执法办公室": (1, 0, 1)}
    # the third body has no problems: not ranked
    assert len(red_black(db, period).ranked) == 2


def _text(path) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(path).pages))


def test_the_red_black_page_and_the_dispatch_report(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    period = f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"
    rb = red_black(db, parse_period(period))
    assert rb.red and rb.black  # the demo has a lagging unit
    assert write_red_black_pdf(db, tmp_path / "rb.pdf", period=period) == 1
    text = _text(tmp_path / "rb.pdf")
    assert "整改工作红黑榜" in text and "评比规则" in text
    assert "红榜：" + "、".join(u.unit for u in rb.red) in text
    assert "黑榜：" + "、".join(u.unit for u in rb.black) in text
    pages = write_dispatch_pdf(db, tmp_path / "d.pdf", period=period)
    assert pages > 5
    head = re.sub(r"\s+", "", "".join(
        p.extract_text() for p in PdfReader(tmp_path / "d.pdf").pages[:8]))
    for words in ("总体情况", "完成率94.2", "预警问题", "逾期", "按问题类别", "红黑榜"):
        assert words in head, words
