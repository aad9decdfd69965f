"""整改台账 documents: 月通报 (a month), 季调度 (a quarter, with the 红黑榜 and the
专函督办/约谈 lists), 年总结 (a year, with charts by aspect, by community and the monthly
trend) and the 红黑榜 alone on one page for posting. Each is a list of reports.sections,
so the meeting pack can take them as they are; every problem table prints the warning
in its colour."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date

from reportlab.lib.units import mm

from app.figures import figures, grouped, ledger_rows
from app.rectification import Period, parse_period
from app.rectification_lists import issued_list, red_black_for
from app.services import list_rows
from app.specs.rectification import PROBLEMS
from app.specs.rectification_columns import WARNING_NAMES
from reports.rectification import (
    audit_print,
    per_group,
    pick,
    problem_table,
    red_black_sections,
    street_doc,
    warned,
)
from reports.sections import Chart, Figures, Heading, Masthead, Paragraph, build_pdf

CHART_HEIGHT = 52 * mm

_MAIN = ("总体情况", "预警", "资金")


def _period(text: str | None, kind: str, today: date | None) -> Period:
    p = parse_period(text, today)
    if text and p.kind != kind:
        want = {"month": "2026-11", "quarter": "2026Q4", "year": "2026"}[kind]
        raise_kind(text, want)
    if not text:  # the default: the month / quarter / year of today
        today = today or date.today()
        p = parse_period({"month": f"{today.year}-{today.month:02d}",
                          "quarter": f"{today.year}Q{(today.month - 1) // 3 + 1}",
                          "year": str(today.year)}[kind])
    return p


def raise_kind(text: str, want: str):
    from app.errors import UserError

    raise UserError(f"期间“{text}”不适用于这份报告：应写成 {want} 这样的期间")


def _in(day, p: Period) -> bool:
    return day is not None and p.start <= day <= p.end


def _warning_counts(rows) -> str:
    names = [f.name for f in rows.fields]
    counts = Counter(r[names.index("warning")] for r in rows.rows)
    return "；".join(f"{WARNING_NAMES[w]}色预警（{w}）{counts.get(w, 0)} 个"
                    for w in ("逾期", "滞后", "临期"))


def _escalated(rows):
    return pick(rows, lambda get: get("escalation") in ("专函督办", "约谈"),
                key=lambda get: (get("escalation") != "约谈", get("number") or ""))


def _period_lines(db, p: Period) -> str:
    """New, rectified and closed within the period (by found and closed dates)."""
    names = ("found_on", "closed_on", "fixed")
    rows = list_rows(db, PROBLEMS, tuple(PROBLEMS.field(n) for n in names))
    found = sum(_in(r[0], p) for r in rows.rows)
    closed = sum(_in(r[1], p) for r in rows.rows)
    return f"{p.label}新发现问题 {found} 个，销号 {closed} 个。"


def bulletin_sections(db, p: Period, report_date: date | None = None) -> list:
    """月通报: the figures, the month's movement, the warnings by colour, the escalated."""
    street = db.street_name()
    rows = list_rows(db, PROBLEMS, PROBLEMS.pdf_fields)
    values = figures(db, PROBLEMS, rowset=ledger_rows(db, PROBLEMS))
    return [
        Masthead(f"{street}整改工作月通报", street, p.label, report_date),
        Heading("总体情况"),
        Paragraph(_period_lines(db, p) + "截至目前：" + _warning_counts(rows) + "。"),
        Figures(grouped([v for v in values if v.group in _MAIN])),
        Heading("红色预警问题（超过整改时限仍未完成）"),
        problem_table(warned(db, ("逾期",), rows)),
        Heading("黄色预警问题（进度滞后或长期无进展）"),
        problem_table(warned(db, ("滞后",), rows)),
        Heading("蓝色预警问题（即将到期）"),
        problem_table(warned(db, ("临期",), rows)),
        Heading("专函督办与约谈"),
        problem_table(_escalated(rows)),
    ]


def dispatch_sections(db, p: Period, report_date: date | None = None,
                      exempt: dict[str, str] | None = None) -> list:
    """季调度: figures, warnings, the 专函督办 and 约谈 lists, charts, the 红黑榜 (the
    issued one when there is one) and the problems not closed yet."""
    street = db.street_name()
    rows = list_rows(db, PROBLEMS, PROBLEMS.pdf_fields)
    values = figures(db, PROBLEMS, rowset=ledger_rows(db, PROBLEMS))
    open_rows = pick(rows, lambda get: get("status") != "已销号",
                     key=lambda get: get("number") or "")
    return [
        Masthead(f"{street}整改工作季度调度报告", street, f"截至{p.label}", report_date,
                 len(rows.rows)),
        Heading("总体情况"),
        Paragraph(_period_lines(db, p) + "截至目前：" + _warning_counts(rows) + "。"),
        Figures(grouped([v for v in values if v.group in _MAIN])),
        Heading("预警问题（逾期、滞后）"),
        problem_table(warned(db, ("逾期", "滞后"), rows)),
        Heading("专函督办问题"),
        problem_table(pick(rows, lambda get: get("escalation") == "专函督办")),
        Heading("约谈问题"),
        problem_table(pick(rows, lambda get: get("escalation") == "约谈")),
        *red_black_sections(red_black_for(db, p, exempt)),
        Heading("分类统计"),
        Chart("按问题类别", per_group(values, "按问题类别"), height=CHART_HEIGHT),
        Chart("按社区", per_group(values, "按社区"), height=CHART_HEIGHT),
        Heading("未销号问题明细"),
        problem_table(open_rows),
    ]


