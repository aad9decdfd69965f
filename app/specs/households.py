"""户 and 居民 under the buildings: a household by its estate, 楼栋号 and 门牌号 (as key
persons name their building), its residents by the same three. Recorded rows become the
building's counts (app.specs.building_counts), summed up to estate and grid."""

from __future__ import annotations

from app.models import Household, Resident
from app.specs import Field, LedgerSpec, register
from app.specs.estates import ESTATE_REF, GRID_FIELD
from app.specs.figures import Count, PerValue, Total

RELATIONS = ("本人", "配偶", "子女", "父母", "祖父母", "孙子女", "兄弟姐妹", "儿媳", "女婿", "其他")


def _estate_field(label="所在小区"):
    return Field("estate_id", label, kind="ref", ref=ESTATE_REF, width=14, pdf_weight=2.2,
                 filterable=True, searchable=True, aliases=("小区", "院落"),
                 hint="散居楼栋可不填")


def _building_field():
    return Field("building", "楼栋号", required=True, max_length=50, width=8, pdf_weight=1.2,
                 searchable=True, aliases=("楼栋", "栋号"), hint="与楼栋台账的楼栋号一致，如 1栋")


def _door_field():
    return Field("door", "门牌号", required=True, max_length=50, width=10, pdf_weight=1.4,
                 searchable=True, aliases=("房号", "门牌", "单元房号"), hint="如 2-1001")


def _household_rules(values: dict) -> dict[str, str]:
    if values.get("members") == 0:
        return {"members": "人数至少为 1（无人居住的房屋不登记为户）"}
    return {}


HOUSEHOLDS = register(
    LedgerSpec(
        key="households",
        title="住户",
        model=Household,
        levels=("grid",),
        natural_key=("area_id", "estate_id", "building", "door"),
        label=("building", "door"),
        default_sort=("area_id", "estate_id", "id"),
        rules=_household_rules,
        group="网格",
        order=35,
        figures=(Total(), Count("no_head", "未填户主", {"head_name": ""}, tone="warn")),
        fields=(
            GRID_FIELD, _estate_field(), _building_field(), _door_field(),
            Field("head_name", "户主", max_length=50, width=8, pdf_weight=1.4, searchable=True,
                  aliases=("户主姓名",), person_name=True),
            Field("members", "人数", kind="int", bounds=(0, 100), width=6, pdf_weight=1,
                  aliases=("家庭人数", "居住人数")),
            Field("phone", "联系电话", kind="phone", width=14, pdf_weight=2.2,
                  aliases=("电话", "手机")),
            Field("remarks", "备注", kind="longtext", width=16, pdf_weight=1.6),
        ),
    )
)


RESIDENTS = register(
    LedgerSpec(
        key="residents",
        title="居民",
        model=Resident,
        levels=("grid",),
        natural_key=("area_id", "estate_id", "building", "door", "name"),
        label=("name",),
        default_sort=("area_id", "estate_id", "id"),
        group="网格",
        order=36,
        figures=(Total(), PerValue("gender", "按性别", hide_zero=True),
                 PerValue("relation", "与户主关系", hide_zero=True, strip=False)),
        fields=(
            GRID_FIELD, _estate_field(), _building_field(), _door_field(),
            Field("name", "姓名", required=True, max_length=50, width=8, pdf_weight=1.4,
                  searchable=True, person_name=True),
            Field("id_number", "身份证号", kind="idcard", width=20, pdf_weight=3,
                  aliases=("身份证号码", "公民身份号码")),
            Field("gender", "性别", kind="enum", choices=("男", "女"), width=5, pdf_weight=0.8,
                  filterable=True),
            Field("relation", "与户主关系", kind="enum", choices=RELATIONS, width=8,
                  pdf_weight=1.4, filterable=True, editable=True, aliases=("关系", "与户主关系"),
                  choice_aliases={"户主": "本人", "妻": "配偶", "夫": "配偶", "妻子": "配偶",
                                  "丈夫": "配偶", "子": "子女", "女": "子女", "儿子": "子女",
                                  "女儿": "子女", "父亲": "父母", "母亲": "父母"}),
            Field("remarks", "备注", kind="longtext", width=16, pdf_weight=1.6),
        ),
    )
)
