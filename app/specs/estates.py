"""Below the grids: estates (小区 / 院落) and their buildings (楼栋, with the 楼栋长) — with
the key persons living there (app.specs.key_persons), what “一小区一图示” draws. Each row
names its grid in 所属网格 (the row's area)."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select

from app.models import Building, Estate, KeyPerson
from app.specs import Field, LedgerSpec, PrintedDocument, Ref, register
from app.specs import building_counts as counts
from app.specs.checks import Check
from app.specs.figures import EMPTY, Count, PerValue, Total
from app.specs.grids import GRID_REF

ESTATE_KINDS = ("成形物业小区", "老旧自管小区", "散居楼栋院落", "单位宿舍", "其他")
MANAGEMENT = ("物业企业", "业委会", "自管委", "社区托管", "无")
PARTY_ORG_KINDS = ("党支部", "联合党支部", "党小组")

GRID_FIELD = Field("area_id", "所属网格", kind="ref", ref=GRID_REF, required=True, width=16,
                   pdf_weight=2.4, filterable=True, searchable=True, aliases=("网格", "网格名称"))
ESTATE_REF = Ref(Estate, area_field="area_id")


# -- estates -----------------------------------------------------------------------------

def _estate_rules(values: dict) -> dict[str, str]:
    errors = {}
    if values.get("management") == "物业企业" and not values.get("property_company"):
        errors["property_company"] = "物业企业管理的小区须填写物业企业名称"
    if values.get("red_stars") and not values.get("property_company"):
        errors["red_stars"] = "红色物业星级须有物业企业"
    if values.get("party_org_kind") and not values.get("party_org_name"):
        errors["party_org_name"] = "已建党组织的小区须填写党组织名称"
    if values.get("party_org_name") and not values.get("party_org_kind"):
        errors["party_org_kind"] = "请选择党组织类型（党支部、联合党支部或党小组）"
    return errors


def _sum_buildings(count):
    def compute(model, _year):
        """The buildings' counts: recorded households/residents where there are any."""
        return (select(func.sum(count(Building))).where(Building.estate_id == model.id,
                                                        Building.deleted_at.is_(None))
                .scalar_subquery())
    return compute


def _count_buildings(model, _year):
    return (select(func.count(Building.id)).where(Building.estate_id == model.id,
                                                  Building.deleted_at.is_(None))
            .scalar_subquery())


def _count_key_persons(model, _year):
    return (select(func.count(KeyPerson.id)).where(KeyPerson.estate_id == model.id,
                                                   KeyPerson.deleted_at.is_(None),
                                                   KeyPerson.released_date.is_(None))
            .scalar_subquery())


def estate_elsewhere(model):
    """Rows whose estate lies in another grid than the row's own (kept when saved — a
    clerk moving a building types one field at a time — and listed by the check)."""
    other = select(Estate.area_id).where(Estate.id == model.estate_id).scalar_subquery()
    return and_(model.estate_id.is_not(None), other != model.area_id)


def _has_party(model, _year):
    return case((model.party_org_kind != "", True), else_=False)


