"""设置: the street itself (its name is used in report titles), its small ledgers
(communities, functional bodies — generic pages driven by their specs), the editable
choice lists, the community workers' pay table, the remembered import choices, and this
PC's display (font size)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.areas import district_name, rename_street
from app.db import Database
from app.errors import UserError, ValidationError
from app.specs import all_specs
from app.specs.settings import BODIES, COMMUNITIES
from ui.dialogs import show_error
from ui.display_settings import DisplayPanel
from ui.form_dialog import ERROR_STYLE
from ui.ledger_page import LedgerPage


class StreetForm(QWidget):
    saved = Signal(str)  # the new street name

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.district = QLineEdit()
        self.district.setMaxLength(100)
        self.street = QLineEdit()
        self.street.setMaxLength(100)
        self.errors = {k: QLabel() for k in ("district", "street")}
        for label in self.errors.values():
            label.setStyleSheet(ERROR_STYLE)
            label.hide()
        form = QFormLayout()
        form.addRow("区（县）名称", self._with_error(self.district, "district"))
        form.addRow("街道名称", self._with_error(self.street, "street"))
        self.save_button = QPushButton("保存")
        self.save_button.clicked.connect(self.save)
        self.street.returnPressed.connect(self.save)
        self.district.returnPressed.connect(self.save)
        self.status = QLabel()
        self.status.setStyleSheet("color: #2e7d32;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.status)
        buttons.addStretch(1)
        note = QLabel("街道名称用于报表标题和“编制单位”，区（县）名称用于上报材料。"
                      "社区和职能机构在右侧的标签页中维护。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        inner = QWidget()
        inner.setMaximumWidth(560)
        col = QVBoxLayout(inner)
        col.addLayout(form)
        col.addLayout(buttons)
        col.addSpacing(8)
        col.addWidget(note)
        lay = QVBoxLayout(self)
        lay.addWidget(inner)
        lay.addStretch(1)
        from ui.login import may

        self.may_edit = may(db, "settings")  # the core refuses others anyway
        if not self.may_edit:
            self.street.setReadOnly(True)
            self.district.setReadOnly(True)
            self.save_button.hide()
            self.status.setText("只有管理员可以修改街道信息")
            self.status.setStyleSheet("color: #666;")
        self.load()

    def _with_error(self, edit: QLineEdit, key: str) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(edit)
        v.addWidget(self.errors[key])
        return w

    def load(self) -> None:
        self.street.setText(self.db.street_name())
        self.district.setText(district_name(self.db))

    def save(self) -> None:
        if not self.may_edit:
            return
        for label in self.errors.values():
            label.hide()
        self.status.clear()
        try:
            rename_street(self.db, self.street.text(), self.district.text())
        except ValidationError as exc:
            for key, msg in exc.errors.items():
                label = self.errors.get(key)
                if label is not None:
                    label.setText(msg)
                    label.show()
            return
        except UserError as exc:
            show_error(self, exc)
            return
        self.load()
        self.status.setText("已保存")
        self.saved.emit(self.street.text())


class SettingsPage(QWidget):
    """Tabs 街道信息, then a tab per ledger that has no navigation group of its own (社区,
    职能机构), 可选值 and 导入记忆. Tabs are built when first shown (or asked for), which
    keeps start-up short."""

    street_renamed = Signal(str)
    page_created = Signal(object)  # a LedgerPage, once built
    pay_saved = Signal()  # the pay table changed: the 人员 page's pay column is stale

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.SPECS = tuple(s for s in all_specs() if not s.group)
        self._pages: dict[str, LedgerPage] = {}
        self.street_form = StreetForm(db)
        self.street_form.saved.connect(self.street_renamed)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.street_form, "街道信息")
        self._builders = [None]  # per tab: what builds it when first shown
        for spec in self.SPECS:
            self._add_lazy(spec.title, lambda spec=spec: self.page(spec))
        self._add_lazy("可选值", self.choices)
        self._add_lazy("整改预警与评比", self.rectification)
        self._add_lazy("等级薪酬", self.pay_table)
        self._add_lazy("导入记忆", self.import_memory)
        self.display = DisplayPanel()
        self.tabs.addTab(self.display, "本机显示")  # per-PC: the font size
        self._builders.append(lambda: None)
        self.tabs.currentChanged.connect(self._tab_changed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.tabs)

    def _add_lazy(self, title: str, build) -> None:
        self.tabs.addTab(QWidget(), title)  # a placeholder until first shown
        self._builders.append(build)

    def _tab_changed(self, index: int) -> None:
        if 0 < index < len(self._builders):
            self._builders[index]()

    def _put(self, title: str, widget: QWidget) -> None:
        """Replace the placeholder tab `title` by `widget`, staying on the current tab."""
        index = next(i for i in range(self.tabs.count()) if self.tabs.tabText(i) == title)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        placeholder = self.tabs.widget(index)
        self.tabs.removeTab(index)
        placeholder.deleteLater()
        self.tabs.insertTab(index, widget, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)

    def show_display(self) -> DisplayPanel:
        self.tabs.setCurrentWidget(self.display)
        return self.display

    def import_memory(self):
        """The 导入记忆 tab (remembered column mappings and name aliases), reloaded."""
        from ui.import_memory import ImportMemoryPanel

        panel = getattr(self, "_memory", None)
        if panel is not None:
            panel.reload()
            return panel
        panel = self._memory = ImportMemoryPanel(self.db)
        self._put("导入记忆", panel)
        return panel

    def choices(self):
        """The 可选值 tab: the editable choice lists of every ledger."""
        from ui.choices_panel import ChoicesPanel

        panel = getattr(self, "_choices", None)
        if panel is None:
            panel = self._choices = ChoicesPanel(self.db)
            self._put("可选值", panel)
        return panel

    def rectification(self):
        """The 整改预警与评比 tab: warning thresholds, 红黑榜 rules, number prefix."""
        from ui.rectification_settings_panel import RectificationSettingsPanel

        panel = getattr(self, "_rectification", None)
        if panel is None:
            panel = self._rectification = RectificationSettingsPanel(self.db)
            self._put("整改预警与评比", panel)
        return panel

    def pay_table(self):
        """The 等级薪酬 tab: the community workers' grade → pay table."""
        from ui.pay_panel import PayPanel

        panel = getattr(self, "_pay", None)
        if panel is None:
            panel = self._pay = PayPanel(self.db)
            panel.saved.connect(self.pay_saved)
            self._put("等级薪酬", panel)
        return panel

    def page(self, spec) -> LedgerPage:
        page = self._pages.get(spec.key)
        if page is None:
            page = self._pages[spec.key] = LedgerPage(self.db, spec)
            self._put(spec.title, page)
            self.page_created.emit(page)
        return page

    @property
    def communities(self) -> LedgerPage:
        return self.page(COMMUNITIES)

    @property
    def bodies(self) -> LedgerPage:
        return self.page(BODIES)

    def ledger_pages(self) -> list[LedgerPage]:
        return list(self._pages.values())
