"""联席会议 rules and reads beyond the spec: where a meeting is filed, its issue number
(2026年第4次), its decisions (议定事项) — each one created as a rectification problem in
the same unit of work — the annual task list, and the reads the meeting pack and the
minutes print. The cadence lives in app.meeting_cadence. No Qt."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.core.uow import UnitOfWork, current, write_operation
from app.core.writes import create, load_for_change, touch
from app.errors import UserError, ValidationError
from app.models import (
    Area,
    FunctionalBody,
    Meeting,
    MeetingDecision,
    MeetingPerson,
    Person,
    RectificationProblem,
    RectificationProgress,
    RectificationUnit,
)
from app.services import scope_clause
from app.specs import rectification_columns as col
from app.specs.meetings import DECISION_KINDS, MEETINGS
from app.specs.rectification import PROBLEMS

DECISION_SOURCE = "联席会议议定"
ANNUAL_SOURCE = "年度任务清单"
_ISSUE = re.compile(r"(\d{4})年第(\d+)次")
_MATERIALS = re.compile(r"[；;\n]")  # material titles: one per line, or split by ；


# -- filing and numbering ------------------------------------------------------------------

def file_meeting(session, obj: Meeting) -> None:
    """After a save: a community's meeting is filed under that community (its people
    see it), any other under the street; then an empty 期次 gets the next number."""
    uow = current()
    target = obj.community_id or uow.db.street_id
    if target != obj.area_id:
        uow.allow("create", target)
        obj.area_id = target
        session.flush()
    if not (obj.issue or "").strip() and obj.held_on is not None:
        obj.issue = next_issue(session, obj.level, obj.community_id, obj.held_on, obj.id)
        session.flush()


def next_issue(session, level: str, community_id: int | None, day: date,
               exclude: int | None = None, street_id: int | None = None) -> str:
    """The next 期次 of the year for meetings of this level and community: one past the
    highest number given so far (in the recycle bin too, so none is given twice)."""
    m = Meeting
    stmt = select(m.issue).where(m.level == level, m.issue.startswith(f"{day.year}年"))
    if community_id is None:
        street_id = street_id if street_id is not None else current().db.street_id
        stmt = stmt.where(m.community_id.is_(None), m.area_id == street_id)
    else:
        stmt = stmt.where(m.community_id == community_id)
    if exclude is not None:
        stmt = stmt.where(m.id != exclude)
    taken = [int(g.group(2)) for g in map(_ISSUE.fullmatch, session.execute(stmt).scalars())
             if g and int(g.group(1)) == day.year]
    return f"{day.year}年第{max(taken, default=0) + 1}次"


def suggest_issue(db, level: str, community_id: int | None, day: date) -> str:
    """What the form suggests for a new meeting's 期次."""
    with db.session() as s:
        return next_issue(s, level, community_id, day, street_id=db.street_id)


# -- decisions and tasks -------------------------------------------------------------------

def _task_raw(item: dict, *, source: str, found_on: date, source_doc: str,
              community_id: int | None) -> dict:
    content = (item.get("content") or "").strip()
    if not content:
        raise ValidationError({"content": "缺少事项内容"}, {"content": "事项内容"})
    title = (item.get("title") or "").strip() or content.split("。")[0][:100]
    lead = item.get("lead")
    if lead in (None, ""):
        raise ValidationError({"lead": "缺少牵头单位"}, {"lead": "牵头单位"})
    units = [{"body_id": lead, "lead": True}]
    units += [{"body_id": c, "lead": False} for c in item.get("co") or () if c != lead]
    return {"title": title, "description": content, "source": source,
            "source_doc": source_doc, "aspect": item.get("aspect") or "治理效能",
            "found_on": found_on, "deadline": item.get("deadline"),
            "leader": item.get("leader") or "", "person": item.get("person") or "",
            "rect_type": item.get("rect_type") or "限时整改", "community_id": community_id,
            "measures": item.get("measures") or "", "units": units}


def _numbered(n: int, what: str, title: str, exc: UserError) -> UserError:
    return UserError(f"第{n}项{what}“{title[:30]}”：{exc}")


