"""整改台账 printed: the ledger report (summary, warnings, charts, the 红黑榜, the
problems) and the 红黑榜 alone as one page for posting — both lists of
reports.sections, so the meeting pack can take them as they are."""

from __future__ import annotations

import os
from datetime import date

from app.figures import figures, grouped
from app.rectification import Period, RedBlack, Rules, parse_period, red_black
from app.services import RowSet, list_rows
from app.specs import Field, LedgerSpec
from app.specs.rectification import PROBLEMS
from reports.sections import (
    Chart,
    Document,
    Figures,
    Heading,
    LedgerTable,
    Masthead,
    Paragraph,
    build_pdf,
)


class _Row:  # the ranking table's "model": LedgerTable reads the spec's fields only
    pass


RANKING = LedgerSpec(
    key="rectification_ranking", title="红黑榜", model=_Row, natural_key=("unit",),
    fields=(
        Field("rank", "名次", width=4, pdf_weight=0.8),
        Field("unit", "牵头单位", width=16, pdf_weight=3),
        Field("due", "应完成", width=6, pdf_weight=1),
        Field("fixed", "已整改", width=6, pdf_weight=1),
        Field("completion", "完成率", width=7, pdf_weight=1.2),
        Field("on_time", "按期完成率", width=8, pdf_weight=1.4),
        Field("overdue", "逾期", width=5, pdf_weight=0.9),
        Field("score", "得分", width=6, pdf_weight=1),
        Field("listed", "榜单", width=8, pdf_weight=1.6),
    ),
)


def _ranking_rows(rb: RedBlack) -> RowSet:
    red, black = {u.unit for u in rb.red}, {u.unit for u in rb.black}
    rows = []
    for u in rb.ranked:
        listed = "红榜" if u.unit in red else "黑榜" if u.unit in black else \
            f"免于列榜（{u.exempt}）" if u.exempt else ""
        rows.append((str(u.rank), u.unit, str(u.due), str(u.fixed), f"{u.completion:.1f}%",
                     f"{u.on_time_rate:.1f}%" if u.closed else "—", str(u.overdue),
                     f"{u.score:.1f}", listed))
    ids = list(range(1, len(rows) + 1))
    return RowSet(RANKING.fields, ids, [1] * len(rows), rows)


def red_black_sections(rb: RedBlack) -> list:
    """The 红黑榜 of one period: who is on each list, the whole ranking, the rules used."""
    def names(units):
        return "、".join(u.unit for u in units) or "无"

    return [
        Heading(f"{rb.period.label}整改工作红黑榜"),
        Paragraph(f"红榜：{names(rb.red)}\n\n黑榜：{names(rb.black)}"),
        LedgerTable(RANKING, _ranking_rows(rb)),
        Paragraph("评比规则：" + rb.rules.text()
                  + (f"\n\n免于列榜：{'；'.join(f'{u.unit}（{u.exempt}）' for u in rb.exempted)}"
                     if rb.exempted else "")),
    ]


def _warned(db) -> RowSet:
    """The problems under a red or yellow warning, most overdue first."""
    rows = list_rows(db, PROBLEMS, PROBLEMS.pdf_fields)
    names = [f.name for f in rows.fields]
    w, d = names.index("warning"), names.index("days_left")
    keep = [k for k, r in enumerate(rows.rows) if r[w] in ("逾期", "滞后")]
    keep.sort(key=lambda k: (rows.rows[k][w] != "逾期", rows.rows[k][d] or 0))
    return RowSet(rows.fields, [rows.ids[k] for k in keep], [rows.versions[k] for k in keep],
                  [rows.rows[k] for k in keep])


def _per(values, group: str) -> list[tuple[str, float]]:
    return [(v.label, v.value) for v in values if v.group == group and v.value]


def rectification_sections(db, *, period: Period | None = None, rules: Rules | None = None,
                           exempt: dict[str, str] | None = None, rowset=None,
                           report_date: date | None = None) -> list:
    """The rectification ledger report: 一、总体情况 (figures), 二、预警 (the problems
    overdue or behind), 三、charts by aspect and community, 四、红黑榜, 五、明细."""
    street = db.street_name()
    period = period or parse_period(None)
    rows = rowset if rowset is not None else list_rows(db, PROBLEMS, PROBLEMS.pdf_fields)
    values = figures(db, PROBLEMS, rowset=ledger_rows_for(db, rowset))
    main = [v for v in values if v.group in ("总体情况", "预警", "资金")]
    warned = _warned(db)
    return [
        Masthead(f"{street}{PROBLEMS.title}", street, f"截至{period.label}", report_date,
                 len(rows.rows)),
        Heading("总体情况"),
        Figures(grouped(main)),
        Heading("预警问题（逾期、滞后）"),
        LedgerTable(PROBLEMS, warned),
        Heading("分类统计"),
        Chart("按问题类别", _per(values, "按问题类别")),
        Chart("按社区", _per(values, "按社区")),
        *red_black_sections(red_black(db, period, rules, exempt)),
        Heading(f"{PROBLEMS.title}明细"),
        LedgerTable(PROBLEMS, rows),
    ]


def ledger_rows_for(db, rowset):
    """The rows the figures count: every field they need (the printed ones lack some)."""
    from app.figures import ledger_rows

    return ledger_rows(db, PROBLEMS) if rowset is None else None


def _audit(db, what: str, path) -> None:
    from pathlib import Path

    from app.audit import record

    with db.session() as s:
        record(s, db.actor, "export", PROBLEMS.key, summary=f"打印PDF：{what}：{Path(path).name}")
        s.commit()


def write_rectification_pdf(db, path: str | os.PathLike, *, period: str | None = None,
                            progress=None, cancel=None) -> int:
    """The ledger report for a period (the 季调度 of the joint meeting); returns pages."""
    from app.auth import authorize

    authorize(db, "export")
    street = db.street_name()
    doc = Document(rectification_sections(db, period=parse_period(period)),
                   title=f"{street}{PROBLEMS.title}", author=street, subject=PROBLEMS.title,
                   landscape=True)
    pages = build_pdf(path, doc, progress=progress, cancel=cancel)
    _audit(db, "整改调度报告", path)
    return pages


def write_red_black_pdf(db, path: str | os.PathLike, *, period: str | None = None,
                        rules: Rules | None = None, exempt: dict[str, str] | None = None
                        ) -> int:
    """The 红黑榜 alone, for posting; returns the page count."""
    from app.auth import authorize

    authorize(db, "export")
    street = db.street_name()
    rb = red_black(db, parse_period(period), rules, exempt)
    sections = [Masthead(f"{street}整改工作红黑榜", street, rb.period.label),
                *red_black_sections(rb)[1:]]
    doc = Document(sections, title=f"{street}整改工作红黑榜", author=street,
                   subject="红黑榜")
    pages = build_pdf(path, doc)
    _audit(db, f"{rb.period.label}红黑榜", path)
    return pages


DOCUMENTS = {"dispatch": ("整改调度报告", write_rectification_pdf),
             "red-black": ("红黑榜", write_red_black_pdf)}
