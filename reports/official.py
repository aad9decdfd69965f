"""Sections of official documents (GB/T 9704-2012) for reports.sections: the cover with
the issuing body's red mark (发文机关标志) and the 密级 line, a contents page with page
numbers, the 纪要 mark of minutes, 出席/列席/请假 name lists, and a grid whose cells
carry a tone (the warning colours). Each section lays itself out (`flowables(builder)`),
so reports.sections needs no code of theirs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from app.normalize import format_date
from reports.pdf_table import escaped_para

RED = colors.HexColor("#c8102e")  # the red of 发文机关标志 and the separator rule
TONES = {"red": "#c62828", "yellow": "#f9a825", "blue": "#1565c0", "green": "#2e7d32"}
_TINTS = {"red": "#fde7e7", "yellow": "#fff6d5", "blue": "#e3eefb", "green": "#e6f4e7"}


def _style(builder, name: str, **kw) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=kw.pop("font", builder.st.body), wordWrap="CJK", **kw)


@dataclass
class OfficialCover:
    """The cover: 密级 line top left, the red mark and rule, the title, the meeting's
    particulars, and the issuer and date at the foot. No folio."""

    mark: str  # 南城街道城市基层党建和治理联席会议
    title: str  # 2026年第5次会议材料
    lines: Sequence[str] = ()  # 会议时间：…, 会议地点：…
    issuer: str = ""
    when: date | None = None
    cover = True

    def flowables(self, b) -> list[Flowable]:
        b.base = 1
        small = _style(b, "cv_small", fontSize=14, leading=22)
        size = 30 if len(self.mark) <= 14 else 24
        mark = _style(b, "cv_mark", font=b.st.title, fontSize=size, leading=size * 1.3,
                      alignment=TA_CENTER, textColor=RED)
        title = _style(b, "cv_title", font=b.st.title, fontSize=24, leading=36,
                       alignment=TA_CENTER)
        line = _style(b, "cv_line", fontSize=15, leading=26, leftIndent=18 * mm)
        foot = _style(b, "cv_foot", fontSize=16, leading=28, alignment=TA_CENTER)
        out: list[Flowable] = [
            escaped_para("密级：＿＿＿＿＿＿　　保密期限：＿＿＿＿", small), Spacer(1, 16 * mm),
            escaped_para(self.mark, mark), Spacer(1, 4 * mm),
            HRFlowable(width="100%", thickness=2, color=RED, spaceBefore=0, spaceAfter=0),
            Spacer(1, b.height * 0.12), b._marked(self.title, title, 0),
            Spacer(1, 14 * mm)]
        out += [escaped_para(t, line) for t in self.lines]
        out.append(Spacer(1, b.height * 0.16))
        if self.issuer:
            out.append(escaped_para(self.issuer, foot))
        if self.when is not None:
            out.append(escaped_para(format_date(self.when), foot))
        return out + [RLPageBreak()]


class _Entries(Flowable):
    """Contents lines: the heading, dot leaders, its folio number at the right."""

    def __init__(self, entries, font: str, size: float, leading: float, width: float):
        super().__init__()
        self.entries, self.font, self.size, self.leading = entries, font, size, leading
        self.width = width

    def wrap(self, avail_width, avail_height):
        # One page of contents: a long list is set tighter rather than split.
        self.width = avail_width
        if self.entries and self.leading * len(self.entries) > avail_height:
            self.leading = max(self.size * 1.25, avail_height / len(self.entries))
        return avail_width, self.leading * len(self.entries)

    def draw(self):
        c = self.canv
        y = self.leading * len(self.entries) - self.size
        for text, level, page in self.entries:
            indent = 2 * self.size * max(level - 1, 0)
            c.setFont(self.font, self.size)
            c.drawString(indent, y, text)
            num = str(page) if page is not None else ""
            c.drawRightString(self.width, y, num)
            start = indent + c.stringWidth(text, self.font, self.size) + 4
            end = self.width - c.stringWidth(num, self.font, self.size) - 4
            dot = c.stringWidth("·", self.font, self.size)
            if end > start and dot:
                c.drawString(start, y, "·" * int((end - start) / dot))
            y -= self.leading


@dataclass
class Contents:
    """目录: the bookmarks of levels 1..depth below the cover with their page numbers,
    on a page of its own (the first pass lays out blanks of the same count)."""

    title: str = "目　录"
    depth: int = 2
    expected: int = 0  # entries the first pass reserves room for (the heading count)
    needs_toc = True

    def flowables(self, b) -> list[Flowable]:
        head = _style(b, "toc_t", font=b.st.title, fontSize=22, leading=34,
                      alignment=TA_CENTER, spaceAfter=8 * mm)
        entries = [(t, lv, p) for t, lv, p in (b.toc or []) if 1 <= lv <= self.depth]
        if b.toc is None:
            entries = [("", 1, None)] * self.expected
        size = 14 if len(entries) <= 20 else 12
        return [escaped_para(self.title, head),
                _Entries(entries, b.st.body, size, size * 1.8, b.width), RLPageBreak()]


@dataclass
class RedMark:
    """The 纪要 mark on the first page of minutes: the mark in red, the number below it
    (〔2026〕4号), the red rule."""

    mark: str  # 南城街道城市基层党建和治理联席会议纪要
    number: str = ""
    outline: str = ""  # the bookmark (default: the mark)

    def flowables(self, b) -> list[Flowable]:
        from reports.sections import _Marked

        # One line, as large as fits (GB/T 9704: the mark is centred on one line).
        size = min(26.0, 0.97 * b.width / b.st.text_width(self.mark, b.st.title, 1))
        mark = _style(b, "rm_mark", font=b.st.title, fontSize=size, leading=size * 1.35,
                      alignment=TA_CENTER, textColor=RED)
        num = _style(b, "rm_no", fontSize=16, leading=24, alignment=TA_CENTER)
        b.base, b.last_level = 1, 0
        out: list[Flowable] = [_Marked(escape(self.mark), mark, self.outline or self.mark, 0)]
        if self.number:
            out += [Spacer(1, 3 * mm), escaped_para(self.number, num)]
        return out + [Spacer(1, 2 * mm),
                      HRFlowable(width="100%", thickness=2, color=RED, spaceAfter=6 * mm)]


@dataclass
class Body:
    """Body text in 三号 with 2-character indents; a paragraph per blank-line block."""

    text: str
    size: float = 15

    def flowables(self, b) -> list[Flowable]:
        st = _style(b, "body3", fontSize=self.size, leading=self.size * 1.75,
                    firstLineIndent=2 * self.size, alignment=TA_JUSTIFY)
        parts = (p.strip() for p in self.text.split("\n\n"))
        return [escaped_para(p, st) for p in parts if p]


@dataclass
class NameList:
    """出席：names — the label in 黑体 with a full-width colon, names joined by 、; wrapped
    lines align under the first name (GB/T 9704 纪要)."""

    label: str
    names: Sequence[str]
    size: float = 15

    def flowables(self, b) -> list[Flowable]:
        if not self.names:
            return []
        label = f"{self.label}："
        width = b.st.text_width(label, b.st.title, self.size)
        st = _style(b, "names", fontSize=self.size, leading=self.size * 1.75,
                    leftIndent=width, firstLineIndent=-width)
        text = (f'<font name="{b.st.title}">{escape(label)}</font>'
                + escape("、".join(self.names)))
        return [RLParagraph(text, st)]


@dataclass
class ToneTable:
    """A table of wrapped text cells (header repeated on every page) whose cells may carry
    a tone: (row, col) → red / yellow / blue / green, printed as coloured bold text on a
    light tint (the warning colours). `centred`: columns centred (numbers, dates)."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    weights: Sequence[float]
    tones: dict[tuple[int, int], str] = field(default_factory=dict)
    centred: frozenset[int] = frozenset()
    bold: frozenset[int] = frozenset()  # rows in bold (合计)

    def flowables(self, b) -> list[Flowable]:
        from reportlab.platypus import Table

        from reports.pdf_table import HEADER_FILL, LINE

        st = b.st
        widths = [b.width * w / sum(self.weights) for w in self.weights]
        head = [escaped_para(t, st.head) for t in self.header]
        style = [("GRID", (0, 0), (-1, -1), 0.5, LINE),
                 ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]
        toned = {tone: ParagraphStyle(f"tone_{tone}", parent=st.cell_c, fontName=st.title,
                                      textColor=colors.HexColor(TONES[tone]))
                 for tone in TONES}
        bold = {k: ParagraphStyle(f"bold_{k}", parent=sty, fontName=st.title)
                for k, sty in (("l", st.cell), ("c", st.cell_c))}
        body = []
        for r, row in enumerate(self.rows):
            cells = []
            for c, text in enumerate(row):
                tone = self.tones.get((r, c))
                if tone in TONES:
                    sty = toned[tone]
                    style.append(("BACKGROUND", (c, r + 1), (c, r + 1),
                                  colors.HexColor(_TINTS[tone])))
                elif r in self.bold:
                    sty = bold["c" if c in self.centred else "l"]
                else:
                    sty = st.cell_c if c in self.centred else st.cell
                cells.append(escaped_para("" if text is None else str(text), sty))
            body.append(cells)
        if not body:
            body = [[escaped_para("无", st.cell_c)] + [""] * (len(widths) - 1)]
            style.append(("SPAN", (0, 1), (-1, 1)))
        return [Table([head] + body, colWidths=widths, repeatRows=1, style=style),
                Spacer(1, 3 * mm)]


@dataclass
class Spacing:
    height: float = 6 * mm

    def flowables(self, _b) -> list[Flowable]:
        return [Spacer(1, self.height)]
