"""整改台账: the rectification ledger — each problem found, its responsible units,
progress log, acceptance (验收) and closing (销号), with overdue warnings."""

from __future__ import annotations

from app.auth import VERIFIERS
from app.models import (
    Area,
    RectificationProblem,
)
from app.specs import Field, LedgerSpec, Ref, register
from app.specs import rectification_columns as col
from app.specs.estates import ESTATE_REF
from app.specs.figures import Count, PerValue, Rate, Sum, Total
from app.specs.grids import GRID_REF
from app.specs.rectification_children import MEASURES, MILESTONES, PROGRESS, UNITS
from app.specs.workflow import State, Transition, Workflow, status_field

SOURCES = ("上级督查", "巡视巡察", "审计", "环保督察", "12345热线", "信访", "网格上报",
           "联席会议议定", "年度任务清单", "领导批示", "自查", "媒体曝光")
ASPECTS = ("组织建设", "服务保障", "治理环境", "治理效能", "安全稳定")
SEVERITIES = ("一般", "较重", "严重")
RECT_TYPES = ("立行立改", "限时整改", "长期整改")
FUND_SOURCES = ("专项资金", "部门预算", "社会资金", "其他")
ACCEPT_METHODS = ("资料审核", "现场核查", "群众走访")
GRADES = ("好", "较好", "一般", "差")
PASSING = ("好", "较好")  # 一般 or 差 sends the problem back for a second round
ESCALATIONS = ("专函督办", "约谈")
NUMBER_PREFIX = "ZG"


def _rules(values: dict) -> dict[str, str]:
    errors = {}
    units = values.get("units")
    if units and not any(u.get("lead") in (True, "是") for u in units):
        # A sheet cell names the units without marking one: the first one leads.
        units[0]["lead"] = True
    found, deadline = values.get("found_on"), values.get("deadline")
    if found and deadline and deadline < found:
        errors["deadline"] = "整改时限不能早于发现日期"
    accepted = values.get("accepted_on")
    if accepted and found and accepted < found:
        errors["accepted_on"] = "验收日期不能早于发现日期"
    closed = values.get("closed_on")
    if closed and accepted and closed < accepted:
        errors["closed_on"] = "销号日期不能早于验收日期"
    planned, spent = values.get("funds_planned"), values.get("funds_spent")
    if (planned is not None and planned < 0) or (spent is not None and spent < 0):
        errors["funds_spent" if spent is not None and spent < 0 else "funds_planned"] = \
            "资金不能为负数"
    return errors


# -- workflow guards: values of the row, attachment fields as their number of files ------

def _can_submit(values: dict) -> str | None:
    if not (values.get("result_note") or "").strip():
        return "请先在“整改情况”中写明已完成的整改工作"
    return None


def _can_close(values: dict) -> str | None:
    missing = [label for name, label in (("accepted_by", "验收人"), ("accepted_on", "验收日期"),
                                         ("accept_grade", "验收等次"))
               if not values.get(name)]
    if missing:
        return f"尚未验收：请先填写{'、'.join(missing)}"
    if values["accept_grade"] not in PASSING:
        return f"验收等次为“{values['accept_grade']}”，未通过验收，应退回再次整改"
    if not values.get("photos_after") and not values.get("evidence_docs"):
        return "请先上传整改佐证：“整改后照片”或“佐证资料”"
    return None


def _can_go_long_term(values: dict) -> str | None:
    if values.get("rect_type") != "长期整改":
        return "只有整改类型为“长期整改”的问题才能转为长期坚持"
    return None


def _failed_acceptance(values: dict) -> str | None:
    if values.get("accept_grade") not in ("一般", "差"):
        return "验收等次为“一般”或“差”时才能判定验收不通过；其他情况请用“退回”"
    return None


def _relapsed(values: dict) -> str | None:
    if not values.get("recheck_on") or not (values.get("recheck_result") or "").strip():
        return "请先填写回头看日期和回头看情况"
    return None


