"""A printed document as a list of sections, so a meeting pack can compose the sections
of several ledgers: `build_pdf(path, Document([...]))`.

Sections: Cover, Masthead (a report's title block), Heading, Paragraph, Figures (a grid of
label | number), LedgerTable (the page-at-a-time table of reports.pdf_table), Chart (bar or
pie, reportlab graphics), PageBreak. Headings are numbered as official documents number
them (一、 then （一） then 1. then （1）) and become the PDF's bookmarks (outline).
Geometry follows GB/T 9704-2012: A4, margins 37/28/26/35 mm, the folio "— N —" 7 mm below
the text block; a cover page carries no folio and the numbering starts after it."""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Spacer,
    Table,
)
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import Paragraph as RLParagraph

from app.normalize import format_date
from app.specs import Field, LedgerSpec
from reports import Cancel, Progress, atomic_output, check_cancel, pick_columns
from reports.charts import bar_chart, line_chart, pie_chart
from reports.numbering import _Numbering, chinese_number, heading_number  # noqa: F401
from reports.pdf_table import (
    CELL_SIZE,
    HEAD_SIZE,
    PAD_X,
    RowSource,
    RowStream,
    Styles,
    Summary,
    column_widths,
    escaped_para,
    figures_table,
)

MARGIN_TOP, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_BOTTOM = 37 * mm, 28 * mm, 26 * mm, 35 * mm
FOLIO_GAP = 7 * mm  # GB/T 9704: the page number's rule sits 7 mm below the text block
FOLIO_SIZE = 14  # 四号


# -- the sections ------------------------------------------------------------------------

@dataclass
class Cover:
    """A cover page: title, subtitle, the issuing office and the date; no folio."""

    title: str
    subtitle: str = ""
    issuer: str = ""
    when: date | None = None


@dataclass
class Masthead:
    """The title block on a report's first page: title, subtitle, then 编制单位 on the
    left and 日期 (and 共N条 when count is given) on the right."""

    title: str
    issuer: str
    subtitle: str = ""
    when: date | None = None
    count: int | None = None


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: 一、 2: （一） 3: 1. 4: （1）


@dataclass
class Paragraph:
    text: str  # plain text (escaped); a blank line starts a new paragraph


@dataclass
class Figures:
    """(label, number) pairs, or (band title, pairs) bands, as a compact grid."""

    figures: Summary


@dataclass
class LedgerTable:
    spec: LedgerSpec
    rowset: object  # app.services.RowSet
    fields: Sequence[Field] | None = None  # default: spec.pdf_fields
    mask_ids: bool = True


@dataclass
class Chart:
    """A bar or pie chart of (label, number) pairs, numbered 图1, 图2, … below it."""

    title: str
    data: Sequence[tuple[str, float]]
    kind: str = "bar"  # "bar" | "pie" | "line" (a trend; a value may be a tuple, a line each)
    height: float = 70 * mm
    series: tuple[str, ...] = ()  # line: the name of each line, for its legend


@dataclass
class PageBreak:
    pass


@dataclass
class Grid:
    """A table given cell by cell — a matrix such as bodies × 编制类型 — with header rows
    whose cells may span columns, total rows in bold and cells marked in red (超编)."""

    header: list[list[str]]  # one list per header row; "" under a spanned cell
    rows: list[list[str]]
    # ((first col, header row), (last col, header row)) cells merged in the header.
    spans: Sequence[tuple[tuple[int, int], tuple[int, int]]] = ()
    weights: Sequence[float] | None = None  # column shares of the width (default: equal)
    bold: frozenset[int] = frozenset()  # indexes of `rows` printed in bold (合计)
    red: frozenset[tuple[int, int]] = frozenset()  # (row, column) of `rows` in red


Section = (Cover | Masthead | Heading | Paragraph | Figures | LedgerTable | Chart | PageBreak
           | Grid)


@dataclass
class Document:
    sections: list[Section]
    title: str
    author: str = ""  # the issuing office
    subject: str = ""
    landscape: bool = False


# -- flowables ---------------------------------------------------------------------------

