"""首页: a card per ledger with the figures `stats` prints (app.dashboard), the to-do list
of the signed-in role and the rectification charts. Every figure, to-do and bar opens
the ledger's page filtered to the rows behind it (`open_rows(ledger, where)`)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app import dashboard
from app.db import Database

CARD = ("#card { background: #ffffff; border: 1px solid #d5dde8; border-radius: 4px; }"
        " QToolButton#figure { border: 1px solid transparent; border-radius: 3px;"
        " padding: 2px 6px; text-align: left; }"
        " QToolButton#figure:hover { background: #eef3fa; border-color: #c9d6e8; }"
        " QToolButton#figure:focus { border: 2px solid #1f6fd1; }")
WIDE = 1500  # from this page width on, up to three cards a row (else up to two)


def figure_text(v) -> str:
    return f"{v.label}\n{v.text}"  # as the strip and the PDF show it: 94.2%, 2,800,000.00


class LedgerCard(QFrame):
    """One ledger: its title (opens the page) and its headline figures (each opens the
    rows behind it)."""

    def __init__(self, card: dashboard.Card, open_rows, parent=None):
        super().__init__(parent)
        self.card = card
        self.setObjectName("card")
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Maximum)
        self.title = QToolButton()
        self.title.setText(f"{card.spec.title} ›")
        self.title.setObjectName("figure")
        self.title.setToolTip(f"打开{card.spec.title}")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.title.clicked.connect(lambda: open_rows(card.spec.key, {}))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 8)
        lay.setSpacing(2)
        lay.addWidget(self.title, 0, Qt.AlignLeft)
        grid = QGridLayout()
        grid.setHorizontalSpacing(2)
        grid.setVerticalSpacing(2)
        self.buttons: list[QToolButton] = []
        for n, v in enumerate(card.headline):
            b = QToolButton()
            b.setObjectName("figure")
            b.setText(figure_text(v))
            b.setToolButtonStyle(Qt.ToolButtonTextOnly)
            b.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
            b.setCursor(Qt.PointingHandCursor)
            b.setToolTip(v.hint or f"查看{v.label}的记录")
            if v.tone == "warn" and v.value:
                b.setStyleSheet("color: #b3261e;")
            b.setProperty("value", v)
            ledger = card.ledger_of(v)
            b.clicked.connect(lambda _c=False, k=ledger, w=dict(v.where): open_rows(k, w))
            grid.addWidget(b, n // 4, n % 4)
            self.buttons.append(b)
        lay.addLayout(grid)

    def shown(self) -> list[tuple[str, object]]:
        """(label, value) of the figures on the card, as drawn."""
        return [(b.property("value").label, b.property("value").value) for b in self.buttons]


class HomePage(QWidget):
    open_rows = Signal(str, dict)  # ledger key, filter ({} = every row)

    def __init__(self, db: Database, parent=None, *, today: date | None = None):
        super().__init__(parent)
        self.db, self.today = db, today
        self.stale = True
        self.cards: list[LedgerCard] = []
        self.todo_items: list[dashboard.Todo] = []

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.card_grid = QGridLayout()
        self.card_grid.setSpacing(8)
        self.todo = QListWidget()
        self.todo.setObjectName("todo")
        self.todo.setAccessibleName("待办事项")
        self.todo.setMinimumWidth(280)
        self.todo.setStyleSheet("#todo::item { padding: 5px 4px; }")
        self.todo.itemActivated.connect(self._todo_opened)  # Enter or double click
        self.todo.itemClicked.connect(self._todo_opened)
        todo_title = QLabel("待办事项")
        todo_title.setStyleSheet("font-weight: bold;")
        self.todo_empty = QLabel("暂无待办事项")
        self.todo_empty.setStyleSheet("color: #607080;")

        from ui.home_charts import HomeCharts  # Qt Charts loads when the page is built

        self.charts = HomeCharts()
        self.charts.clicked.connect(self.open_rows)

        side = QVBoxLayout()
        side.addWidget(todo_title)
        side.addWidget(self.todo_empty)
        side.addWidget(self.todo, 1)
        top = self.top = QHBoxLayout()  # the to-do list goes under the cards when narrow
        cards_box = QVBoxLayout()
        cards_box.addLayout(self.card_grid)
        cards_box.addStretch(1)
        top.addLayout(cards_box, 3)
        top.addLayout(side, 1)
        body = QWidget()
        body.setObjectName("homebody")
        body.setStyleSheet("#homebody { background: #f4f6f9; }" + CARD)
        inner = QVBoxLayout(body)
        inner.setContentsMargins(12, 8, 12, 12)
        inner.addWidget(self.heading)
        inner.addLayout(top)
        inner.addWidget(self.charts)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(body)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(scroll)
        QShortcut(QKeySequence("F5"), self, self.reload, context=Qt.WidgetWithChildrenShortcut)

    # -- data -----------------------------------------------------------------
    def reload(self) -> None:
        from ui.dialogs import busy_cursor

        with busy_cursor():
            found = dashboard.cards(self.db)
            todos = dashboard.todos(self.db, found)
            charts = (dashboard.completion_by_community(self.db),
                      dashboard.problems_by_aspect(self.db, found),
                      dashboard.monthly_trend(self.db, today=self.today))
        self._show_cards(found)
        self._show_todos(todos)
        self.charts.setVisible(any(charts))
        self.charts.set_data(*charts)
        day = self.today or date.today()
        self.heading.setText(f"{self.db.street_name()} · {day.year}年{day.month}月{day.day}日")
        self.stale = False

    def _show_cards(self, found: list[dashboard.Card]) -> None:
        for card in self.cards:
            self.card_grid.removeWidget(card)
            card.deleteLater()
        self.cards = [LedgerCard(c, self.open_rows.emit) for c in found]
        self._place_cards()

    def _layout_for_width(self) -> tuple[int, bool]:
        """(cards a row, to-do list beside them): as many columns as the cards' own
        widths allow (three from WIDE on), the to-do list under the cards when not even
        one column fits beside it (1366×768 at 150 % is a page 780 px wide)."""
        width = self.width() - 40  # the body's margins and a scroll bar
        beside = width - max(self.todo.minimumWidth(), 200) - self.top.spacing()
        mins = [c.minimumSizeHint().width() for c in self.cards] or [0]

        def need(columns: int) -> int:
            return sum(max(mins[i::columns], default=0) for i in range(columns)) + \
                self.card_grid.horizontalSpacing() * (columns - 1)

        for room, side in ((beside, True), (width, False)):
            for columns in (3, 2, 1) if self.width() >= WIDE else (2, 1):
                if need(columns) <= room:
                    return columns, side
        return 1, False

    def _place_cards(self) -> None:
        columns, beside = self._layout_for_width()
        self.top.setDirection(QBoxLayout.LeftToRight if beside else QBoxLayout.TopToBottom)
        if getattr(self, "_columns", None) == columns and all(
                self.card_grid.indexOf(c) >= 0 for c in self.cards):
            return
        self._columns = columns
        for card in self.cards:
            self.card_grid.removeWidget(card)
        for n, card in enumerate(self.cards):  # top-aligned: a short card beside a tall one
            self.card_grid.addWidget(card, n // columns, n % columns, Qt.AlignTop)

    def resizeEvent(self, event):  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_cards()

    def _show_todos(self, todos: list[dashboard.Todo]) -> None:
        self.todo.clear()
        self.todo_items = todos
        for t in todos:
            item = QListWidgetItem(f"{t.title}：{t.label}  {t.count} 条", self.todo)
            item.setToolTip(t.hint or f"查看{t.label}的记录")
            if "逾期" in t.label:
                item.setForeground(Qt.darkRed)
        self.todo.setVisible(bool(todos))
        self.todo_empty.setVisible(not todos)

    def _todo_opened(self, item: QListWidgetItem) -> None:
        t = self.todo_items[self.todo.row(item)]
        self.open_rows.emit(t.ledger, dict(t.where))

    def mark_stale(self) -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event):  # noqa: N802 - Qt API
        super().showEvent(event)
        if self.stale:
            self.reload()
