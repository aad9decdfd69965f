"""人员: the street's staff roster — 编制 and actual workplace kept apart, posts (岗位分配,
人员多岗化) as a child collection, social-work certificates and community-worker grades."""

from __future__ import annotations

import re

from sqlalchemy import case, func, literal, select

from app import staffing_codes as codes
from app.ids import area_warning
from app.models import FunctionalBody, Person, PostAssignment
from app.specs import Children, Field, LedgerSpec, Ref, register
from app.specs.checks import Check
from app.specs.figures import Count, PerValue, Sum
from app.specs.staffing import EST_ALIASES
from app.staffing import (
    CATEGORIES,
    CERT_LEVELS,
    CERT_WARN_DAYS,
    CERT_YEARS,
    CW_POSTS,
    EST_TYPES,
    GRADE_YEARS,
    LEADER_RANKS,
    NO_EST,
    ON_BOOKS,
    STATUSES,
    add_years,
    as_bool,
    authorised_in,
    cert_state,
    grade_range,
    id_birth_date,
    id_gender,
)

BODY = Ref(FunctionalBody, ledger="bodies")


# -- posts ---------------------------------------------------------------------------------


def _post_item(text: str) -> dict:
    """“综合办公室/党建办主任” names the body; “党建办主任” alone is a post in the person's
    实际工作机构 (the body is left empty and read as that)."""
    body, sep, post = text.rpartition("/") if "/" in text else text.rpartition("／")
    post = post.strip()
    if not post:
        raise ValueError("应写成“机构/岗位名称”或“岗位名称”")
    return {"body_id": body.strip() or None, "post_name": post} if sep else {"post_name": post}


def _post_summary(r: dict) -> str:
    body = r.get("body_id")
    return f"{body}/{r['post_name']}" if isinstance(body, str) and body else r["post_name"]


def _post_rules(rows: list[dict]) -> dict[int, str]:
    out = {}
    for n, r in enumerate(rows, 1):
        if r.get("start_date") and r.get("end_date") and r["end_date"] < r["start_date"]:
            out[n] = "任职截止日期不能早于起始日期"
    return out


POSTS = Children(
    "posts", "岗位", PostAssignment, "person_id",
    fields=(
        Field("body_id", "所在机构", kind="ref", ref=BODY, width=16,
              hint="空白表示本人的实际工作机构"),
        Field("post_name", "岗位名称", required=True, max_length=100, width=16),
        Field("is_primary", "主岗", kind="bool", width=6),
        Field("start_date", "起始日期", kind="date", width=11),
        Field("end_date", "截止日期", kind="date", width=11),
        Field("duties", "岗位职责", kind="longtext", width=24),
    ),
    key=("body_id", "post_name"), order_by=("primary_rank", "id"), primary="is_primary",
    rules=_post_rules, summary=_post_summary, parse_item=_post_item,
    new_row=lambda rows: {"is_primary": not rows},
    column_hint="多个岗位用“；”分隔，主岗写在最前，如 社区治理办公室/网格管理员；党建指导员",
    hint="一人多岗：每个岗位一行，须且只能有一个主岗；所在机构空白表示本人的实际工作机构。",
)


# -- computed columns ------------------------------------------------------------------


def _post_count(model, _year):
    return (select(func.count(PostAssignment.id))
            .where(PostAssignment.person_id == model.id).scalar_subquery())


def _on_books(model, _year):
    return as_bool(model.status.in_(ON_BOOKS))


def _multi_post(model, year):
    return as_bool(_post_count(model, year) >= 2)


def _certified(model, _year):
    return as_bool(model.cert_level != "")


def _cert_valid_to(model, _year):
    return add_years(model.cert_registered, literal(CERT_YEARS))


def _cert_state(model, year):
    return cert_state(_cert_valid_to(model, year))


def _next_step(model, _year):
    return add_years(model.cw_graded, literal(GRADE_YEARS))


