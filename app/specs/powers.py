"""权责清单: the powers list."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import FunctionalBody, PowerCaseCount, PowerItem
from app.specs import Children, Field, LedgerSpec, Ref, register
from app.specs.figures import EMPTY, Count, PerValue, Total

LIST_KINDS = ("下放行政权力", "法定权力事项", "属地管理事项")
POWER_TYPES = (
    "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
    "行政确认", "行政奖励", "行政裁决", "其他行政权力", "公共服务",
)
DEVOLUTION_MODES = ("直接下放", "委托下放", "其他")
STATUSES = ("已承接", "运行中", "暂停", "已收回")


def _rules(values: dict) -> dict[str, str]:
    errors = {}
    if values.get("list_kind") == "下放行政权力" and not values.get("devolution_mode"):
        errors["devolution_mode"] = "下放行政权力须填写下放方式"
    return errors


UNASSIGNED = "未指定承接科室"


def _case_count(model, year: int):
    """The item's 办件量 in `year`; NULL when none was reported (未填报, not 0)."""
    return (select(PowerCaseCount.count)
            .where(PowerCaseCount.item_id == model.id, PowerCaseCount.year == year)
            .scalar_subquery())


def _next_year(rows: list[dict]) -> dict:
    """The newest year at or before this one that has no row yet, with 0 cases."""
    from datetime import date

    taken = {r.get("year") for r in rows}
    year = date.today().year
    while year in taken:
        year -= 1
    return {"year": year, "count": 0}


def _year_count(text: str) -> dict:
    m = re.fullmatch(r"(\d{4})\s*年?\s*[:：]?\s*(\d+)\s*件?", text.replace(" ", ""))
    if not m:
        raise ValueError("应写成“2024年12件”")
    return {"year": m.group(1), "count": m.group(2)}


CASE_COUNTS = Children(
    "case_counts", "办件量", PowerCaseCount, "item_id",
    fields=(Field("year", "年份", kind="int", required=True, bounds=(1990, 2100), width=8),
            Field("count", "办件量（件）", kind="int", required=True, bounds=(0, 99_999_999),
                  width=12)),
    key=("year",), order_by=("year",),
    summary=lambda r: f"{r['year']}年{r['count']}件",
    new_row=_next_year,
    parse_item=_year_count,
    column_hint="每年一项，用“；”分隔，如 2024年12件；2025年0件",
    hint="每年办理的件数；某年未办理请填 0，未填写的年份统计为“未填报”。",
)

POWERS = register(
    LedgerSpec(
        key="powers",
        title="权责清单",
        model=PowerItem,
        natural_key=("list_kind", "name", "sub_item"),
        label=("code", "name", "sub_item"),
        default_sort=("list_kind", "code", "id"),
        rules=_rules,
        group="权责清单",
        order=10,
        children=(CASE_COUNTS,),
        figures=(
            Total(),
            PerValue("list_kind", "按清单类别"),
            PerValue("power_type", "按权力类型", hide_zero=True),
            PerValue("body_id", "按承接科室", blank=UNASSIGNED, strip=False),
            Count("unreported", lambda y: f"未填报办件量（{y}年）", {"case_count": EMPTY},
                  hint="本年度尚未填报办件量的事项"),
            Count("zero_cases", lambda y: f"零办件事项（{y}年）", {"case_count": 0},
                  tone="warn", hint="本年度填报的办件量为 0 的事项（已下放但未使用的权力）"),
        ),
        fields=(
            Field("list_kind", "清单类别", kind="enum", choices=LIST_KINDS, required=True,
                  width=12, pdf_weight=2.2, filterable=True,
                  aliases=("清单类型", "事项类别", "类别"),
                  choice_aliases={"下放权力": "下放行政权力", "行政权力": "下放行政权力",
                                  "法定权力": "法定权力事项", "法定事项": "法定权力事项",
                                  "属地管理": "属地管理事项", "属地事项": "属地管理事项"}),
            Field("power_type", "权力类型", kind="enum", choices=POWER_TYPES, required=True,
                  width=11, pdf_weight=2, filterable=True,
                  aliases=("事项类型", "权力类别", "职权类型"),
                  choice_aliases={"其他": "其他行政权力", "其它行政权力": "其他行政权力",
                                  "其它": "其他行政权力"}),
            Field("code", "事项编码", max_length=64, width=16, pdf_weight=2.4, searchable=True,
                  aliases=("编码", "事项代码", "权力编码", "编号")),
            Field("name", "事项名称", required=True, max_length=200, width=30, pdf_weight=5,
                  searchable=True, aliases=("权力名称", "权力事项名称", "事项", "名称")),
            Field("sub_item", "子项", max_length=200, width=16, pdf_weight=2.6,
                  aliases=("子项名称", "子项事项")),
            Field("origin_department", "原实施部门", max_length=100, width=14, pdf_weight=2.4,
                  searchable=True, aliases=("原实施单位", "实施部门", "下放部门")),
            Field("legal_basis", "实施依据", kind="longtext", width=36, pdf_weight=5.5,
                  searchable=True, aliases=("设定依据", "法律依据", "依据")),
            Field("body_id", "承接科室", kind="ref",
                  ref=Ref(FunctionalBody, ledger="bodies"), width=14, pdf_weight=2.4,
                  filterable=True, searchable=True,
                  aliases=("承办科室", "责任科室", "承接机构", "承接部门")),
            Field("devolution_mode", "下放方式", kind="enum", choices=DEVOLUTION_MODES,
                  width=10, pdf_weight=1.6, aliases=("下放形式",),
                  choice_aliases={"直接": "直接下放", "委托": "委托下放", "其它": "其他"}),
            Field("effective_date", "生效日期", kind="date", width=11, pdf_weight=2.2,
                  aliases=("实施日期", "承接日期", "下放时间"), hint="如 2023-12-31"),
            Field("status", "状态", kind="enum", choices=STATUSES, required=True,
                  default="已承接", width=8, pdf_weight=1.3, filterable=True,
                  aliases=("承接状态", "运行状态")),
            Field("remarks", "备注", kind="longtext", width=20, pdf_weight=2,
                  aliases=("说明",)),
            Field("case_count", "{year}年办件量", kind="int", width=11, pdf_weight=1.5,
                  compute=_case_count, blank="未填报",
                  hint="本年度办件量，在“办件量”中按年份填写；未填写为“未填报”"),
            Field("case_counts", "各年办件量", kind="collection", collection=CASE_COUNTS,
                  width=22, aliases=("历年办件量", "各年度办件量")),
        ),
    )
)
