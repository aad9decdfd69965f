"""整改台账: the rectification ledger — each problem found, its responsible units,
progress log, acceptance (验收) and closing (销号), with overdue warnings."""

from __future__ import annotations

import re

from app.models import (
    Area,
    FunctionalBody,
    RectificationProblem,
    RectificationProgress,
    RectificationUnit,
)
from app.specs import Children, Field, LedgerSpec, Ref, register
from app.specs import rectification_columns as col
from app.specs.figures import Count, PerValue, Rate, Sum, Total
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
    if not values.get("photos_after"):
        return "请先在“整改后照片”中上传整改佐证"
    return None


def _can_go_long_term(values: dict) -> str | None:
    if values.get("rect_type") != "长期整改":
        return "只有整改类型为“长期整改”的问题才能转为长期坚持"
    return None


WORKFLOW = Workflow(
    field="status",
    states=(State("未启动", "#9e9e9e"), State("整改中", "#1976d2"),
            State("待验收", "#f9a825"), State("长期坚持", "#6a1b9a"),
            State("已销号", "#2e7d32", final=True)),
    transitions=(
        Transition("start", "开始整改", ("未启动",), "整改中"),
        Transition("submit", "提交验收", ("整改中", "长期坚持"), "待验收", guard=_can_submit),
        Transition("long_term", "转长期坚持", ("整改中",), "长期坚持", roles=("admin",),
                   reason=True, guard=_can_go_long_term),
        Transition("reject", "退回", ("待验收",), "整改中", roles=("admin",), reason=True),
        # 完成一项销号一项: closing is the verifier's, never the reporting unit's editor.
        Transition("close", "销号", ("待验收",), "已销号", roles=("admin",), guard=_can_close),
        # 回头看 found a relapse: reopened with the history kept in the audit trail.
        Transition("reopen", "回头看反弹重启", ("已销号",), "整改中", roles=("admin",),
                   reason=True),
    ),
    initial="未启动",
)


# -- child collections -------------------------------------------------------------------

_PROGRESS = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})\s*(.+?)\s*(?:[（(]\s*(\d{1,3})\s*%\s*(?:[，,、]\s*(.+?))?\s*[)）])?")


def _progress_item(text: str) -> dict:
    m = _PROGRESS.fullmatch(text.strip())
    if not m:
        raise ValueError("应写成“2026-05-01 完成围挡（60%，张三）”")
    return {"day": m.group(1), "work": m.group(2), "percent": m.group(3),
            "by_whom": m.group(4)}


def _progress_text(r: dict) -> str:
    tail = [f"{r['percent']}%" if r.get("percent") is not None else "", r.get("by_whom") or ""]
    tail = "，".join(t for t in tail if t)
    return f"{r['day'].isoformat()} {r['work']}" + (f"（{tail}）" if tail else "")


def _next_progress(rows: list[dict]) -> dict:
    from app.sqldates import today

    best = max((r.get("percent") or 0 for r in rows), default=0)
    return {"day": today(), "percent": best}


def _progress_rules(rows: list[dict]) -> dict[int, str]:
    """Reported percent does not go down as the days go on."""
    out, best = {}, None
    for n, r in sorted(enumerate(rows, 1), key=lambda x: x[1].get("day") or 0):
        p = r.get("percent")
        if p is None:
            continue
        if best is not None and p < best[0]:
            out[n] = f"完成进度 {p}% 低于此前（{best[1].isoformat()}）的 {best[0]}%"
        best = max(best or (p, r["day"]), (p, r["day"]))
    return out


PROGRESS = Children(
    "progress", "整改进展", RectificationProgress, "problem_id",
    fields=(Field("day", "日期", kind="date", required=True, width=11),
            Field("work", "进展情况", kind="longtext", required=True, width=30),
            Field("percent", "完成进度（%）", kind="int", bounds=(0, 100), width=8),
            Field("by_whom", "填报人", max_length=50, width=8)),
    order_by=("day", "id"), summary=_progress_text, new_row=_next_progress,
    parse_item=_progress_item, rules=_progress_rules,
    column_hint="每条一项，用“；”分隔，如 2026-05-01 完成围挡（60%，张三）",
    hint="按日期记录整改进展；完成进度为累计百分比，不应倒退。",
)

