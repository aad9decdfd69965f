"""Chinese identification numbers: resident ID (GB 11643) and unified social credit
code (GB 32100). Both are checked by their check character, and an ID number that
Excel turned into a number (5.10502E+17, 510502199001011000) is recognised and
refused with a message that says what happened: the lost digits cannot be recovered."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from app.normalize import clean_text, to_halfwidth

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SCI = re.compile(r"^[0-9]\.[0-9]*E\+?[0-9]+$", re.IGNORECASE)

EXCEL_DAMAGE = ("已被 Excel 存成数字，后几位数字已丢失、无法还原；"
                "请把该列设为“文本”格式后重新填写完整的号码")


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number for its first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("id_check_char needs 17 digits")
    # The weights are 2^17 … 2^1 mod 11 (_ID_WEIGHTS), and 13 ≡ 2 (mod 11): the digits
    # read in base 13 give Σ dᵢ·2^(16−i) mod 11 at C speed; doubled, the weighted sum.
    return _ID_CHECK[2 * int(first17, 13) % 11]


# The common cell: 18 ASCII characters, already clean (ASCII only: \d would take other
# scripts' digits, which the full path turns half-width or refuses).
_PLAIN_ID = re.compile(r"[1-8][0-9]{16}[0-9X]")


def parse_id_number(value, *, today: date | None = None) -> str:
    """A resident ID number as stored ('' if blank); ValueError(中文) if it is not one.

    A number cell is always refused: Excel keeps 15 significant digits, so an
    18-digit ID stored as a number has already lost its last three."""
    if value.__class__ is str and _PLAIN_ID.fullmatch(value):
        s = value  # what the cleaning below would give back
    else:
        s = _cleaned_id(value)
        if not s:
            return ""
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        raise ValueError(f"身份证号“{s}”中的出生日期“{s[6:14]}”无效") from None
    if born.year < 1900 or born > (today or date.today()):
        raise ValueError(f"身份证号“{s}”中的出生日期“{s[6:14]}”无效")
    want = id_check_char(s[:17])
    if s[17] != want:
        msg = f"身份证号“{s}”校验位不符（按前17位计算，最后一位应为 {want}），请核对号码"
        if s.endswith("000"):
            msg += "；号码以000结尾，可能曾被 Excel 存成数字而丢失了后几位"
        raise ValueError(msg)
    return s


def _cleaned_id(value) -> str:
    """The cell as 18 characters to check further ('' if blank); ValueError for what
    cannot be an ID number at all."""
    if value is None or isinstance(value, bool):
        if value is None:
            return ""
        raise ValueError("身份证号应为18位号码")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"身份证号{EXCEL_DAMAGE}")
        digits = str(int(value))
        if len(digits) >= 16:
            raise ValueError(f"身份证号“{_sci(value)}”{EXCEL_DAMAGE}")
        value = digits  # a short number: report it by length below
    s = to_halfwidth(clean_text(value)).replace(" ", "").upper()
    if not s:
        return ""
    if _SCI.match(s):
        raise ValueError(f"身份证号“{s}”{EXCEL_DAMAGE}")
    if s.endswith(".0") and s[:-2].isdigit():
        raise ValueError(f"身份证号“{s}”{EXCEL_DAMAGE}")
    if len(s) == 15 and s.isdigit():
        raise ValueError(f"“{s}”是已停用的15位旧身份证号，请填写18位号码")
    if len(s) != 18:
        raise ValueError(f"身份证号“{s}”应为18位（现为{len(s)}位）")
    if not (s[:17].isdigit() and (s[17].isdigit() or s[17] == "X")):
        raise ValueError(f"身份证号“{s}”只能由数字组成，最后一位可以是X")
    if s[0] not in "12345678":
        raise ValueError(f"身份证号“{s}”的地区码无效")
    return s


# -- area codes (GB/T 2260): warned, never refused ---------------------------------------
_SPAN = re.compile(r"^(\d{4})?(-?)(\d{4})?(.*)$")
# Resident ID numbers were first issued in 1984, to people of every age: a code already in
# use then is expected in the numbers of people born before it came into use.
FIRST_ISSUE = 1984


@lru_cache(maxsize=1)
def _areas() -> dict[str, tuple[tuple[int | None, int | None, str], ...]]:
    """code → its (first year, last year, name) spans, from app/area_codes.py."""
    from app.area_codes import DATA

    out: dict[str, tuple] = {}
    province = ""
    for line in DATA.splitlines():
        code, _sp, names = line.partition(" ")
        if len(code) == 2:
            province = code
            continue
        spans = []
        for part in names.split("|"):
            first, dash, last, name = _SPAN.match(part).groups()
            if not dash:  # no years: in use throughout
                first = last = None
            spans.append((int(first) if first else None, int(last) if last else None, name))
        out[province + code] = tuple(spans)
    return out


def area_name(code: str) -> str:
    spans = _areas().get(code)
    return spans[-1][2] if spans else ""


def area_warning(id_number: str) -> str:
    """'' or why the first six digits of a valid ID number deserve a second look: a code
    not in GB/T 2260, or one not in use in the birth year. Only a warning: a number issued
    after a district was created carries the new code with an earlier birth year. A code
    in use by 1984, when the first numbers were issued, is taken for any earlier birth."""
    if len(id_number or "") != 18:
        return ""
    code, year = id_number[:6], int(id_number[6:10])
    spans = _areas().get(code)
    if spans is None:
        return f"地区码“{code}”不在行政区划代码表（GB/T 2260）中，请核对号码"
    for first, last, _name in spans:
        if ((first is None or year >= first or first <= FIRST_ISSUE)
                and (last is None or year <= last)):
            return ""
    when = "、".join(_years(first, last) for first, last, _n in spans)
    said = f"地区码“{code}”（{spans[-1][2]}）{when}使用，出生年份为 {year} 年"
    if any(first is not None and year < first for first, _l, _n in spans):
        return f"{said}；区县设立后换发的号码也会如此，请核对"
    return f"{said}，当时该地区码已停用，请核对号码"


def _years(first: int | None, last: int | None) -> str:
    if first and last:
        return f"{first}—{last}年"
    return f"{first}年起" if first else f"{last}年前"


def _sci(value) -> str:
    """How Excel shows a large number in a General cell: 5.10502E+17."""
    mantissa, exp = f"{float(value):.5E}".split("E")
    return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exp):02d}"


def mask_id(s: str) -> str:
    """510502********1234: region code and last four only."""
    s = s or ""
    if len(s) <= 10:
        return s
    return s[:6] + "*" * (len(s) - 10) + s[-4:]


# -- unified social credit code (统一社会信用代码) -------------------------------------
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS,
                                                                strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(value) -> str:
    """A unified social credit code ('' if blank); ValueError(中文) if it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(f"统一社会信用代码“{value}”已被 Excel 存成数字，请按文本重新填写")
    s = to_halfwidth(clean_text(value)).replace(" ", "").upper()
    if not s:
        return ""
    if len(s) != 18:
        raise ValueError(f"统一社会信用代码“{s}”应为18位（现为{len(s)}位）")
    bad = [c for c in s if c not in CREDIT_ALPHABET]
    if bad:
        raise ValueError(f"统一社会信用代码“{s}”含有不允许的字符“{bad[0]}”"
                         "（不使用 I、O、Z、S、V）")
    want = credit_check_char(s[:17])
    if s[17] != want:
        raise ValueError(f"统一社会信用代码“{s}”校验位不符（最后一位应为 {want}），请核对")
    return s