def _monthly(db, year: int) -> list[tuple[str, tuple[int, int]]]:
    rows = list_rows(db, PROBLEMS, (PROBLEMS.field("found_on"), PROBLEMS.field("closed_on")))
    found = Counter(r[0].month for r in rows.rows if r[0] and r[0].year == year)
    closed = Counter(r[1].month for r in rows.rows if r[1] and r[1].year == year)
    return [(f"{m}月", (found[m], closed[m])) for m in range(1, 13)]


def annual_sections(db, p: Period, report_date: date | None = None) -> list:
    """年总结: figures, charts (by aspect, by community, monthly trend, by lead unit),
    the year's issued 红黑榜 in brief, and the warned problems."""
    street = db.street_name()
    rows = list_rows(db, PROBLEMS, PROBLEMS.pdf_fields)
    values = figures(db, PROBLEMS, rowset=ledger_rows(db, PROBLEMS))
    lists = []
    for q in range(1, 5):
        rb = issued_list(db, parse_period(f"{p.start.year}Q{q}"))
        if rb is not None:
            lists.append(f"{rb.period.label}：红榜 {'、'.join(u.unit for u in rb.red) or '无'}；"
                         f"黑榜 {'、'.join(u.unit for u in rb.black) or '无'}")
    return [
        Masthead(f"{street}{p.label}整改工作总结", street, p.label, report_date, len(rows.rows)),
        Heading("总体情况"),
        Paragraph(_period_lines(db, p) + "截至目前：" + _warning_counts(rows) + "。"),
        Figures(grouped([v for v in values if v.group in _MAIN])),
        Heading("分类统计"),
        Chart("按问题类别", per_group(values, "按问题类别"), height=CHART_HEIGHT),
        Chart("按社区", per_group(values, "按社区"), height=CHART_HEIGHT),
        Chart(f"{p.start.year}年逐月趋势（新发现、销号）", _monthly(db, p.start.year),
              kind="line", series=("新发现", "销号"), height=CHART_HEIGHT),
        Chart("按牵头单位", sorted(per_group(values, "按牵头单位"), key=lambda x: -x[1]),
              height=CHART_HEIGHT),
        Heading("红黑榜发布情况"),
        Paragraph("\n\n".join(lists) or "本年度尚未发布红黑榜。"),
        Heading("预警问题（逾期、滞后）"),
        problem_table(warned(db, ("逾期", "滞后"), rows)),
    ]


def _write(db, path, sections, title: str, what: str, *, landscape=True, progress=None,
           cancel=None) -> int:
    from app.auth import authorize

    authorize(db, "export")
    pages = build_pdf(path, street_doc(db, sections, title, landscape=landscape),
                      progress=progress, cancel=cancel)
    audit_print(db, what, path)
    return pages


def write_bulletin_pdf(db, path: str | os.PathLike, *, period: str | None = None,
                       issue: bool = False, today: date | None = None, **kw) -> int:
    """月通报; issue=True first records the month's warnings (and escalates)."""
    p = _period(period, "month", today)
    if issue:
        from app.rectification_lists import record_warnings

        record_warnings(db, p.key, today=today)
    return _write(db, path, bulletin_sections(db, p), "整改工作月通报", f"{p.label}月通报",
                  **kw)


def write_dispatch_pdf(db, path: str | os.PathLike, *, period: str | None = None,
                       today: date | None = None, exempt=None, **kw) -> int:
    p = _period(period, "quarter", today)
    return _write(db, path, dispatch_sections(db, p, exempt=exempt), "整改工作季度调度报告",
                  f"{p.label}季度调度报告", **kw)


def write_annual_pdf(db, path: str | os.PathLike, *, period: str | None = None,
                     today: date | None = None, **kw) -> int:
    p = _period(period, "year", today)
    return _write(db, path, annual_sections(db, p), "整改工作年度总结", f"{p.label}年度总结",
                  **kw)


def write_red_black_pdf(db, path: str | os.PathLike, *, period: str | None = None,
                        issue: bool = False, exempt: dict[str, str] | None = None,
                        today: date | None = None, **kw) -> int:
    """The 红黑榜 alone, one page for posting; issue=True freezes it first."""
    from app.rectification_lists import issue_red_black

    p = parse_period(period, today)
    rb = issue_red_black(db, p.key, exempt=exempt, today=today) if issue \
        else red_black_for(db, p, exempt)
    street = db.street_name()
    sections = [Masthead(f"{street}整改工作红黑榜", street, rb.period.label),
                *red_black_sections(rb)[1:]]
    return _write(db, path, sections, "整改工作红黑榜", f"{rb.period.label}红黑榜",
                  landscape=False, **kw)
