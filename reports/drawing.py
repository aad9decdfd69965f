"""Text that fits on reportlab graphics drawings: one page's Drawing with text, box and
line helpers, and Chinese text cut with … or wrapped between any two characters (no
spaces to break at) while a phone number or code stays whole."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import pdf_fonts, table_font

INK = colors.HexColor("#222222")
GREY = colors.HexColor("#666666")


def long_date(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "—"


def shorten(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with … where it is wider than `width`."""
    text = text or ""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines no wider than `width`, broken between any two characters (Chinese text has
    no spaces to break at), keeping a run of digits or Latin letters together."""
    lines, line = [], ""
    for token in _tokens(text or ""):
        if stringWidth(line + token, font, size) <= width or not line:
            line += token
        else:
            lines.append(line)
            line = token.lstrip()
    if line:
        lines.append(line)
    return [shorten(x, font, size, width) for x in lines]


def _tokens(text: str):
    word = ""
    for ch in text:
        if ch.isascii() and (ch.isalnum() or ch in "-./()"):
            word += ch
            continue
        if word:
            yield word
            word = ""
        yield ch
    if word:
        yield word


class Page:
    """One page's drawing, with the text helpers every part uses."""

    def __init__(self):
        self.d = Drawing(A4[0], A4[1])
        self.body, self.title = pdf_fonts()
        self.cell = table_font()

    def text(self, x, y, s, size, font=None, fill=INK, anchor="start"):
        self.d.add(String(x, y, s, fontName=font or self.cell, fontSize=size, fillColor=fill,
                          textAnchor=anchor))

    def rect(self, x, y, w, h, fill=None, stroke=None, width=0.6, dash=None, r=0):
        self.d.add(Rect(x, y, w, h, rx=r, ry=r, fillColor=fill, strokeColor=stroke,
                        strokeWidth=width, strokeDashArray=dash))

    def line(self, x1, y1, x2, y2, stroke=GREY, width=0.5):
        self.d.add(Line(x1, y1, x2, y2, strokeColor=stroke, strokeWidth=width))