def _pay(model, _year):
    """The grade's monthly pay, read from the stored pay table (app.staffing_pay)."""
    from app.staffing_pay import pay_column

    return pay_column(model)


def _unauthorised(model, _year):
    """“未核定” when the person's 编制类型 is not authorised in their 编制所在机构."""
    has_type = model.est_type.notin_(("", NO_EST)) & model.est_body_id.is_not(None)
    return case((has_type & ~authorised_in(model), "未核定"), else_=None)


# -- rules ---------------------------------------------------------------------------------


def _rules(values: dict) -> dict[str, str]:
    """Cross-field rules. Derived values are filled in here when left blank: 性别 and
    出生日期 from the ID number (and checked against it when typed)."""
    errors: dict[str, str] = {}
    idn = values.get("id_number") or ""
    if idn:
        gender, born = id_gender(idn), id_birth_date(idn)
        if not values.get("gender"):
            values["gender"] = gender
        elif values["gender"] != gender:
            errors["gender"] = f"“{values['gender']}”与身份证号码不符（号码第17位表示{gender}性）"
        if values.get("birth_date") is None:
            values["birth_date"] = born
        elif values["birth_date"] != born:
            errors["birth_date"] = f"与身份证号码中的出生日期 {born.isoformat()} 不符"
    est, body = values.get("est_type") or "", values.get("est_body_id")
    if est and est != NO_EST and body is None:
        errors["est_body_id"] = f"编制类型为“{est}”时须填写编制所在机构"
    if est in ("", NO_EST) and body is not None:
        errors["est_type"] = "填写了编制所在机构时须填写编制类型"
    born, start = values.get("birth_date"), values.get("work_start")
    if born and start and start < born:
        errors["work_start"] = "参加工作时间不能早于出生日期"
    cert = ("cert_number", "cert_date", "cert_registered")
    if any(values.get(k) for k in cert) and not values.get("cert_level"):
        errors["cert_level"] = "填写了证书信息时须填写证书等级"
    got, reg = values.get("cert_date"), values.get("cert_registered")
    if got and reg and reg < got:
        errors["cert_registered"] = "登记日期不能早于取得日期"
    post, grade = values.get("cw_post") or "", values.get("cw_grade")
    if (post or grade is not None) and values.get("category") != "社区工作者":
        errors["cw_post" if post else "cw_grade"] = "只有人员类别为“社区工作者”的人员评定岗位等级"
    elif grade is not None and not post:
        errors["cw_post"] = "评定等级时须填写岗位类别"
    elif grade is not None:
        lo, hi = grade_range(post)
        if not lo <= grade <= hi:
            errors["cw_grade"] = f"{post}岗位的等级应在 {lo}–{hi} 级之间（现为 {grade} 级）"
    return errors


def _warnings(session, values: dict) -> dict[str, str]:
    """Allowed, but worth a second look before saving: the 编制类型 not authorised in the
    编制所在机构 (also listed in the 机构编制 page's 核查), and an ID number's area code
    not in use in the birth year or not in GB/T 2260."""
    from app.models import Authorisation as A

    out = {}
    est, body = values.get("est_type") or "", values.get("est_body_id")
    if est not in ("", NO_EST) and body is not None:
        found = session.execute(select(A.id).where(A.body_id == body, A.est_type == est,
                                                   A.deleted_at.is_(None)).limit(1)).first()
        if found is None:
            name = session.get(FunctionalBody, body)
            out["est_type"] = (f"编制类型“{est}”未在编制所在机构“{name.name if name else body}”"
                               "核定，该人员不计入实有人数")
    note = area_warning(values.get("id_number") or "")
    if note:
        out["id_number"] = note
    return out


_ADVICE = re.compile(r"[；，](区县设立后换发的号码也会如此，)?请核对(号码)?$")


def _area_note(values: dict) -> str:
    """The finding of the ID number's area-code warning: the check's hint says what to do."""
    return _ADVICE.sub("", area_warning(values["id_number"] or ""))


def _on_books_cert(state: str) -> dict:
    return {"cert_state": state, "on_books": True}


