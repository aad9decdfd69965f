"""A deterministic demo data set: one street with its 9 functional bodies, its
communities and a powers list of 159 / 118 / 117 items with two years of case counts."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import func, select

from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.core.writes import insert_rows, soft_delete_all
from app.db import Database
from app.demo_grids import load_grids_demo
from app.errors import UserError
from app.models import Area, PowerCaseCount
from app.services import clean_values
from app.specs import all_specs
from app.specs.powers import POWERS
from app.specs.settings import BODIES, COMMUNITIES

DISTRICT = "江阳区"
STREET = "南城街道"
COUNTS = {"下放行政权力": 159, "法定权力事项": 118, "属地管理事项": 117}

BODY_ROWS = [
    ("党政综合办公室", "党政综合办事机构", "统筹协调街道党工委、办事处日常运转，负责文电、会务、督查、机要保密"),
    ("党建工作办公室", "党政综合办事机构", "负责基层党组织建设、党员教育管理、区域化党建和“双报到”工作"),
    ("经济发展办公室", "党政综合办事机构", "负责辖区经济运行监测、企业服务、统计和楼宇经济"),
    ("社会事务办公室", "党政综合办事机构", "负责民政、社会救助、养老服务、残疾人和退役军人服务保障"),
    ("社区治理办公室", "党政综合办事机构", "负责社区建设、网格化服务管理、小区治理和物业监督"),
    ("平安法治办公室", "党政综合办事机构", "负责综治维稳、矛盾纠纷调解、信访和法治宣传"),
    ("综合行政执法办公室", "党政综合办事机构", "依法行使下放的行政处罚权及相关行政检查、行政强制"),
    ("便民服务中心", "直属事业机构", "承办政务服务事项受理、办理和代办帮办"),
    ("综合保障中心", "直属事业机构", "负责应急管理、安全生产、城乡环境和公共设施保障"),
]

COMMUNITY_NAMES = ["白塔社区", "钟鼓楼社区", "澄溪口社区", "会津门社区", "凝光门社区",
                   "大河街社区", "东门口社区", "蓝田坝社区", "管驿嘴社区", "报恩塔社区", "水井沟社区"]

# (department, body index, power type, subject, act) — names are composed from these.
_DEPARTMENTS = [
    ("区综合行政执法局", 6), ("区住房和城乡建设局", 6), ("区生态环境局", 6),
    ("区市场监督管理局", 6), ("区自然资源和规划局", 6), ("区卫生健康局", 3),
    ("区民政局", 3), ("区应急管理局", 8), ("区农业农村局", 2), ("区交通运输局", 8),
    ("区人力资源和社会保障局", 7), ("区退役军人事务局", 3), ("区文化广播电视和旅游局", 3),
]
_SUBJECTS = ["在城市道路", "在公共场所", "在居民小区", "在河道管理范围内", "在建筑工地",
             "在临街门店", "在绿化带", "在人行道", "在公园广场", "在背街小巷", "在农贸市场周边",
             "在学校周边", "在老旧小区", "在商业街区"]
_ACTS = ["擅自设置摊点", "乱堆乱放物料", "随意倾倒建筑垃圾", "擅自占用公共场地",
         "违规设置户外广告", "违规露天焚烧", "擅自搭建建筑物", "损毁城市绿化",
         "违规排放污水", "未按规定分类投放生活垃圾", "噪声扰民", "违规停放车辆",
         "擅自挖掘道路", "违规饲养家禽家畜"]
_BASES = [
    "《城市市容和环境卫生管理条例》第三十六条",
    "《四川省城乡环境综合治理条例》第五十二条",
    "《中华人民共和国城乡规划法》第六十五条",
    "《中华人民共和国大气污染防治法》第一百一十九条",
    "《中华人民共和国固体废物污染环境防治法》第一百一十一条",
    "《城市绿化条例》第二十六条",
    "《中华人民共和国噪声污染防治法》第八十七条",
    "《城市道路管理条例》第四十二条",
    "《泸州市城市管理条例》第二十八条",
    "《中华人民共和国食品安全法》第一百二十二条",
    "《中华人民共和国安全生产法》第九十五条",
    "《社会救助暂行办法》第十一条",
]
_STATUTORY = [
    ("行政确认", "对辖区居民{}情况的确认", ["家庭经济困难", "独生子女", "居住", "无业", "生育", "失业", "残疾等级初审", "低收入", "赡养关系", "临时困难"]),
    ("行政给付", "{}的审核发放", ["临时救助金", "高龄津贴", "残疾人两项补贴", "特困人员供养金", "计划生育奖励扶助金", "优抚对象补助", "最低生活保障金", "孤儿基本生活费", "困难群众取暖补贴", "独生子女父母奖励"]),
    ("行政检查", "对{}的监督检查", ["辖区安全生产", "出租房屋消防安全", "小区物业服务", "经营场所卫生", "建筑工地扬尘", "餐饮油烟排放", "地质灾害隐患点", "燃气使用安全", "养老机构运营", "农贸市场秩序"]),
    ("公共服务", "{}服务", ["就业创业指导", "社会保险参保登记", "老年人优待证办理", "居住证申领受理", "退役军人权益保障", "残疾人证申领受理", "法律援助申请受理", "流动人口登记", "婚育证明开具", "社区矫正协助"]),
    ("其他行政权力", "{}", ["组织编制街道经济社会发展规划", "指导社区居民委员会换届选举", "组织实施社区建设规划", "统筹辖区人民调解工作", "组织辖区征兵工作", "组织开展全民国防教育", "组织实施基层民主协商", "统筹辖区爱国卫生运动", "组织开展应急演练", "统筹辖区志愿服务"]),
    ("行政奖励", "对{}的表彰奖励", ["见义勇为人员", "优秀网格员", "最美物业人", "优秀志愿者", "模范楼栋长"]),
]
_TERRITORIAL = [
    "安全生产", "森林防火", "防汛抗旱", "食品安全", "城乡环境卫生", "违法建设",
    "消防安全", "燃气安全", "地质灾害防治", "河长制", "生态环境保护", "疫情防控",
    "校园周边安全", "道路交通安全", "流动人口服务管理", "物业管理", "拆迁安置",
    "房屋安全", "特种设备安全", "农村宅基地",
]
_TERRITORIAL_ROLES = ["日常巡查", "隐患排查", "信息报告", "宣传引导", "配合执法", "协助处置"]


def _item(rng, kind, power_type, name, code, dept, body, sub_item=""):
    return {
        "list_kind": kind, "power_type": power_type, "code": code, "name": name,
        "sub_item": sub_item, "origin_department": dept, "legal_basis": rng.choice(_BASES),
        "body_id": body, "devolution_mode": ("直接下放" if rng.random() < 0.7 else "委托下放")
        if kind == "下放行政权力" else "",
        "effective_date": date(2021 + rng.randrange(3), rng.randrange(1, 13), 1),
        "status": rng.choices(["运行中", "已承接", "暂停", "已收回"], [70, 22, 5, 3])[0],
        "remarks": "",
    }


def power_rows(body_names: list[str], seed: int = 20231205) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    devolved = set()
    n = 0
    while len(rows) < COUNTS["下放行政权力"]:
        dept, body = rng.choice(_DEPARTMENTS)
        subject, act = rng.choice(_SUBJECTS), rng.choice(_ACTS)
        ptype = rng.choices(["行政处罚", "行政强制", "行政检查", "行政许可"], [70, 12, 12, 6])[0]
        verb = {"行政处罚": "的处罚", "行政强制": "的强制措施", "行政检查": "的检查",
                "行政许可": "的许可"}[ptype]
        name = f"对单位和个人{subject}{act}{verb}" if ptype != "行政许可" else \
            f"{subject}临时{act.replace('擅自', '').replace('违规', '')}许可"
        if name in devolved:
            continue
        devolved.add(name)
        n += 1
        rows.append(_item(rng, "下放行政权力", ptype, name, f"XF-{n:04d}", dept,
                          body_names[body]))
    n = 0
    for ptype, pattern, fills in _STATUTORY * 3:
        for fill in fills:
            if sum(r["list_kind"] == "法定权力事项" for r in rows) >= COUNTS["法定权力事项"]:
                break
            name = pattern.format(fill)
            sub = "" if not any(r["name"] == name and r["list_kind"] == "法定权力事项"
                                for r in rows) else rng.choice(["初审", "复核", "变更", "注销"])
            if any(r["name"] == name and r["sub_item"] == sub for r in rows):
                continue
            n += 1
            rows.append(_item(rng, "法定权力事项", ptype, name, f"FD-{n:04d}", "",
                              body_names[rng.choice([0, 3, 4, 5, 7])], sub))
    n = 0
    for topic in _TERRITORIAL:
        for role in _TERRITORIAL_ROLES:
            if sum(r["list_kind"] == "属地管理事项" for r in rows) >= COUNTS["属地管理事项"]:
                break
            n += 1
            rows.append(_item(rng, "属地管理事项",
                              "行政检查" if role in ("日常巡查", "隐患排查") else "其他行政权力",
                              f"{topic}{role}", f"SD-{n:04d}", "区相关职能部门",
                              body_names[rng.choice([4, 5, 8, 6])]))
    for kind, want in COUNTS.items():
        have = sum(r["list_kind"] == kind for r in rows)
        assert have == want, (kind, have)
    return rows


def _ledger_models() -> list[tuple[type, str]]:
    """(model, area column) of every registered ledger except the area tree (whose
    streets exist from the first start)."""
    return list(dict.fromkeys((s.model, s.area_field) for s in all_specs()
                              if s.model is not Area))


def wipe_order() -> list:
    """Registered specs, those that name others first: binning them in this order never
    leaves a live row naming a binned one."""
    specs = all_specs()
    refs = {s.key: {o.key for o in specs for f in s.fields
                    if f.type.is_ref and f.ref.model is o.model and o is not s} for s in specs}
    out, seen = [], set()

    def visit(s):
        if s.key in seen:
            return
        seen.add(s.key)
        for other in specs:  # those naming s go before it
            if s.key in refs[other.key]:
                visit(other)
        out.append(s)
    for s in specs:
        visit(s)
    return out


def has_ledger_data(db: Database) -> bool:
    """Live ledger rows anywhere in the database (other streets included)."""
    with db.session() as s:
        for model, _area in _ledger_models():
            if s.execute(select(func.count()).select_from(model)
                         .where(model.deleted_at.is_(None))).scalar_one():
                return True
        return bool(s.execute(select(func.count()).select_from(Area)
                              .where(Area.level.in_(("community", "grid")),
                                     Area.deleted_at.is_(None))).scalar_one())


def _other_streets_data(db: Database, street_id: int) -> bool:
    """Whether live rows belong to a street other than this one."""
    with db.session() as s:
        path = s.get(Area, street_id).path
        others = select(Area.id).where(~Area.path.startswith(path, autoescape=True))
        for model, area in _ledger_models():
            if s.execute(select(func.count()).select_from(model).where(
                    model.deleted_at.is_(None), getattr(model, area).in_(others))).scalar_one():
                return True
        return bool(s.execute(select(func.count()).select_from(Area).where(
            Area.level.in_(("community", "grid")), Area.deleted_at.is_(None),
            Area.parent_id.in_(others))).scalar_one())


@write_operation
def load_demo(db: Database, *, reset: bool = False, year: int | None = None) -> dict[str, int]:
    """Fill the operator's street with the demo data; refuses a database holding ledger
    data unless `reset`, which moves this street's rows to the recycle bin first (an
    administrator's step, refused while other streets have data). One unit of work:
    permission-checked and audited row by row, all or nothing."""
    year = year or date.today().year
    rng = random.Random(year)
    street_id = db.street_id
    if has_ledger_data(db):
        if not reset:
            raise UserError("数据库中已有台账数据，演示数据只能载入空数据库（如需清空后载入，请加 --reset）")
        if _other_streets_data(db, street_id):
            raise UserError("数据库中还有其他街道的台账数据，不能用演示数据重置（--reset 只用于单个街道的练习数据库）")
    with UnitOfWork(db) as uow:
        s = uow.session
        uow.allow("purge" if reset else "import", street_id)
        if reset:
            for spec in wipe_order():
                soft_delete_all(uow, spec, note="（重置演示数据）")
        street = s.get(Area, street_id)
        renames = [(street, STREET), (street.parent, DISTRICT)]
        for area, name in renames:
            if area is not None and area.name != name:
                old, area.name = area.name, name
                area.updated_by, area.updated_at = db.actor, uow.stamp
                s.flush()
                uow.audit("update", "areas", area.id, name, {"name": (old, name)})
        note = "（演示数据）"
        communities = [clean_values(db, COMMUNITIES, {
            "name": name, "code": f"5105020010{i + 1:02d}", "contact": "", "sort_order": i + 1,
        }, s) for i, name in enumerate(COMMUNITY_NAMES)]
        ids = insert_rows(uow, COMMUNITIES, communities, note=note)
        bodies = [clean_values(db, BODIES, {
            "name": name, "category": cat, "duties": duties, "sort_order": i + 1,
        }, s) for i, (name, cat, duties) in enumerate(BODY_ROWS)]
        body_ids = insert_rows(uow, BODIES, bodies, note=note)
        index = {name: i for name, i in zip([b[0] for b in BODY_ROWS], body_ids, strict=True)}
        items = power_rows([b[0] for b in BODY_ROWS])
        refs = {"body_id": dict(index)}
        clean = [clean_values(db, POWERS, row, s, refs) for row in items]
        item_ids = insert_rows(uow, POWERS, clean, note=note)
        counts = []
        for item_id in item_ids:
            for y in (year - 1, year):
                draw = rng.random()
                if draw < 0.03:
                    continue  # not reported yet: 未填报, not a zero
                n = 0 if draw < 0.2 else max(1, int(rng.lognormvariate(2.5, 1.2)))
                counts.append({"item_id": item_id, "year": y, "count": n})  # 0: 零办件
        # Case counts are part of each new row's first version (audited with it above).
        s.execute(PowerCaseCount.__table__.insert(), counts)
        grids = load_grids_demo(uow, [(i, r["name"], r["code"]) for i, r in
                                      zip(ids, communities, strict=True)], year, note)
        from app.demo_rectification import load_rectification_demo

        problems = load_rectification_demo(
            uow, db, dict(zip(COMMUNITY_NAMES, ids, strict=True)), body_ids, rng, note)
        uow.audit("import", POWERS.key, summary=f"载入演示数据：权责事项 {len(item_ids)} 项，"
                  f"职能机构 {len(body_ids)} 个，社区 {len(ids)} 个，整改问题 {problems} 个")
        from app.demo_staffing import load_staffing_demo

        staffing = load_staffing_demo(uow, index, note=note)
        from app.demo_meetings import load_meetings_demo

        meetings = load_meetings_demo(uow, db, dict(zip(COMMUNITY_NAMES, ids, strict=True)),
                                      [b[0] for b in BODY_ROWS], rng, note)
    from app.demo_rectification import issue_demo_lists

    issue_demo_lists(db)  # two quarters of 红黑榜, read from the rows just committed
    return {"communities": len(ids), "bodies": len(body_ids), "powers": len(item_ids),
            **staffing, **grids, "rectification": problems, **meetings}
