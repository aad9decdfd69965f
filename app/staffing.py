"""机构编制 staffing: the domain rules and SQL pieces the two specs share (no Qt).

Authorisations (编制核定) say how many positions of each 编制类型 a body has; people
(人员) occupy them through 编制所在机构 + 编制类型. Actual, vacant and over-strength
counts are computed by the database from the people, never typed."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Boolean, Date, case, exists, func, select, type_coerce
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

EST_TYPES = ("行政编制", "政法专项编制", "参公事业编制", "事业编制", "工勤编制", "其他")
NO_EST = "无编制"
CATEGORIES = ("公务员", "参公", "事业", "机关工勤", "社区工作者", "专职网格员", "编外聘用",
              "公益性岗位")
LEADER_RANKS = ("正职", "副职", "无")
STATUSES = ("在岗", "借调", "挂职", "长病假", "调出", "退休")
# Who occupies a position: everyone still on the body's books (调出 and 退休 left it).
ON_BOOKS = ("在岗", "借调", "挂职", "长病假")
CERT_LEVELS = ("助理社会工作师", "社会工作师", "高级社会工作师")
CERT_YEARS = 3  # a registration is valid three years
CERT_WARN_DAYS = 90
CW_POSTS = ("正职", "副职", "其他")  # 3岗: editable in 设置
# 18级: the grades each post category may hold by default; the stored pay table
# (app.staffing_pay, edited in 设置) is what counts: a category's range is its grades there.
GRADE_RANGES = {"正职": (7, 18), "副职": (4, 15), "其他": (1, 12)}
MAX_GRADE = 18
GRADE_YEARS = 3  # one grade step every three years


_RANGES: dict[str, tuple[int, int]] = {}  # the stored table's ranges (app.staffing_pay.load)


def grade_range(post: str) -> tuple[int, int]:
    """The grades a post category may hold: its grades in the stored pay table, else the
    default (a category added in 设置 without pay rows: 1–18)."""
    return _RANGES.get(post) or GRADE_RANGES.get(post, (1, MAX_GRADE))


def default_pay(post: str, grade: int) -> int:
    """The shipped pay table (元/月) that a new database starts from: the top 正职 grade is
    the seed's community party secretary, 5,200 yuan a month."""
    base, step, lo = {"正职": (3000, 200, 7), "副职": (2500, 160, 4)}.get(post, (2000, 150, 1))
    return base + step * (grade - lo)


def default_pay_table() -> list[tuple[str, int, int]]:
    """(post, grade, pay) of the shipped table, post by post, lowest grade first."""
    return [(p, g, default_pay(p, g)) for p in CW_POSTS
            for g in range(GRADE_RANGES[p][0], GRADE_RANGES[p][1] + 1)]


# -- SQL --------------------------------------------------------------------------------


class add_years(FunctionElement):  # noqa: N801 - used like a SQL function
    """date + n years, on SQLite and PostgreSQL (29 Feb: SQLite gives 1 Mar, PostgreSQL
    28 Feb)."""

    type = Date()
    inherit_cache = True
    name = "add_years"


@compiles(add_years, "sqlite")
def _add_years_sqlite(element, compiler, **kw):
    col, n = list(element.clauses)
    return f"date({compiler.process(col, **kw)}, '+{int(n.value)} years')"


@compiles(add_years)
def _add_years_default(element, compiler, **kw):
    col, n = list(element.clauses)
    return f"CAST(({compiler.process(col, **kw)} + INTERVAL '{int(n.value)} years') AS DATE)"


def on_books(model):
    return model.status.in_(ON_BOOKS)


def occupants(body_col, type_col, extra=()):
    """People on the books holding a position of this body and 编制类型 (a count)."""
    from app.models import Person

    return (select(func.count(Person.id))
            .where(Person.est_body_id == body_col, Person.est_type == type_col,
                   Person.deleted_at.is_(None), on_books(Person), *extra)
            .scalar_subquery())


def authorised_in(person) -> object:
    """Whether a live authorisation covers the person's 编制所在机构 and 编制类型."""
    from app.models import Authorisation as A

    return exists().where(A.body_id == person.est_body_id, A.est_type == person.est_type,
                          A.deleted_at.is_(None))


def as_bool(expr):
    """A condition as a 是/否 column (SQLite has no boolean type of its own)."""
    return type_coerce(case((expr, True), else_=False), Boolean())


def cert_state(valid_to, today: date | None = None):
    """有效 / 将到期 (within 90 days) / 已过期, NULL without a registration."""
    today = today or date.today()
    return case((valid_to.is_(None), None),
                (valid_to < today, "已过期"),
                (valid_to <= today + timedelta(days=CERT_WARN_DAYS), "将到期"),
                else_="有效")


# -- ID numbers ---------------------------------------------------------------------------


def id_birth_date(id_number: str) -> date | None:
    if len(id_number or "") != 18:
        return None
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def id_gender(id_number: str) -> str:
    """GB 11643: the 17th digit is odd for men, even for women."""
    if len(id_number or "") != 18:
        return ""
    return "男" if int(id_number[16]) % 2 else "女"
