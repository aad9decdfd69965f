"""The street's own small ledgers: its communities and its functional bodies."""

from __future__ import annotations

from app.areas import set_paths
from app.models import Area, FunctionalBody
from app.specs import Field, LedgerSpec, register

BODY_CATEGORIES = ("党政综合办事机构", "直属事业机构", "派驻机构", "其他")


def _area_path(session, area: Area) -> None:
    set_paths(session, [area.id])


def _area_paths(session, ids: list[int]) -> None:
    set_paths(session, ids)


COMMUNITIES = register(
    LedgerSpec(
        key="communities",
        title="社区",
        model=Area,
        area_field="parent_id",
        fixed={"level": "community"},
        natural_key=("name",),
        default_sort=("sort_order", "id"),
        after_write=_area_path,
        after_insert=_area_paths,
        fields=(
            Field("name", "社区名称", required=True, max_length=100, width=20,
                  pdf_weight=3, searchable=True, aliases=("名称", "社区")),
            Field("code", "社区代码", max_length=32, width=14, pdf_weight=2,
                  searchable=True, aliases=("代码", "编码")),
            Field("contact", "负责人", max_length=50, width=10, pdf_weight=1.5,
                  searchable=True, aliases=("社区书记", "联系人")),
            Field("phone", "联系电话", max_length=30, width=14, pdf_weight=2,
                  aliases=("电话",)),
            Field("sort_order", "排序", kind="int", width=6, hint="数字小的排在前面"),
            Field("remarks", "备注", kind="longtext", width=24, pdf_weight=3),
        ),
    )
)

BODIES = register(
    LedgerSpec(
        key="bodies",
        title="职能机构",
        model=FunctionalBody,
        natural_key=("name",),
        default_sort=("sort_order", "id"),
        fields=(
            Field("name", "机构名称", required=True, max_length=100, width=22,
                  pdf_weight=3, searchable=True, aliases=("名称", "科室", "机构")),
            Field("category", "机构类别", kind="enum", choices=BODY_CATEGORIES, width=16, editable=True,
                  pdf_weight=2, filterable=True, aliases=("类别",)),
            Field("leader", "负责人", max_length=50, width=10, pdf_weight=1.5,
                  searchable=True),
            Field("phone", "联系电话", max_length=30, width=14, pdf_weight=2,
                  aliases=("电话",)),
            Field("duties", "主要职责", kind="longtext", width=40, pdf_weight=5,
                  searchable=True, aliases=("职责",)),
            Field("sort_order", "排序", kind="int", width=6, hint="数字小的排在前面"),
            Field("remarks", "备注", kind="longtext", width=20, pdf_weight=2),
        ),
    )
)