def _code_enum(name: str, label: str, key: str, **kw) -> Field:
    return Field(name, label, kind="enum", choices=codes.names(codes.TABLES[key]),
                 choice_aliases=codes.aliases(key), **kw)


STAFF = register(
    LedgerSpec(
        key="staff",
        title="人员",
        model=Person,
        natural_key=("id_number",),
        label=("name",),
        default_sort=("work_body_id", "name", "id"),
        rules=_rules,
        warnings=_warnings,
        group="机构编制",
        order=21,
        children=(POSTS,),
        figures=(
            Count("total", "合计", {"on_books": True},
                  hint="在册人员（在岗、借调、挂职、长病假；不含调出、退休）"),
            Sum("authorised", "核定编制", "authorised", ledger="authorisations"),
            Sum("actual", "实有", "actual", ledger="authorisations"),
            Sum("vacant", "空编", "vacant", ledger="authorisations"),
            Count("over_bodies", "超编机构", {"is_over": True}, distinct="body_id",
                  ledger="authorisations", tone="warn"),
            Count("multi_post", "多岗人员", {"multi_post": True, "on_books": True},
                  hint="在册且担任 2 个及以上岗位的人员"),
            Count("certified", "持证社工", {"certified": True, "on_books": True}),
            Count("cert_lapsing", "证书将到期", {"cert_state": "将到期", "on_books": True},
                  tone="warn", hint=f"社会工作者职业资格登记 {CERT_WARN_DAYS} 天内到期"),
            Count("unauthorised", "编制未核定", {"unauthorised": "未核定"}, tone="warn",
                  hint="编制类型未在编制所在机构核定的人员"),
            PerValue("category", "按人员类别", hide_zero=True),
        ),
        checks=(
            Check("unauthorised", "编制类型未在编制所在机构核定的人员", {"unauthorised": "未核定"},
                  hint="这些人员不计入实有人数；请核对编制类型或编制所在机构，或补录编制核定"),
            Check("cert_lapsing", "社工证书将到期的人员", _on_books_cert("将到期"),
                  hint=f"职业资格登记 {CERT_WARN_DAYS} 天内到期，请提醒本人办理再登记"),
            Check("cert_lapsed", "社工证书登记已过期的人员", _on_books_cert("已过期"),
                  hint="在册人员的职业资格登记已过期"),
            Check("area_code", "身份证号码地区码需核对的人员", note=_area_note,
                  reads=("id_number",),
                  hint="地区码不在行政区划代码表中，或出生年份时尚未设立、已停用（区县设立后换发的号码也会如此）"),
        ),
        fields=(
            Field("name", "姓名", required=True, max_length=50, width=8, pdf_weight=1.4,
                  searchable=True, aliases=("名字", "人员姓名")),
            _code_enum("gender", "性别", "gender", width=5, pdf_weight=0.8,
                       hint="可留空，按身份证号码自动填写"),
            _code_enum("ethnicity", "民族", "ethnicity", width=8, pdf_weight=1,
                       default="汉族"),
            Field("id_number", "身份证号码", kind="idcard", required=True, width=20,
                  pdf_weight=2.8, aliases=("身份证号", "公民身份号码", "证件号码")),
            Field("birth_date", "出生日期", kind="date", width=11, table=False,
                  hint="可留空，按身份证号码自动填写"),
            _code_enum("political", "政治面貌", "political", width=12, pdf_weight=1.8),
            _code_enum("education", "学历", "education", width=12, pdf_weight=1.8,
                       aliases=("文化程度", "最高学历")),
            Field("category", "人员类别", kind="enum", choices=CATEGORIES, required=True,
                  width=10, pdf_weight=1.6, filterable=True, aliases=("人员性质", "身份类别")),
            Field("est_type", "编制类型", kind="enum", choices=(*EST_TYPES, NO_EST), width=11,
                  pdf_weight=1.8, filterable=True, aliases=("编制性质", "编制情况"),
                  choice_aliases={**EST_ALIASES, "无": NO_EST, "编外": NO_EST}),
            Field("est_body_id", "编制所在机构", kind="ref", ref=BODY, width=16, pdf_weight=2.4, aliases=("编制所在单位", "编制单位")),
            Field("work_body_id", "实际工作机构", kind="ref", ref=BODY, width=16,
                  pdf_weight=2.4, filterable=True, searchable=True,
                  aliases=("工作机构", "所在科室", "工作单位", "实际工作单位")),
            Field("posts", "岗位", kind="collection", collection=POSTS, width=28,
                  pdf_weight=3, aliases=("担任岗位", "岗位名称", "职务岗位")),
            Field("phone", "联系电话", kind="phone", width=14, pdf_weight=2,
                  aliases=("电话", "手机", "手机号码")),
            Field("work_start", "参加工作时间", kind="date", width=11,
                  aliases=("参加工作日期", "工作时间")),
            Field("leader_rank", "领导职务", kind="enum", choices=LEADER_RANKS, default="无",
                  width=8, aliases=("领导职务层次", "职务层次"),
                  choice_aliases={"正": "正职", "副": "副职"}),
            Field("status", "状态", kind="enum", choices=STATUSES, required=True,
                  default="在岗", width=7, pdf_weight=1, filterable=True,
                  aliases=("人员状态", "在岗状态")),
            Field("cert_level", "社工证书等级", kind="enum", choices=CERT_LEVELS, width=13, aliases=("社工证等级", "职业资格等级"),
                  choice_aliases={"助理社工师": "助理社会工作师", "社工师": "社会工作师",
                                  "高级社工师": "高级社会工作师", "初级": "助理社会工作师",
                                  "中级": "社会工作师", "高级": "高级社会工作师"}),
            Field("cert_number", "证书编号", max_length=64, width=14, aliases=("社工证编号",)),
            Field("cert_date", "证书取得日期", kind="date", width=11, aliases=("取证日期",)),
            Field("cert_registered", "证书登记日期", kind="date", width=11,
                  aliases=("登记日期", "注册日期")),
            Field("cw_post", "社区工作者岗位", kind="enum", choices=CW_POSTS, editable=True,
                  width=9, aliases=("岗位类别", "社工岗位类别")),
            Field("cw_grade", "等级", kind="int", bounds=(1, 18), width=6,
                  aliases=("岗位等级", "薪酬等级"),
                  hint="默认正职 7–18 级，副职 4–15 级，其他 1–12 级（设置 → 等级薪酬）"),
            Field("cw_graded", "定级日期", kind="date", width=11, aliases=("评定日期",)),
            Field("remarks", "备注", kind="longtext", width=20, aliases=("说明",)),
            Field("post_count", "岗位数", kind="int", compute=_post_count, width=6),
            Field("multi_post", "多岗", kind="bool", compute=_multi_post, width=5),
            Field("certified", "持证", kind="bool", compute=_certified, width=5),
            Field("cert_valid_to", "证书有效期至", kind="date", compute=_cert_valid_to,
                  width=11, hint=f"登记日期起 {CERT_YEARS} 年"),
            Field("cert_state", "证书状态", kind="enum", choices=("有效", "将到期", "已过期"),
                  compute=_cert_state, width=8, filterable=True,
                  alert=lambda v: v in ("将到期", "已过期")),
            Field("cw_next_step", "下次晋级", kind="date", compute=_next_step, width=11,
                  hint=f"定级日期起 {GRADE_YEARS} 年"),
            Field("cw_pay", "月薪酬（元）", kind="int", compute=_pay, width=9),
            Field("unauthorised", "编制核定", kind="text", compute=_unauthorised, width=8,
                  alert=bool, hint="“未核定”：编制类型未在编制所在机构核定"),
            Field("on_books", "在册", kind="bool", compute=_on_books, width=5, export=False,
                  hint="在岗、借调、挂职、长病假为在册；调出、退休不在册"),
        ),
    )
)
