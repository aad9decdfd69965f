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
)

from app.db import Database
from ui.ledger_page import LedgerPage
from ui.powers_page import PowersPage
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
        self.powers = PowersPage(db)
        self.settings_page = SettingsPage(db)
        self.pages = [("权责清单", self.powers), ("设置", self.settings_page)]

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setStyleSheet(
            "#nav { border: none; background: #f2f4f7; font-size: 11pt; outline: 0; }"
            "#nav::item { padding: 8px 12px; }"
            "#nav::item:selected { background: #dbe6f4; color: #0b3d77; }")
        self.stack = QStackedWidget()
        for title, page in self.pages:
            QListWidgetItem(title, self.nav)
            self.stack.addWidget(page)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setMinimumWidth(100)

        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([128, DEFAULT_SIZE[0] - 128])
        self.setCentralWidget(self.splitter)

        self.db_label = QLabel(db.describe())
        self.statusBar().addPermanentWidget(self.db_label)
        self.statusBar().setSizeGripEnabled(True)

        for page in self.ledger_pages():
            self._wire(page)
        self.settings_page.page_created.connect(self._wire)
        self.settings_page.street_renamed.connect(self._set_title)
        self._set_title(db.street_name())
        from ui import session

        session.install(self)
        self.restore_state()
        self.nav.setCurrentRow(0)

    def ledger_pages(self) -> list[LedgerPage]:
        """The ledger pages built so far (settings tabs are built when first shown)."""
        pages = [p for _title, p in self.pages if isinstance(p, LedgerPage)]
        return [*pages, *self.settings_page.ledger_pages()]

    def _wire(self, page: LedgerPage) -> None:
        page.message.connect(self.show_message)
        page.changed.connect(self._data_changed)
        page.show_rows.connect(self.show_rows)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _data_changed(self, key: str) -> None:
        # Pages that show rows of this ledger (itself, or as reference labels and filter
        # choices) reload when next shown; the others are untouched. The page that wrote
        # has reloaded already.
        writer = self.sender()
        for page in self.ledger_pages():
            if page is not writer and key in page.depends_on():
                page.mark_stale()

    def reload_all(self) -> None:
        for page in self.ledger_pages():
            page.reload()
        self.settings_page.street_form.load()
        self._set_title(self.db.street_name())

    def add_page(self, title: str, page) -> None:
        """Another entry in the navigation (later ledgers, 操作留痕, 回收站, ...)."""
        self.pages.append((title, page))
        QListWidgetItem(title, self.nav)
        self.stack.addWidget(page)
        if isinstance(page, LedgerPage):
            self._wire(page)

    def show_rows(self, ledger: str, field: str, value: str) -> None:
        """Open the page of `ledger` filtered to the rows whose `field` is `value` (e.g. the
        items that still name a body someone tried to delete)."""
        for i, (_title, page) in enumerate(self.pages):
            if isinstance(page, LedgerPage) and page.spec.key == ledger:
                self.nav.setCurrentRow(i)
                if field in page.filter_bar.combos:
                    combo = page.filter_bar.combos[field]
                    combo.setCurrentIndex(max(combo.findData(value), 0))
                return

    def show_page(self, title: str) -> None:
        for i, (t, _page) in enumerate(self.pages):
            if t == title:
                self.nav.setCurrentRow(i)
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
