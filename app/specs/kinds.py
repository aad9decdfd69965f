"""Field kinds: each kind owns its parsing, display, sort and filter behaviour, its
Excel cell and its printed text, and names the editor widget the GUI builds for it.

A spec says `Field(kind="decimal")`; every layer asks `field.type` what to do instead of
testing the kind's name. The GUI keeps one editor class per `Kind.editor` name (app/
does not import Qt)."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from app.normalize import (
    HALFWIDTH_ALNUM,
    clean_text,
    format_date,
    parse_date,
    parse_int,
    to_halfwidth,
)

# An Excel cell holds 32,767 characters: a longer text could not be exported whole.
TEXT_LIMIT = 32_767
DATE_FORMAT = "yyyy-mm-dd"
TAG_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


class Kind:
    """Behaviour of one kind of field. Subclasses override what differs from text."""

    name = "text"
    editor = "line"  # ui.field_widgets.EDITORS key
    stored = True  # a column of the ledger's table (attachments are rows of their own)
    numeric = False  # right-aligned, summed in the status bar
    collate = True  # sorted in pinyin/natural order (app.collation), searched by initials
    initials = True  # its short texts are searched by pinyin initials ("zs" finds 张三)
    choice = False  # filtered by picking one of its values
    masked = False  # shown as 510502********1234 unless the user may and asks
    wrap = True  # long texts wrap in Excel and the PDF
    centred = False  # centred in the PDF table
    is_ref = False
    converts_cell = False  # its Excel cell is not the stored value (see cell())
    multi = False  # several values in one cell (tags): a filter matches any of them
    ranked = False  # one value of f.choices: sorted in the list's order, not by code point
    plain_text = True  # parse() is the text cleaning above (imports take a fast path)
    evidence = 0.0  # import: bonus when a column's values parse as this kind
    heading_pairs: tuple[tuple[str, str], ...] = ()  # import: heading endings that swap
    sample = ""  # the widest typical value, for column widths ("" = free text)
    print_sample = ""  # the same in the PDF, where a column must not be narrower
    xlsx_width = 0  # the narrowest Excel column that shows a value whole
    xlsx_format = "@"  # the template column's number format (None = general)
    empty = ""

    # -- values ------------------------------------------------------------------
    def parse(self, f, raw):
        """Typed value from what a person typed or a cell held; ValueError(中文) if bad."""
        text = clean_text(raw)
        if not text.isascii():  # ＸＫ００１ → XK001, typed or imported alike; （，：） stay
            text = text.translate(HALFWIDTH_ALNUM)
        limit = f.max_length or TEXT_LIMIT
        if len(text) > limit:
            raise ValueError(f"不能超过 {limit:,} 个字（现为 {len(text):,} 个）")
        return text

    def display(self, f, value) -> str:
        return "" if value is None else str(value)

    def display_long(self, f, value) -> str:
        """For printed documents (dates as 2023年12月5日)."""
        return self.display(f, value)

    def cell(self, f, value):
        """The value written into an Excel cell (text for most kinds)."""
        return self.display(f, value)

    def number_format(self, f) -> str | None:
        """The Excel number format of exported cells (None: general)."""
        return None

    def hint(self, f) -> str:
        """The template's hint-row text after 必填/选填."""
        if f.hint:
            return f.hint
        return f"最多{f.max_length}字" if f.max_length else ""

    def filter_choices(self, f) -> tuple[str, ...]:
        """The values offered by a filter combo (refs get theirs from the database)."""
        return ()

    def pick_list(self, f) -> tuple[str, ...]:
        """The values a template cell's drop-down offers (one value per cell)."""
        return ()

    def filter_value(self, f, label: str):
        """The stored value a filter's label stands for (rows compare equal to it)."""
        return label

    def example(self, f, n: int):
        """A valid value as a person would type it into a sheet (the n-th of several
        distinct ones): templates' tests fill every ledger with these."""
        text = f"{f.label}{n}"
        return text[: f.max_length] if f.max_length else text


class LongText(Kind):
    name = "longtext"
    editor = "multiline"
    xlsx_format = None
    initials = False  # a long text's initials would match anything


class Enum(Kind):
    name = "enum"
    plain_text = False
    editor = "combo"
    collate = False
    initials = False
    choice = True
    ranked = True
    evidence = 0.4
    xlsx_format = None
    wrap = False
    centred = True

    def parse(self, f, raw):
        text = super().parse(f, raw)
        return f.match_choice(text) if text else ""

    def hint(self, f) -> str:
        listed = "/".join(f.choices)
        return f"可选：{listed}" if len(listed) <= 30 else f"从下拉列表中选择（{len(f.choices)} 项）"

    def filter_choices(self, f) -> tuple[str, ...]:
        return f.choices

    def pick_list(self, f) -> tuple[str, ...]:
        return f.choices

    def example(self, f, n: int):
        return f.choices[n % len(f.choices)]


class Date(Kind):
    name = "date"
    plain_text = False
    editor = "date"
    collate = initials = False
    wrap = False
    centred = True
    sample = "2024-12-31"
    print_sample = "2023年12月31日"
    xlsx_width = 12
    xlsx_format = DATE_FORMAT
    evidence = 0.3
    heading_pairs = (("日期", "时间"), ("时间", "日期"))
    empty = None

    def parse(self, f, raw):
        return parse_date(raw)

    def display(self, f, value) -> str:
        if isinstance(value, date):
            return value.isoformat()
        return "" if value is None else str(value)

    def display_long(self, f, value) -> str:
        return format_date(value)

    def cell(self, f, value):
        return value  # a real date cell

    def number_format(self, f) -> str | None:
        return DATE_FORMAT

    def hint(self, f) -> str:
        return "格式：2023-12-31"

    def example(self, f, n: int):
        return f"2023-{n % 12 + 1:02d}-{n % 28 + 1:02d}"


