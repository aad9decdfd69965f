"""编制核定: the positions each functional body is authorised to hold, by 编制类型.

实有 (people on the books holding the body's 编制 of that type), 空编 and 超编 are
computed by the database from the roster (app/specs/staff.py), never typed."""

from __future__ import annotations

from sqlalchemy import case, func

from app.models import Authorisation, FunctionalBody, Person
from app.specs import Field, LedgerSpec, Ref, register
from app.specs.checks import Check
from app.specs.figures import Count, PerValue, Sum, Total
from app.staffing import EST_TYPES, as_bool, occupants


def _actual(model, _year):
    return occupants(model.body_id, model.est_type)


def _vacant(model, year):
    gap = model.authorised - _actual(model, year)
    return case((gap > 0, gap), else_=0)


def _over(model, year):
    gap = _actual(model, year) - model.authorised
    return case((gap > 0, gap), else_=0)


def _is_over(model, year):
    return as_bool(_actual(model, year) > model.authorised)


def _leaders(rank):
    def compute(model, _year):
        return occupants(model.body_id, model.est_type, (Person.leader_rank == rank,))
    return compute


def _leaders_over(rank, allowed):
    """People in 正职 / 副职 beyond the authorised leader posts (超配; none given: 0)."""
    def compute(model, year):
        gap = _leaders(rank)(model, year) - func.coalesce(getattr(model, allowed), 0)
        return case((gap > 0, gap), else_=0)
    return compute


def _any_leader_over(model, year):
    return as_bool((_leaders_over("正职", "leader_chief")(model, year) > 0)
                   | (_leaders_over("副职", "leader_deputy")(model, year) > 0))


def _positive(v) -> bool:
    return bool(v) and v > 0


def _rules(values: dict) -> dict[str, str]:
    start, end = values.get("effective_date"), values.get("end_date")
    if start and end and end < start:
        return {"end_date": "截止日期不能早于生效日期"}
    return {}


EST_ALIASES = {"行政": "行政编制", "政法": "政法专项编制", "政法编制": "政法专项编制",
               "参公": "参公事业编制", "参照公务员法管理事业编制": "参公事业编制",
               "事业": "事业编制", "工勤": "工勤编制", "机关工勤编制": "工勤编制",
               "其它": "其他"}

AUTHORISATIONS = register(
    LedgerSpec(
        key="authorisations",
        title="编制核定",
        model=Authorisation,
        natural_key=("body_id", "est_type"),
        label=("approval_no", "est_type"),
        default_sort=("body_id", "est_type", "id"),
        rules=_rules,
        group="机构编制",
        order=20,
        figures=(
            Total(),
            Sum("authorised", "核定编制", "authorised"),
            Sum("actual", "实有", "actual"),
            Sum("vacant", "空编", "vacant"),
            Sum("over", "超编", "over", tone="warn"),
            Count("over_rows", "超编核定项", {"is_over": True}, tone="warn",
                  hint="实有人数超过核定编制数的机构及编制类型"),
            Count("over_bodies", "超编机构", {"is_over": True}, distinct="body_id",
                  tone="warn", strip=False),
            Count("leaders_over", "领导职数超配", {"leaders_over": True}, tone="warn",
                  hint="正职或副职实配人数超过核定领导职数的核定项"),
            PerValue("est_type", "按编制类型", hide_zero=True),
        ),
        checks=(
            Check("over", "超编的编制核定", {"is_over": True}, hint="实有人数超过核定编制数"),
            Check("leaders_over", "领导职数超配的编制核定", {"leaders_over": True},
                  hint="正职或副职实配人数超过核定的领导职数"),
        ),
        fields=(
            Field("body_id", "机构名称", kind="ref", ref=Ref(FunctionalBody, ledger="bodies"),
                  required=True, width=18, pdf_weight=3, filterable=True, searchable=True,
                  aliases=("机构", "职能机构", "单位", "单位名称", "编制所在机构")),
            Field("est_type", "编制类型", kind="enum", choices=EST_TYPES, required=True,
                  width=12, pdf_weight=2, filterable=True, aliases=("编制性质", "编制类别"),
                  choice_aliases=EST_ALIASES),
            Field("authorised", "核定编制数", kind="int", required=True, bounds=(0, 9999),
                  width=9, pdf_weight=1.3, aliases=("核定数", "编制数", "核定编制")),
            Field("leader_chief", "正职领导职数", kind="int", bounds=(0, 99), width=9,
                  pdf_weight=1.3, aliases=("正职职数", "正职")),
            Field("leader_deputy", "副职领导职数", kind="int", bounds=(0, 99), width=9,
                  pdf_weight=1.3, aliases=("副职职数", "副职")),
            Field("approval_no", "审批文号", max_length=100, width=18, pdf_weight=2.6,
                  searchable=True, aliases=("文号", "批准文号", "核定文号")),
            Field("approval_date", "审批日期", kind="date", width=11, pdf_weight=2,
                  aliases=("批准日期", "核定日期")),
            Field("effective_date", "生效日期", kind="date", width=11, pdf_weight=2,
                  aliases=("起始日期",)),
            Field("end_date", "截止日期", kind="date", width=11, aliases=("终止日期", "失效日期")),
            Field("remarks", "备注", kind="longtext", width=20, pdf_weight=1.6, aliases=("说明",)),
            Field("actual", "实有人数", kind="int", compute=_actual, width=8, pdf_weight=1.2,
                  hint="在册人员（不含调出、退休）中编制在本机构、本类型的人数"),
            Field("vacant", "空编", kind="int", compute=_vacant, width=6, pdf_weight=1),
            Field("over", "超编", kind="int", compute=_over, width=6, pdf_weight=1,
                  alert=_positive),
            Field("is_over", "是否超编", kind="bool", compute=_is_over, width=8,
                  filterable=True, alert=bool),
            Field("leaders_over", "领导超配", kind="bool", compute=_any_leader_over, width=8,
                  alert=bool),
            Field("chief_actual", "正职实配", kind="int", compute=_leaders("正职"), width=8),
            Field("deputy_actual", "副职实配", kind="int", compute=_leaders("副职"), width=8),
            Field("chief_over", "正职超配", kind="int", compute=_leaders_over("正职", "leader_chief"),
                  width=8, alert=_positive, hint="领导职务为正职的在册人员超过正职领导职数的人数"),
            Field("deputy_over", "副职超配", kind="int",
                  compute=_leaders_over("副职", "leader_deputy"), width=8, alert=_positive,
                  hint="领导职务为副职的在册人员超过副职领导职数的人数"),
        ),
    )
)
