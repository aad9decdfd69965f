"""网格化管理: grids (areas of level grid under a community) and their grid workers.

A grid is a node of the area tree, so its spec works on Area like the communities spec:
rows are areas of level "grid" filed under (parent_id) a community that the row names in
its 所属社区 field. A grid worker serves several grids, exactly one of them primary."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select

from app.areas import set_paths
from app.models import Area, Building, Estate, GridAssignment, GridWorker
from app.specs import Children, Field, LedgerSpec, PrintedDocument, Ref, register
from app.specs import building_counts as counts
from app.specs.checks import Check
from app.specs.figures import EMPTY, Count, PerValue, Total

GRID_KINDS = ("综合网格", "专属网格")
GRID_SUBKINDS = ("园区", "商圈楼宇", "学校", "医院", "单位", "其他")
# The seed: 1–2 full-time grid workers for every grid.
MIN_WORKERS, MAX_WORKERS = 1, 2
CHECK_OK, CHECK_NONE, CHECK_MANY = "达标", "无专职网格员", "专职网格员超过2名"

EMPLOYMENT = ("专职", "兼职")
ROLES = ("网格长", "网格员", "网格指导员", "微网格员")
DUTIES = ("政策法律法规宣传", "基础信息采集", "社情民意收集", "安全隐患排查", "矛盾纠纷排查化解",
          "民生事项服务", "特殊人群服务管理", "党建工作", "环境卫生巡查", "应急处置", "其他交办")
WORKER_STATUSES = ("在岗", "离岗")

# What refers to a grid: areas of level grid anywhere in the street (under its communities).
GRID_REF = Ref(Area, area_field="parent_id", fixed={"level": "grid"})
COMMUNITY_REF = Ref(Area, area_field="parent_id", fixed={"level": "community"})


# -- grids -------------------------------------------------------------------------------

def _full_time_workers(model, _year):
    """Full-time grid workers on duty serving the grid (any of their grids)."""
    return (select(func.count(GridAssignment.id))
            .join(GridWorker, GridWorker.id == GridAssignment.worker_id)
            .where(GridAssignment.grid_id == model.id, GridWorker.deleted_at.is_(None),
                   GridWorker.employment == "专职", GridWorker.status == "在岗")
            .scalar_subquery())


def _worker_check(model, year):
    n = _full_time_workers(model, year)
    return case((n < MIN_WORKERS, CHECK_NONE), (n > MAX_WORKERS, CHECK_MANY), else_=CHECK_OK)


def _compliant(model, year):
    n = _full_time_workers(model, year)
    return case((and_(n >= MIN_WORKERS, n <= MAX_WORKERS), True), else_=False)


def _building_total(count, model):
    """The grid's buildings' counts (recorded households/residents where there are)."""
    return (select(func.sum(count(Building))).where(Building.area_id == model.id,
                                                    Building.deleted_at.is_(None))
            .scalar_subquery())


def _building_sum(count, typed: str):
    def compute(model, _year):
        """Summed from the grid's buildings where there are any; else what was typed."""
        return func.coalesce(_building_total(count, model), getattr(model, typed))
    return compute


def _estate_count(model, _year):
    return (select(func.count(Estate.id)).where(Estate.area_id == model.id,
                                                Estate.deleted_at.is_(None))
            .scalar_subquery())


def _sums_disagree(model):
    """A grid whose typed households or residents disagree with its buildings' sums (the
    typed number is the one shown only where no building is recorded)."""
    def differs(count, typed):
        total = _building_total(count, model)
        return and_(typed.is_not(None), total.is_not(None), total != typed)
    return or_(differs(counts.households, model.households),
               differs(counts.residents, model.residents))


def _grid_rules(values: dict) -> dict[str, str]:
    errors = {}
    if values.get("grid_kind") == "专属网格" and not values.get("grid_subkind"):
        errors["grid_subkind"] = "专属网格须填写专属网格类别（园区、商圈楼宇、学校、医院、单位或其他）"
    return errors