class Int(Kind):
    name = "int"
    plain_text = False
    editor = "int"
    numeric = True
    collate = initials = False
    wrap = False
    centred = True
    sample = "99999999"
    print_sample = "000000"
    xlsx_format = None
    empty = None

    def parse(self, f, raw):
        n = parse_int(raw)
        if n is not None and f.bounds and not f.bounds[0] <= n <= f.bounds[1]:
            raise ValueError(f"应在 {f.bounds[0]}–{f.bounds[1]} 之间（现为 {n}）")
        return n

    def cell(self, f, value):
        return value

    def hint(self, f) -> str:
        return "填整数"

    def example(self, f, n: int):
        lo, hi = f.bounds or (0, 10_000)
        return lo + n % (hi - lo + 1)


class DecimalKind(Kind):
    """Money and the like: two decimal places, 1,234.50 in tables and print."""

    name = "decimal"
    plain_text = False
    editor = "line"
    numeric = True
    collate = initials = False
    wrap = False
    centred = True
    converts_cell = True
    sample = "9,999,999.00"
    print_sample = "99,999.00"
    xlsx_width = 12
    xlsx_format = "#,##0.00"
    empty = None
    places = Decimal("0.01")

    def parse(self, f, raw):
        if raw is None:
            return None
        if isinstance(raw, bool):
            raise ValueError("应填写金额（数字）")
        if isinstance(raw, (int, float, Decimal)):
            value = Decimal(str(raw))
        else:
            text = to_halfwidth(clean_text(raw)).replace(",", "").replace(" ", "")
            text = text.removeprefix("¥").removeprefix("￥").removesuffix("元")
            if not text:
                return None
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise ValueError(f"“{clean_text(raw)}”不是金额（应为数字，如 5200.00）") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"“{clean_text(raw)}”不是有效金额（应为 0 或正数）")
        if abs(value) >= Decimal("1e10"):
            raise ValueError(f"金额 {value} 过大")
        return value.quantize(self.places, rounding=ROUND_HALF_UP)

    def display(self, f, value) -> str:
        return "" if value is None else f"{Decimal(value):,.2f}"

    def cell(self, f, value):
        return None if value is None else float(value)

    def number_format(self, f) -> str | None:
        return self.xlsx_format

    def hint(self, f) -> str:
        return f.hint or "填金额，如 5200.00"

    def example(self, f, n: int):
        return f"{1000 + n * 37.5:.2f}"


YES, NO = "是", "否"
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有", "对"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "x", "无", "不是"}


class Bool(Kind):
    name = "bool"
    plain_text = False
    editor = "combo"
    collate = initials = False
    choice = True
    wrap = False
    centred = True
    converts_cell = True
    sample = "否"
    evidence = 0.3
    xlsx_format = None
    empty = None

    def parse(self, f, raw):
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, float)) and raw in (0, 1):
            return bool(raw)
        key = to_halfwidth(clean_text(raw)).replace(" ", "").casefold()
        if not key:
            return None
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(f"“{clean_text(raw)}”应填“是”或“否”")

    def display(self, f, value) -> str:
        return "" if value is None else YES if value else NO

    def hint(self, f) -> str:
        return "填“是”或“否”"

    def filter_choices(self, f) -> tuple[str, ...]:
        return (YES, NO)

    def pick_list(self, f) -> tuple[str, ...]:
        return (YES, NO)

    def filter_value(self, f, label: str):
        return self.parse(f, label)

    def example(self, f, n: int):
        return YES if n % 2 else NO


class Tags(Kind):
    """Several values from a list (the list can be edited in 设置): stored as one text,
    joined by 、 in the list's order."""

    name = "tags"
    plain_text = False
    multi = True
    editor = "tags"
    collate = initials = False
    choice = True

    def parse(self, f, raw):
        if isinstance(raw, (list, tuple, set, frozenset)):
            parts = [clean_text(p) for p in raw]
        else:
            parts = TAG_SEPARATORS.split(to_halfwidth(clean_text(raw)))
        picked = []
        for p in parts:
            p = p.strip()
            if not p:
                continue
            label = f.match_choice(p) if f.choices else p
            if label not in picked:
                picked.append(label)
        rank = {c: i for i, c in enumerate(f.choices)}
        picked.sort(key=lambda c: rank.get(c, len(rank)))
        return "、".join(picked)

    def hint(self, f) -> str:
        listed = "/".join(f.choices)
        return f"可多选，用“、”分隔：{listed}" if len(listed) <= 30 else "可多选，用“、”分隔"

    def example(self, f, n: int):
        picked = [c for k, c in enumerate(f.choices) if (n >> k) & 1] or f.choices[:1]
        return "、".join(picked)

    def filter_choices(self, f) -> tuple[str, ...]:
        return f.choices


# The kinds of this module; app.specs gathers them with kinds_ids and kinds_rows.
VALUE_KINDS = (Kind(), LongText(), Enum(), Date(), Int(), DecimalKind(), Bool(), Tags())
