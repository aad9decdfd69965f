"""Key persons (重点人员) of the grids: sensitive personal information (IDs and phones
masked, unmasked views audited), their categories and risk levels, and their visits
(走访) as a child collection, overdue by the risk level's interval. Each lives in a grid
(所属网格), perhaps an estate and a building of app.specs.estates."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, or_, select
from sqlalchemy.orm import aliased

from app.errors import ValidationError
from app.models import Area, KeyPerson, KeyPersonVisit, Setting
from app.specs import Children, Field, LedgerSpec, PrintedDocument, register
from app.specs.checks import Check
from app.specs.estates import ESTATE_REF, GRID_FIELD, estate_elsewhere
from app.specs.figures import EMPTY, Count, PerValue, Total
from app.sqldates import days_between, today_param

CATEGORIES = ("刑满释放人员", "社区矫正人员", "吸毒人员", "严重精神障碍患者", "重点信访人员",
              "重点青少年", "独居老人", "空巢老人", "留守儿童", "残疾人", "低保户", "特困人员",
              "退役军人")
RISK_LEVELS = ("红", "橙", "黄", "绿")
# Days between visits by risk level (the defaults; an administrator changes them
# on the 核查 page, stored as settings VISIT_SETTING + level).
VISIT_DAYS = {"红": 7, "橙": 15, "黄": 30, "绿": 90}
VISIT_SETTING = "key_persons.visit_days."


# -- key persons ---------------------------------------------------------------------------

def _visit_item(text: str) -> dict:
    """One visit of the sheet cell: “2026-11-02 张敏 入户走访，情况稳定”."""
    parts = re.split(r"\s+", text.strip(), maxsplit=2)
    if not re.fullmatch(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?", parts[0]):
        raise ValueError("应写成“2026-11-02 走访人 情况”")
    return {"day": parts[0], "visitor": parts[1] if len(parts) > 1 else "",
            "note": parts[2] if len(parts) > 2 else ""}


VISITS = Children(
    "visits", "走访记录", KeyPersonVisit, "person_id",
    fields=(Field("day", "走访日期", kind="date", required=True, width=11),
            Field("visitor", "走访人", max_length=50, width=8),
            Field("note", "走访情况", max_length=500, width=30)),
    order_by=("day",),
    summary=lambda r: " ".join(p for p in (r["day"].isoformat() if r.get("day") else "",
                                           r.get("visitor") or "", r.get("note") or "") if p),
    new_row=lambda rows: {"day": date.today()},
    parse_item=_visit_item,
    column_hint="每次走访一项，用“；”分隔，如 2026-11-02 张敏 入户走访；2026-11-20 张敏 电话回访",
    hint="走访间隔：红色 7 天、橙色 15 天、黄色 30 天、绿色 90 天",
)


def _last_visit(model, _year):
    return (select(func.max(KeyPersonVisit.day)).where(KeyPersonVisit.person_id == model.id)
            .scalar_subquery())


def _interval(level: str):
    """An administrator's interval for `level` (app.grids.set_visit_days), else the default:
    read in the query, so every PC of the office counts alike."""
    typed = select(Setting.value).where(Setting.key == VISIT_SETTING + level).scalar_subquery()
    return func.coalesce(cast(typed, Integer), VISIT_DAYS[level])


def _overdue(model, year):
    """Not visited within its risk level's interval (never visited counts as overdue);
    released persons are no longer followed."""
    last = _last_visit(model, year)
    interval = case(*((model.risk_level == level, _interval(level)) for level in VISIT_DAYS),
                    else_=None)
    late = or_(last.is_(None), days_between(today_param(), last) > interval)
    return case((and_(model.released_date.is_(None), model.risk_level != "", late), True),
                else_=False)


def _person_rules(values: dict) -> dict[str, str]:
    errors = {}
    if values.get("released_date") and not values.get("release_reason"):
        errors["release_reason"] = "已解除的重点人员须填写解除原因"
    listed, released = values.get("listed_date"), values.get("released_date")
    if listed and released and released < listed:
        errors["released_date"] = "解除日期不能早于列管日期"
    return errors


def _street_of(path: str) -> str:
    return "/".join(path.split("/")[:3]) + "/"  # "/district/street/" of a grid's path


def _check_unique_id(session, ids: list[int]) -> None:
    """A person is listed once in a street: the same ID number in another grid of the
    street is refused (the database's own index only covers one grid). One grouping
    query over the new rows (per 500 when their ids are not one run) finds a repeated
    number (grid → community → street); only then are its rows read for the message."""
    if not ids:
        return
    community = aliased(Area)
    # A bulk insert's new ids are one run (app.bulk): then one query covers them all.
    low, high = min(ids), max(ids)
    runs = ([KeyPerson.id.between(low, high)] if high - low + 1 == len(set(ids))
            else [KeyPerson.id.in_(ids[k:k + 500]) for k in range(0, len(ids), 500)])
    for run in runs:
        numbers = select(KeyPerson.id_number).where(run)
        repeated = session.execute(
            select(KeyPerson.id_number)
            .join(Area, Area.id == KeyPerson.area_id)
            .join(community, community.id == Area.parent_id)
            .where(KeyPerson.id_number.in_(numbers), KeyPerson.deleted_at.is_(None))
            .group_by(KeyPerson.id_number, community.parent_id)
            .having(func.count() > 1).limit(1)).scalar()
        if repeated is not None:
            _refuse_repeated(session, repeated)


def _refuse_repeated(session, number: str) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for name, grid, path in session.execute(
            select(KeyPerson.name, Area.name, Area.path)
            .join(Area, Area.id == KeyPerson.area_id)
            .where(KeyPerson.id_number == number, KeyPerson.deleted_at.is_(None))
            .order_by(KeyPerson.id)):
        street = _street_of(path)
        if street in seen:
            first = seen[street]
            raise ValidationError(
                {"id_number": f"身份证号 {number[:6]}…{number[-4:]} 重复：{first[1]}的“{first[0]}”"
                              f"与{grid}的“{name}”，同一街道的重点人员只能登记一次"},
                {"id_number": "身份证号"})
        seen[street] = (name, grid)


KEY_PERSONS = register(
    LedgerSpec(
        key="key_persons",
        title="重点人员",
        model=KeyPerson,
        levels=("grid",),
        natural_key=("id_number",),
        label=("name",),
        default_sort=("area_id", "id"),
        rules=_person_rules,
        after_write=lambda s, p: _check_unique_id(s, [p.id]),
        after_insert=_check_unique_id,
        children=(VISITS,),
        group="网格",
        order=34,
        documents=(PrintedDocument("key_person_ledger", "重点人员台账",
                                   "reports.grids:write_key_person_ledger",
                                   "按类别和风险等级统计并列出选中的（或列表中的全部）重点人员；"
                                   "身份证号和电话打码"),),
        figures=(
            Total(),
            PerValue("risk_level", "按风险等级"),
            Count("no_controller", "无管控人", {"controller": EMPTY}, tone="warn",
                  group="管控走访", hint="尚未明确管控责任人的重点人员"),
            Count("overdue", "走访逾期", {"overdue": True}, tone="warn", group="管控走访",
                  hint="超过风险等级规定间隔未走访（默认红 7 天、橙 15 天、黄 30 天、绿 90 天）"),
            PerValue("categories", "按人员类别", hide_zero=True, strip=False),
        ),
        checks=(
            Check("controller", "无管控人的重点人员", {"controller": EMPTY, "released_date": EMPTY},
                  hint="在册重点人员均应明确管控责任人"),
            Check("visits", "走访逾期的重点人员", {"overdue": True},
                  hint="超过风险等级规定的间隔未走访（间隔可由管理员在本页修改）"),
            Check("estate_grid", "所在小区不在本网格的重点人员", condition=estate_elsewhere,
                  hint="重点人员的所属网格与其小区的网格不一致"),
        ),
        fields=(
            GRID_FIELD,
            Field("name", "姓名", required=True, max_length=50, width=8, pdf_weight=1.4,
                  searchable=True),
            Field("id_number", "身份证号", kind="idcard", required=True, width=20, pdf_weight=3,
                  aliases=("身份证号码", "公民身份号码")),
            Field("gender", "性别", kind="enum", choices=("男", "女"), width=5, pdf_weight=0.8),
            Field("phone", "联系电话", kind="phone", width=14, pdf_weight=2.2,
                  aliases=("电话", "手机")),
            Field("estate_id", "所在小区", kind="ref", ref=ESTATE_REF, width=14, pdf_weight=2.2,
                  filterable=True, aliases=("小区", "居住小区")),
            Field("building", "楼栋", max_length=50, width=6, pdf_weight=1, aliases=("楼栋号",)),
            Field("room", "房号", max_length=50, width=8, pdf_weight=1.2,
                  aliases=("门牌号", "单元房号"), hint="如 2-1001"),
            Field("categories", "人员类别", kind="tags", choices=CATEGORIES, editable=True,
                  required=True, width=20, pdf_weight=3, filterable=True,
                  aliases=("类别", "重点人员类别")),
            Field("risk_level", "风险等级", kind="enum", choices=RISK_LEVELS, required=True,
                  width=6, pdf_weight=1, filterable=True, aliases=("风险级别", "管控等级"),
                  choice_aliases={"红色": "红", "橙色": "橙", "黄色": "黄", "绿色": "绿"}),
            Field("controller", "管控人", max_length=50, width=8, pdf_weight=1.4,
                  searchable=True, aliases=("管控责任人",)),
            Field("helper", "帮扶人", max_length=50, width=8, pdf_weight=1.4,
                  aliases=("帮扶责任人",)),
            Field("listed_date", "列管日期", kind="date", width=11, pdf_weight=1.8),
            Field("released_date", "解除日期", kind="date", width=11, pdf_weight=1.8),
            Field("release_reason", "解除原因", max_length=200, width=14, pdf_weight=2),
            Field("visits", "走访记录", kind="collection", collection=VISITS, width=30,
                  pdf_weight=3.5),
            Field("last_visit", "最近走访", kind="date", compute=_last_visit, width=11,
                  pdf_weight=1.8),
            Field("overdue", "走访逾期", kind="bool", compute=_overdue, width=6, pdf_weight=1,
                  filterable=True),
            Field("remarks", "备注", kind="longtext", width=16, pdf_weight=1.4),
        ),
    )
)
