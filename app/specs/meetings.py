"""联席会议: joint meetings — level (which sets the cadence), issue number, people (出席 /
列席 / 请假), agenda, minutes, a status workflow and attachments. Their decisions (议定事项)
are problems of the rectification ledger (app.meetings adds them)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, literal, select

from app.models import (
    AgendaItem,
    Area,
    FunctionalBody,
    Meeting,
    MeetingDecision,
    MeetingPerson,
    Person,
    RectificationProblem,
)
from app.specs import Children, Field, LedgerSpec, PrintedDocument, Ref, register
from app.specs import rectification_columns as col
from app.specs.figures import Count, Derived, Sum, Total
from app.specs.workflow import State, Transition, Workflow, status_field

LEVELS = ("市", "区县", "街道", "社区")
# The seed: city and districts every half year, streets every quarter, communities monthly.
CADENCE_MONTHS = {"市": 6, "区县": 6, "街道": 3, "社区": 1}
CADENCE_TEXT = {1: "每月", 3: "每季度", 6: "每半年"}
KINDS = ("定期", "临时", "专题")
PERSON_ROLES = ("出席", "列席", "请假")
DECISION_KINDS = ("决定", "部署", "协调", "通报")
PLANNED, HELD, ISSUED, ARCHIVED = "筹备", "已召开", "纪要已印发", "归档"


def _rules(values: dict) -> dict[str, str]:
    errors = {}
    level, community = values.get("level"), values.get("community_id")
    if level == "社区" and not community:
        errors["community_id"] = "社区联席会议须选择所属社区"
    if level in ("市", "区县", "街道") and community:
        errors["community_id"] = f"{level}级会议不填所属社区（只有社区联席会议才填）"
    held, minutes = values.get("held_on"), values.get("minutes_on")
    if held and minutes and minutes < held:
        errors["minutes_on"] = "纪要印发日期不能早于会议日期"
    return errors


def _can_hold(values: dict) -> str | None:
    if not values.get("held_on"):
        return "请先填写会议日期"
    return None


def _can_issue(values: dict) -> str | None:
    missing = [label for name, label in (("minutes_no", "纪要文号"), ("minutes_on", "纪要印发日期"))
               if not values.get(name)]
    return f"请先填写{'、'.join(missing)}" if missing else None


WORKFLOW = Workflow(
    field="status",
    states=(State(PLANNED, "#9e9e9e"), State(HELD, "#1976d2"), State(ISSUED, "#2e7d32"),
            State(ARCHIVED, "#6d4c41", final=True)),
    transitions=(
        Transition("hold", "会议已召开", (PLANNED,), HELD, guard=_can_hold),
        Transition("issue", "印发纪要", (HELD,), ISSUED, guard=_can_issue),
        Transition("archive", "归档", (ISSUED,), ARCHIVED, roles=("admin",)),
        Transition("reopen", "退回筹备", (HELD,), PLANNED, roles=("admin",), reason=True),
        Transition("unarchive", "撤销归档", (ARCHIVED,), ISSUED, roles=("admin",), reason=True),
    ),
    initial=PLANNED,
)


def _person_rules(rows: list[dict]) -> dict[int, str]:
    return {n: "请选择人员或填写姓名" for n, r in enumerate(rows, 1)
            if not r.get("staff_id") and not (r.get("name") or "").strip()}


PEOPLE = Children(
    "people", "参会人员", MeetingPerson, "meeting_id",
    fields=(Field("role", "类别", kind="enum", choices=PERSON_ROLES, required=True,
                  default="出席", width=6),
            Field("staff_id", "人员（人员台账）", kind="ref", ref=Ref(Person), width=10),
            Field("name", "姓名", max_length=50, width=8),
            Field("unit", "单位及职务", max_length=100, width=20)),
    order_by=("id",), rules=_person_rules,
    summary=lambda r: f"{r.get('role') or ''}：{r.get('name') or r.get('staff_id') or ''}",
    new_row=lambda rows: {"role": "出席"},
    hint="出席、列席和请假人员；可从人员台账选择，或直接填写姓名和单位。",
)

AGENDA = Children(
    "agenda", "会议议题", AgendaItem, "meeting_id",
    fields=(Field("seq", "序号", kind="int", bounds=(1, 99), required=True, width=5),
            Field("topic", "议题", required=True, max_length=200, width=30),
            Field("unit", "汇报单位", max_length=100, width=14),
            Field("materials", "会议材料", kind="longtext", width=24,
                  hint="材料标题，多份用“；”分隔")),
    key=("seq",), order_by=("seq", "id"),
    summary=lambda r: f"{r.get('seq')}. {r.get('topic') or ''}",
    new_row=lambda rows: {"seq": max((r.get("seq") or 0 for r in rows), default=0) + 1},
    hint="按序号排列；会议材料写材料标题，多份用“；”分隔，材料文件可上传到“会议材料”附件。",
)


# What a clerk types for new decisions (the GUI's 添加议定事项 table): rows for
# app.meetings.add_decisions, not a stored collection (each becomes a rectification problem).
DECISION_ENTRY = Children(
    "decisions", "议定事项", MeetingDecision, "meeting_id",
    fields=(Field("content", "事项内容", kind="longtext", required=True, width=30),
            Field("kind", "类型", kind="enum", choices=DECISION_KINDS, required=True,
                  default="决定", width=6),
            Field("lead", "牵头单位", kind="ref", ref=Ref(FunctionalBody), required=True,
                  width=12),
            Field("co", "配合单位", max_length=200, width=14, hint="多个用“、”分隔"),
            Field("leader", "分管领导", max_length=50, width=8),
            Field("deadline", "完成时限", kind="date", required=True, width=11),
            Field("feedback_weeks", "反馈（周）", kind="int", bounds=(1, 52), width=6)),
    new_row=lambda rows: {"kind": "决定", "feedback_weeks": 2},
    hint="每项议定事项记入整改台账（问题来源“联席会议议定”），在整改台账中办理、验收和销号；"
         "配合单位多个用“、”分隔。",
)


# -- computed columns ----------------------------------------------------------------------

def _decisions(model, where=None):
    p = RectificationProblem
    stmt = (select(func.count(MeetingDecision.id))
            .join(p, p.id == MeetingDecision.problem_id)
            .where(MeetingDecision.meeting_id == model.id, p.deleted_at.is_(None)))
    if where is not None:
        stmt = stmt.where(where(p))
    return stmt.scalar_subquery()


def decision_count(model, _year=None):
    return _decisions(model)


def decisions_closed(model, _year=None):
    return _decisions(model, lambda p: p.status == col.CLOSED)


def decisions_overdue(model, _year=None):
    return _decisions(model, lambda p: col.warning(p) == "逾期")


def cadence(model, _year=None):
    return case(*((model.level == lv, literal(CADENCE_TEXT[m])) for lv, m in CADENCE_MONTHS.items()),
                else_=literal(""))


def held_in_year(model, year=None):
    from app.figures import this_year

    year = year or this_year()
    return case((and_(model.status != PLANNED, model.held_on >= date(year, 1, 1),
                      model.held_on <= date(year, 12, 31)), True), else_=False)


def _behind(db, _rows, _year) -> int:
    from app.meeting_cadence import behind_communities

    return len(behind_communities(db))


def _file_under(session, obj) -> None:
    from app.meetings import file_meeting

    file_meeting(session, obj)


COMMUNITY = Ref(Area, area_field="parent_id", fixed={"level": "community"},
                ledger="communities")

MEETINGS = register(
    LedgerSpec(
        key="meetings",
        title="联席会议",
        model=Meeting,
        levels=("street", "community"),
        natural_key=("held_on", "name"),
        label=("name", "issue"),
        default_sort=("held_on", "id"),
        rules=_rules,
        after_write=_file_under,
        group="联席会议",
        order=50,
        children=(PEOPLE, AGENDA),
        workflow=WORKFLOW,
        documents=(
            PrintedDocument("meeting_pack", "生成会议材料包",
                            "reports.meeting_pack:write_meeting_pack",
                            "为选中的会议生成会议材料包 PDF：议程、上次议定事项落实情况、各台账数据、"
                            "整改推进、红黑榜、本次议题", name="会议材料包", one_row=True),
            PrintedDocument("minutes", "生成会议纪要", "reports.minutes:write_minutes",
                            "按公文纪要格式生成选中会议的纪要 PDF（议定事项、出席列席请假名单）",
                            name="会议纪要", one_row=True),
        ),
        figures=(
            Total(label="会议"),
            Count("held_year", "本年召开", {"held_year": True},
                  hint="本年已召开的会议（不含筹备中）"),
            # Their own band: the strip's first band takes a figure without a filter as
            # its total.
            Sum("decisions", "议定事项", "decision_count", group="议定事项"),
            Sum("decisions_closed", "已办结", "decisions_closed", group="议定事项",
                hint="议定事项已销号"),
            Sum("decisions_overdue", "逾期事项", "decisions_overdue", group="议定事项",
                tone="warn", hint="议定事项超过办理时限仍未完成"),
            Derived("behind", "未按期召开社区", _behind, tone="warn",
                    hint="上月未召开社区联席会议的社区"),
        ),
        fields=(
            Field("name", "会议名称", required=True, max_length=200, width=24, pdf_weight=4,
                  searchable=True, aliases=("会议",)),
            Field("level", "会议层级", kind="enum", choices=LEVELS, required=True, default="街道",
                  width=7, pdf_weight=1.2, filterable=True, aliases=("层级", "级别")),
            Field("community_id", "所属社区", kind="ref", ref=COMMUNITY, width=11,
                  pdf_weight=1.8, filterable=True, aliases=("社区",),
                  hint="社区联席会议填写；街道及以上会议留空"),
            Field("issue", "期次", max_length=32, width=12, pdf_weight=2, searchable=True,
                  aliases=("届次", "次数"), hint="留空则按会议日期自动编为“2026年第N次”"),
            Field("kind", "会议类型", kind="enum", choices=KINDS, required=True, default="定期",
                  width=6, pdf_weight=1, filterable=True, aliases=("类型",)),
            Field("cadence", "召开周期", compute=cadence, width=7, table=False),
            Field("held_on", "会议日期", kind="date", required=True, width=11, pdf_weight=2,
                  aliases=("日期", "召开日期", "时间")),
            Field("place", "会议地点", max_length=200, width=16, pdf_weight=2.4,
                  aliases=("地点",)),
            Field("convener", "召集单位", max_length=100, width=14, table=False,
                  aliases=("召集人",)),
            Field("chair", "主持人", max_length=50, width=8, pdf_weight=1.2, person_name=True),
            Field("recorder", "记录人", max_length=50, width=8, table=False, person_name=True),
            Field("people", "参会人员", kind="collection", collection=PEOPLE, width=30,
                  table=False),
            Field("agenda", "会议议题", kind="collection", collection=AGENDA, width=30,
                  table=False, aliases=("议题",)),
            Field("summary", "会议概况", kind="longtext", width=30, table=False),
            Field("minutes_no", "纪要文号", max_length=64, width=14, table=False,
                  aliases=("纪要编号",)),
            Field("minutes_on", "纪要印发日期", kind="date", width=11, table=False),
            Field("decision_count", "议定事项", kind="int", compute=decision_count, width=7,
                  pdf_weight=1.1, hint="本次会议的议定事项（在整改台账中跟踪落实）"),
            Field("decisions_closed", "已办结", kind="int", compute=decisions_closed, width=6,
                  pdf_weight=1),
            Field("decisions_overdue", "逾期事项", kind="int", compute=decisions_overdue,
                  width=7, pdf_weight=1.1),
            Field("held_year", "本年召开", kind="bool", compute=held_in_year, width=6,
                  table=False, export=False),
            status_field(WORKFLOW, width=9, pdf_weight=1.5),
            Field("signin", "签到表", kind="attachment", table=False),
            Field("photos", "会议照片", kind="attachment", table=False),
            Field("materials", "会议材料", kind="attachment", table=False),
        ),
    )
)