def _grid_code(session, ids: list[int]) -> None:
    """A grid without a code gets its community's code and a 3-digit sequence
    (510502001001001): the next number after the community's highest one."""
    for grid in session.execute(select(Area).where(Area.id.in_(ids)).order_by(Area.id)).scalars():
        if grid.code or grid.parent is None:
            continue
        prefix = grid.parent.code
        taken = session.execute(select(Area.code).where(
            Area.parent_id == grid.parent_id, Area.level == "grid", Area.id != grid.id,
            Area.code.startswith(prefix, autoescape=True))).scalars()
        tails = [int(c[len(prefix):]) for c in taken if c[len(prefix):].isdigit()]
        grid.code = f"{prefix}{max(tails, default=0) + 1:03d}"
        session.flush()


def _after_insert(session, ids: list[int]) -> None:
    set_paths(session, ids)
    _grid_code(session, ids)


GRIDS = register(
    LedgerSpec(
        key="grids",
        title="网格",
        model=Area,
        area_field="parent_id",
        fixed={"level": "grid"},
        levels=("community",),
        natural_key=("parent_id", "name"),
        label=("name",),
        default_sort=("parent_id", "sort_order", "id"),
        rules=_grid_rules,
        after_write=lambda s, area: _after_insert(s, [area.id]),
        after_insert=_after_insert,
        group="网格",
        order=30,
        documents=(PrintedDocument("grid_info", "网格基础信息表",
                                   "reports.grids:write_grid_info"),),
        pdf_landscape=True,
        # `stats grids` is the overview of the five grid ledgers (the ones with
        # `ledger=` count that ledger's rows in the same scope), then per community and
        # the two ways of missing 1–2 full-time workers.
        figures=(
            Total(label="网格"),
            PerValue("grid_kind", "按网格类型"),
            Count("full_time_workers", "专职网格员", {"employment": "专职", "status": "在岗"},
                  ledger="grid_workers", group="网格化管理"),
            Count("noncompliant", "不达标网格", {"compliant": False}, tone="warn",
                  group="网格员配备", hint="专职网格员不是 1—2 名的网格"),
            Count("estates", "小区", ledger="estates", group="网格化管理"),
            Count("estates_with_party", "有党组织小区", {"has_party": True}, ledger="estates",
                  group="网格化管理"),
            Count("buildings", "楼栋", ledger="buildings", group="网格化管理"),
            Count("buildings_no_head", "无楼栋长楼栋", {"head_name": EMPTY}, ledger="buildings",
                  group="网格化管理"),
            Count("key_persons", "重点人员", ledger="key_persons", group="网格化管理"),
            Count("visits_overdue", "走访逾期", {"overdue": True}, ledger="key_persons",
                  group="网格化管理"),
            PerValue("parent_id", "按社区", strip=False),
            Count("no_worker", "无专职网格员的网格", {"worker_check": CHECK_NONE}, tone="warn",
                  group="网格员配备", hint="没有在岗专职网格员的网格（每个网格应配备 1—2 名）"),
            Count("too_many", "专职网格员超过2名的网格", {"worker_check": CHECK_MANY}, tone="warn",
                  group="网格员配备", hint="在岗专职网格员超过 2 名的网格（每个网格应配备 1—2 名）"),
        ),
        checks=(
            Check("workers", "专职网格员不是1—2名的网格", {"compliant": False},
                  hint="每个网格应配备 1—2 名在岗专职网格员"),
            Check("sums", "户数、人数与楼栋合计不符的网格", condition=_sums_disagree,
                  hint="网格填报的户数或人数与其楼栋的合计不一致（楼栋 → 小区 → 网格逐级汇总）"),
        ),
        fields=(
            Field("parent_id", "所属社区", kind="ref", ref=COMMUNITY_REF, required=True,
                  width=12, pdf_weight=2, filterable=True, searchable=True,
                  aliases=("社区", "社区名称")),
            Field("name", "网格名称", required=True, max_length=100, width=18, pdf_weight=3,
                  searchable=True, aliases=("网格", "名称")),
            Field("code", "网格编码", max_length=32, width=16, pdf_weight=2.6, searchable=True,
                  aliases=("编码", "网格代码", "编号"), hint="不填时按社区代码加 3 位序号生成"),
            Field("grid_kind", "网格类型", kind="enum", choices=GRID_KINDS, required=True,
                  default="综合网格", width=10, pdf_weight=1.6, filterable=True,
                  aliases=("类型", "网格类别"), choice_aliases={"综合": "综合网格", "全科网格": "综合网格",
                                                       "专属": "专属网格"}),
            Field("grid_subkind", "专属网格类别", kind="enum", choices=GRID_SUBKINDS, width=10,
                  pdf_weight=1.4, filterable=True, editable=True, aliases=("专属类别",),
                  choice_aliases={"其它": "其他"}),
            Field("boundary", "四至范围", kind="longtext", width=30, pdf_weight=4,
                  aliases=("边界", "网格范围", "四至"), hint="如 东至滨江路，南至……"),
            Field("contact", "网格长", max_length=50, width=8, pdf_weight=1.4, searchable=True),
            Field("phone", "网格长电话", kind="phone", max_length=30, width=14, pdf_weight=2,
                  aliases=("联系电话", "电话")),
            Field("party_org", "网格党组织", max_length=100, width=16, pdf_weight=2.4,
                  aliases=("党组织", "网格党支部")),
            Field("households", "户数（填报）", kind="int", bounds=(0, 1_000_000), width=8,
                  hint="未登记楼栋的网格填写；已登记楼栋的按楼栋汇总"),
            Field("residents", "人数（填报）", kind="int", bounds=(0, 10_000_000), width=8,
                  hint="未登记楼栋的网格填写；已登记楼栋的按楼栋汇总"),
            Field("total_households", "户数", kind="int",
                  compute=_building_sum(counts.households, "households"),
                  width=8, pdf_weight=1.2, hint="按楼栋汇总；未登记楼栋时为填报数"),
            Field("total_residents", "人数", kind="int",
                  compute=_building_sum(counts.residents, "residents"),
                  width=8, pdf_weight=1.2, hint="按楼栋汇总；未登记楼栋时为填报数"),
            Field("estates", "小区数", kind="int", compute=_estate_count, width=6, pdf_weight=1),
            Field("workers", "专职网格员", kind="int", compute=_full_time_workers, width=8,
                  pdf_weight=1.2, hint="在岗专职网格员人数（应为 1—2 名）"),
            Field("worker_check", "配备情况", kind="enum", choices=(CHECK_OK, CHECK_NONE, CHECK_MANY),
                  compute=_worker_check, width=12, pdf_weight=2, filterable=True),
            Field("compliant", "是否达标", kind="bool", compute=_compliant, width=6,
                  filterable=True, table=False),
            Field("sort_order", "排序", kind="int", width=6, hint="数字小的排在前面"),
            Field("remarks", "备注", kind="longtext", width=20, pdf_weight=2),
        ),
    )
)


