"""Resident ID numbers (GB 11643) and unified social credit codes (GB 32100), and the
Excel damage an ID number suffers when it is stored as a number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.ids import (
    credit_check_char,
    id_check_char,
    mask_id,
    parse_credit_code,
    parse_id_number,
)
from app.specs import Field

VALID = "11010519491231002X"  # the standard's own example


def test_valid_ids():
    assert parse_id_number(VALID) == VALID
    assert parse_id_number(" 11010519491231002x ") == VALID  # lower-case x, spaces
    assert parse_id_number("１１０１０５１９４９１２３１００２Ｘ") == VALID  # full-width
    assert parse_id_number("") == "" and parse_id_number(None) == ""


@pytest.mark.parametrize("cell", [510502199001011234.0, 5.10502199001011e17, 510502199001011234,
                                  "5.10502E+17", "5.10502199001011E+17", "510502199001011234.0"])
def test_excel_number_damage_is_named(cell):
    with pytest.raises(ValueError) as info:
        parse_id_number(cell)
    msg = str(info.value)
    assert "Excel 存成数字" in msg and "丢失" in msg and "文本" in msg


def test_excel_shows_the_number_as_excel_does():
    with pytest.raises(ValueError) as info:
        parse_id_number(510502199001011234.0)
    assert "5.10502E+17" in str(info.value)


def test_check_digit_failure_names_the_number():
    bad = VALID[:-1] + "1"
    with pytest.raises(ValueError) as info:
        parse_id_number(bad)
    assert bad in str(info.value) and "校验位" in str(info.value) and "X" in str(info.value)
    damaged = "510502199001011000"  # 510502199001011234 after a trip through a number
    assert id_check_char(damaged[:17]) != "0"
    with pytest.raises(ValueError) as info:
        parse_id_number(damaged)
    assert "000" in str(info.value) and "Excel" in str(info.value)


@pytest.mark.parametrize("text,word", [("1101051949123100", "18位"), ("110105491231002", "15位"),
                                       ("11010519491331002X", "出生日期"),
                                       ("91010519491231002X", "地区码"),
                                       ("1101051949123100A2", "数字")])
def test_other_id_errors(text, word):
    with pytest.raises(ValueError) as info:
        parse_id_number(text)
    assert word in str(info.value)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17).filter(lambda s: s[0] in "12345678"),
       st.dates(min_value=__import__("datetime").date(1900, 1, 1),
                max_value=__import__("datetime").date(2020, 12, 31)))
def test_id_check_digit_property(digits, born):
    first17 = digits[:6] + born.strftime("%Y%m%d") + digits[14:17]
    good = first17 + id_check_char(first17)
    assert parse_id_number(good) == good
    for wrong in "0123456789X":
        if wrong != good[-1]:
            with pytest.raises(ValueError):
                parse_id_number(first17 + wrong)


def test_idcard_field_kind():
    f = Field("id_number", "身份证号", kind="idcard", aliases=("公民身份号码", "身份证号码"))
    assert f.parse(VALID) == VALID
    with pytest.raises(ValueError):
        f.parse(5.10502e17)


def test_credit_codes():
    assert parse_credit_code("91350100M000100Y43") == "91350100M000100Y43"
    with pytest.raises(ValueError) as info:
        parse_credit_code("91350100M000100Y44")
    assert "校验位" in str(info.value) and "3" in str(info.value)
    with pytest.raises(ValueError) as info:
        parse_credit_code("91350100M000100YI3")
    assert "I" in str(info.value)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_credit_check_property(first17):
    code = first17 + credit_check_char(first17)
    assert parse_credit_code(code) == code


def test_mask():
    assert mask_id("510502199001011234") == "510502********1234"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_is_the_standards_weighted_sum(first17):
    """GB 11643: weights 2^(18-i) mod 11 over the 17 digits, the sum mod 11 picking from
    10X98765432 (id_check_char computes it another way)."""
    weights = [pow(2, 17 - i, 11) for i in range(17)]
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    assert id_check_char(first17) == "10X98765432"[total % 11]


@pytest.mark.parametrize("bad", ["1101051949123100A", "11010519491231００2", "110105194912310", ""])
def test_check_char_wants_17_ascii_digits(bad):
    with pytest.raises(ValueError):
        id_check_char(bad)