def _next_round(values: dict) -> dict:
    """Back to rectifying: one more round, and the failed acceptance cleared (kept in the
    audit trail) so the next 销号 needs a new one."""
    return {"rounds": (values.get("rounds") or 0) + 1, "accept_grade": "",
            "accepted_on": None, "accept_requested_on": None}


def _reopened(values: dict) -> dict:
    return {**_next_round(values), "closed_on": None, "closed_by": ""}


def _submitted(values: dict) -> dict:
    return {} if values.get("accept_requested_on") else {"accept_requested_on": values["_today"]}


def _closed(values: dict) -> dict:
    return {"closed_by": values["_by"], "closed_on": values.get("closed_on") or values["_today"]}


WORKFLOW = Workflow(
    field="status",
    states=(State("未启动", "#9e9e9e"), State("整改中", "#1976d2"),
            State("待验收", "#f9a825"), State("长期坚持", "#6a1b9a"),
            State("已销号", "#2e7d32", final=True)),
    transitions=(
        Transition("start", "开始整改", ("未启动",), "整改中"),
        Transition("submit", "提交验收", ("整改中", "长期坚持"), "待验收", guard=_can_submit,
                   effect=_submitted),
        Transition("long_term", "转长期坚持", ("整改中",), "长期坚持", roles=VERIFIERS,
                   reason=True, guard=_can_go_long_term),
        Transition("reject", "退回", ("待验收",), "整改中", roles=VERIFIERS, reason=True,
                   effect=_next_round),
        # Graded 一般 or 差: a second round of rectification.
        Transition("fail", "验收不通过", ("待验收",), "整改中", roles=VERIFIERS, reason=True,
                   guard=_failed_acceptance, effect=_next_round),
        # 完成一项销号一项: closing is the verifier's, never the reporting unit's editor,
        # and never whoever submitted it for acceptance.
        Transition("close", "销号", ("待验收",), "已销号", roles=VERIFIERS, guard=_can_close,
                   not_by=("submit",), effect=_closed),
        # 回头看 found a relapse: reopened with the history kept in the audit trail.
        Transition("reopen", "回头看反弹重启", ("已销号",), "整改中", roles=VERIFIERS,
                   reason=True, guard=_relapsed, effect=_reopened),
    ),
    initial="未启动",
)


def _assign_number(session, obj) -> None:
    from app.rectification import assign_numbers

    assign_numbers(session, [obj.id])


def _assign_numbers(session, ids: list[int]) -> None:
    from app.rectification import assign_numbers

    assign_numbers(session, ids)


COMMUNITY = Ref(Area, area_field="parent_id", fixed={"level": "community"},
                ledger="communities")

