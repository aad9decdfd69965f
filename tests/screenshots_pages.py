"""For tests/screenshots.py: the screen the shots are taken on (`--size`, `--scale`), and
every page of the navigation with the 文件 / 编辑 / 视图 menus open, at that size.

`--size 1920x1080` is the screen in physical pixels; `--scale 1.5` is Windows' 150 %
(QT_SCALE_FACTOR, read when the QApplication is made: one process per scale). The
window fills the screen: 1366×768 at 150 % is a window of 911×512 logical pixels, and
the PNGs have the screen's own pixels. The offscreen platform gets a screen of that size
(its config file), so what asks the screen for room sees what an office PC has."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

DEFAULT_SCREEN = (1366, 768)


def parse_screen(argv: list[str]) -> tuple[list[str], tuple[int, int], float]:
    """(the other arguments, the screen's size, the scale) from --size WxH --scale S."""
    rest, size, scale = [], DEFAULT_SCREEN, 1.0
    args = iter(argv)
    for arg in args:
        name, _eq, value = arg.partition("=")
        if name in ("--size", "--scale"):
            value = value or next(args, "")
            if name == "--size":
                m = re.fullmatch(r"(\d{3,5})[x×](\d{3,5})", value)
                if not m:
                    raise SystemExit(f"--size 应写作 宽x高，如 1920x1080（收到“{value}”）")
                size = (int(m[1]), int(m[2]))
            else:
                try:
                    scale = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
                except ValueError:
                    scale = 0
                if not 0.5 <= scale <= 4:
                    raise SystemExit(f"--scale 应为 1、1.25、1.5 或 150% 之类（收到“{value}”）")
        else:
            rest.append(arg)
    return rest, size, scale


def configure_screen(size: tuple[int, int], scale: float, folder: Path) -> tuple[int, int]:
    """Before the QApplication: an offscreen screen of `size` physical pixels at `scale`;
    returns the window's size in logical pixels."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen").startswith("offscreen"):
        config = folder / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": "screenshots", "x": 0, "y": 0, "width": size[0], "height": size[1],
            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    else:
        os.environ.pop("QT_SCALE_FACTOR", None)
    return int(size[0] / scale), int(size[1] / scale)  # never wider than the screen


def render_pages(s, win) -> None:
    """pg_NN_<page>: every page of the navigation as it first opens; then menu_文件 …
    with the 文件 / 编辑 / 视图 menus open over the powers page."""
    from PySide6.QtCore import Qt

    from tests.screenshots_admin import with_menu

    nav = win.nav
    n = 0
    for row in range(nav.count()):
        title = nav.item(row).data(Qt.UserRole + 1)
        if title is None:  # a group's heading
            continue
        n += 1
        win.show_page(title)
        page = win.page_menus.current_page()
        loader = getattr(page, "loader", None)
        s.wait(lambda loader=loader: loader is None or not loader.loading, 20)
        if hasattr(page, "table"):  # as it opens: scrolled to the left (shots before scrolled)
            page.table.horizontalScrollBar().setValue(0)
        s.wait(lambda: False, 0.3)  # a first fit of the columns runs after the layout
        s.shot(win, f"pg_{n:02d}_{title}")
    win.show_page("权责清单")
    page = win.powers
    page.table.setCurrentIndex(page.model.index(0, 3))  # row entries enabled
    s.settle()
    for title in ("文件(&F)", "编辑(&E)", "视图(&V)"):
        s.shot(win, f"menu_{title[:2]}", with_menu(s, win, title))
    page.table.clearSelection()
    page.table.setCurrentIndex(page.model.index(-1, -1))
