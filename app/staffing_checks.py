"""机构编制 核查: what the street's 组织人事 clerk should look at, each with its rows — the
people whose 编制类型 is not authorised in their 编制所在机构 (allowed, warned on save),
authorisations over strength or with leader posts over the authorised number, lapsing
certificates, and ID numbers whose area code deserves a second look."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.checks import Check
from app.db import Database
from app.ids import area_warning
from app.services import list_rows, scope_clause
from app.specs.staff import STAFF
from app.specs.staffing import AUTHORISATIONS
from app.staffing import CERT_WARN_DAYS, ON_BOOKS


def _where(rs, keep) -> tuple[int, ...]:
    """Ids of the listed rows for which keep({field: value}) holds."""
    names = [f.name for f in rs.fields]
    return tuple(i for i, r in zip(rs.ids, rs.rows, strict=True)
                 if keep(dict(zip(names, r, strict=True))))


_ADVICE = re.compile(r"[；，](区县设立后换发的号码也会如此，)?请核对(号码)?$")


def _area_codes(db: Database) -> dict[int, str]:
    """Person id → the area-code warning of their ID number."""
    from app.models import Person

    with db.session() as s:
        rows = s.execute(select(Person.id, Person.id_number)
                         .where(scope_clause(db, STAFF)).order_by(Person.id)).all()
    # The finding only: the check's hint says what to do about it.
    return {i: _ADVICE.sub("", note) for i, number in rows if (note := area_warning(number))}


def checks(db: Database) -> list[Check]:
    """The staffing checks in the order a clerk works through them."""
    people = list_rows(db, STAFF, tuple(STAFF.field(n) for n in ("unauthorised", "cert_state",
                                                                  "status")))
    auths = list_rows(db, AUTHORISATIONS, tuple(AUTHORISATIONS.field(n)
                                                for n in ("is_over", "leaders_over")))

    areas = _area_codes(db)

    def cert(state):
        return lambda r: r["cert_state"] == state and r["status"] in ON_BOOKS

    return [
        Check("unauthorised", "编制类型未在编制所在机构核定的人员", STAFF.key,
              _where(people, lambda r: bool(r["unauthorised"])),
              "这些人员不计入实有人数；请核对编制类型或编制所在机构，或补录编制核定"),
        Check("over", "超编的编制核定", AUTHORISATIONS.key,
              _where(auths, lambda r: bool(r["is_over"])), "实有人数超过核定编制数"),
        Check("leaders_over", "领导职数超配的编制核定", AUTHORISATIONS.key,
              _where(auths, lambda r: bool(r["leaders_over"])),
              "正职或副职实配人数超过核定的领导职数"),
        Check("cert_lapsing", "社工证书将到期的人员", STAFF.key, _where(people, cert("将到期")),
              f"职业资格登记 {CERT_WARN_DAYS} 天内到期，请提醒本人办理再登记"),
        Check("cert_lapsed", "社工证书登记已过期的人员", STAFF.key, _where(people, cert("已过期")),
              "在册人员的职业资格登记已过期"),
        Check("area_code", "身份证号码地区码需核对的人员", STAFF.key, tuple(areas),
              "地区码不在行政区划代码表中，或出生年份时尚未设立、已停用（区县设立后换发的号码也会如此）",
              areas),
    ]
