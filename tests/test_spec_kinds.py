"""Field kinds (app.specs.kinds): each parses what offices type, refuses the rest in
Chinese, and displays alike in table, Excel and print; editable choice lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.errors import UserError
from app.ids import CREDIT_ALPHABET, credit_check_char
from app.specs import KINDS, Field


def field(kind, **kw):
    return Field("x", "测试", kind=kind, **kw)


@pytest.mark.parametrize("raw, want", [
    ("5200", "5200.00"), ("5,200.5", "5200.50"), ("￥5200元", "5200.00"), (5200.456, "5200.46"),
    ("１２３．４", "123.40"), ("", None), (None, None),
])
def test_decimal_parses_money(raw, want):
    got = field("decimal").parse(raw)
    assert (None if got is None else str(got)) == want


@pytest.mark.parametrize("raw", ["五千", "-3", "1e12", True])
def test_decimal_refuses(raw):
    with pytest.raises(ValueError):
        field("decimal").parse(raw)


def test_decimal_displays_with_separators_and_exports_a_number():
    f = field("decimal")
    assert f.display(Decimal("5200")) == "5,200.00"
    assert f.type.cell(f, Decimal("5200.5")) == 5200.5 and f.type.number_format(f) == "#,##0.00"


@pytest.mark.parametrize("raw, want", [("是", True), ("否", False), ("Y", True), ("√", True),
                                       ("×", False), (1, True), (0, False), ("", None)])
def test_bool(raw, want):
    assert field("bool").parse(raw) is want


def test_bool_displays_and_filters_in_chinese():
    f = field("bool")
    assert (f.display(True), f.display(False), f.display(None)) == ("是", "否", "")
    assert f.type.filter_value(f, "是") is True and f.type.pick_list(f) == ("是", "否")


def test_tags_keep_the_lists_order_and_refuse_unknown_values():
    f = field("tags", choices=("党员", "退役军人", "低保户"))
    assert f.parse("低保户，党员 党员") == "党员、低保户"
    assert f.parse(["退役军人", "党员"]) == "党员、退役军人"
    with pytest.raises(ValueError, match="不是可选值"):
        f.parse("党员、志愿者")


@pytest.mark.parametrize("raw, want", [
    ("138 1234 5678", "13812345678"), ("+86-13812345678", "13812345678"),
    ("（0830）2345678", "0830-2345678"), ("0830 2345678", "08302345678"[:0] + "0830-2345678"),
    ("2345678", "2345678"), ("0830-2345678-801", "0830-2345678-801"),
    ("13812345678/0830-2345678", "13812345678、0830-2345678"), (13812345678.0, "13812345678"),
])
def test_phone_normalises(raw, want):
    assert field("phone").parse(raw) == want


@pytest.mark.parametrize("raw", ["12-34", "1381234567", "电话"])
def test_phone_refuses(raw):
    with pytest.raises(ValueError, match="不是有效的电话号码"):
        field("phone").parse(raw)


def test_phone_and_id_are_masked():
    assert field("phone").masked and field("idcard").masked and not field("uscc").masked


@given(st.text(alphabet=CREDIT_ALPHABET, min_size=2, max_size=2),
       st.text(alphabet="0123456789", min_size=6, max_size=6),
       st.text(alphabet=CREDIT_ALPHABET, min_size=9, max_size=9))
def test_credit_code_accepts_letters_in_the_first_two_positions(head, region, org):
    body = head + region + org
    code = body + credit_check_char(body)
    assert field("uscc").parse(code.lower()) == code


def test_credit_code_refuses_a_wrong_check_character():
    body = "Y1510500MA62A0001"
    wrong = next(c for c in CREDIT_ALPHABET if c != credit_check_char(body))
    with pytest.raises(ValueError, match="校验位"):
        field("uscc").parse(body + wrong)


def test_every_kind_has_an_example_it_parses_back():
    for name, kind in KINDS.items():
        if not kind.stored or name in ("ref",):
            continue
        f = field(name, choices=("甲", "乙") if name in ("enum", "tags") else ())
        for n in range(5):
            value = f.parse(kind.example(f, n))
            assert f.parse(f.display(value)) == value, (name, value)


def test_a_year_in_a_label_is_the_current_year():
    from datetime import date

    assert field("int").title == "测试"
    assert Field("c", "{year}年办件量", kind="int").title == f"{date.today().year}年办件量"


# -- editable choice lists --------------------------------------------------------------------


def test_editable_choices_are_stored_with_the_data_and_audited(demo_db):
    from sqlalchemy import select

    from app import choices
    from app.db import Database
    from app.models import AuditEntry
    from app.specs.settings import BODIES

    f = BODIES.field("category")
    assert f.editable
    default = choices.default_choices(f)
    try:
        got = choices.set_choices(demo_db, BODIES, "category", [*default, "临时机构"])
        assert got[-1] == "临时机构" and f.parse("临时机构") == "临时机构"
        # Another PC opening the same database gets the same list.
        choices._set(f, default)
        Database(demo_db.url, actor="另一台")
        assert f.choices[-1] == "临时机构"
        with demo_db.session() as s:
            entry = s.execute(select(AuditEntry).where(AuditEntry.ledger == "settings")
                              .order_by(AuditEntry.id.desc())).scalars().first()
        assert "临时机构" in entry.changes and entry.summary == "可选值：职能机构·机构类别"
        # A value still used by a live row stays.
        used = next(v for v in default if v)
        from app.services import list_rows

        if used in list_rows(demo_db, BODIES).column("category"):
            with pytest.raises(UserError, match="不能从可选值中删除"):
                choices.set_choices(demo_db, BODIES, "category",
                                    [v for v in got if v != used])
    finally:
        choices._set(f, default)