UNITS = Children(
    "units", "责任单位", RectificationUnit, "problem_id",
    fields=(Field("body_id", "单位", kind="ref", ref=Ref(FunctionalBody), required=True,
                  width=16),
            Field("lead", "牵头", kind="bool", width=6)),
    key=("body_id",), primary="lead",
    hint="牵头单位一个（“牵头”为“是”），其余为配合单位。",
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
        children=(UNITS, PROGRESS),
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
            Count("behind", "滞后", {"warning": "滞后"}, group="预警", tone="warn",
                  hint=f"黄色预警：{col.STALE_DAYS}天无进展，或进度落后于时间"),
            Count("due_soon", "临期", {"warning": "临期"}, group="预警",
                  hint=f"蓝色预警：{col.WARN_DAYS}天内到期"),
            Count("letter", "专函督办", {"escalation": "专函督办"}, group="预警", tone="warn"),
            Count("talk", "约谈", {"escalation": "约谈"}, group="预警", tone="warn"),
            PerValue("aspect", "按问题类别", strip=False),
            PerValue("source", "按问题来源", hide_zero=True, strip=False),
            PerValue("community_id", "按社区", blank="未指定社区", strip=False),
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
            Field("place", "具体位置", max_length=200, width=16, table=False,
                  aliases=("地点", "位置")),
            Field("found_on", "发现日期", kind="date", required=True, width=11,
                  pdf_weight=2, aliases=("发现时间", "交办日期")),
            Field("lead_unit", "牵头单位", compute=col.lead_unit, width=14, pdf_weight=2.4,
                  hint="在“责任单位”中指定牵头单位"),
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
                  hint=f"逾期（红）、滞后（黄）、{col.WARN_DAYS}天内到期（蓝）"),
            Field("measures", "整改措施", kind="longtext", width=30, table=False),
            Field("progress", "整改进展", kind="collection", collection=PROGRESS, width=30,
                  table=False, aliases=("进展情况", "整改进度")),
            Field("result_note", "整改情况", kind="longtext", width=30, table=False,
                  aliases=("整改完成情况",), hint="提交验收前须写明已完成的整改工作"),
            Field("funds_planned", "计划资金（元）", kind="decimal", width=12, table=False),
            Field("funds_spent", "已用资金（元）", kind="decimal", width=12, table=False),
            Field("fund_source", "资金来源", kind="enum", choices=FUND_SOURCES, width=9,
                  table=False),
            Field("accept_unit", "验收单位", max_length=100, width=14, table=False),
            Field("accepted_by", "验收人", max_length=50, width=8, table=False),
            Field("accepted_on", "验收日期", kind="date", width=11, table=False),
            Field("accept_method", "验收方式", kind="enum", choices=ACCEPT_METHODS, width=9,
                  table=False),
            Field("accept_grade", "验收等次", kind="enum", choices=GRADES, width=6,
                  table=False, filterable=True, hint="一般或差须退回再次整改"),
            Field("accept_opinion", "验收意见", kind="longtext", width=24, table=False),
            Field("closed_on", "销号日期", kind="date", width=11, pdf_weight=2,
                  hint="销号时自动填写当天"),
            Field("close_basis", "销号依据", kind="longtext", width=20, table=False),
            Field("recheck_on", "回头看日期", kind="date", width=11, table=False),
            Field("recheck_result", "回头看情况", kind="longtext", width=20, table=False),
            Field("escalation", "督办措施", kind="enum", choices=ESCALATIONS, width=9,
                  filterable=True, aliases=("督办",)),
            Field("fixed", "已整改", kind="bool", compute=col.fixed, width=6, table=False,
                  export=False),
            Field("on_time", "按期销号", kind="bool", compute=col.on_time, width=6,
                  table=False, export=False),
            status_field(WORKFLOW, width=8, pdf_weight=1.5),
            Field("photos_before", "整改前照片", kind="attachment", table=False),
            Field("photos_after", "整改后照片", kind="attachment", table=False),
        ),
    )
)
