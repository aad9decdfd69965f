"""ID numbers of the roster against python-stdnum's cn.ric: the check digit agrees on
random and edge numbers (hypothesis); a number whose area code did not exist in the birth
year — a district created later — is refused by stdnum and accepted here with a warning;
an unknown area code is a warning too. The warnings show on save (the form) and in the
机构编制 核查 list; the area-code table is the one installer/make_area_codes.py wrote."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.checks import run_checks
from app.core.writes import save_row
from app.ids import FIRST_ISSUE, area_name, area_warning, id_check_char, parse_id_number
from app.services import row_warnings
from app.specs.staff import STAFF

ric = pytest.importorskip("stdnum.cn.ric")


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


FIRST17 = (r"[1-8][0-9]{5}(19[0-9]{2}|200[0-9])(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])"
           r"[0-9]{3}")


@settings(max_examples=300, deadline=None)
@given(st.from_regex(FIRST17, fullmatch=True))
def test_check_digit_agrees_with_stdnum(first17):
    whole = first17 + ric.calc_check_digit(first17 + "0")
    assert id_check_char(first17) == whole[-1]
    assert parse_id_number(whole) == whole
    wrong = next(c for c in "0123456789X" if c != whole[-1])
    with pytest.raises(ValueError, match="校验位不符"):
        parse_id_number(first17 + wrong)
    assert not ric.is_valid(first17 + wrong)  # stdnum refuses the same wrong digit


@pytest.mark.parametrize("first17", ["11010519491231002", "44052419800101001",
                                     "65010219000101001", "51050220001229999",
                                     "51050219840229001", "11010119000101000"])
def test_check_digit_edge_numbers(first17):
    assert id_check_char(first17) == ric.calc_check_digit(first17 + "0")


def test_a_district_created_later_is_a_warning_not_an_error():
    """510504 (龙马潭区) came into use in 1995; a number issued later for someone born in
    1980 carries it. stdnum's cn.ric refuses it; the roster accepts it and warns."""
    whole = _id("51050419800101001")
    with pytest.raises(Exception):  # noqa: B017 - stdnum's own InvalidComponent
        ric.validate(whole)
    assert parse_id_number(whole) == whole
    assert "1995年起使用" in area_warning(whole) and "龙马潭区" in area_warning(whole)
    assert area_warning(_id("51050419960101001")) == ""  # born after: nothing to say


def test_codes_in_use_at_the_first_issue_are_not_warned():
    """510502 is listed from 1983; numbers were first issued in 1984 to people of every
    age, so someone born in 1950 in 江阳区 is no surprise."""
    assert FIRST_ISSUE == 1984
    assert area_warning(_id("51050219500101001")) == ""
    assert area_name("510502") == "江阳区"


def test_an_abolished_or_unknown_code_is_warned():
    assert "已停用" in area_warning(_id("11010320150101001"))  # 崇文区, gone in 2010
    assert "不在行政区划代码表" in area_warning(_id("51059919800101001"))
    whole = _id("51059919800101001")
    assert parse_id_number(whole) == whole  # still accepted


def test_our_table_agrees_with_stdnum_on_birth_places():
    """Where stdnum accepts a number, we do not warn (born after the code came into use)."""
    for code in ("510502", "510503", "510504", "510521", "510104", "110105", "500103"):
        for year in (1996, 2005):
            whole = _id(f"{code}{year}0101001")
            if ric.is_valid(whole):
                assert area_warning(whole) == "", whole


def test_warnings_on_save_and_in_the_checks(sqlite_demo_db):
    db = sqlite_demo_db
    raw = {"name": "龙马", "id_number": _id("51050419800101001"), "category": "公务员",
           "status": "在岗", "est_type": "工勤编制", "est_body_id": "党建工作办公室"}
    warned = row_warnings(db, STAFF, raw)
    assert "龙马潭区" in warned["id_number"]
    assert set(warned) <= {"id_number", "est_type"}
    pid, _v = save_row(db, STAFF, raw)  # warnings never refuse
    found = {c.key: c for c in run_checks(db, group="机构编制")}
    assert pid in found["staff.area_code"].ids
    assert all(c.label for c in found.values())


def test_a_type_not_authorised_in_the_body_is_warned_on_save(sqlite_demo_db):
    from app.core.writes import save_row as save
    from app.specs.settings import BODIES
    from app.specs.staffing import AUTHORISATIONS

    db = sqlite_demo_db
    body = save(db, BODIES, {"name": "测试科"})[0]
    save(db, AUTHORISATIONS, {"body_id": body, "est_type": "行政编制", "authorised": 1})
    raw = {"name": "甲", "id_number": _id("51050219900101001"), "category": "事业",
           "status": "在岗", "est_type": "事业编制", "est_body_id": "测试科"}
    assert row_warnings(db, STAFF, raw) == {
        "est_type": "编制类型“事业编制”未在编制所在机构“测试科”核定，该人员不计入实有人数"}
    assert row_warnings(db, STAFF, {**raw, "est_type": "行政编制"}) == {}
    pid, _v = save_row(db, STAFF, raw)
    assert pid in next(c for c in run_checks(db) if c.key == "staff.unauthorised").ids
