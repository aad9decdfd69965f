"""The meeting pack (会议材料包): everything a joint meeting puts on the table, from the
ledgers, in one PDF composed of reports.sections — the cover (GB/T 9704), contents,
the agenda, 落实情况 of the previous meeting's decisions, the figures of every ledger,
rectification progress by unit with the overdue list, the latest 红黑榜, this meeting's
topics with their materials, charts; folios "— N —" and bookmarks."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from reportlab.lib.units import mm

from app.figures import figures, grouped
from app.meeting_cadence import cadences
from app.meetings import Decision, MeetingInfo, decisions, meeting_info, previous_meeting
from app.normalize import format_date
from app.rectification import Period, parse_period, red_black, unit_scores
from app.services import RowSet, list_rows
from app.specs import all_specs
from app.specs.meetings import CADENCE_MONTHS, CADENCE_TEXT, MEETINGS
from app.specs.rectification import PROBLEMS
from reports.export import audit_output
from reports.official import Contents, OfficialCover, ToneTable
from reports.rectification import red_black_sections
from reports.sections import Chart, Document, Figures, Heading, LedgerTable, Paragraph, build_pdf

WARNING_TONES = {"逾期": "red", "滞后": "yellow", "临期": "blue"}
OVERDUE_FIELDS = ("number", "title", "community_id", "lead_unit", "deadline", "days_left",
                  "escalation")


def _short(d: date | None) -> str:
    return f"{d.year}.{d.month:02d}.{d.day:02d}" if d else ""


def _state(d: Decision) -> str:
    return d.status + (f"（{d.warning}）" if d.warning and d.warning != "正常" else "")


def follow_up_sections(db, previous: int | None) -> list:
    """二、上次会议议定事项落实情况: each decision with its lead unit, deadline, state,
    latest progress and warning colour, after a one-paragraph tally."""
    out: list = [Heading("上次会议议定事项落实情况")]
    if previous is None:
        return out + [Paragraph("本次为首次会议，无上次会议议定事项。")]
    info, items = meeting_info(db, previous), decisions(db, previous)
    closed = sum(d.status == "已销号" for d in items)
    waiting = sum(d.status == "待验收" for d in items)
    overdue = sum(d.warning == "逾期" for d in items)
    tally = (f"{info.issue}会议（{format_date(info.held_on)}）议定事项{len(items)}项：已办结"
             f"{closed}项，待验收{waiting}项，正在办理{len(items) - closed - waiting}项，"
             f"其中逾期{overdue}项。")
    rows, tones = [], {}
    for r, d in enumerate(items):
        rows.append([str(d.seq), f"{d.title}（{d.kind}）", d.lead + (
            f"\n配合：{'、'.join(d.co)}" if d.co else ""), _short(d.deadline), _state(d),
            d.progress or "尚无进展记录"])
        if d.warning in WARNING_TONES:
            tones[(r, 4)] = WARNING_TONES[d.warning]
        elif d.status == "已销号":
            tones[(r, 4)] = "green"
    out += [Paragraph(tally),
            ToneTable(("序号", "议定事项", "牵头单位", "办理时限", "办理状态", "最新进展"),
                      rows, (0.6, 3.4, 2.2, 1.5, 1.5, 2.6), tones,
                      centred=frozenset({0, 3, 4}))]
    states = {}
    for d in items:
        states[d.status] = states.get(d.status, 0) + 1
    if items:
        out.append(Chart("上次会议议定事项办理状态", list(states.items()), kind="pie",
                         height=62 * mm))
    return out


def agenda_sections(m: MeetingInfo, street: str) -> list:
    people = {role: [n for r, n, _u in m.people if r == role and n] for role in
              ("出席", "列席", "请假")}
    lines = [f"会议时间：{format_date(m.held_on)}", f"会议地点：{m.place or '待定'}",
             f"主持人：{m.chair or '待定'}"]
    if m.convener:
        lines.append(f"召集单位：{m.convener}")
    lines.append(f"参会人员：出席{len(people['出席'])}人，列席{len(people['列席'])}人，"
                 f"请假{len(people['请假'])}人")
    rows = [[str(seq), topic, unit] for seq, topic, unit, _mats in m.agenda]
    return [Heading("会议议程"), Paragraph("\n\n".join(lines)),
            ToneTable(("序号", "议题", "汇报单位"), rows, (0.6, 5.4, 2.4),
                      centred=frozenset({0}))]


def ledger_figures_sections(db, year: int) -> list:
    """三、各台账主要数据: every ledger's declared figures (app.figures), generic over the
    registered specs in their navigation order; the per-value breakdowns go to charts."""
    out: list = [Heading("各台账主要数据")]
    for spec in sorted(all_specs(), key=lambda s: (s.order, s.key)):
        if not spec.group or len(spec.figures) <= 1:
            continue
        values = figures(db, spec, year)
        main = [v for v in values if "=" not in v.key]
        if not main or not any(v.value for v in main):
            continue
        out += [Heading(spec.title, 2), Figures(grouped(main))]
        if spec is PROBLEMS:
            by = [(v.label, v.value) for v in values if v.group == "按社区" and v.value]
            out.append(Chart("整改问题按社区分布", by, height=62 * mm))
    return out


def cadence_sections(db, today: date) -> list:
    rows, tones = [], {}
    for r, c in enumerate(cadences(db, today)):
        rows.append([c.area, CADENCE_TEXT[CADENCE_MONTHS[c.level]], _short(c.last_held),
                     _short(c.next_due), str(c.missed), "未按期召开" if c.behind else "正常"])
        if c.behind:
            tones[(r, 5)] = "red"
    behind = [c.area for c in cadences(db, today) if c.behind and c.level == "社区"]
    text = (f"上月未召开联席会议的社区：{'、'.join(behind)}。" if behind
            else "各社区均按月召开了联席会议。")
    return [Heading("联席会议召开情况", 2), Paragraph(text),
            ToneTable(("单位", "召开周期", "最近召开", "下次应召开（截至）", "本年缺次", "状态"),
                      rows, (2.4, 1.3, 1.6, 2.2, 1.2, 1.4), tones,
                      centred=frozenset({1, 2, 3, 4, 5}))]


def _overdue(db) -> RowSet:
    rows = list_rows(db, PROBLEMS, tuple(PROBLEMS.field(n) for n in OVERDUE_FIELDS + (
        "warning",)))
    w, d = len(OVERDUE_FIELDS), OVERDUE_FIELDS.index("days_left")
    keep = sorted((k for k, r in enumerate(rows.rows) if r[w] == "逾期"),
                  key=lambda k: rows.rows[k][d] or 0)
    return RowSet(rows.fields, [rows.ids[k] for k in keep], [rows.versions[k] for k in keep],
                  [rows.rows[k] for k in keep])


def progress_sections(db, today: date) -> list:
    """四、整改工作推进情况: each lead unit's problems due so far, fixed, closed, rate and
    overdue (red when any), a chart of the rates, then the overdue problems."""
    units = unit_scores(db, Period(date(1990, 1, 1), today, "截至目前"))
    units.sort(key=lambda u: (-u.fixed / u.due if u.due else 0, u.unit))
    rows, tones = [], {}
    for r, u in enumerate(units):
        rate = 100 * u.fixed / u.due if u.due else 0.0
        rows.append([u.unit, str(u.due), str(u.fixed), str(u.closed), f"{rate:.1f}%",
                     str(u.overdue)])
        if u.overdue:
            tones[(r, 5)] = "red"
    total = [sum(getattr(u, k) for u in units) for k in ("due", "fixed", "closed", "overdue")]
    rows.append(["合计", str(total[0]), str(total[1]), str(total[2]),
                 f"{100 * total[1] / total[0]:.1f}%" if total[0] else "0.0%", str(total[3])])
    overdue = _overdue(db)
    return [Heading("整改工作推进情况"),
            Heading("各牵头单位推进情况", 2),
            ToneTable(("牵头单位", "应完成", "已整改", "已销号", "完成率", "逾期"), rows,
                      (3, 1.1, 1.1, 1.1, 1.2, 1), tones, centred=frozenset({1, 2, 3, 4, 5}),
                      bold=frozenset({len(rows) - 1})),
            Chart("各牵头单位整改完成率（%）",
                  [(u.unit, round(100 * u.fixed / u.due, 1)) for u in units if u.due],
                  height=70 * mm),
            Heading(f"逾期问题清单（{len(overdue.rows)}个）", 2),
            LedgerTable(PROBLEMS, overdue, tuple(PROBLEMS.field(n) for n in OVERDUE_FIELDS))]


def topic_sections(db, m: MeetingInfo) -> list:
    from app.attachments import list_attachments

    out: list = [Heading("本次会议议题及材料")]
    if not m.agenda:
        out.append(Paragraph("本次会议议题尚未确定。"))
    for _seq, topic, unit, materials in m.agenda:
        out.append(Heading(topic, 2))
        lines = [f"汇报单位：{unit or '未指定'}"]
        lines += [f"材料{n}：{t}" for n, t in enumerate(materials, 1)] or ["材料：无"]
        out.append(Paragraph("\n\n".join(lines)))
    files = list_attachments(db, MEETINGS, m.id, "materials")
    if files:
        out += [Heading("附件材料", 2),
                Paragraph("\n".join(f"{n}. {f.filename}" for n, f in enumerate(files, 1)))]
    return out


def last_quarter(day: date) -> Period:
    """The 红黑榜 of the quarter before the one holding `day` (the latest one published)."""
    start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    prev = start - timedelta(days=1)
    return parse_period(f"{prev.year}Q{(prev.month - 1) // 3 + 1}")


def pack_sections(db, meeting_id: int, *, today: date | None = None) -> list:
    from app.sqldates import today as app_today

    today = today or app_today()
    street = db.street_name()
    m = meeting_info(db, meeting_id)
    when = m.held_on or today
    lines = [f"会议时间：{format_date(m.held_on)}", f"会议地点：{m.place or '待定'}"]
    if m.chair:
        lines.append(f"主持人：{m.chair}")
    lines.append(f"材料截至：{format_date(today)}")
    rb = red_black(db, last_quarter(when))
    return [
        OfficialCover(m.name, f"{m.issue}会议材料", lines, m.convener or street, today),
        Contents(),
        *agenda_sections(m, street),
        *follow_up_sections(db, previous_meeting(db, meeting_id)),
        *ledger_figures_sections(db, today.year),
        *cadence_sections(db, today),
        *progress_sections(db, today),
        *red_black_sections(rb),
        *topic_sections(db, m),
    ]


def write_meeting_pack(db, path: str | os.PathLike, meeting: str | int = "latest", *,
                       today: date | None = None, progress=None, cancel=None) -> int:
    """The meeting pack of `meeting` (an id or "latest"); returns the page count."""
    from app.auth import authorize
    from app.meetings import resolve_meeting

    authorize(db, "export")
    meeting_id = resolve_meeting(db, meeting)
    m = meeting_info(db, meeting_id)
    doc = Document(pack_sections(db, meeting_id, today=today),
                   title=f"{m.name}{m.issue}会议材料", author=m.convener or db.street_name(),
                   subject="会议材料包")
    pages = build_pdf(path, doc, progress=progress, cancel=cancel)
    audit_output(db, MEETINGS.key, f"打印PDF：会议材料包：{m.name}（{m.issue}）：{Path(path).name}")
    return pages
