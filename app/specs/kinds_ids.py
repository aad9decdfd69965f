"""Field kinds for the numbers people and bodies carry: phone numbers, resident ID
numbers (GB 11643) and unified social credit codes (GB 32100). Masked for viewers
where they identify a person."""

from __future__ import annotations

import re

from app.ids import parse_credit_code, parse_id_number
from app.normalize import clean_text, to_halfwidth
from app.specs.kinds import Kind

_MOBILE = re.compile(r"1[3-9]\d{9}")
_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")  # ASCII only: \d takes other scripts' digits
_LANDLINE = re.compile(r"(0\d{2,3})?-?([1-9]\d{6,7})(-\d{1,6})?")
_SERVICE = re.compile(r"(400|800)\d{7}|95\d{3,6}|1\d{4}|12\d{3}")


class Phone(Kind):
    """A mobile (13812345678) or office number (0830-2345678, 2345678, with -分机)."""

    name = "phone"
    plain_text = False
    masked = True
    collate = initials = False
    wrap = False
    sample = "0830-12345678"
    xlsx_width = 14
    evidence = 0.2

    def parse(self, f, raw):
        if raw.__class__ is str and _PLAIN_MOBILE.fullmatch(raw):
            return raw  # the common cell, as the full path below gives it back
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)  # Excel stored the number as a number
        text = to_halfwidth(clean_text(raw)).replace(" ", "").replace("—", "-")
        text = text.replace("(", "").replace(")", "-").removeprefix("+86").removeprefix("86-")
        if not text:
            return ""
        numbers = [p for p in re.split(r"[、,;/]+", text) if p]
        out = []
        for n in numbers:
            digits = n.replace("-", "")
            if _MOBILE.fullmatch(digits) or _SERVICE.fullmatch(digits):
                out.append(digits)
                continue
            m = _LANDLINE.fullmatch(n)
            if not m or not digits.isdigit():
                raise ValueError(f"“{n}”不是有效的电话号码（手机 11 位，座机如 0830-2345678）")
            area, local, ext = m.groups()
            out.append("-".join(p for p in (area, local) if p) + (ext or ""))
        return "、".join(out)

    def hint(self, f) -> str:
        return "手机或座机，如 13812345678、0830-2345678"

    def example(self, f, n: int):
        return f"1390830{n % 10000:04d}"


class IdCard(Kind):
    """A resident ID number, checked by GB 11643 and refused when Excel damaged it."""

    name = "idcard"
    plain_text = False
    masked = True
    collate = initials = False
    wrap = False
    sample = "510502199001011234"
    xlsx_width = 20
    evidence = 0.3

    def parse(self, f, raw):
        return parse_id_number(raw)

    def hint(self, f) -> str:
        return "18位身份证号，按文本填写"

    def example(self, f, n: int):
        from app.ids import id_check_char

        body = f"51050219{80 + n % 20:02d}{n % 12 + 1:02d}{n % 28 + 1:02d}{n % 1000:03d}"
        return body + id_check_char(body)


class CreditCode(Kind):
    """统一社会信用代码 (GB 32100), letters allowed where the standard allows them."""

    name = "uscc"
    plain_text = False
    collate = initials = False
    wrap = False
    sample = "91510500MA62A1234X"
    xlsx_width = 20
    evidence = 0.3

    def parse(self, f, raw):
        return parse_credit_code(raw)

    def hint(self, f) -> str:
        return "18位统一社会信用代码，按文本填写"

    def example(self, f, n: int):
        from app.ids import credit_check_char

        body = f"91510500MA62A{n % 10000:04d}"
        return body + credit_check_char(body)


ID_KINDS = (Phone(), IdCard(), CreditCode())
