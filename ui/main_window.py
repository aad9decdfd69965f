"""Main window: ledger navigation on the left, pages on the right, the open
database in the status bar. Geometry and splitter are remembered per PC."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.db import Database
from app.specs import LedgerSpec, all_specs
from ui.ledger_page import LedgerPage
from ui.session import SessionActions
from ui.settings import qsettings
from ui.settings_page import SettingsPage

DEFAULT_SIZE = (1366, 768)  # what most office PCs show


class MainWindow(SessionActions, QMainWindow):
    def __init__(self, db: Database, parent=None, *, db_overridden_by: str = ""):
        super().__init__(parent)
        self.db = db
        self.restart_code = 0
        self.db_overridden_by = db_overridden_by  # "--db" given: the settings don't apply
        self.settings_page = SettingsPage(db)
        self.pages: list[tuple[str, QWidget]] = []
        self.selection_label = QLabel()  # 计数/求和 of the selected cells, as in Excel

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet(
            "#nav { border: none; background: #f2f4f7; font-size: 11pt; outline: 0; }"
            "#nav::item { padding: 8px 12px; }"
            "#nav::item:selected { background: #dbe6f4; color: #0b3d77; }")
        self.stack = QStackedWidget()
        from ui.home_page import HomePage

        self.home = HomePage(db)
        self.home.open_rows.connect(self.show_where)
        self.add_page("首页", self.home)
        self._ledger_nav()
        self._checks_nav()
        self.add_page("设置", self.settings_page)
        self.nav.currentItemChanged.connect(self._nav_changed)
        self.nav.setMinimumWidth(100)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([128, DEFAULT_SIZE[0] - 128])
        self.setCentralWidget(self.splitter)

        self.statusBar().addPermanentWidget(self.selection_label)
        self.db_label = QLabel(db.describe())
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().setSizeGripEnabled(True)

        self.settings_page.page_created.connect(self._wire)
        self.settings_page.street_renamed.connect(self._set_title)
        self.settings_page.pay_saved.connect(lambda: self._data_changed("staff"))
        self._set_title(db.street_name())
        from ui import session

        session.install(self)
        self.restore_state()
        self.nav.setCurrentRow(0)  # 首页

    # -- navigation generated from the registered specs -----------------------
    def _ledger_nav(self) -> None:
        """权责清单 / 机构编制 / 网格 / 整改 / 会议: every spec with a group gets a page, in
        its group's order, beside the other pages of its group (ui.nav_pages: 编制总览); a
        group of several pages gets a heading. The first page is built now, the others
        when first shown."""
        from ui.nav_pages import nav_pages

        entries = [(s.order, s.key, s.group, s.title, s) for s in all_specs() if s.group]
        entries += [(p.order, p.key, p.group, p.title, p) for p in nav_pages()]
        groups: dict[str, list] = {}
        for entry in sorted(entries, key=lambda e: (e[0], e[1])):
            groups.setdefault(entry[2], []).append(entry)
        self._first_row = None
        for group, members in groups.items():
            headed = len(members) > 1 or members[0][3] != group
            if headed:
                head = QListWidgetItem(group, self.nav)
                head.setFlags(Qt.ItemIsEnabled)  # not selectable: a heading
                font = head.font()
                font.setBold(True)
                head.setFont(font)
            for *_k, title, what in members:
                if not isinstance(what, LedgerSpec):
                    page = LazyPage(lambda what=what: what.build(self))
                elif self._first_row is None:
                    page = LedgerPage(self.db, what)
                else:
                    page = SpecPage(self, what)
                self.add_page(title, page, indent=headed)
                if self._first_row is None and isinstance(what, LedgerSpec):
                    self._first_row = self.nav.count() - 1

    def _checks_nav(self) -> None:
        """核查: the checks every spec declares, one page (app.checks)."""
        from app.checks import declared

        self.checks_page = None
        if declared():
            from ui.checks_page import ChecksPage

            self.checks_page = ChecksPage(self)
            self.add_page("核查", self.checks_page)

    def open_row(self, ledger: str, row_id: int) -> None:
        """Show row `row_id` on its ledger's page: filters cleared, the row selected."""
        for title, page in self.pages:
            if getattr(page, "spec", None) is not None and page.spec.key == ledger:
                self.show_page(title)
                page = self.page_of(ledger)
                page.filter_bar.clear()
                page.select_id(row_id)
                page.table.setFocus()
                return

    def _nav_changed(self, item, _previous) -> None:
        self.selection_label.clear()  # it spoke of the page left
        if item is not None and item.data(Qt.UserRole) is not None:
            self.stack.setCurrentIndex(item.data(Qt.UserRole))

    def page_of(self, key: str) -> LedgerPage:
        """The page of ledger `key`, built if it was not yet."""
        for _title, page in self.pages:
            if isinstance(page, SpecPage) and page.spec.key == key:
                return page.built()
            if isinstance(page, LedgerPage) and page.spec.key == key:
                return page
        raise KeyError(key)

    @property
    def powers(self) -> LedgerPage:
        return self.page_of("powers")

    def ledger_pages(self) -> list[LedgerPage]:
        """The ledger pages built so far (settings tabs are built when first shown)."""
        pages = [p.page if isinstance(p, SpecPage) else p for _title, p in self.pages]
        pages = [p for p in pages if isinstance(p, LedgerPage)]
        return [*pages, *self.settings_page.ledger_pages()]

    def _wire(self, page: LedgerPage) -> None:
        page.message.connect(self.show_message)
        page.changed.connect(self._data_changed)
        page.show_rows.connect(self.show_rows)
        page.selection_summary.connect(self.selection_label.setText)
        if getattr(self, "page_menus", None) is not None:  # built after the first page
            self.page_menus.adopt(page)  # its keys go to the 文件/编辑/视图 entries

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _data_changed(self, key: str) -> None:
        # Pages that show rows of this ledger (itself, or as reference labels and filter
        # choices) reload when next shown; the others are untouched. The page that wrote
        # has reloaded already.
        writer = self.sender()
        self.home.mark_stale()
        if self.checks_page is not None:
            self.checks_page.mark_stale(key)
        for page in self.ledger_pages():
            if page is not writer and key in page.depends_on():
                page.mark_stale()

    def reload_all(self) -> None:
        self.home.mark_stale()
        for page in self.ledger_pages():
            page.reload()
        self.settings_page.street_form.load()
        self._set_title(self.db.street_name())

    def add_page(self, title: str, page, *, indent: bool = False) -> None:
        """Another entry in the navigation (ledgers, 操作留痕, 回收站, ...)."""
        self.pages.append((title, page))
        item = QListWidgetItem(("    " if indent else "") + title, self.nav)
        item.setData(Qt.UserRole, self.stack.addWidget(page))
        item.setData(Qt.UserRole + 1, title)
        item.setData(Qt.UserRole + 2, indent)  # under a group heading (ui.menus: 视图)
        if isinstance(page, LedgerPage):
            self._wire(page)

    def show_rows(self, ledger: str, field: str, value: str) -> None:
        """Open the page of `ledger` filtered to the rows whose `field` is `value` (e.g. the
        items that still name a body someone tried to delete)."""
        for title, page in self.pages:
            if getattr(page, "spec", None) is not None and page.spec.key == ledger:
                self.show_page(title)
                page = self.page_of(ledger)
                if field in page.filter_bar.combos:
                    combo = page.filter_bar.combos[field]
                    combo.setCurrentIndex(max(combo.findData(value), 0))
                return

    def show_where(self, ledger: str, where: dict) -> None:
        """Open the page of `ledger` showing the rows that match `where` (a figure's
        filter: the people behind a number of 编制总览 or of a card on 首页)."""
        for title, page in self.pages:
            if getattr(page, "spec", None) is not None and page.spec.key == ledger:
                self.show_page(title)
                self.page_of(ledger).show_figure(where)
                self.page_of(ledger).table.setFocus()
                return
        raise KeyError(ledger)

    def show_page(self, title: str) -> None:
        for row in range(self.nav.count()):
            if self.nav.item(row).data(Qt.UserRole + 1) == title:
                self.nav.setCurrentRow(row)
                return
        raise KeyError(title)

    def _set_title(self, street: str) -> None:
        self.setWindowTitle(street)  # Qt adds the app name (applicationDisplayName)

    # -- remembered state ---------------------------------------------------
    def restore_state(self) -> None:
        s = qsettings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(*self._default_size())
        splitter = s.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        s = qsettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()

    def _default_size(self) -> tuple[int, int]:
        screen = self.screen()
        if screen is None:
            return DEFAULT_SIZE
        avail = screen.availableGeometry()
        return min(DEFAULT_SIZE[0], avail.width()), min(DEFAULT_SIZE[1], avail.height())

    def closeEvent(self, event):  # noqa: N802 - Qt API
        self.watcher.stop()
        self.save_state()
        super().closeEvent(event)


class LazyPage(QWidget):
    """A navigation entry whose page is built when first shown."""

    def __init__(self, build):
        super().__init__()
        self.build, self.page = build, None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def built(self) -> QWidget:
        if self.page is None:
            self.page = self.build()
            self.layout().addWidget(self.page)
            if self.isVisible():  # a child added to a shown widget is not shown by itself
                self.page.show()
        return self.page

    def showEvent(self, event):  # noqa: N802 - Qt API
        self.built()
        super().showEvent(event)


class SpecPage(QWidget):
    """A ledger's navigation entry whose page is built when first shown (start-up pays
    only for the ledger on screen)."""

    def __init__(self, window: MainWindow, spec: LedgerSpec):
        super().__init__()
        self.window_, self.spec, self.page = window, spec, None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def built(self) -> LedgerPage:
        if self.page is None:
            self.page = LedgerPage(self.window_.db, self.spec)
            self.layout().addWidget(self.page)
            self.window_._wire(self.page)
        return self.page

    def showEvent(self, event):  # noqa: N802 - Qt API
        self.built()
        super().showEvent(event)