# -- grid workers --------------------------------------------------------------------------

def _grid_item(text: str) -> dict:
    """One grid of the sheet cell “白塔社区第一网格（主）；白塔社区第二网格”."""
    name = text.strip()
    primary = False
    for mark in ("（主）", "(主)", "（主网格）", "(主网格)"):
        if name.endswith(mark):
            name, primary = name[: -len(mark)].strip(), True
    if not name:
        raise ValueError("缺少网格名称")
    return {"grid_id": name, "is_primary": "是" if primary else "否"}


def _grid_summary(row: dict) -> str:
    # grid_id is the grid's name here: tables and audit texts read collections with their
    # references as labels (app.services.collection_labels).
    label = row.get("grid_id")
    return f"{label}（主）" if row.get("is_primary") else str(label)


SERVED_GRIDS = Children(
    "grids", "服务网格", GridAssignment, "worker_id",
    fields=(Field("grid_id", "网格", kind="ref", ref=GRID_REF, required=True, width=18),
            Field("is_primary", "主网格", kind="bool", width=6)),
    key=("grid_id",), order_by=("id",), primary="is_primary",
    summary=_grid_summary, parse_item=_grid_item,
    new_row=lambda rows: {"is_primary": not rows},
    column_hint="多个网格用“；”分隔，主网格后注明（主），如 白塔社区第一网格（主）；白塔社区第二网格；"
                "未注明时第一个为主网格",
    hint="网格员服务的网格，须有且只有一个主网格",
)


