"""The entries of the 文件 / 编辑 / 视图 menus (ui.menus), as data: each entry's text with
its mnemonic, what it acts on in the current page (`target`: the page → a QAction to
follow, a callable, or None for disabled), the key it owns in the window, or a key the
page reads itself (`hint`, shown only). Another page action in a menu is one line here:
`Command("粘贴(&P)", page_action("act_paste"), key="Ctrl+V")`; ui.menus then takes the
page's own Ctrl+V (one action per key). An input box keeps its own Ctrl+V and Ctrl+Z:
Qt lets the focused editor claim a standard key before a window shortcut fires."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from ui.ledger_page import LedgerPage

# The page actions the fixed entries below stand for; the toolbar's others are extras.
GENERIC = ("act_new", "act_edit", "act_delete", "act_xlsx", "act_pdf", "act_import",
           "act_template", "act_refresh", "act_reveal", "act_undo", "act_paste")


@dataclass(frozen=True)
class Command:
    text: str  # with its mnemonic: 新增(&N)
    target: Callable[[QWidget | None], object]  # page → a QAction to follow, a callable, None
    key: str = ""  # a shortcut the entry owns in the whole window
    hint: str = ""  # a key the page reads itself: shown in the menu, not bound
    texts: tuple[tuple[str, str], ...] = ()  # the page action's text → the entry's
    when: Callable[[QWidget], bool] | None = None  # a callable target's enabled state
    perm: str = ""  # offered only to a role that may (ui.login.may)
    own_text: bool = False  # shows the page action's text (撤销：修改「…」)


def ledger_of(page: QWidget | None) -> LedgerPage | None:
    return page if isinstance(page, LedgerPage) else None


def page_action(name: str):
    """The ledger page's QAction `name`."""
    def target(page):
        page = ledger_of(page)
        return getattr(page, name, None) if page is not None else None
    return target


def page_method(name: str, *, any_page: bool = False):
    """The page's method `name` (a ledger page's, or — any_page — any page's)."""
    def target(page):
        if not any_page:
            page = ledger_of(page)
        return getattr(page, name, None) if page is not None else None
    return target


def first_of(*targets):
    def target(page):
        return next((t for t in (f(page) for f in targets) if t is not None), None)
    return target


def column_filter(page):
    """Alt+↓'s filter for the current column (the first shown one without a cursor)."""
    page = ledger_of(page)
    if page is None:
        return None

    def run():
        column = page.table.currentIndex().column()
        if column < 0 or page.table.isColumnHidden(column):
            column = next((c for c in range(len(page.fields))
                           if not page.table.isColumnHidden(c)), 0)
        page.open_column_filter(column)
    return run


def print_preview(page):
    page = ledger_of(page)
    if page is None:
        return None
    from ui.exports import preview_pdf

    return lambda: preview_pdf(page)


def clear_filters(page):
    page = ledger_of(page)
    return page.filter_bar.clear if page is not None else None


def filtered(page) -> bool:
    bar = page.filter_bar
    return bool(bar.search.text() or bar.filters() or page.column_filters
                or page.figure_filter)


def has_selection(page) -> bool:
    return page.table.selectionModel().hasSelection()


FILE = (
    Command("导入(&I)…", page_action("act_import"), perm="import"),
    Command("下载导入模板(&T)…", page_action("act_template")),
    Command("导出Excel(&E)…", first_of(page_action("act_xlsx"),
                                     page_method("export_xlsx", any_page=True))),
    Command("打印/导出PDF(&P)…", page_action("act_pdf"), key="Ctrl+P"),
    Command("打印预览(&V)", print_preview),
)
EDIT = (
    Command("撤销(&U)", page_action("act_undo"), key="Ctrl+Z", perm="update", own_text=True),
    None,
    Command("新增(&N)", page_action("act_new"), key="Ctrl+N", perm="create"),
    Command("修改(&M)…", page_action("act_edit"), key="F2", texts=(("查看", "查看(&M)…"),)),
    Command("删除(&D)…", page_action("act_delete"), hint="Delete", perm="create"),
    None,
    Command("复制(&C)", page_method("copy_selection"), hint="Ctrl+C", when=has_selection),
    Command("粘贴为记录(&P)…", page_action("act_paste"), key="Ctrl+V"),  # a viewer is told why not
    Command("查找(&F)", page_method("focus_search"), key="Ctrl+F"),
    Command("筛选当前列(&L)…", column_filter, hint="Alt+↓"),
    Command("清除筛选(&R)", clear_filters, when=filtered),
)
VIEW = (
    Command("刷新(&R)", first_of(page_action("act_refresh"),
                               page_method("reload", any_page=True)), key="F5"),
    Command("显示完整号码(&I)", page_action("act_reveal"), perm="reveal",
            texts=(("隐藏完整号码", "隐藏完整号码(&I)"),)),
)
