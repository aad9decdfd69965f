"""Chinese identification numbers: resident ID (GB 11643) and unified social credit
code (GB 32100). Both are checked by their check character, and an ID number that
Excel turned into a number (5.10502E+17, 510502199001011000) is recognised and
refused with a message that says what happened: the lost digits cannot be recovered."""

from __future__ import annotations

import re
from datetime import date

from app.normalize import clean_text, to_halfwidth

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SCI = re.compile(r"^[0-9]\.[0-9]*E\+?[0-9]+$", re.IGNORECASE)

EXCEL_DAMAGE = ("已被 Excel 存成数字，后几位数字已丢失、无法还原；"
                "请把该列设为“文本”格式后重新填写完整的号码")


def id_check_char(first17: str) -> str:
    """The 18th character of a resident ID number for its first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(value, *, today: date | None = None) -> str:
    """A resident ID number as stored ('' if blank); ValueError(中文) if it is not one.

    A number cell is always refused: Excel keeps 15 significant digits, so an
    18-digit ID stored as a number has already lost its last three."""
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