def _worker_rules(values: dict) -> dict[str, str]:
    grids = values.get("grids")
    if grids is not None:  # given (a form, a sheet cell); None: the stored ones stay
        if not grids and values.get("status") == "在岗":
            return {"grids": "在岗网格员须至少服务一个网格"}
        if grids and not any(g.get("is_primary") in (True, "是") for g in grids):
            # A sheet cell names the grids without marking one: the first is the primary
            # (what 网格A；网格B means in every roster we have seen).
            grids[0]["is_primary"] = True
    return {}


def _primary_grid(model, _year):
    return (select(Area.name).join(GridAssignment, GridAssignment.grid_id == Area.id)
            .where(GridAssignment.worker_id == model.id, GridAssignment.is_primary.is_(True))
            .limit(1).scalar_subquery())


GRID_WORKERS = register(
    LedgerSpec(
        key="grid_workers",
        title="网格员",
        model=GridWorker,
        levels=("street", "community"),
        natural_key=("name", "id_number"),
        label=("name",),
        default_sort=("id",),
        rules=_worker_rules,
        children=(SERVED_GRIDS,),
        group="网格",
        order=31,
        documents=(PrintedDocument("grid_roster", "网格员花名册",
                                   "reports.grids:write_grid_roster"),),
        figures=(
            Total(),
            Count("full_time", "专职网格员", {"employment": "专职", "status": "在岗"}),
            Count("part_time", "兼职网格员", {"employment": "兼职", "status": "在岗"}),
            PerValue("role", "按岗位", hide_zero=True),
            Count("left", "离岗", {"status": "离岗"}, strip=False),
        ),
        fields=(
            Field("name", "姓名", required=True, max_length=50, width=8, pdf_weight=1.4,
                  searchable=True, aliases=("网格员姓名", "网格员")),
            Field("gender", "性别", kind="enum", choices=("男", "女"), width=5, pdf_weight=0.8),
            Field("id_number", "身份证号", kind="idcard", width=20, pdf_weight=3,
                  aliases=("身份证号码", "公民身份号码")),
            Field("phone", "联系电话", kind="phone", width=14, pdf_weight=2.2,
                  aliases=("电话", "手机", "手机号码")),
            Field("employment", "专兼职", kind="enum", choices=EMPLOYMENT, required=True,
                  default="专职", width=6, pdf_weight=1, filterable=True,
                  aliases=("专职/兼职", "专职兼职", "性质"),
                  choice_aliases={"专职网格员": "专职", "兼职网格员": "兼职"}),
            Field("role", "岗位", kind="enum", choices=ROLES, required=True, default="网格员",
                  width=9, pdf_weight=1.4, filterable=True, aliases=("职务", "角色")),
            Field("grids", "服务网格", kind="collection", collection=SERVED_GRIDS, width=30,
                  pdf_weight=4, aliases=("所在网格", "负责网格", "网格")),
            Field("primary_grid", "主网格", compute=_primary_grid, width=16, table=False),
            Field("duties", "工作职责", kind="tags", choices=DUTIES, editable=True, width=30,
                  pdf_weight=4, filterable=True, aliases=("职责",)),
            Field("start_date", "上岗日期", kind="date", width=11, pdf_weight=1.8,
                  aliases=("入职日期", "任职时间")),
            Field("status", "在岗状态", kind="enum", choices=WORKER_STATUSES, required=True,
                  default="在岗", width=6, pdf_weight=1, filterable=True, aliases=("状态",)),
            Field("remarks", "备注", kind="longtext", width=20, pdf_weight=1.6),
        ),
    )
)
