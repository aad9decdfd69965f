"""A meeting's minutes (会议纪要) in the GB/T 9704 纪要 layout — the red 纪要 mark with its
number, the body, the 议定事项 numbered 一、二、…, then the 出席 / 列席 / 请假 name lists —
and its decisions table as an Excel workbook."""

from __future__ import annotations

import os
from pathlib import Path

from app.meetings import decisions, meeting_info, resolve_meeting
from app.normalize import format_date
from app.services import RowSet
from app.specs import Field, LedgerSpec
from app.specs.meetings import MEETINGS
from reports.export import audit_output
from reports.numbering import heading_number
from reports.official import Body, NameList, RedMark, Spacing
from reports.sections import Document, build_pdf


def _who(name: str, unit: str, with_unit: bool) -> str:
    if not name:
        return unit
    return f"{name}（{unit}）" if with_unit and unit else name


def minutes_sections(db, meeting_id: int) -> list:
    m = meeting_info(db, meeting_id)
    items = decisions(db, meeting_id)
    topics = "、".join(f"“{t}”" for _s, t, _u, _mat in m.agenda)
    opening = (f"{format_date(m.held_on)}，{m.chair or '会议主持人'}在{m.place or '会议室'}"
               f"主持召开{m.name}（{m.issue}）。")
    if topics:
        opening += f"会议听取了{topics}等议题的汇报，"
    opening += ("研究部署了相关工作。现将会议议定事项纪要如下：" if items
                else "研究了相关工作。现纪要如下：")
    body = [opening]
    if m.summary:
        body.append(m.summary)
    for n, d in enumerate(items, 1):
        parts = [f"牵头单位：{d.lead}" if d.lead else "",
                 f"配合单位：{'、'.join(d.co)}" if d.co else "",
                 f"分管领导：{d.leader}" if d.leader else "",
                 f"完成时限：{format_date(d.deadline)}" if d.deadline else "",
                 f"每{d.feedback_weeks}周反馈一次进展" if d.feedback_weeks else ""]
        tail = "，".join(p for p in parts if p)
        text = d.content.rstrip("。；;，, ") + "。"
        body.append(f"{heading_number(1, n)}{text}" + (f"{tail}。" if tail else ""))
    number = m.minutes_no or "（纪要文号未填写）"
    when = format_date(m.minutes_on) if m.minutes_on else ""
    out: list = [RedMark(f"{m.name}纪要", number + (f"　　{when}" if when else ""),
                         outline=f"{m.name}纪要（{m.issue}）"),
                 Body("\n\n".join(body)), Spacing()]
    for role in ("出席", "列席", "请假"):
        names = [_who(n, u, role != "出席") for r, n, u in m.people if r == role]
        out.append(NameList(role, [x for x in names if x]))
    if m.recorder:
        out.append(NameList("记录", [m.recorder]))
    return out


def write_minutes(db, path: str | os.PathLike, meeting: str | int = "latest", **_kw) -> int:
    """The minutes of `meeting` (an id or "latest") as a PDF; returns the page count."""
    from app.auth import authorize

    authorize(db, "export")
    meeting_id = resolve_meeting(db, meeting)
    m = meeting_info(db, meeting_id)
    doc = Document(minutes_sections(db, meeting_id), title=f"{m.name}纪要（{m.issue}）",
                   author=m.convener or db.street_name(), subject="会议纪要")
    pages = build_pdf(path, doc)
    audit_output(db, MEETINGS.key, f"打印PDF：会议纪要：{m.name}（{m.issue}）：{Path(path).name}")
    return pages


class _Row:  # the decisions table's "model": the writers read the spec's fields only
    pass


DECISION_TABLE = LedgerSpec(
    key="meeting_decisions", title="议定事项", model=_Row, natural_key=("number",),
    pdf_landscape=True,
    fields=(
        Field("seq", "事项序号", kind="int", width=6),
        Field("number", "问题编号", width=14),
        Field("kind", "事项类型", width=8),
        Field("content", "议定事项", width=40),
        Field("lead", "牵头单位", width=16),
        Field("co", "配合单位", width=20),
        Field("leader", "分管领导", width=8),
        Field("deadline", "办理时限", kind="date", width=11),
        Field("feedback", "反馈周期", width=8),
        Field("status", "办理状态", width=8),
        Field("warning", "预警", width=6),
        Field("progress", "最新进展", width=30),
    ),
)


def write_decisions_xlsx(db, path: str | os.PathLike, meeting: str | int = "latest") -> int:
    """A meeting's decisions with their tasks' state, as a workbook; returns the rows."""
    from app.auth import authorize
    from reports.xlsx import write_ledger_xlsx

    authorize(db, "export")
    meeting_id = resolve_meeting(db, meeting)
    m = meeting_info(db, meeting_id)
    rows = [(d.seq, d.number, d.kind, d.content, d.lead, "、".join(d.co), d.leader, d.deadline,
             f"每{d.feedback_weeks}周" if d.feedback_weeks else "", d.status, d.warning or "",
             d.progress) for d in decisions(db, meeting_id)]
    rowset = RowSet(DECISION_TABLE.fields, list(range(1, len(rows) + 1)), [1] * len(rows), rows)
    n = write_ledger_xlsx(path, DECISION_TABLE, rowset, title=f"{m.name}（{m.issue}）议定事项",
                          street_name=m.convener or db.street_name())
    audit_output(db, MEETINGS.key, f"导出议定事项：{m.name}（{m.issue}）{n} 项：{Path(path).name}")
    return n