ESTATES = register(
    LedgerSpec(
        key="estates",
        title="小区",
        model=Estate,
        levels=("grid",),
        natural_key=("area_id", "name"),
        label=("name",),
        default_sort=("area_id", "id"),
        rules=_estate_rules,
        group="网格",
        order=32,
        documents=(PrintedDocument(
            "estate_chart", "一小区一图示", "reports.estate_chart:write_estate_charts",
            "为选中的小区或列表中的全部小区生成一小区一图示，一个小区一页"),
            PrintedDocument("party_coverage", "党组织覆盖情况", "reports.grids:write_party_coverage",
                            "小区党组织覆盖情况：按社区统计，并列出尚未建立党组织的小区")),
        figures=(
            Total(),
            PerValue("kind", "按小区类型"),
            Count("with_party", "有党组织小区", {"has_party": True}, group="党组织覆盖"),
            Count("no_party", "无党组织小区", {"party_org_kind": EMPTY}, tone="warn",
                  group="党组织覆盖", hint="尚未建立党组织的小区（支部建在小区）"),
            PerValue("management", "按管理方式", hide_zero=True, strip=False),
        ),
        checks=(Check("party", "未建党组织的小区", {"party_org_kind": EMPTY},
                      hint="支部建在小区：尚未建立党支部、联合党支部或党小组的小区"),),
        fields=(
            GRID_FIELD,
            Field("name", "小区名称", required=True, max_length=100, width=18, pdf_weight=3,
                  searchable=True, aliases=("小区", "院落名称", "小区（院落）名称")),
            Field("address", "地址", max_length=200, width=24, pdf_weight=3, searchable=True),
            Field("year_built", "建成年份", kind="int", bounds=(1900, 2100), width=8,
                  pdf_weight=1.2, aliases=("建成年代", "建成时间")),
            Field("kind", "小区类型", kind="enum", choices=ESTATE_KINDS, required=True, width=12,
                  pdf_weight=2, filterable=True, editable=True, aliases=("类型",),
                  choice_aliases={"物业小区": "成形物业小区", "老旧小区": "老旧自管小区",
                                  "散居楼栋": "散居楼栋院落", "院落": "散居楼栋院落"}),
            Field("management", "管理方式", kind="enum", choices=MANAGEMENT, width=9,
                  pdf_weight=1.4, filterable=True, aliases=("管理模式",)),
            Field("property_company", "物业企业", max_length=100, width=18, pdf_weight=2.6,
                  searchable=True, aliases=("物业公司", "物业服务企业")),
            Field("property_code", "物业企业信用代码", kind="uscc", width=20, pdf_weight=2.8,
                  aliases=("统一社会信用代码",)),
            Field("red_stars", "红色物业星级", kind="int", bounds=(1, 5), width=6, pdf_weight=1.2,
                  filterable=True, aliases=("星级",), hint="1—5 星"),
            Field("committee", "业委会/自管委", max_length=100, width=16, pdf_weight=2,
                  aliases=("业委会", "自管委")),
            Field("party_org_kind", "党组织类型", kind="enum", choices=PARTY_ORG_KINDS, width=10,
                  pdf_weight=1.6, filterable=True, blank="未建立"),
            Field("party_org_name", "党组织名称", max_length=100, width=18, pdf_weight=2.6,
                  aliases=("小区党组织", "党支部名称")),
            Field("party_secretary", "党组织书记", max_length=50, width=8, pdf_weight=1.4,
                  aliases=("支部书记", "书记")),
            Field("party_members", "党员人数", kind="int", bounds=(0, 100_000), width=6,
                  pdf_weight=1.1),
            Field("shared_space", "共享空间", kind="bool", width=6, pdf_weight=1,
                  filterable=True, aliases=("是否有共享空间",)),
            Field("buildings", "楼栋数", kind="int", compute=_count_buildings, width=6,
                  pdf_weight=1),
            Field("households", "户数", kind="int", compute=_sum_buildings(counts.households),
                  width=6, pdf_weight=1),
            Field("residents", "人数", kind="int", compute=_sum_buildings(counts.residents),
                  width=6, pdf_weight=1),
            Field("key_persons", "重点人员", kind="int", compute=_count_key_persons, width=6,
                  pdf_weight=1),
            Field("has_party", "有党组织", kind="bool", compute=_has_party, table=False,
                  filterable=True),
            Field("remarks", "备注", kind="longtext", width=20, pdf_weight=1.6),
        ),
    )
)


# -- buildings -----------------------------------------------------------------------------

def _building_rules(values: dict) -> dict[str, str]:
    errors = {}
    hh, res = values.get("households"), values.get("residents")
    if hh is not None and res is not None and res < hh:
        errors["residents"] = f"居住人数（{res}）少于户数（{hh}）"
    if values.get("head_phone") and not values.get("head_name"):
        errors["head_name"] = "填写了楼栋长电话，请同时填写楼栋长姓名"
    return errors


def _typed_disagrees(b):
    def differs(typed, recorded):
        return and_(typed.is_not(None), recorded > 0, recorded != typed)
    return or_(differs(b.households, counts.recorded_households(b)),
               differs(b.residents, counts.recorded_residents(b)))