PROBLEMS = register(
    LedgerSpec(
        key="rectification",
        title="整改台账",
        model=RectificationProblem,
        natural_key=("number",),
        label=("number", "title"),
        default_sort=("number", "id"),
        rules=_rules,
        after_write=_assign_number,
        after_insert=_assign_numbers,
        group="整改台账",
        order=40,
        children=(UNITS, MEASURES, MILESTONES, PROGRESS),
        workflow=WORKFLOW,
        figures=(
            Total(),
            Count("fixed", "已整改", {"fixed": True}, hint="已完成整改（待验收或已销号）"),
            Count("closed", "已销号", {"status": "已销号"}),
            Rate("completion", "完成率", {"fixed": True}, hint="已整改 ÷ 合计（%）"),
            Rate("on_time", "按期完成率", {"on_time": True}, {"status": "已销号"},
                 hint="按期销号 ÷ 已销号（%）"),
            Count("overdue", "逾期", {"warning": "逾期"}, group="预警", tone="warn",
                  hint="红色预警：超过整改时限仍未完成"),
            Count("letter", "专函督办", {"escalation": "专函督办"}, group="预警", tone="warn"),
            Count("behind", "滞后", {"warning": "滞后"}, group="预警", tone="warn",
                  hint="黄色预警：长期无进展，或进度落后于时间"),
            Count("due_soon", "临期", {"warning": "临期"}, group="预警",
                  hint="蓝色预警：即将到期（天数可在设置中修改）"),
            Count("talk", "约谈", {"escalation": "约谈"}, group="预警", tone="warn"),
            PerValue("aspect", "按问题类别", strip=False),
            PerValue("source", "按问题来源", hide_zero=True, strip=False),
            PerValue("community_id", "按社区", blank="未指定社区", strip=False),
            PerValue("lead_unit", "按牵头单位", blank="未指定牵头单位", strip=False),
            Sum("funds_planned", "计划资金（元）", "funds_planned", group="资金", decimals=2,
                strip=False),
            Sum("funds_spent", "已用资金（元）", "funds_spent", group="资金", decimals=2,
                strip=False),
        ),
        fields=(
            Field("number", "问题编号", max_length=32, width=14, pdf_weight=2.2,
                  searchable=True, aliases=("编号", "序号编号", "台账编号"),
                  hint="留空则自动编号，如 ZG-2026-0001"),
            Field("title", "问题名称", required=True, max_length=200, width=28, pdf_weight=5,
                  searchable=True, aliases=("问题", "问题标题", "存在问题")),
            Field("description", "问题描述", kind="longtext", width=36, table=False,
                  searchable=True, aliases=("问题详情", "具体问题")),
            Field("source", "问题来源", kind="enum", choices=SOURCES, editable=True,
                  required=True, width=10, pdf_weight=1.8, filterable=True,
                  aliases=("来源",), choice_aliases={"12345": "12345热线", "督查": "上级督查",
                                                    "巡察": "巡视巡察", "巡视": "巡视巡察"}),
            Field("source_doc", "来源文号", max_length=100, width=14, table=False,
                  aliases=("文号",)),
            Field("aspect", "问题类别", kind="enum", choices=ASPECTS, editable=True,
                  required=True, width=10, pdf_weight=1.8, filterable=True,
                  aliases=("类别", "问题方面", "方面")),
            Field("severity", "严重程度", kind="enum", choices=SEVERITIES, width=8,
                  table=False, filterable=True),
            Field("community_id", "所在社区", kind="ref", ref=COMMUNITY, width=11,
                  pdf_weight=1.8, filterable=True, aliases=("社区", "所属社区")),
            Field("grid_id", "所在网格", kind="ref", ref=GRID_REF, width=14, table=False,
                  filterable=True, aliases=("网格",)),
            Field("estate_id", "所在小区", kind="ref", ref=ESTATE_REF, width=14, table=False,
                  aliases=("小区", "院落")),
            Field("place", "具体位置", max_length=200, width=16, table=False,
                  aliases=("地点", "位置")),
            Field("found_on", "发现日期", kind="date", required=True, width=11,
                  pdf_weight=2, aliases=("发现时间", "交办日期")),
            Field("lead_unit", "牵头单位", compute=col.lead_unit, width=14, pdf_weight=2.4,
                  hint="在“责任单位”中指定牵头单位"),
            Field("units", "责任单位", kind="collection", collection=UNITS, width=30,
                  table=False, aliases=("责任单位（牵头、配合）", "牵头及配合单位", "配合单位")),
            Field("leader", "分管领导", max_length=50, width=8, table=False),
            Field("person", "责任人", max_length=50, width=8, pdf_weight=1.4,
                  searchable=True, aliases=("具体责任人",)),
            Field("phone", "联系电话", kind="phone", width=13, table=False),
            Field("rect_type", "整改类型", kind="enum", choices=RECT_TYPES, width=9,
                  filterable=True, aliases=("整改方式",), default="限时整改"),
            Field("deadline", "整改时限", kind="date", required=True, width=11,
                  pdf_weight=2, aliases=("完成时限", "整改期限")),
            Field("days_left", "剩余天数", kind="int", compute=col.days_left, width=8,
                  pdf_weight=1.3, hint="距整改时限的天数，负数为已逾期天数（仅未完成的问题）"),
            Field("warning", "预警", kind="enum", choices=col.WARNINGS,
                  compute=col.warning, width=6, pdf_weight=1.1, filterable=True,
                  colours=col.WARNING_COLOURS,
                  hint="逾期（红）、滞后（黄：进度落后或长期无进展）、临期（蓝：即将到期）；"
                       "天数与比例在“设置 → 整改预警与评比”中修改"),
            Field("milestones", "阶段目标", kind="collection", collection=MILESTONES, width=30,
                  table=False, hint="长期整改的分阶段目标及完成日期"),
            Field("measures", "整改方案", kind="longtext", width=30, table=False,
                  aliases=("整改方案概述",)),
            Field("steps", "整改措施", kind="collection", collection=MEASURES, width=30,
                  table=False, aliases=("具体措施", "措施")),
            Field("progress", "整改进展", kind="collection", collection=PROGRESS, width=30,
                  table=False, aliases=("进展情况", "整改进度")),
            Field("result_note", "整改情况", kind="longtext", width=30, table=False,
                  aliases=("整改完成情况",), hint="提交验收前须写明已完成的整改工作"),
            Field("funds_planned", "计划资金（元）", kind="decimal", width=12, table=False),
            Field("funds_spent", "已用资金（元）", kind="decimal", width=12, table=False),
            Field("fund_source", "资金来源", kind="enum", choices=FUND_SOURCES, width=9,
                  table=False),
            Field("accept_requested_on", "申请验收日期", kind="date", width=11, table=False,
                  hint="提交验收时自动填写"),
            Field("accept_unit", "验收单位", max_length=100, width=14, table=False),
            Field("accepted_by", "验收人", max_length=50, width=8, table=False),
            Field("accepted_on", "验收日期", kind="date", width=11, table=False),
            Field("accept_method", "验收方式", kind="enum", choices=ACCEPT_METHODS, width=9,
                  table=False),
            Field("accept_grade", "验收等次", kind="enum", choices=GRADES, width=6,
                  table=False, filterable=True, hint="一般或差须退回再次整改"),
            Field("accept_conclusion", "验收结论", kind="enum", choices=("通过", "不通过"),
                  compute=col.conclusion, width=6, table=False,
                  hint="验收等次为好、较好为通过；一般、差为不通过，须再次整改"),
            Field("accept_opinion", "验收意见", kind="longtext", width=24, table=False),
            Field("closed_on", "销号日期", kind="date", width=11, pdf_weight=2,
                  hint="销号时自动填写当天"),
            Field("closed_by", "销号人", max_length=64, width=8, table=False, form=False,
                  hint="销号时自动记录"),
            Field("close_basis", "销号依据", kind="longtext", width=20, table=False),
            Field("recheck_on", "回头看日期", kind="date", width=11, table=False),
            Field("recheck_result", "回头看情况", kind="longtext", width=20, table=False),
            Field("escalation", "督办措施", kind="enum", choices=ESCALATIONS, width=9,
                  filterable=True, pdf_weight=1.6, colours={"专函督办": "#ef6c00", "约谈": "#6d1b1b"}, aliases=("督办",)),
            Field("rounds", "退回次数", kind="int", width=6, table=False, form=False,
                  hint="退回或验收不通过的次数（每次进入新一轮整改）"),
            Field("fixed", "已整改", kind="bool", compute=col.fixed, width=6, table=False,
                  export=False),
            Field("on_time", "按期销号", kind="bool", compute=col.on_time, width=6,
                  table=False, export=False),
            status_field(WORKFLOW, width=8, pdf_weight=1.5),
            Field("photos_before", "整改前照片", kind="attachment", table=False),
            Field("photos_after", "整改后照片", kind="attachment", table=False),
            Field("evidence_docs", "佐证资料", kind="attachment", table=False),
        ),
    )
)
