"""议事协商: residents' deliberations in a grid (an estate of it) — date, form, topic,
participants, outcome — and the rectification problems each one raised or solved, so
“议事协商 N 场、解决问题 M 个” is counted from the ledgers, not typed."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.models import Deliberation, DeliberationProblem, Estate, RectificationProblem
from app.specs import Children, Field, LedgerSpec, Ref, register
from app.specs.estates import GRID_FIELD
from app.specs.figures import PerValue, Sum, Total

FORMS = ("居民议事会", "坝坝会", "院落会", "楼栋会", "线上议事", "其他")
RESULTS = ("达成共识", "部分达成", "未达成", "提交上级")
RELATIONS = ("提出", "解决")

_LINK = re.compile(r"\s*(\S+?)\s*(?:[（(]\s*(提出|解决)\s*[)）])?\s*")


def _link_item(text: str) -> dict:
    m = _LINK.fullmatch(text)
    if not m:
        raise ValueError("应写成“ZG-2026-0001（解决）”")
    return {"problem_id": m.group(1), "relation": m.group(2) or "提出"}


PROBLEM_LINKS = Children(
    "problems", "关联问题", DeliberationProblem, "deliberation_id",
    fields=(Field("problem_id", "问题编号", kind="ref",
                  ref=Ref(RectificationProblem, label="number"), required=True, width=14),
            Field("relation", "关系", kind="enum", choices=RELATIONS, required=True,
                  default="提出", width=6)),
    key=("problem_id",), parse_item=_link_item,
    summary=lambda r: f"{r.get('problem_id')}（{r.get('relation') or ''}）",
    new_row=lambda rows: {"relation": "提出"},
    column_hint="每条一项，用“；”分隔，如 ZG-2026-0001（解决）",
    hint="议事中提出的问题（转入整改台账）和经议事解决的问题，按整改台账的问题编号选择。",
)


def _linked(relation: str):
    def compute(model, _year=None):
        return (select(func.count(DeliberationProblem.id))
                .where(DeliberationProblem.deliberation_id == model.id,
                       DeliberationProblem.relation == relation).scalar_subquery())
    return compute


DELIBERATIONS = register(
    LedgerSpec(
        key="deliberations",
        title="议事协商",
        model=Deliberation,
        levels=("grid",),
        natural_key=("held_on", "topic"),
        label=("topic",),
        default_sort=("held_on", "id"),
        group="联席会议",
        order=51,
        children=(PROBLEM_LINKS,),
        figures=(
            Total(label="议事协商"),
            Sum("participants", "参与人次", "participants", group="议事成效"),
            Sum("raised", "提出问题", "raised", group="议事成效"),
            Sum("solved", "解决问题", "solved", group="议事成效"),
            PerValue("result", "按议事结果", hide_zero=True),
        ),
        fields=(
            GRID_FIELD,
            Field("estate_id", "小区", kind="ref", ref=Ref(Estate, area_field="area_id"),
                  width=14, pdf_weight=2.2, filterable=True, aliases=("小区名称", "院落")),
            Field("held_on", "议事日期", kind="date", required=True, width=11, pdf_weight=2,
                  aliases=("日期", "时间")),
            Field("form", "议事形式", kind="enum", choices=FORMS, editable=True, width=9,
                  pdf_weight=1.5, filterable=True, aliases=("形式",)),
            Field("topic", "议题", required=True, max_length=200, width=28, pdf_weight=4,
                  searchable=True, aliases=("议事主题", "主题")),
            Field("participants", "参与人数", kind="int", bounds=(1, 100000), width=7,
                  pdf_weight=1.1, aliases=("参会人数", "人数")),
            Field("outcome", "议事结果", kind="longtext", width=30, pdf_weight=4,
                  aliases=("协商结果", "结果说明")),
            Field("result", "结果类别", kind="enum", choices=RESULTS, width=8, pdf_weight=1.4,
                  filterable=True),
            Field("problems", "关联问题", kind="collection", collection=PROBLEM_LINKS, width=24,
                  table=False, aliases=("问题编号", "关联整改问题")),
            Field("raised", "提出问题", kind="int", compute=_linked("提出"), width=7,
                  pdf_weight=1),
            Field("solved", "解决问题", kind="int", compute=_linked("解决"), width=7,
                  pdf_weight=1),
        ),
    )
)