class _Marked(RLParagraph):
    """A paragraph that becomes an outline entry (bookmark) where it is drawn."""

    def __init__(self, text, style, outline: str, level: int):
        super().__init__(text, style)
        self.outline, self.outline_level = outline, level


class _Doc(BaseDocTemplate):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._marks = 0
        self.marks: list[tuple[str, int, int]] = []  # (text, outline level, page)

    def afterFlowable(self, flowable):  # noqa: N802 - reportlab API
        if isinstance(flowable, _Marked):
            self._marks += 1
            key = f"s{self._marks}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline, key, flowable.outline_level,
                                      closed=False)
            self.marks.append((flowable.outline, flowable.outline_level, self.page))
            if self._marks == 1:
                self.canv.showOutline()  # viewers open with the bookmarks shown


class _Builder:
    """Sections → flowables, for one page size."""

    def __init__(self, doc: Document, width: float, height: float):
        self.doc, self.width, self.height = doc, width, height
        self.st = Styles(set())
        base = dict(fontName=self.st.body, wordWrap="CJK")
        self.cover_title = ParagraphStyle("cover_t", **{**base, "fontName": self.st.title},
                                          fontSize=26, leading=38, alignment=TA_CENTER)
        self.cover_sub = ParagraphStyle("cover_s", **base, fontSize=16, leading=26,
                                        alignment=TA_CENTER)
        self.body = ParagraphStyle("body", **base, fontSize=12, leading=20, firstLineIndent=24,
                                   spaceAfter=4)
        self.h = {1: self.st.heading,
                  2: ParagraphStyle("h2", parent=self.st.heading, fontSize=12, leading=17,
                                    fontName=self.st.body, leftIndent=12),
                  3: ParagraphStyle("h3", parent=self.st.heading, fontSize=12, leading=17,
                                    fontName=self.st.body, leftIndent=24)}
        self.caption = ParagraphStyle("caption", **base, fontSize=10.5, leading=14,
                                      alignment=TA_CENTER, spaceBefore=2, spaceAfter=6)
        self.numbering = _Numbering()
        self.charts = 0
        self.base = 0  # outline level of a level-1 heading: under the last cover or masthead
        self.last_level = -1  # outline levels may deepen one step at a time
        self.sources: list[RowSource] = []
        self.following: Section | None = None  # the section after the one being laid out
        # The bookmarks of the previous pass (text, level, folio number), for a contents
        # page: None on the first pass (reports.official.Contents).
        self.toc: list[tuple[str, int, int]] | None = None
        self.covered = 0  # 1 when the first page is a cover (folios start after it)

    def flowables(self, progress: Progress | None, cancel: Cancel | None) -> list[Flowable]:
        out: list[Flowable] = []
        sections = self.doc.sections
        for k, section in enumerate(sections):
            self.following = sections[k + 1] if k + 1 < len(sections) else None
            own = getattr(section, "flowables", None)
            if own is not None:  # a section of another module lays itself out (official)
                out += own(self)
            else:
                out += getattr(self, "_" + type(section).__name__.lower())(section, progress,
                                                                           cancel)
        total = sum(s.total for s in self.sources)
        done = 0
        for src in self.sources:
            src.offset, src.grand_total = done, total
            done += src.total
        return out

    def _cover(self, c: Cover, *_):
        self.base = 1
        out: list[Flowable] = [Spacer(1, self.height * 0.22),
                               self._marked(c.title, self.cover_title, 0)]
        if c.subtitle:
            out += [Spacer(1, 6 * mm), escaped_para(c.subtitle, self.cover_sub)]
        out.append(Spacer(1, self.height * 0.3))
        if c.issuer:
            out.append(escaped_para(c.issuer, self.cover_sub))
        if c.when is not None:
            out.append(escaped_para(format_date(c.when), self.cover_sub))
        return out + [RLPageBreak()]

    def _masthead(self, m: Masthead, *_):
        st = self.st
        # Under the cover, if any; a masthead's headings are numbered afresh (一、 again).
        level = 1 if isinstance(self.doc.sections[0], Cover) else 0
        self.base, self.numbering = level + 1, _Numbering()
        out: list[Flowable] = [self._marked(m.title, st.title_p, level)]
        if m.subtitle:
            out.append(escaped_para(m.subtitle, st.subtitle))
        out.append(Spacer(1, 4 * mm))
        right = f"日期：{format_date(m.when or date.today())}"
        if m.count is not None:
            right += f"　　共{m.count}条"
        cells = [escaped_para(f"编制单位：{m.issuer}", st.info), escaped_para(right, st.info_r)]
        out.append(Table([cells],
                         colWidths=[self.width / 2, self.width / 2],
                         style=[("FONTNAME", (0, 0), (-1, -1), st.body),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        return out + [Spacer(1, 2 * mm)]

    def _heading(self, h: Heading, *_):
        text = self.numbering.next(h.level) + h.text
        style = self.h.get(h.level, self.h[3])
        level = self.base + h.level - 1
        # A heading never ends a page alone: it starts a new page unless what follows it
        # (a whole chart, or the first lines of anything else) fits below it.
        after = self.following
        room = after.height + 30 * mm if isinstance(after, Chart) else 30 * mm
        if isinstance(after, Grid) and len(after.rows) <= KEEP_ROWS:  # kept whole: its height
            room = max(room, (len(after.rows) + len(after.header)) * (CELL_SIZE + 6.5) + 12 * mm)
        return [CondPageBreak(room), self._marked(text, style, level)]

    def _marked(self, text: str, style: ParagraphStyle, level: int) -> _Marked:
        self.last_level = level = min(level, self.last_level + 1)
        return _Marked(_text(text), style, text, level)

    def _paragraph(self, p: Paragraph, *_):
        parts = (part.strip() for part in p.text.split("\n\n"))
        return [escaped_para(part, self.body) for part in parts if part]

    def _figures(self, f: Figures, *_):
        return [figures_table(f.figures, self.width, self.st), Spacer(1, 2 * mm)] \
            if f.figures else []

    def _pagebreak(self, _b: PageBreak, *_):
        return [RLPageBreak()]

    def _ledgertable(self, t: LedgerTable, progress, cancel):
        rowset, spec = t.rowset, t.spec
        wanted, columns, mask = pick_columns(rowset, t.fields or spec.pdf_fields, spec.title,
                                             "打印", t.mask_ids)
        st = Styles({i + 1 for i, f in enumerate(wanted) if f.type.centred})
        serial_w = max(st.text_width(str(max(len(rowset.rows), 1))),
                       st.text_width("序号", st.title, HEAD_SIZE))
        src = RowSource(wanted, columns, rowset.rows, st, self.height, mask, progress, cancel)
        src.widths = column_widths(wanted, src.sample_texts(), self.width,
                                   serial_w + 2 * PAD_X + 2, st)
        self.sources.append(src)
        if rowset.rows:
            return [RowStream(src)]
        return [Table([src.header, ["", "无记录"] + [""] * (len(wanted) - 1)],
                      colWidths=src.widths, style=src.style)]

    def _grid(self, g: Grid, *_):
        from reportlab.lib import colors

        st = self.st
        ncols = len(g.header[0]) if g.header else len(g.rows[0])
        weights = list(g.weights or [1] * ncols)
        widths = [self.width * w / sum(weights) for w in weights]
        nhead = len(g.header)
        style = [("FONTNAME", (0, 0), (-1, -1), st.cell_font),
                 ("FONTNAME", (0, 0), (-1, nhead - 1), st.title),
                 ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
                 ("LEADING", (0, 0), (-1, -1), CELL_SIZE + 2.5),
                 ("ALIGN", (1, 0), (-1, -1), "CENTER"),
                 ("ALIGN", (0, 0), (0, nhead - 1), "CENTER"),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("BACKGROUND", (0, 0), (-1, nhead - 1), colors.HexColor("#eeeeee")),
                 ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
        style += [("SPAN", a, b) for a, b in g.spans]
        style += [("FONTNAME", (0, nhead + r), (-1, nhead + r), st.title) for r in g.bold]
        style += [("TEXTCOLOR", (c, nhead + r), (c, nhead + r), colors.HexColor("#c62828"))
                  for r, c in g.red]
        head = [[escaped_para(t, st.head) if t else "" for t in row] for row in g.header]
        body = [[_cell_text(t) for t in row] for row in g.rows]
        table = Table(head + body, colWidths=widths, repeatRows=nhead, style=style)
        if len(body) <= KEEP_ROWS:  # a short table is not split over two pages
            from reportlab.platypus import KeepTogether

            return [KeepTogether([table]), Spacer(1, 3 * mm)]
        return [table, Spacer(1, 3 * mm)]

    def _chart(self, c: Chart, *_):
        if c.kind not in ("bar", "pie", "line"):
            raise ValueError(f"未知的图表类型：{c.kind}")
        self.charts += 1
        width = min(self.width, 220 * mm)
        if c.kind == "line":
            drawing = line_chart(c.data, width, c.height, self.st.body, c.series)
        else:
            draw = pie_chart if c.kind == "pie" else bar_chart
            drawing = draw(c.data, width, c.height, self.st.body)
        drawing.hAlign = "CENTER"
        caption = escaped_para(f"图{self.charts}　{c.title}", self.caption)
        return [CondPageBreak(c.height + 12 * mm), drawing, caption]


KEEP_ROWS = 15  # a Grid of at most this many rows stays on one page


def _cell_text(text) -> str:
    """A grid cell as plain text (a Table cell string is drawn as is, never parsed)."""
    return "" if text is None else str(text)


def _text(text: str) -> str:
    return escape(text).replace("\n", "<br/>")


# -- building ----------------------------------------------------------------------------

def is_cover(section) -> bool:
    """A cover page: no folio, and the numbering starts after it."""
    return isinstance(section, Cover) or getattr(section, "cover", False)


def build_pdf(path: str | os.PathLike, doc: Document, *, progress: Progress | None = None,
              cancel: Cancel | None = None) -> int:
    """Write the document; returns the page count. `progress(done, total)` counts the rows
    of every ledger table together; `cancel()` returning True stops with reports.Cancelled
    and leaves no file (nor a half-written one in place of an older file).

    A document with a contents page (a section with `needs_toc`) is laid out once to
    learn the pages its headings land on, then written with them (again if the contents
    page itself moved them)."""
    with atomic_output(path) as tmp:
        toc = None
        if any(getattr(s, "needs_toc", False) for s in doc.sections):
            _pages, toc = _render(io.BytesIO(), doc, None, None, cancel)
        for _attempt in range(3):
            pages, marks = _render(str(tmp), doc, toc, progress, cancel)
            if toc is None or marks == toc:
                break
            toc = marks
        return pages


def _render(target, doc: Document, toc, progress, cancel) -> tuple[int, list]:
    pagesize = landscape(A4) if doc.landscape else A4
    width = pagesize[0] - MARGIN_LEFT - MARGIN_RIGHT
    height = pagesize[1] - MARGIN_TOP - MARGIN_BOTTOM
    builder = _Builder(doc, width, height)
    covered = 1 if doc.sections and is_cover(doc.sections[0]) else 0
    builder.toc, builder.covered = toc, covered
    story = builder.flowables(progress, cancel)
    body_font = builder.st.body

    def folio(canvas, rl_doc):
        n = rl_doc.page - covered
        if n < 1:
            return  # the cover carries no page number
        canvas.saveState()
        canvas.setFont(body_font, FOLIO_SIZE)
        y = MARGIN_BOTTOM - FOLIO_GAP - FOLIO_SIZE * 0.8
        canvas.drawCentredString(MARGIN_LEFT + width / 2, y, f"— {n} —")
        canvas.restoreState()

    rl_doc = _Doc(
        target, pagesize=pagesize, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=doc.title,
        author=doc.author, subject=doc.subject, creator="StreetLedger 街道治理台账",
        # Every page starts in our font, so no unembedded Helvetica is referenced.
        initialFontName=body_font, initialFontSize=CELL_SIZE,
    )
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, width, height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    rl_doc.addPageTemplates([PageTemplate("page", [frame], onPage=folio)])
    rl_doc.build(story)
    check_cancel(cancel)
    total = sum(s.total for s in builder.sources)
    if progress is not None:
        progress(total, total)
    return rl_doc.page, [(t, lv, page - covered) for t, lv, page in rl_doc.marks]
