"""Property tests of the cell normalisers every import row goes through."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.importer.mapping import heading_key
from app.normalize import (
    _CONTROL,
    _SPACES,
    INT_MAX,
    clean_text,
    halfwidth_alnum,
    name_key,
    parse_date,
    parse_int,
    to_halfwidth,
)

FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@given(st.text())
def test_clean_text_idempotent_and_trimmed(s):
    once = clean_text(s)
    assert clean_text(once) == once
    assert once == once.strip() and "  " not in once


@given(st.text())
def test_clean_text_fast_path_agrees_with_the_slow_one(s):
    assert clean_text(s) == _SPACES.sub(" ", _CONTROL.sub("", s)).strip()


@given(st.text())
def test_halfwidth_alnum(s):
    once = halfwidth_alnum(s)
    assert halfwidth_alnum(once) == once
    assert not any(0xFF10 <= ord(c) <= 0xFF19 or 0xFF21 <= ord(c) <= 0xFF3A
                   or 0xFF41 <= ord(c) <= 0xFF5A for c in once)


@given(st.text())
def test_to_halfwidth_idempotent(s):
    assert to_halfwidth(to_halfwidth(s)) == to_halfwidth(s)
    assert name_key(name_key(s)) == name_key(s)


def test_halfwidth_keeps_chinese_punctuation():
    assert halfwidth_alnum(clean_text("  对辖区（复核）：ＸＫ－００１\u3000")) == "对辖区（复核）：XK－001"


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 12, 31)))
def test_parse_date_all_spellings(d):
    serial = (d - date(1899, 12, 30)).days
    # A serial written as text is taken only with five digits ("2023" is a year).
    spellings = [d, datetime(d.year, d.month, d.day, 8, 30), float(serial), serial,
                 *([str(serial)] if serial >= 10000 else []),
                 d.isoformat(), f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month:02d}.{d.day:02d}",
                 f"{d.year}年{d.month}月{d.day}日", f"{d.year}{d.month:02d}{d.day:02d}",
                 f" {d.year}-{d.month}-{d.day} 00:00:00 ",
                 f"{d.year}年{d.month}月{d.day}日".translate(FULLWIDTH_DIGITS)]
    for s in spellings:
        assert parse_date(s) == d, s


@given(st.text(max_size=12))
def test_parse_date_never_crashes(s):
    try:
        got = parse_date(s)
    except ValueError as exc:
        assert re.search(r"[\u4e00-\u9fff]", str(exc))  # a Chinese message
    else:
        assert got is None or isinstance(got, date)


@given(st.integers(min_value=0, max_value=INT_MAX))
def test_parse_int_spellings(n):
    for s in (n, float(n), str(n), f"{n:,}", f" {n} ", str(n).translate(FULLWIDTH_DIGITS),
              f"{n}.0"):
        assert parse_int(s) == n, s


@given(st.text(max_size=10))
def test_parse_int_never_crashes(s):
    try:
        got = parse_int(s)
    except ValueError:
        return
    assert got is None or isinstance(got, int)


@pytest.mark.parametrize("heading,key", [("事项名称*", "事项名称"), ("*事项名称（必填）", "事项名称"),
                                         ("事项\n名称", "事项名称"), ("承接科室：", "承接科室"),
                                         ("ＡＢＣ　名称", "abc名称")])
def test_heading_key(heading, key):
    assert heading_key(heading) == key


def test_serial_after_leap_bug():
    assert parse_date(61) == date(1900, 3, 1)
    assert parse_date(45291) == date(2023, 12, 31) == date(1899, 12, 30) + timedelta(45291)