@write_operation
def add_decisions(db, meeting_id: int, items: list[dict], *,
                  expected_version: int | None = None) -> list[int]:
    """Add 议定事项 to a meeting: each one a rectification problem (source 联席会议议定,
    found on the meeting's date, its units, deadline and leader) plus its decision row
    (number within the meeting, kind, feedback every N weeks). One unit of work: a bad
    item leaves nothing written. Returns the problems' ids.

    item: content, kind (决定/部署/协调/通报), lead (a body's name or id), co (names or
    ids), leader, deadline, feedback_weeks, aspect (default 治理效能), title."""
    if not items:
        raise UserError("没有要添加的议定事项")
    with UnitOfWork(db) as uow:
        s = uow.session
        meeting = load_for_change(uow, MEETINGS, meeting_id, expected_version)
        if meeting.held_on is None:
            raise UserError("会议尚未填写会议日期，不能添加议定事项")
        seq = s.execute(select(func.coalesce(func.max(MeetingDecision.seq), 0))
                        .where(MeetingDecision.meeting_id == meeting_id)).scalar_one()
        doc = meeting.minutes_no or f"{meeting.name}（{meeting.issue}）"
        ids = []
        for n, item in enumerate(items, 1):
            label = (item.get("content") or "").strip()
            kind = item.get("kind") or "决定"
            weeks = item.get("feedback_weeks")
            try:
                if kind not in DECISION_KINDS:
                    raise UserError(f"事项类型“{kind}”不是可选值（可选：{'、'.join(DECISION_KINDS)}）")
                if weeks is not None and not (isinstance(weeks, int) and 1 <= weeks <= 52):
                    raise UserError("反馈周期应为 1–52 周")
                raw = _task_raw(item, source=DECISION_SOURCE, found_on=meeting.held_on,
                                source_doc=doc, community_id=meeting.community_id)
                obj = create(uow, PROBLEMS, raw)
            except UserError as exc:
                raise _numbered(n, "议定事项", label, exc) from None
            seq += 1
            s.add(MeetingDecision(meeting_id=meeting_id, problem_id=obj.id, seq=seq,
                                  kind=kind, feedback_weeks=weeks))
            ids.append(obj.id)
        s.flush()
        # The meeting's version moves with its audit entry (its decisions changed).
        touch(uow, MEETINGS, meeting, {"decisions": ("", "、".join(str(i) for i in ids))},
              f"{meeting.name}（{meeting.issue}）新增议定事项 {len(ids)} 项")
        uow.changes.add(PROBLEMS.key, ids)
    return ids


@write_operation
def add_annual_tasks(db, year: int, items: list[dict]) -> list[int]:
    """The year's task list (工作要点) pushed 台账式: each item a rectification problem
    with source 年度任务清单; all or nothing. Items as for add_decisions."""
    with UnitOfWork(db) as uow:
        ids = []
        for n, item in enumerate(items, 1):
            try:
                raw = _task_raw(item, source=ANNUAL_SOURCE, found_on=date(year, 1, 1),
                                source_doc=f"{year}年工作要点", community_id=None)
                ids.append(create(uow, PROBLEMS, raw).id)
            except UserError as exc:
                raise _numbered(n, "年度任务", item.get("content") or "", exc) from None
    return ids


# -- reads for the printed documents -------------------------------------------------------

@dataclass
class Decision:
    seq: int
    kind: str
    number: str  # the problem's ZG-2026-0001
    title: str
    content: str
    lead: str
    co: list[str]
    leader: str
    deadline: date | None
    status: str
    warning: str | None
    progress: str  # the latest entry: 2026-11-20 完成围挡（60%）
    feedback_weeks: int | None
    problem_id: int


def decisions(db, meeting_id: int) -> list[Decision]:
    """A meeting's decisions in their order, with their tasks' state as it stands."""
    p, d = RectificationProblem, MeetingDecision
    with db.session() as s:
        rows = s.execute(
            select(d.seq, d.kind, p.number, p.title, p.description, col.lead_unit(p),
                   p.leader, p.deadline, p.status, col.warning(p), d.feedback_weeks, p.id)
            .join(p, p.id == d.problem_id)
            .where(d.meeting_id == meeting_id, p.deleted_at.is_(None))
            .order_by(d.seq)).all()
        ids = [r[-1] for r in rows]
        co: dict[int, list[str]] = {}
        for pid, name in s.execute(
                select(RectificationUnit.problem_id, FunctionalBody.name)
                .join(FunctionalBody, FunctionalBody.id == RectificationUnit.body_id)
                .where(RectificationUnit.problem_id.in_(ids), RectificationUnit.lead.is_(False))
                .order_by(RectificationUnit.id)):
            co.setdefault(pid, []).append(name)
        latest: dict[int, str] = {}
        for pid, day, work, percent in s.execute(
                select(RectificationProgress.problem_id, RectificationProgress.day,
                       RectificationProgress.work, RectificationProgress.percent)
                .where(RectificationProgress.problem_id.in_(ids))
                .order_by(RectificationProgress.day, RectificationProgress.id)):
            latest[pid] = f"{day.month}月{day.day}日 {work}" + (
                f"（{percent}%）" if percent is not None else "")
    return [Decision(seq, kind, number, title, content or title, lead or "", co.get(pid, []),
                     leader, deadline, status, warning, latest.get(pid, ""), weeks, pid)
            for seq, kind, number, title, content, lead, leader, deadline, status, warning,
            weeks, pid in rows]