def _building_key_persons(model, _year):
    return (select(func.count(KeyPerson.id)).where(
        KeyPerson.estate_id == model.estate_id, KeyPerson.building == model.number,
        KeyPerson.deleted_at.is_(None), KeyPerson.released_date.is_(None)).scalar_subquery())


BUILDINGS = register(
    LedgerSpec(
        key="buildings",
        title="楼栋",
        model=Building,
        levels=("grid",),
        natural_key=("area_id", "estate_id", "number"),
        label=("number",),
        default_sort=("area_id", "estate_id", "id"),
        rules=_building_rules,
        group="网格",
        order=33,
        figures=(
            Total(),
            Count("no_head", "无楼栋长楼栋", {"head_name": EMPTY}, tone="warn",
                  hint="尚未确定楼栋长的楼栋"),
            Count("lift", "有电梯", {"lift": True}, strip=False),
        ),
        checks=(
            Check("head", "无楼栋长的楼栋", {"head_name": EMPTY}, hint="每栋楼应确定楼栋长"),
            Check("estate_grid", "所属小区不在本网格的楼栋", condition=estate_elsewhere,
                  hint="楼栋的所属网格与其小区的网格不一致，户数、人数无法逐级汇总"),
            Check("recorded", "户数、人数与登记住户不符的楼栋", condition=_typed_disagrees,
                  hint="楼栋填写的户数或人数与住户、居民台账的登记数不一致（以登记数汇总）"),
        ),
        fields=(
            GRID_FIELD,
            Field("estate_id", "所属小区", kind="ref", ref=ESTATE_REF, width=16, pdf_weight=2.4,
                  filterable=True, searchable=True, aliases=("小区", "院落"),
                  hint="散居楼栋可不填，直接挂在网格下"),
            Field("number", "楼栋号", required=True, max_length=50, width=8, pdf_weight=1.4,
                  searchable=True, aliases=("楼栋", "栋号", "楼号"), hint="如 1栋、3-2"),
            Field("units", "单元数", kind="int", bounds=(0, 100), width=6, pdf_weight=1),
            Field("floors", "层数", kind="int", bounds=(0, 200), width=6, pdf_weight=1,
                  aliases=("楼层数",)),
            Field("lift", "电梯", kind="bool", width=5, pdf_weight=0.8, filterable=True,
                  aliases=("有无电梯", "是否有电梯")),
            Field("households", "户数", kind="int", bounds=(0, 5000), width=6, pdf_weight=1,
                  aliases=("居住户数",)),
            Field("residents", "人数", kind="int", bounds=(0, 20_000), width=6, pdf_weight=1,
                  aliases=("居住人数",)),
            Field("head_name", "楼栋长", max_length=50, width=8, pdf_weight=1.4, searchable=True,
                  aliases=("楼栋长姓名",)),
            Field("head_phone", "楼栋长电话", kind="phone", width=14, pdf_weight=2.2,
                  aliases=("楼栋长联系电话",)),
            Field("head_party", "楼栋长是否党员", kind="bool", width=6, pdf_weight=1.2,
                  aliases=("党员",)),
            Field("teams", "三支队伍", kind="longtext", width=30, pdf_weight=3.5,
                  hint="如 党组织：张三 13900000000；业委会：李四；物业服务：王五"),
            Field("key_persons", "重点人员", kind="int", compute=_building_key_persons, width=6,
                  pdf_weight=1),
            Field("recorded_households", "登记户数", kind="int", width=7,
                  compute=lambda m, _y: counts.recorded_households(m),
                  hint="住户台账中本楼栋的户数；有登记时楼栋、小区、网格按登记数汇总"),
            Field("recorded_residents", "登记人数", kind="int", width=7,
                  compute=lambda m, _y: counts.recorded_residents(m),
                  hint="居民台账中本楼栋的人数"),
            Field("remarks", "备注", kind="longtext", width=16, pdf_weight=1.4),
        ),
    )
)
