"""Cell and field normalisers shared by the form, the import pipeline and the CLI.

They take what a person typed or what a spreadsheet cell held and return a clean
Python value, or raise ValueError with a Chinese message."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

# Full-width ASCII (！..～) → half-width; the ideographic space → a plain space.
_FULLWIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
# Control characters (a NUL in a CSV cell: PostgreSQL refuses it) are dropped, as export does.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def to_halfwidth(s: str) -> str:
    return s.translate(_FULLWIDTH)


# Full-width digits and Latin letters only: full-width punctuation （，：） is correct
# in Chinese text and stays.
HALFWIDTH_ALNUM = _ALNUM = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B))
          for c in range(*r)}


def halfwidth_alnum(s: str) -> str:
    """Full-width digits and letters to half-width (ＸＫ００１ → XK001), as imports do."""
    return s if s.isascii() else s.translate(_ALNUM)


def clean_text(value) -> str:
    """Trim (also full-width and non-breaking spaces) and collapse inner runs of space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value)
    # Fast path for the common clean cell: isprintable() is False for every space
    # _SPACES matches except " ", so only runs of " " and the ends need a look.
    if s.isprintable() and "  " not in s and s[:1] != " " and s[-1:] != " ":
        return s
    return _SPACES.sub(" ", _CONTROL.sub("", s)).strip()


def name_key(value) -> str:
    """Key for matching names of other rows: no spaces, half-width, case-folded."""
    return _SPACES.sub("", to_halfwidth(clean_text(value))).casefold()


_EXCEL_EPOCH = date(1899, 12, 30)
_TIME_GAP = re.compile(r"\s+(?=\d{1,2}:\d{2})")
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?(?:T\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


# Excel counts a 29 February 1900 that never was: serials before 1 March 1900 are a day
# off, and a year 1 date becomes a negative serial. No ledger date is that old.
FIRST_DATE = date(1900, 3, 1)
INT_MAX = 2_147_483_647  # what a PostgreSQL integer column holds


def parse_date(value) -> date | None:
    """Excel serial, date/datetime, 2023-12-31, 2023/12/31, 2023.12.31, 2023年12月31日, 20231231;
    refused before 1900年3月1日."""
    d = _parse_date(value)
    if d is not None and d < FIRST_DATE:
        raise ValueError(f"日期 {d.isoformat()} 太早（须在 1900年3月1日 或以后），请检查年份")
    return d


def _parse_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000101 <= value <= 21001231 and float(value).is_integer():
            return _parse_date(str(int(value)))
        if 1 <= value < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"“{value}”不是有效日期")
    # "2023-12-31 08:30:00" as text: keep the time apart before spaces are dropped.
    s = _TIME_GAP.sub("T", to_halfwidth(clean_text(value))).replace(" ", "")
    if not s:
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups()[:3])
            try:
                return date(y, mo, d)
            except ValueError:
                raise ValueError(f"“{s}”不是有效日期") from None
    if re.fullmatch(r"\d{5}(\.\d+)?", s):  # a serial number stored as text
        return _parse_date(float(s))
    raise ValueError(f"“{s}”不是可识别的日期，请写成 2023-12-31 或 2023年12月31日")


def parse_int(value, *, minimum: int | None = 0) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("应为整数")
    if isinstance(value, int):
        n = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"“{value:g}”不是整数")
        n = int(value)
    else:
        s = to_halfwidth(clean_text(value)).replace(",", "").replace(" ", "")
        if not s:
            return None
        if re.fullmatch(r"[+-]?\d+(\.0+)?", s):
            n = int(float(s)) if "." in s else int(s)
        else:
            raise ValueError(f"“{s}”不是整数")
    if minimum is not None and n < minimum:
        raise ValueError(f"不能小于 {minimum}")
    if abs(n) > INT_MAX:
        raise ValueError(f"“{n}”超出允许的范围（最大 {INT_MAX}）")
    return n


def format_date(d: date | None) -> str:
    """Dates as written in official documents: 2023年12月5日."""
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"