@dataclass
class MeetingInfo:
    id: int
    name: str
    level: str
    issue: str
    kind: str
    held_on: date | None
    place: str
    convener: str
    chair: str
    recorder: str
    minutes_no: str
    minutes_on: date | None
    summary: str
    status: str
    community: str  # "" for the street's own meetings
    people: list[tuple[str, str, str]]  # (role, name, unit)
    agenda: list[tuple[int, str, str, list[str]]]  # (seq, topic, unit, material titles)


def meeting_info(db, meeting_id: int) -> MeetingInfo:
    from app.core.children import stored_children
    from app.services import _load

    with db.session() as s:
        m = _load(s, db, MEETINGS, meeting_id)
        community = s.get(Area, m.community_id).name if m.community_id else ""
        people = []
        for r in s.execute(select(MeetingPerson.role, MeetingPerson.name, MeetingPerson.unit,
                                  Person.name).outerjoin(Person, Person.id == MeetingPerson.staff_id)
                           .where(MeetingPerson.meeting_id == m.id).order_by(MeetingPerson.id)):
            people.append((r[0], (r[1] or r[3] or "").strip(), r[2] or ""))
        agenda = [(a["seq"], a["topic"], a["unit"] or "",
                   [t.strip() for t in _MATERIALS.split(a["materials"] or "") if t.strip()])
                  for a in stored_children(s, MEETINGS.child("agenda"), m.id)]
        return MeetingInfo(m.id, m.name, m.level, m.issue, m.kind, m.held_on, m.place,
                           m.convener, m.chair, m.recorder, m.minutes_no, m.minutes_on,
                           m.summary, m.status, community, people, agenda)


def resolve_meeting(db, which: str | int) -> int:
    """A meeting's id from `ID` or `latest` (the street's most recent meeting by date;
    a community account's own when the street has none in its view)."""
    m = Meeting
    text = str(which).strip()
    with db.session() as s:
        if text.lower() == "latest":
            base = select(m.id).where(scope_clause(db, MEETINGS), m.held_on.isnot(None))
            order = (m.held_on.desc(), m.id.desc())
            found = s.execute(base.where(m.community_id.is_(None)).order_by(*order)
                              .limit(1)).scalar() or s.execute(base.order_by(*order)
                                                               .limit(1)).scalar()
            if found is None:
                raise UserError("还没有会议记录（请先在“联席会议”中新建会议）")
            return found
        if not text.isdigit():
            raise UserError(f"会议“{text}”无法识别：应为会议编号（数字）或 latest（最近一次）")
        found = s.execute(select(m.id).where(scope_clause(db, MEETINGS), m.id == int(text))
                          ).scalar()
        if found is None:
            raise UserError(f"没有编号为 {text} 的会议（或不在本账号的范围内）")
        return found


def previous_meeting(db, meeting_id: int) -> int | None:
    """The meeting before this one of the same level and community (whose decisions
    the pack reports on)."""
    m = Meeting
    with db.session() as s:
        me = s.get(m, meeting_id)
        if me is None or me.held_on is None:
            return None
        same = m.community_id.is_(None) if me.community_id is None \
            else m.community_id == me.community_id
        return s.execute(
            select(m.id).where(scope_clause(db, MEETINGS), same, m.level == me.level,
                               m.id != me.id, m.held_on.isnot(None),
                               (m.held_on < me.held_on) | ((m.held_on == me.held_on)
                                                           & (m.id < me.id)))
            .order_by(m.held_on.desc(), m.id.desc()).limit(1)).scalar()
