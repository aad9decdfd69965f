"""The printed ledger table and the figures grid, for reports.sections (which holds the
page geometry).

The table is laid out one page at a time (`RowStream`): each page gets a fresh
table of at most one page of rows plus the header, so time and memory grow
linearly with the row count instead of re-measuring the whole remainder on every
page, and the header repeats on every page. All user text is escaped before it
reaches a Paragraph (ReportLab parses markup; an <img> tag would fetch a URL)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    LongTable,
    Paragraph,
    Table,
    TableStyle,
)

from app.specs import Field, text_colour
from reports import Cancel, Progress, check_cancel, mask_id
from reports.fonts import pdf_fonts, table_font

CELL_SIZE, CELL_LEADING = 9, 11.5
HEAD_SIZE = 9.5
PAD_X, PAD_Y = 3, 2.5
HEADER_FILL = colors.HexColor("#D9DEE4")
ZEBRA = colors.HexColor("#F3F5F7")
LINE = colors.HexColor("#333333")


def escaped_para(text: str, style: ParagraphStyle, cls: type[Paragraph] = Paragraph) -> Paragraph:
    """A Paragraph of user (or any) text: escaped, line breaks kept."""
    return cls(escape(text).replace("\n", "<br/>"), style)


_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}


def _break_lines(text: str, width: float, font: str, size: float) -> list[str]:
    """Greedy line breaking of plain text at `width` points, in one pass: at a space
    near the end of the line for Latin words, anywhere in Chinese."""
    widths = _WIDTHS.setdefault((font, size), {})
    lines: list[str] = []
    for para in text.split("\n"):
        start, w, space = 0, 0.0, -1
        for i, ch in enumerate(para):
            cw = widths.get(ch)
            if cw is None:
                cw = widths[ch] = stringWidth(ch, font, size)
            if w + cw > width and i > start:
                cut = space + 1 if start <= space and i - space < 20 else i
                lines.append(para[start:cut])
                start, space = cut, -1
                w = sum(widths[c] for c in para[start:i])
            w += cw
            if ch == " ":
                space = i
        lines.append(para[start:])
    return lines


class _CellPara(Paragraph):
    """A table cell's Paragraph: a row is measured by several tables (page attempts,
    split, draw) at the same column width, so the line breaking is done once."""

    _memo: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth, availHeight):
        if self._memo is not None and self._memo[0] == availWidth:
            return self._memo[1]
        size = super().wrap(availWidth, availHeight)
        self._memo = (availWidth, size)
        return size


class Styles:
    def __init__(self, centred_cols: set[int]):
        self.body, self.title = pdf_fonts()
        self.cell_font = table_font()
        base = dict(fontName=self.body, wordWrap="CJK")
        self.title_p = ParagraphStyle("title", **{**base, "fontName": self.title}, fontSize=20,
                                      leading=28, alignment=TA_CENTER, spaceAfter=4)
        self.subtitle = ParagraphStyle("subtitle", **base, fontSize=14, leading=20,
                                       alignment=TA_CENTER)
        self.info = ParagraphStyle("info", **base, fontSize=12, leading=16)
        self.info_r = ParagraphStyle("info_r", parent=self.info, alignment=2)
        self.heading = ParagraphStyle("heading", **{**base, "fontName": self.title}, fontSize=13,
                                      leading=18, spaceBefore=6, spaceAfter=4)
        self.head = ParagraphStyle("head", fontName=self.title, fontSize=HEAD_SIZE,
                                   leading=HEAD_SIZE + 2.5, alignment=TA_CENTER, wordWrap="CJK")
        cell = dict(fontName=self.cell_font, fontSize=CELL_SIZE, leading=CELL_LEADING,
                    wordWrap="CJK")
        self.cell = ParagraphStyle("cell", **cell, alignment=TA_LEFT)
        self.cell_c = ParagraphStyle("cell_c", **cell, alignment=TA_CENTER)
        self.centred_cols = centred_cols

    def text_width(self, text: str, font: str | None = None, size: float = CELL_SIZE) -> float:
        return stringWidth(text, font or self.cell_font, size)


def column_widths(fields: Sequence[Field], texts: Sequence[Sequence[str]], total: float,
                  serial_w: float, st: Styles) -> list[float]:
    """Serial column first, then the fields: shares by pdf_weight, but at least wide
    enough that a short header, an enum choice or a date does not break mid-word,
    and no wider than the column's longest text needs, so sparse columns give
    their room to the ones that wrap. `texts` are sample rows of cell texts."""
    pad = 2 * PAD_X + 1
    lo, hi = [], []
    for i, f in enumerate(fields):
        label = f.title if len(f.title) <= 5 else f.title[: (len(f.title) + 1) // 2]
        m = st.text_width(label, st.title, HEAD_SIZE) + pad
        if f.type.ranked and f.choices:
            # Long choices may take two lines; four characters a line stay legible.
            longest = max(st.text_width(c) for c in f.choices)
            m = max(m, min(longest, st.text_width("四字宽度")) + pad)
        elif f.type.print_sample:  # 2023年12月31日 on one line, numbers 6 digits wide
            m = max(m, st.text_width(f.type.print_sample) + pad)
        natural = max((st.text_width(t[i]) for t in texts if t[i]), default=0) + pad
        natural = max(natural, st.text_width(f.title, st.title, HEAD_SIZE) + pad)
        lo.append(m)
        hi.append(max(m, natural))
    return [serial_w] + _allocate(total - serial_w, [f.pdf_weight or 1.0 for f in fields], lo, hi)


def _allocate(room: float, weights: list[float], lo: list[float], hi: list[float]) -> list[float]:
    """Widths clamp(t * weight, lo, hi) with t chosen so they fill `room` exactly."""
    def widths(t: float) -> list[float]:
        return [min(max(t * w, a), b) for w, a, b in zip(weights, lo, hi, strict=True)]

    if sum(hi) <= room:  # every column has all it needs: widen all by weight
        extra = room - sum(hi)
        return [b + extra * w / sum(weights) for w, b in zip(weights, hi, strict=True)]
    if sum(lo) >= room:  # too many columns for the page: narrow all alike
        return [a * room / sum(lo) for a in lo]
    t0, t1 = 0.0, room / min(weights)
    for _ in range(50):
        t = (t0 + t1) / 2
        t0, t1 = (t, t1) if sum(widths(t)) < room else (t0, t)
    out = widths(t1)
    return [w * room / sum(out) for w in out]


class RowSource:
    """Rows to print, turned into table cells on demand, a page at a time."""

    def __init__(self, fields, columns, rows, st: Styles, frame_height: float,
                 mask: set[int], progress: Progress | None, cancel: Cancel | None):
        self.fields, self.columns, self.rows = fields, columns, rows
        self.st, self.frame_height = st, frame_height
        self.widths: list[float] = []
        self.mask, self.progress, self.cancel = mask, progress, cancel
        self.total = len(rows)
        # Every page's table measures the header again: _CellPara breaks its lines once.
        self.header = [escaped_para("序号", st.head, _CellPara)] + [
            escaped_para(f.title, st.head, _CellPara) for f in fields]
        self.min_row = CELL_LEADING + 2 * PAD_Y
        # Tallest cell text per table row: two such rows and a header fill a page.
        self.max_cell = (frame_height - 4 * HEAD_SIZE) / 2 - 2 * PAD_Y - 2
        self._cache: dict[int, list] = {}
        self._lows: dict[int, list[float]] = {}  # per sub-row: a height it is at least
        self._reported = -1
        # Several tables in one document report as one job: rows printed before this one.
        self.offset, self.grand_total = 0, self.total
        style = [
            ("FONTNAME", (0, 0), (-1, -1), st.cell_font),
            ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
            ("LEADING", (0, 0), (-1, -1), CELL_LEADING),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (0, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
            ("GRID", (0, 0), (-1, -1), 0.5, LINE),
            ("BOX", (0, 0), (-1, -1), 1, colors.black),
            ("LINEBELOW", (0, 0), (-1, 0), 1, colors.black),
        ]
        style += [("ALIGN", (c, 1), (c, -1), "CENTER") for c in sorted(st.centred_cols)]
        self.style = TableStyle(style)
        self._coloured = [(i, f, c) for i, (f, c) in enumerate(zip(fields, columns, strict=True))
                          if f.colours]
        self._fills = []

    def _text(self, f: Field, i: int, value) -> str:
        text = f.display_long(value)
        return mask_id(text) if i in self.mask else text

    def sample_texts(self, limit: int = 2000) -> list[list[str]]:
        """Cell texts of up to `limit` rows spread over the whole set, for column widths."""
        picked = range(len(self.rows))
        if len(self.rows) > limit:  # seeded random: a stride could alias with a pattern
            picked = sorted(random.Random(len(self.rows)).sample(picked, limit))
        return [[self._text(f, i, self.rows[r][c])
                 for i, (f, c) in enumerate(zip(self.fields, self.columns, strict=True))]
                for r in picked]

    def cells(self, r: int) -> list[list]:
        """Row r as table rows: one, or more when a cell is too long for half a page —
        then its text continues in rows marked 续, so every table row fits a page."""
        cached = self._cache.get(r)
        if cached is not None:
            return cached
        st = self.st
        out: list = [str(r + 1)]
        tall: dict[int, Paragraph] = {}
        row = self.rows[r]
        for i, (f, col) in enumerate(zip(self.fields, self.columns, strict=True)):
            text = self._text(f, i, row[col])
            inner = self.widths[i + 1] - 2 * PAD_X
            width = st.text_width(text)
            # Plain strings are drawn as they are (no markup parsing) and are much
            # cheaper than Paragraphs; only text that must wrap becomes one.
            if "\n" not in text and width <= inner:
                out.append(text)
                continue
            para = escaped_para(text, st.cell_c if i + 1 in st.centred_cols else st.cell, _CellPara)
            para._source_text = text
            out.append(para)
            if (width / inner + text.count("\n") + 1) * CELL_LEADING > self.max_cell / 2:
                tall[i + 1] = para  # a rough guess said maybe too tall: measure it
        sub, lows = [out], [self.min_row]
        for c, para in tall.items():
            inner = self.widths[c] - 2 * PAD_X
            pieces = []
            # Paragraph.split re-wraps the whole rest of the text at every cut, which grew
            # with the square of its length: break the lines once here (a width per
            # character, remembered) and give each table row a few lines short of full.
            lines = _break_lines(para._source_text, inner - 1, st.cell_font, CELL_SIZE)
            per = max(1, int(self.max_cell / CELL_LEADING) - 2)
            # The pieces are plain strings of lines that fit: the table draws them line by
            # line without parsing markup or breaking lines again.
            for k in range(0, len(lines), per):
                pieces.append(("\n".join(lines[k:k + per]), len(lines[k:k + per])))
            for k, (piece, n_lines) in enumerate(pieces):
                if k >= len(sub):
                    sub.append(["（续）"] + [""] * len(self.fields))
                    lows.append(self.min_row)
                sub[k][c] = piece
                lows[k] = max(lows[k], n_lines * CELL_LEADING + 2 * PAD_Y)
        self._cache[r], self._lows[r] = sub, lows
        return sub

    def units(self, pos: tuple[int, int], count: int) -> list[list]:
        """Up to `count` table rows from position (row, sub-row)."""
        r, k = pos
        out: list[list] = []
        self._fills: list[tuple] = []  # (table row, column, colour) of coloured cells
        while len(out) < count and r < self.total:
            sub = self.cells(r)
            if k == 0 and self._coloured:
                row = self.rows[r]
                self._fills += [(len(out) + 1, i + 1, fill) for i, f, c in self._coloured
                                if (fill := f.colour(row[c]))]
            out += [list(u) for u in sub[k:k + count - len(out)]]
            r, k = r + 1, 0
        return out

    def advance(self, pos: tuple[int, int], n: int) -> tuple[int, int]:
        r, k = pos
        while n > 0 and r < self.total:
            left = len(self.cells(r)) - k
            if n < left:
                return r, k + n
            n -= left
            r, k = r + 1, 0
        return r, k

    def table(self, pos: tuple[int, int], count: int) -> LongTable:
        for r in [r for r in self._cache if r < pos[0]]:
            del self._cache[r], self._lows[r]
        table = LongTable([self.header] + self.units(pos, count), colWidths=self.widths,
                          repeatRows=1, style=self.style)
        if self._fills:  # a warning printed in its colour, like the table shows it
            table.setStyle(TableStyle(
                [cmd for r, c, fill in self._fills for cmd in (
                    ("BACKGROUND", (c, r), (c, r), colors.HexColor(fill)),
                    ("TEXTCOLOR", (c, r), (c, r), colors.HexColor(text_colour(fill))))]))
        return table

    def chunk(self, avail_height: float, pos: tuple[int, int] = (0, 0)) -> int:
        """More table rows than fit in avail_height from `pos`, counted by the least height
        each has (min_row, or the lines of a long text's piece): a page of long texts
        builds and measures three rows, not forty."""
        most = max(4, int(avail_height / self.min_row) + 2)
        r, k = pos
        n, height = 0, 0.0
        while n < most and r < self.total:
            self.cells(r)
            for low in self._lows[r][k:]:
                n, height = n + 1, height + low
                if height > avail_height:
                    return max(2, n + 1)
            r, k = r + 1, 0
        return most

    def report(self, done: int) -> None:
        check_cancel(self.cancel)
        if self.progress is not None and done != self._reported:
            self._reported = done
            self.progress(self.offset + done, self.grand_total)


class RowStream(Flowable):
    """The data table from position (row, sub-row) on; splits into one page's table
    plus the rest, so each page gets its own table with the header on top."""

    def __init__(self, src: RowSource, pos: tuple[int, int] = (0, 0)):
        super().__init__()
        self.src, self.pos = src, pos
        self._table: Table | None = None
        self._for = 0.0

    def _chunk_table(self, aH) -> Table:
        if self._table is None or self._for != aH:
            self._table, self._for = self.src.table(self.pos, self.src.chunk(aH, self.pos)), aH
        return self._table

    def wrap(self, aW, aH):
        src = self.src
        count = src.chunk(aH, self.pos)
        w, h = self._chunk_table(aH).wrap(aW, aH)
        if src.advance(self.pos, count)[0] < src.total:
            h = max(h, aH + 1)  # more rows follow: make the frame ask for a split
        return w, h

    def drawOn(self, canvas, x, y, _sW=0):
        self._table.drawOn(canvas, x, y, _sW)

    def split(self, aW, aH):
        src = self.src
        src.report(self.pos[0])
        parts = self._chunk_table(aH).split(aW, aH)
        if not parts:
            return []  # not even one row fits below what is on this page: next page
        first = parts[0]
        nxt = src.advance(self.pos, first._nrows - 1)
        return [first] if nxt[0] >= src.total else [first, RowStream(src, nxt)]


Summary = Sequence[tuple[str, object]] | Sequence[tuple[str, Sequence[tuple[str, object]]]]


def _groups(summary: Summary) -> list[tuple[str, list[tuple[str, object]]]]:
    """Flat (label, number) pairs, or (group title, pairs) groups → groups."""
    if all(isinstance(v, (list, tuple)) for _, v in summary):
        return [(str(t or ""), list(v)) for t, v in summary]
    return [("", list(summary))]


def figures_table(summary: Summary, width: float, st: Styles) -> Table:
    """Counts as a compact grid of label | number pairs, optionally one band per group."""
    size, pad = 10, 2 * PAD_X + 2
    groups = [(t, items) for t, items in _groups(summary) if items]
    title_w = max((stringWidth(t, st.title, size) for t, _ in groups), default=0)
    title_w = title_w + pad if title_w else 0
    pairs = [p for _, items in groups for p in items]
    label_w = max(stringWidth(str(label), st.body, size) for label, _ in pairs) + pad
    num_w = max(max(stringWidth(str(n), st.body, size) for _, n in pairs) + pad, 12 * mm)
    per_row = max(1, min(int((width - title_w) // (label_w + num_w)),
                         max(len(items) for _, items in groups)))
    label_w = (width - title_w) / per_row - num_w
    lab = ParagraphStyle("sum_l", parent=st.cell, fontName=st.body, fontSize=size, leading=13)
    head = ParagraphStyle("sum_h", parent=lab, fontName=st.title, alignment=TA_CENTER)
    data, style = [], [
        ("FONTNAME", (0, 0), (-1, -1), st.body), ("FONTSIZE", (0, 0), (-1, -1), size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("GRID", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 1, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X), ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
    ]
    lead = 1 if title_w else 0
    for title, items in groups:
        first = len(data)
        for k in range(0, len(items), per_row):
            row = [escaped_para(title, head) if k == 0 else ""] if lead else []
            for label, n in items[k:k + per_row]:
                col = len(row)
                style.append(("BACKGROUND", (col, len(data)), (col, len(data)), ZEBRA))
                row += [escaped_para(str(label), lab), str(n)]
            data.append(row + [""] * (lead + 2 * per_row - len(row)))
        if lead:
            style += [("SPAN", (0, first), (0, len(data) - 1)),
                      ("BACKGROUND", (0, first), (0, len(data) - 1), HEADER_FILL)]
    for k in range(per_row):
        style.append(("ALIGN", (lead + 2 * k + 1, 0), (lead + 2 * k + 1, -1), "RIGHT"))
    widths = ([title_w] if lead else []) + [label_w, num_w] * per_row
    return Table(data, colWidths=widths, style=style, hAlign="LEFT")
