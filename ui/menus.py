"""The main window's 文件 / 编辑 / 视图 menus: commands on the page shown (the entries as
data: ui.menu_commands).

An entry acts on the current page — the ledger on screen, the ledger tab of 设置 that is
open, 首页, 操作留痕 … (`PageMenus.current_page`). Most entries forward to one of the
page's own QActions and follow it (enabled or not, 编辑 or 查看); the others call a page
method (`focus_search`, `reload`). On a page that is not a ledger's, the ledger entries
are disabled. A ledger's own toolbar actions (办件量, 添加议定事项, its documents) are
listed too: rebuilt whenever another page comes up.

Keys: the entries own the window's keys (Ctrl+N, Ctrl+P, Ctrl+F, F2, F5, Ctrl+K,
Ctrl+1…9), so a key works wherever the focus is in the window — the search box, a filter
combo, the navigation list. A page hosted by the window gives up its own shortcut for
such a key (`PageMenus.adopt`): Qt fires nothing and reports "Ambiguous shortcut
overload" when two enabled actions in scope share a key. A page on its own (a test, a
dialog) keeps its keys.

Keys the table reads at its cell cursor — Enter, Delete, Ctrl+C, Alt+↓ — are shown after
an entry's text but not bound to the window: bound there they would also fire from the
search box or a filter combo (Alt+↓ opens a combo's list; Delete in the navigation list
would delete rows)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QWidget

from ui.ledger_page import LedgerPage
from ui.login import may
from ui.menu_commands import EDIT, FILE, GENERIC, VIEW, Command, ledger_of

TAKEN_KEY = "streetledger_menu_key"  # a page action's key, now carried by its menu entry
ADOPTED = "streetledger_menus_adopted"
INDENT_ROLE = Qt.UserRole + 2  # a navigation item under a group heading (ui.main_window)
PORTABLE = QKeySequence.SequenceFormat.PortableText


class PageMenus(QObject):
    """The three menus of one MainWindow (a child of it: its connections die with it)."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.items: list[tuple[QAction, Command]] = []
        self.extras: list[tuple[QAction, QAction]] = []  # (entry, the page's action)
        self.extra_menus: list[QMenu] = []
        self.keys: set[str] = set()  # the keys the entries own
        self.page: QWidget | None = None
        bar = window.menuBar()
        self.file = bar.addMenu("文件(&F)")
        self.edit = bar.addMenu("编辑(&E)")
        self.view = bar.addMenu("视图(&V)")
        self._fill(self.file, FILE)
        self.file_extras = self.file.addSeparator()  # the page's documents go above it
        if may(window.db, "backup"):
            self._window_item(self.file, "备份与恢复(&B)…", window.backup_restore)
        self.file.addSeparator()
        # Ctrl+Q spelt out: Qt's standard Quit key is empty on Windows.
        self._window_item(self.file, "退出(&X)", window.close, "Ctrl+Q")
        self._fill(self.edit, EDIT)
        self.edit.addSeparator()
        self.edit_extras = self.edit.addSeparator()  # the page's row actions go above it
        self._pages_menu(self.view)
        self.view.addSeparator()
        self._fill(self.view, VIEW[:1])
        self.columns_menu = self.view.addMenu("显示的列(&C)")
        self.columns_menu.aboutToShow.connect(self._columns_shown)
        self.columns_menu.triggered.connect(self._column_chosen)
        self._font_menu(self.view)
        self._fill(self.view, VIEW[1:])
        for menu in (self.file, self.edit, self.view):
            menu.aboutToShow.connect(self.follow)
        window.stack.currentChanged.connect(self.follow)
        window.settings_page.tabs.currentChanged.connect(self.follow)
        self.adopt(window.home)
        for page in window.ledger_pages():
            self.adopt(page)
        self.follow()

    # -- building -----------------------------------------------------------------
    def _fill(self, menu: QMenu, commands) -> None:
        for cmd in commands:
            if cmd is None:
                menu.addSeparator()
                continue
            item = QAction(cmd.text + (f"\t{cmd.hint}" if cmd.hint else ""), self.window_)
            if cmd.key:  # the window's: works wherever the focus is in it
                item.setShortcut(QKeySequence(cmd.key))
                self.keys.add(cmd.key)
            item.setVisible(not cmd.perm or may(self.window_.db, cmd.perm))
            item.setData(len(self.items))
            item.triggered.connect(self._run)
            menu.addAction(item)
            self.items.append((item, cmd))

    def _window_item(self, menu: QMenu, text: str, slot, key: str = "") -> QAction:
        item = QAction(text, self.window_)
        if key:
            item.setShortcut(QKeySequence(key))
            self.keys.add(key)
        item.triggered.connect(slot)  # bound methods only (see ui.session)
        menu.addAction(item)
        return item

    def _pages_menu(self, menu: QMenu) -> None:
        """The navigation's pages: a group of several as a submenu; Ctrl+1…9 (and the
        mnemonics 1…9) for the first nine entries — a group's key opens its first page."""
        nav = self.window_.nav
        n, group, first = 0, None, False
        for row in range(nav.count()):
            item = nav.item(row)
            title = item.data(Qt.UserRole + 1)
            if title is None:  # a heading: its pages follow, indented
                n += 1
                group = menu.addMenu(item.text().strip() + (f"(&{n})" if n <= 9 else ""))
                first = True
                continue
            if not item.data(INDENT_ROLE):
                group = None
            if group is None:
                n += 1
                self._page_item(menu, title + (f"(&{n})" if n <= 9 else ""), title, n)
            else:
                self._page_item(group, title, title, n if first else 0)
                first = False

    def _page_item(self, menu: QMenu, text: str, title: str, n: int) -> None:
        item = QAction(text, self.window_)
        item.setData(title)
        if 1 <= n <= 9:
            item.setShortcut(QKeySequence(f"Ctrl+{n}"))
            self.keys.add(f"Ctrl+{n}")
        item.triggered.connect(self._show_page)
        menu.addAction(item)

    def _font_menu(self, view: QMenu) -> None:
        from ui.appearance import FONT_SIZES
        from ui.display_settings import size_label

        self.font_menu = view.addMenu("字号(&Z)")
        self.font_group = QActionGroup(self.font_menu)
        for name, points in FONT_SIZES.items():
            item = QAction(size_label(name, points), self.font_group)
            item.setCheckable(True)
            item.setData(points)
            self.font_menu.addAction(item)
        self.font_group.triggered.connect(self._font_chosen)
        self.font_menu.aboutToShow.connect(self._font_shown)

    # -- the current page -----------------------------------------------------------
    def current_page(self) -> QWidget | None:
        """The page shown: a lazily built entry's page, the open tab of 设置."""
        w = self.window_.stack.currentWidget()
        built = getattr(w, "built", None)  # ui.main_window / ui.session LazyPage, SpecPage
        if callable(built):
            w = built()
        if w is self.window_.settings_page:
            w = w.tabs.currentWidget()
        return w

    def follow(self, *_args) -> None:
        page = self.current_page()
        if page is not self.page:
            self.page = page
            self._rebuild_extras(ledger_of(page))
        self.sync()

    def sync(self, *_args) -> None:
        """Every entry as the current page's action or state says."""
        page = self.page
        for item, cmd in self.items:
            target = cmd.target(page)
            if isinstance(target, QAction):
                item.setEnabled(target.isEnabled() and target.isVisible())
                if cmd.texts:
                    item.setText(dict(cmd.texts).get(target.text(), cmd.text))
                elif cmd.own_text:
                    item.setText(f"{target.text()}(&U)" if target.isEnabled() else cmd.text)
            else:
                item.setEnabled(target is not None and (cmd.when is None or cmd.when(page)))
        for item, act in self.extras:
            item.setEnabled(act.isEnabled())
            item.setVisible(act.isVisible())
        self.columns_menu.menuAction().setEnabled(ledger_of(page) is not None)

    def adopt(self, page: QWidget) -> None:
        """Take over the keys of `page` that an entry owns (its toolbar extras' too), and
        follow its actions' state."""
        if page.property(ADOPTED):
            return
        page.setProperty(ADOPTED, True)
        ledger = ledger_of(page)
        extras = set(self.extra_actions(ledger)) if ledger is not None else set()
        own = page.findChildren(QAction, options=Qt.FindDirectChildrenOnly)
        for act in own:
            key = act.shortcut().toString(PORTABLE)
            if key and (key in self.keys or act in extras):
                act.setProperty(TAKEN_KEY, key)
                act.setShortcut(QKeySequence())
        for shortcut in page.findChildren(QShortcut, options=Qt.FindDirectChildrenOnly):
            if shortcut.key().toString(PORTABLE) in self.keys:
                shortcut.setEnabled(False)
        # The entries follow the page's actions (the toolbar's, and 撤销/粘贴 that are not
        # on it), each connected once.
        followed = dict.fromkeys(own)
        if ledger is not None:
            followed.update(dict.fromkeys(ledger.toolbar.actions()))
            ledger.table.selectionModel().selectionChanged.connect(self.sync)
        for act in followed:
            act.changed.connect(self.sync)

    # -- the ledger's own actions -------------------------------------------------------
    @staticmethod
    def extra_actions(page: LedgerPage) -> list[QAction]:
        generic = {getattr(page, name, None) for name in GENERIC}
        return [a for a in page.toolbar.actions() if not a.isSeparator() and a not in generic]

    def _rebuild_extras(self, page: LedgerPage | None) -> None:
        for item, _act in self.extras:
            for menu in (self.file, self.edit, *self.extra_menus):
                menu.removeAction(item)
            item.deleteLater()
        for menu in self.extra_menus:
            menu.deleteLater()
        self.extras, self.extra_menus = [], []
        if page is None:
            return
        documents = set(getattr(page, "document_actions", {}).values())
        row = set(getattr(page, "child_actions", {}).values()) - documents
        for act in self.extra_actions(page):
            menu, before = ((self.edit, self.edit_extras) if act in row
                            else (self.file, self.file_extras))
            item = self._extra(act)
            if act.menu() is not None:  # a document with a choice: 选中的 / 列表中的全部
                sub = QMenu(act.text(), menu)
                self.extra_menus.append(sub)
                for choice in act.menu().actions():
                    sub.addAction(self._extra(choice))
                item.setMenu(sub)
            menu.insertAction(before, item)

    def _extra(self, act: QAction) -> QAction:
        item = QAction(act.text(), self.window_)
        key = act.property(TAKEN_KEY)
        if key:
            item.setShortcut(QKeySequence(key))
        item.setToolTip(act.toolTip())
        item.setData(len(self.extras))
        if act.menu() is None:
            item.triggered.connect(self._run_extra)
        self.extras.append((item, act))
        return item

    # -- what the entries do --------------------------------------------------------------
    def _run(self) -> None:
        cmd = self.items[self.sender().data()][1]
        self.follow()
        target = cmd.target(self.page)
        if isinstance(target, QAction):
            if target.isEnabled() and target.isVisible():
                target.trigger()
        elif target is not None and (cmd.when is None or cmd.when(self.page)):
            target()

    def _run_extra(self) -> None:
        index = self.sender().data()
        if 0 <= index < len(self.extras):
            act = self.extras[index][1]
            if act.isEnabled():
                act.trigger()

    def _show_page(self) -> None:
        self.window_.show_page(self.sender().data())
        self.follow()
        focus_into(self.page)

    def _font_shown(self) -> None:
        from ui.appearance import saved_font_size

        saved = int(saved_font_size())
        for item in self.font_group.actions():
            item.setChecked(item.data() == saved)

    def _font_chosen(self, item: QAction) -> None:
        self.window_.settings_page.display.choose(item.data())

    def _columns_shown(self) -> None:
        """显示的列: the ledger's columns to tick (as the heading's right-click menu), and
        恢复默认列宽; the columns read only to filter by are not offered."""
        menu = self.columns_menu
        menu.clear()
        page = ledger_of(self.page)
        if page is None:
            return
        offered = [(i, f) for i, f in enumerate(page.fields) if f not in page.filter_only]
        shown = sum(not page.table.isColumnHidden(i) for i, _f in offered)
        for i, f in offered:
            item = menu.addAction(f.title)
            item.setCheckable(True)
            item.setChecked(not page.table.isColumnHidden(i))
            item.setEnabled(page.table.isColumnHidden(i) or shown > 1)  # keep one column
            item.setData(i)
        menu.addSeparator()
        menu.addAction("恢复默认列宽").setData(-1)

    def _column_chosen(self, item: QAction) -> None:
        page = ledger_of(self.page)
        if page is None:
            return
        if item.data() == -1:
            page.columns.fit()
        else:
            page.columns.set_hidden(item.data(), not item.isChecked())


def focus_into(page: QWidget | None) -> None:
    """The keyboard into a page just opened: a ledger's table, else its first field or
    button (the focus stayed in the navigation or a widget now hidden otherwise)."""
    if page is None:
        return
    if isinstance(page, LedgerPage):
        page.table.setFocus(Qt.ShortcutFocusReason)
        return
    w = page.nextInFocusChain()
    for _ in range(2000):  # the chain is a ring through the window: bounded anyway
        if w is None or w is page:
            return
        if page.isAncestorOf(w) and w.isVisibleTo(page) and w.isEnabled() and \
                w.focusPolicy() in (Qt.TabFocus, Qt.StrongFocus, Qt.WheelFocus):
            w.setFocus(Qt.ShortcutFocusReason)
            return
        w = w.nextInFocusChain()


def install(window) -> PageMenus:
    window.page_menus = PageMenus(window)
    return window.page_menus
