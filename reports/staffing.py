"""机构编制 printed documents, as sections a meeting pack can compose:

- 实名制汇总表: bodies × 编制类型 with 核定 / 实有 / 空编 / 超编 and totals, 超编 in red;
- 领导职数配备表: 应配 / 实配 / 超配 / 缺配 of 正职 and 副职 leader posts per body;
- 一人多岗对照表: people on the books holding two posts or more, with their posts;
- 社区工作者等级薪酬表: the pay table and how many community workers hold each grade;
- 持证社工统计: certified social workers by level and by registration state;
- 核查事项: the checks the 机构编制 specs declare (app.checks) with their counts.

The roster itself (人员花名册, xlsx with IDs and phones masked) is the generic export:
`main.py export staff OUT.xlsx` (`--full-ids` for a user who may see them whole)."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date
from pathlib import Path

from app.auth import authorize
from app.db import Database
from app.services import RowSet, list_rows
from app.specs.staff import STAFF
from app.staffing import CERT_LEVELS, ON_BOOKS
from app.staffing_pay import pay_rows
from app.staffing_reads import MEASURES, establishment_matrix
from reports.export import _audit
from reports.sections import (
    Document,
    Figures,
    Grid,
    Heading,
    LedgerTable,
    Masthead,
    Paragraph,
    build_pdf,
)


def summary_sections(db: Database) -> list:
    """实名制汇总表: one row per body, four columns per 编制类型 and four of totals."""
    m = establishment_matrix(db)
    types = m.types
    header = [["机构名称", "合计", "", "", ""], ["", *MEASURES]]
    spans = [((0, 0), (0, 1)), ((1, 0), (4, 0))]
    for k, t in enumerate(types):
        col = 5 + 4 * k
        header[0] += [t, "", "", ""]
        header[1] += list(MEASURES)
        spans.append(((col, 0), (col + 3, 0)))
    rows, red = [], set()
    for r, (body_id, name) in enumerate(m.bodies):
        cells = [m.body_total(body_id)] + [m.cell(body_id, t) for t in types]
        rows.append([name] + [_n(v) for c in cells for v in c.values()])
        red |= {(r, 1 + 4 * k + 3) for k, c in enumerate(cells) if c.over}
    total = [m.total()] + [m.type_total(t) for t in types]
    rows.append(["合计"] + [_n(v) for c in total for v in c.values()])
    red |= {(len(rows) - 1, 1 + 4 * k + 3) for k, c in enumerate(total) if c.over}
    t = m.total()
    over = m.over_bodies()
    text = (f"核定编制 {t.authorised} 名，实有 {t.actual} 名，空编 {t.vacant} 名，超编 {t.over} 名"
            + (f"；超编机构：{'、'.join(over)}。" if over else "；无超编机构。"))
    unauthorised = sum(1 for v in list_rows(db, STAFF, (STAFF.field("unauthorised"),)).rows
                       if v[0])
    if unauthorised:
        text += f"另有 {unauthorised} 名人员的编制类型未在其编制所在机构核定，未计入上表。"
    return [Heading("实名制汇总表"), Paragraph(text),
            Grid(header, rows, spans, [3.8] + [1] * (len(header[0]) - 1),
                 bold=frozenset({len(rows) - 1}), red=frozenset(red))]


def leader_sections(db: Database) -> list:
    """领导职数配备表: per body, 应配 (authorised) and 实配 (people in 正职 / 副职)."""
    m = establishment_matrix(db)
    head = [["机构名称", "正职", "", "", "", "副职", "", "", ""],
            ["", "应配", "实配", "超配", "缺配", "应配", "实配", "超配", "缺配"]]
    spans = [((0, 0), (0, 1)), ((1, 0), (4, 0)), ((5, 0), (8, 0))]
    rows, red = [], set()
    for r, (body_id, name) in enumerate([*m.bodies, (None, "合计")]):
        c = m.total() if body_id is None else m.body_total(body_id)
        line = [name]
        for k, (want, got) in enumerate(((c.chief, c.chief_actual),
                                         (c.deputy, c.deputy_actual))):
            line += [_n(want), _n(got), _n(max(got - want, 0)), _n(max(want - got, 0))]
            if got > want:
                red.add((r, 3 + 4 * k))
        rows.append(line)
    return [Heading("领导职数配备表"), Grid(head, rows, spans, [3.8] + [1] * 8,
                                          bold=frozenset({len(rows) - 1}), red=frozenset(red))]


def _on_books(db: Database, fields: tuple[str, ...], keep) -> RowSet:
    """People on the books for whom keep({field: value}) holds, with `fields` printed."""
    wanted = tuple(STAFF.field(n) for n in fields)
    extra = tuple(STAFF.field(n) for n in ("status", "post_count", "cert_state"))
    rs = list_rows(db, STAFF, wanted + extra)
    names = [f.name for f in rs.fields]
    picked = [k for k, r in enumerate(rs.rows)
              if r[names.index("status")] in ON_BOOKS and keep(dict(zip(names, r, strict=True)))]
    return RowSet(wanted, [rs.ids[k] for k in picked], [rs.versions[k] for k in picked],
                  [rs.rows[k][:len(wanted)] for k in picked])


def multi_post_sections(db: Database) -> list:
    rows = _on_books(db, ("name", "work_body_id", "est_body_id", "post_count", "posts"),
                     lambda r: (r["post_count"] or 0) >= 2)
    return [Heading("一人多岗对照表"),
            Paragraph(f"在册人员中担任 2 个及以上岗位的共 {len(rows.rows)} 人（主岗列在最前）。"),
            LedgerTable(STAFF, rows, rows.fields)]


def pay_sections(db: Database) -> list:
    """社区工作者等级薪酬表: grade × post category → monthly pay (the stored table, as
    edited in 设置), with the number of community workers at each grade."""
    rs = list_rows(db, STAFF, tuple(STAFF.field(n) for n in ("cw_post", "cw_grade", "status")))
    held = Counter((p, g) for p, g, s in rs.rows if g is not None and s in ON_BOOKS)
    table = pay_rows(db)
    posts = [p for p in STAFF.field("cw_post").choices if p in table]
    posts += [p for p in table if p not in posts]  # a category no longer offered, still paid
    head = [["等级", *(x for p in posts for x in (p, ""))],
            ["", *(x for _p in posts for x in ("月薪酬（元）", "人数"))]]
    spans = [((0, 0), (0, 1))] + [((1 + 2 * k, 0), (2 + 2 * k, 0)) for k in range(len(posts))]
    top = max((g for row in table.values() for g in row), default=18)
    rows = []
    for g in range(top, 0, -1):
        line = [f"{g}级"]
        for p in posts:
            pay = table[p].get(g)
            line += [f"{pay:,}", _n(held[(p, g)])] if pay is not None else ["—", ""]
        rows.append(line)
    rows.append(["合计", *(x for p in posts
                           for x in ("", str(sum(n for (pp, _g), n in held.items() if pp == p))))])
    ranges = "，".join(f"{p} {min(table[p])}–{max(table[p])} 级" for p in posts)
    return [Heading("社区工作者等级薪酬表"),
            Paragraph(f"社区工作者按“3岗18级”定岗定级：{ranges}，每 3 年晋升一级。"
                      "月薪酬按设置中的等级薪酬表。"),
            Grid(head, rows, spans, [1.4] + [1.3, 1] * len(posts),
                 bold=frozenset({len(rows) - 1}))]


def certificate_sections(db: Database) -> list:
    rs = list_rows(db, STAFF, tuple(STAFF.field(n) for n in ("cert_level", "cert_state",
                                                             "status", "category")))
    books = [r for r in rs.rows if r[0] and r[2] in ON_BOOKS]
    by_level = Counter(r[0] for r in books)
    by_state = Counter(r[1] or "未登记" for r in books)
    workers = sum(1 for r in books if r[3] == "社区工作者")
    bands = [("按证书等级", [(lv, by_level[lv]) for lv in CERT_LEVELS]),
             ("按登记状态", [(s, by_state[s]) for s in ("有效", "将到期", "已过期", "未登记")
                         if by_state[s] or s != "未登记"])]
    soon = _on_books(db, ("name", "work_body_id", "cert_level", "cert_number",
                          "cert_registered", "cert_valid_to", "cert_state"),
                     lambda r: r["cert_state"] in ("将到期", "已过期"))
    return [Heading("持证社工统计"),
            Paragraph(f"在册持证社会工作者共 {len(books)} 人，其中社区工作者 {workers} 人。"),
            Figures(bands),
            Heading("登记将到期或已过期的持证人员", 2), LedgerTable(STAFF, soon, soon.fields)]


def check_sections(db: Database) -> list:
    """核查事项: the 机构编制 specs' checks (app.checks) with their counts."""
    from app.checks import run_checks

    found = run_checks(db, group="机构编制")
    rows = [[c.label, str(len(c.ids)), c.hint] for c in found]
    return [Heading("核查事项"),
            Grid([["核查事项", "数量", "说明"]], rows, (), [3.4, 0.8, 7],
                 red=frozenset((r, 1) for r, c in enumerate(found) if c.ids))]


def staffing_sections(db: Database, *, report_date: date | None = None) -> list:
    street = db.street_name()
    return [Masthead(f"{street}机构编制情况", street, "实名制管理", report_date),
            *summary_sections(db), *leader_sections(db), *multi_post_sections(db),
            *pay_sections(db), *certificate_sections(db), *check_sections(db)]


def write_staffing_pdf(db: Database, path: str | os.PathLike, *,
                       report_date: date | None = None, progress=None, cancel=None) -> int:
    """The staffing documents as one PDF (landscape: the matrix is wide); returns the
    page count. Audited as a print of the roster."""
    authorize(db, "export")
    path = Path(path)
    street = db.street_name()
    doc = Document(staffing_sections(db, report_date=report_date),
                   title=f"{street}机构编制情况", author=street, subject="机构编制",
                   landscape=True)
    pages = build_pdf(path, doc, progress=progress, cancel=cancel)
    _audit(db, STAFF, "打印PDF（机构编制情况）：", len(list_rows(db, STAFF, (STAFF.field("name"),))),
           path)
    return pages


def _n(v: int) -> str:
    return str(v) if v else ""
