"""一小区一图示: one A4 page per estate, drawn with reportlab graphics — the buildings as
labelled boxes in a plan-like grid (natural order by number: 2栋 before 10栋), each with
its 楼栋长, households/residents and key persons as coloured marks by category; a side
panel with the party organisation, property service, committee, the three teams and the
grid's workers; a footer with the data date and “底数清、情况明、数据准” completeness.

A batch (a grid's or a community's estates) is one PDF, an estate a page (a very large
estate continues on a second page), with a bookmark per estate under its grid."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.db import Database
from app.specs.key_persons import CATEGORIES
from reports import Cancel, Progress, atomic_output, check_cancel
from reports.drawing import INK, Page, long_date, shorten, wrap
from reports.estate_chart_data import (
    TEAM_TYPES,
    BuildingBox,
    EstateChart,
    read_charts,
    select_estates,
)
from reports.fonts import pdf_fonts

PAGE_W, PAGE_H = A4
MARGIN = 12 * mm
PANEL_W = 62 * mm
GAP = 4 * mm
HEADER_H = 20 * mm
FOOTER_H = 15 * mm
MAX_BOXES = 48  # per page (6 × 8); a larger estate continues on the next page
BOX_GAP = 2.5 * mm
# Key-person categories keep their colour on every page (the seeded list's order).
PALETTE = ["#C0392B", "#8E44AD", "#D35400", "#2C3E50", "#16A085", "#2980B9", "#7F8C8D",
           "#B8860B", "#27AE60", "#E67E22", "#6D4C41", "#C2185B", "#1F618D", "#5D6D7E"]
GREY = colors.HexColor("#666666")
RED = colors.HexColor("#C0392B")
BOX_FILL = colors.HexColor("#EEF3F8")
BOX_LINE = colors.HexColor("#5B7FA6")
WARN_FILL = colors.HexColor("#FBEAEA")
BAND = colors.HexColor("#DCE6F0")


def colour_of(category: str, known: list[str]) -> colors.Color:
    """A seeded category's own colour on every page; added ones take the next colours in
    the order this page lists them."""
    if category in CATEGORIES:
        i = CATEGORIES.index(category)
    else:
        i = len(CATEGORIES) + [c for c in known if c not in CATEGORIES].index(category)
    return colors.HexColor(PALETTE[i % len(PALETTE)])


# -- layout --------------------------------------------------------------------------------

def plan_grid(n: int, width: float, height: float) -> tuple[int, int, float, float]:
    """(columns, rows, box width, box height) filling the plan area with n boxes that are
    as large as possible while keeping a box's shape near 4:3 (a building outline)."""
    best = None
    for cols in range(1, max(n, 1) + 1):
        rows = -(-n // cols)
        w = (width - (cols - 1) * BOX_GAP) / cols
        h = (height - (rows - 1) * BOX_GAP) / rows
        bw, bh = min(w, h * 1.6, 46 * mm), min(h, w * 1.1, 36 * mm)
        score = min(bw / 4, bh / 3)
        if best is None or score > best[0]:
            best = (score, cols, rows, bw, bh)
    _s, cols, rows, bw, bh = best
    return cols, rows, bw, bh


def _box(pg: Page, b: BuildingBox, x, y, w, h, known: list[str]) -> None:
    headless = not b.head_name
    pg.rect(x, y, w, h, fill=WARN_FILL if headless else BOX_FILL,
            stroke=RED if headless else BOX_LINE, width=0.9 if headless else 0.7,
            dash=(2, 1.5) if headless else None, r=1.5)
    pad = max(1.2, min(w, h) * 0.06)
    inner = w - 2 * pad
    # Font from the box: 5 text lines and a row of marks, the widest line ~8 characters.
    fs = max(3.6, min(8.0, (h - 2 * pad) / 6.6, inner / 8.2))
    lead = fs * 1.22
    ty = y + h - pad - fs
    pg.text(x + pad, ty, shorten(b.number, pg.title, fs * 1.25, inner), fs * 1.25, pg.title)
    ty -= lead * 1.2
    if headless:
        pg.text(x + pad, ty, shorten("楼栋长：未确定", pg.cell, fs, inner), fs, fill=RED)
        ty -= lead
    else:
        badge = fs * 1.1 if b.head_party else 0
        pg.text(x + pad, ty, shorten(f"楼栋长 {b.head_name}", pg.cell, fs, inner - badge), fs)
        if b.head_party:
            used = stringWidth(shorten(f"楼栋长 {b.head_name}", pg.cell, fs, inner - badge),
                               pg.cell, fs)
            pg.rect(x + pad + used + fs * 0.15, ty - fs * 0.15, fs * 0.95, fs * 1.05, fill=RED,
                    r=0.8)
            pg.text(x + pad + used + fs * 0.62, ty + fs * 0.02, "党", fs * 0.8,
                    fill=colors.white, anchor="middle")
        ty -= lead
        pg.text(x + pad, ty, shorten(b.head_phone or "（无电话）", pg.cell, fs, inner), fs,
                fill=INK if b.head_phone else GREY)
        ty -= lead
    counts = f"{_n(b.households)}户 / {_n(b.residents)}人"
    pg.text(x + pad, ty, shorten(counts, pg.cell, fs, inner), fs)
    ty -= lead
    extra = "、".join(p for p in (f"{b.floors}层" if b.floors else "",
                                   f"{b.units}单元" if b.units else "",
                                   "有电梯" if b.lift else "") if p)
    if extra and ty - lead > y + pad + fs * 1.2:
        pg.text(x + pad, ty, shorten(extra, pg.cell, fs * 0.9, inner), fs * 0.9, fill=GREY)
        ty -= lead
    _marks(pg, b.categories, x + pad, y + pad, inner, ty + fs - (y + pad), fs, known)


def _n(v) -> str:
    return "—" if v is None else str(v)


def _marks(pg: Page, counts, x, y, width, height, fs, known) -> None:
    """Coloured marks with the count inside, bottom-up rows in legend order."""
    size = fs * 1.25
    per_row = max(1, int((width + size * 0.25) // (size * 1.25)))
    items = [(c, n) for c in known if (n := counts.get(c))]
    rows = max(1, int(height // (size * 1.15)))
    if len(items) > per_row * rows:  # no room for every mark: the last one says how many more
        items = items[: per_row * rows - 1] + [("…", sum(n for _c, n in items[per_row * rows - 1:]))]
    for k, (cat, n) in enumerate(items):
        cx = x + (k % per_row) * size * 1.25
        cy = y + (k // per_row) * size * 1.15
        pg.rect(cx, cy, size, size, fill=GREY if cat == "…" else colour_of(cat, known), r=size * 0.2)
        pg.text(cx + size / 2, cy + size * 0.25, str(n), fs * 0.85, pg.title, colors.white,
                "middle")


# -- the page parts ----------------------------------------------------------------------

def _header(pg: Page, ch: EstateChart, part: str) -> None:
    top = PAGE_H - MARGIN
    room = PAGE_W - 2 * MARGIN - 62 * mm
    size = 16.0  # a long name first gets a smaller face, down to 11 pt, then is cut
    while size > 11 and stringWidth(ch.name, pg.title, size) > room:
        size -= 0.5
    pg.text(MARGIN, top - 15, shorten(ch.name, pg.title, size, room), size, pg.title)
    pg.text(PAGE_W - MARGIN, top - 9, f"一小区一图示{part}", 11, pg.title, anchor="end")
    pg.text(PAGE_W - MARGIN, top - 20, shorten(f"{ch.community} · {ch.grid}", pg.cell, 8, 60 * mm),
            8, anchor="end", fill=GREY)
    facts = "　".join(p for p in (
        f"地址：{ch.address}" if ch.address else "", ch.kind,
        f"{ch.year_built}年建成" if ch.year_built else "",
        f"楼栋 {len(ch.buildings)} 栋", f"{ch.households} 户", f"{ch.residents} 人",
        f"重点人员 {ch.persons} 人") if p)
    pg.text(MARGIN, top - 30, shorten(facts, pg.cell, 8.5, PAGE_W - 2 * MARGIN), 8.5)
    pg.line(MARGIN, top - HEADER_H + 2 * mm, PAGE_W - MARGIN, top - HEADER_H + 2 * mm, INK, 0.8)


def _legend(pg: Page, ch: EstateChart, known: list[str], x, y_top, width) -> float:
    """The legend band under the plan, top at y_top; returns its height."""
    fs = 7.5
    items = [(c, colour_of(c, known)) for c in ch.categories()]
    lines: list[list[tuple[str, object]]] = [[]]
    used = stringWidth("图例：", pg.cell, fs)
    for label, colour in items:
        w = fs * 1.3 + stringWidth(label, pg.cell, fs) + fs
        if used + w > width and lines[-1]:
            lines.append([])
            used = 0
        lines[-1].append((label, colour))
        used += w
    y = y_top - fs - 1
    pg.text(x, y, "图例：", fs, pg.title)
    cx = x + stringWidth("图例：", pg.cell, fs)
    if not items:
        pg.text(cx, y, "本小区无在册重点人员", fs, fill=GREY)
    for n, line in enumerate(lines):
        if n:
            y -= fs * 1.6
            cx = x
        for label, colour in line:
            pg.rect(cx, y - fs * 0.15, fs, fs, fill=colour, r=fs * 0.2)
            pg.text(cx + fs * 1.3, y, label, fs)
            cx += fs * 1.3 + stringWidth(label, pg.cell, fs) + fs
    y -= fs * 1.6
    pg.rect(x, y - fs * 0.15, fs * 1.6, fs, fill=WARN_FILL, stroke=RED, width=0.8, dash=(2, 1.5))
    note = "无楼栋长的楼栋　　色块内数字为该类重点人员人数　　"
    pg.text(x + fs * 2, y, note, fs)
    bx = x + fs * 2 + stringWidth(note, pg.cell, fs)
    pg.rect(bx, y - fs * 0.15, fs * 0.95, fs * 1.05, fill=RED, r=0.8)
    pg.text(bx + fs * 0.47, y, "党", fs * 0.8, fill=colors.white, anchor="middle")
    pg.text(bx + fs * 1.3, y, "楼栋长为党员", fs)
    if sum(ch.unplaced.values()):
        y -= fs * 1.6
        unplaced = "、".join(f"{c} {n}" for c, n in ch.unplaced.items())
        pg.text(x, y, shorten(f"未登记到楼栋的重点人员：{unplaced}", pg.cell, fs, width), fs, fill=RED)
    return y_top - y + fs * 0.6


def _stars(n: int | None) -> str:
    return "未评定" if not n else "★" * n + "☆" * (5 - n) + f"（{n}星）"


def panel_lines(ch: EstateChart) -> list[tuple[str, str]]:
    """The side panel as (style, text): 'h' a heading band, 't' text, 'w' a warning."""
    out: list[tuple[str, str]] = [("h", "小区党组织")]
    if ch.party_org_kind:
        out += [("t", f"{ch.party_org_kind}：{ch.party_org_name}"),
                ("t", f"书记：{ch.party_secretary or '—'}　党员：{_n(ch.party_members)}名")]
    else:
        out.append(("w", "未建立党组织"))
    out += [("h", "物业服务"), ("t", f"管理方式：{ch.management or '—'}")]
    if ch.property_company:
        out += [("t", f"物业企业：{ch.property_company}"),
                ("t", f"红色物业：{_stars(ch.red_stars)}")]
    out += [("h", "业委会/自管委"), ("t", ch.committee) if ch.committee else ("w", "未成立")]
    out.append(("h", "三支队伍"))
    kinds = list(TEAM_TYPES) + [k for k in ch.teams if k not in TEAM_TYPES]
    for kind in kinds:
        members = ch.teams.get(kind, [])
        if not members and kind not in TEAM_TYPES:
            continue
        shown = "、".join(members[:6]) + (f" 等{len(members)}人" if len(members) > 6 else "")
        out.append(("t", f"{kind}：{shown}") if members else ("w", f"{kind}：未登记"))
    out += [("h", "网格与网格员"), ("t", f"所属网格：{ch.grid}")]
    if ch.grid_head:
        out.append(("t", f"网格长：{ch.grid_head} {ch.grid_head_phone}".rstrip()))
    if ch.grid_party_org:
        out.append(("t", f"网格党组织：{ch.grid_party_org}"))
    for w in ch.workers:
        out.append(("t", f"{w.name}（{w.employment}{w.role}）{w.phone}"))
    if not any(w.employment == "专职" for w in ch.workers):
        out.append(("w", "本网格无在岗专职网格员"))
    return out


def _panel(pg: Page, ch: EstateChart, x, y_top, y_bottom) -> None:
    fs, lead, width = 7.6, 7.6 * 1.35, PANEL_W
    pg.rect(x, y_bottom, width, y_top - y_bottom, stroke=BOX_LINE, width=0.6)
    y = y_top
    drawn: list[tuple[str, str]] = []
    for style, text in panel_lines(ch):
        if style == "h":
            drawn.append(("h", text))
        else:
            drawn += [(style, s) for s in wrap(text, pg.cell, fs, width - 4 * mm)]
    need = {"h": fs * 2.1, "t": lead, "w": lead}
    room = y_top - y_bottom - 2 * mm
    if sum(need[s] for s, _t in drawn) > room:  # cut the tail, saying how much is left out
        kept, used = [], lead
        for item in drawn:
            if used + need[item[0]] > room:
                break
            kept.append(item)
            used += need[item[0]]
        left = len(drawn) - len(kept)
        drawn = kept + [("w", f"……另有 {left} 行，见台账")]
    for style, text in drawn:
        if style == "h":
            y -= fs * 2.1
            pg.rect(x, y, width, fs * 1.9, fill=BAND)
            pg.text(x + 2 * mm, y + fs * 0.55, text, fs * 1.05, pg.title)
        else:
            y -= lead
            pg.text(x + 2 * mm, y + fs * 0.3, text, fs, fill=RED if style == "w" else INK)


def completeness(ch: EstateChart) -> tuple[str, str]:
    """(楼栋长配备, 管控人落实) as “7/8（87.5%）”; no rows: “—”."""
    def share(n, of):
        return f"{n}/{of}（{100 * n / of:.1f}%）" if of else "—"
    return share(ch.heads, len(ch.buildings)), share(ch.persons_with_controller, ch.persons)


def _footer(pg: Page, ch: EstateChart, today: date, folio: int) -> None:
    y = MARGIN + FOOTER_H
    pg.line(MARGIN, y, PAGE_W - MARGIN, y, INK, 0.8)
    heads, controllers = completeness(ch)
    pg.text(MARGIN, y - 11, f"底数清、情况明、数据准：楼栋长配备 {heads}　重点人员落实管控人 {controllers}",
            8.5, pg.title)
    pg.text(MARGIN, y - 23, f"数据日期：{long_date(ch.updated)}　打印日期：{long_date(today)}", 8,
            fill=GREY)
    pg.text(PAGE_W - MARGIN, y - 23, f"— {folio} —", 8, anchor="end", fill=GREY)


def draw_pages(ch: EstateChart, today: date, first_folio: int = 1) -> list[Drawing]:
    """The estate's page(s): MAX_BOXES buildings a page."""
    from reports.estate_chart_data import category_order

    known = category_order(ch.categories())
    pages_needed = max(1, -(-len(ch.buildings) // MAX_BOXES))
    per_page = max(1, -(-len(ch.buildings) // pages_needed))  # 60 buildings: 30 and 30
    parts = [ch.buildings[k:k + per_page] for k in range(0, len(ch.buildings), per_page)] or [[]]
    top = PAGE_H - MARGIN - HEADER_H
    bottom = MARGIN + FOOTER_H + 2 * mm
    plan_w = PAGE_W - 2 * MARGIN - PANEL_W - GAP
    pages = []
    for n, boxes in enumerate(parts):
        # The legend sits right under the plan: measured on a scratch page, then drawn.
        legend_h = _legend(Page(), ch, known, MARGIN, bottom + 30 * mm, plan_w)
        pg = Page()
        _header(pg, ch, f"（续{n + 1}/{len(parts)}）" if len(parts) > 1 and n else "")
        plan_bottom = bottom + legend_h + 2 * mm
        _legend(pg, ch, known, MARGIN, plan_bottom - 1 * mm, plan_w)
        _plan(pg, boxes, MARGIN, plan_bottom, plan_w, top - plan_bottom - 2 * mm, known)
        _panel(pg, ch, PAGE_W - MARGIN - PANEL_W, top - 2 * mm, bottom)
        _footer(pg, ch, today, first_folio + n)
        pages.append(pg.d)
    return pages


def _plan(pg: Page, boxes: list[BuildingBox], x, y, width, height, known) -> None:
    if not boxes:
        pg.rect(x, y, width, height, stroke=GREY, dash=(3, 2))
        pg.text(x + width / 2, y + height / 2, "本小区尚未登记楼栋", 11, fill=GREY, anchor="middle")
        return
    cols, rows, bw, bh = plan_grid(len(boxes), width, height)
    # Centre the block in the plan area: roads (the gaps) between the rows and columns.
    ox = x + (width - cols * bw - (cols - 1) * BOX_GAP) / 2
    oy = y + height - (height - rows * bh - (rows - 1) * BOX_GAP) / 2
    for k, b in enumerate(boxes):
        r, c = divmod(k, cols)
        _box(pg, b, ox + c * (bw + BOX_GAP), oy - (r + 1) * bh - r * BOX_GAP, bw, bh, known)


# -- the document --------------------------------------------------------------------------

def write_estate_charts(db: Database, path: str | os.PathLike, *, estate: str | None = None,
                        grid: str | None = None, community: str | None = None,
                        ids: list[int] | None = None, today: date | None = None,
                        progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Write the charts of the chosen estates (see select_estates) into one PDF; returns
    the page count. Bookmarks: each grid, and under it each estate."""
    from app.auth import authorize
    from app.errors import UserError
    from reports.export import audit_output

    authorize(db, "export")
    today = today or date.today()
    charts = read_charts(db, select_estates(db, estate=estate, grid=grid, community=community,
                                            ids=ids))
    if not charts:
        raise UserError("所选范围内没有小区，未生成图示")
    body, _title = pdf_fonts()
    with atomic_output(path) as tmp:
        c = Canvas(str(tmp), pagesize=A4, initialFontName=body, initialFontSize=9)
        c.setTitle("一小区一图示" if len(charts) > 1 else f"{charts[0].name}一小区一图示")
        c.setAuthor("StreetLedger 街道治理台账")
        c.setCreator("StreetLedger 街道治理台账")
        c.setSubject("底数清、情况明、数据准")
        grids = {ch.grid for ch in charts}
        nested = len(grids) > 1
        last_grid, folio = None, 1
        for n, ch in enumerate(charts):
            check_cancel(cancel)
            for k, drawing in enumerate(draw_pages(ch, today, folio)):
                if k == 0:
                    if nested and ch.grid != last_grid:
                        key = f"grid{n}"
                        c.bookmarkPage(key)
                        c.addOutlineEntry(ch.grid, key, 0, closed=False)
                        last_grid = ch.grid
                    key = f"estate{ch.id}"
                    c.bookmarkPage(key)
                    c.addOutlineEntry(ch.name, key, 1 if nested else 0)
                renderPDF.draw(drawing, c, 0, 0)
                c.showPage()
                folio += 1
            if progress is not None:
                progress(n + 1, len(charts))
        c.showOutline()
        c.save()
        check_cancel(cancel)
    # The chart prints 楼栋长 and grid workers' phones: a trace.
    audit_output(db, "estates", f"打印一小区一图示 {len(charts)} 个小区：{Path(path).name}")
    return folio - 1
