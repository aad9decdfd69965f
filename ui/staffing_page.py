"""机构编制 → 编制总览: the street's bodies × 编制类型 with 核定 / 实有 / 空编 / 超编 and
their totals (超编 in red), the leader posts per body (应配 / 实配 / 超配 / 缺配, 超配 in
red), and the 核查 list. A click on a number opens the 人员 page filtered to the people
behind it; a double click on a check lists its rows. Reads only (app.staffing_reads,
app.checks: the checks the 机构编制 specs declare); reloaded whenever the page is shown."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.checks import run_checks
from app.db import Database
from app.figures import EMPTY
from app.staffing_reads import MEASURES, Matrix, establishment_matrix
from ui.table_model import ALERT

HEAD_BG = QColor("#dbe6f4")
TOTAL_BG = QColor("#f2f4f7")
OVER_BG = QColor("#fdecea")
HEAD_ROWS = 2


def _item(text: str, *, head: bool = False, bold: bool = False, red: bool = False,
          where: dict | None = None, align=Qt.AlignCenter) -> QTableWidgetItem:
    it = QTableWidgetItem(text)
    it.setFlags(Qt.ItemIsEnabled | (Qt.ItemIsSelectable if where is not None else Qt.NoItemFlags))
    it.setTextAlignment(align | Qt.AlignVCenter)
    if head:
        it.setBackground(QBrush(HEAD_BG))
    if bold or head:
        font = QFont()
        font.setBold(True)
        it.setFont(font)
    if red:
        it.setForeground(QBrush(ALERT))
        it.setBackground(QBrush(OVER_BG))
    if where is not None:
        it.setData(Qt.UserRole, where)
        body, est, rank = (where.get(k) for k in ("est_body_id", "est_type", "leader_rank"))
        it.setData(Qt.UserRole + 1, "编制总览：" + "·".join(
            x for x in (body or "全街道", est, rank and f"{rank}领导职务", "在册人员") if x))
        it.setToolTip("点击查看这些人员")
    return it


def _grid() -> QTableWidget:
    t = QTableWidget()
    t.horizontalHeader().setVisible(False)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.setWordWrap(False)
    t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 10)
    return t


def _n(v: int) -> str:
    return str(v) if v else ""


class StaffingPage(QWidget):
    """The 编制总览 page. `people_wanted(where)`: show the 人员 rows matching `where` (a
    figure filter); `check_opened(check)`: list the rows of one 核查 line."""

    people_wanted = Signal(dict, str)  # the filter, and what it shows in words
    check_opened = Signal(object)

    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self.db = db
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt;")
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.reload)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(refresh)
        self.matrix_table = _grid()
        self.leader_table = _grid()
        for t in (self.matrix_table, self.leader_table):
            t.cellClicked.connect(self._clicked)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.matrix_table, "编制情况（核定 / 实有 / 空编 / 超编）")
        self.tabs.addTab(self.leader_table, "领导职数（应配 / 实配 / 超配 / 缺配）")
        note = QLabel("实有：编制在该机构、该类型的在册人员（在岗、借调、挂职、长病假）。"
                      "红色为超编或领导职数超配；点击数字查看对应人员。")
        note.setStyleSheet("color: #666;")
        note.setWordWrap(True)
        heading = QLabel("核查")
        heading.setStyleSheet("font-weight: bold; margin-top: 4px;")
        self.check_list = QListWidget()
        self.check_list.itemActivated.connect(self._check_activated)
        self.check_list.itemDoubleClicked.connect(self._check_activated)
        self.check_list.setMaximumHeight(self.check_list.fontMetrics().height() * 9)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(note)
        lay.addWidget(heading)
        lay.addWidget(self.check_list)
        self.matrix: Matrix | None = None
        self.checks = []

    def showEvent(self, event):  # noqa: N802 - Qt API
        self.reload()  # a few queries: always the current roster
        super().showEvent(event)

    def reload(self) -> None:
        m = self.matrix = establishment_matrix(self.db)
        t = m.total()
        over = m.over_bodies()
        self.summary.setText(
            f"核定编制 <b>{t.authorised}</b> 名，实有 <b>{t.actual}</b> 名，空编 <b>{t.vacant}</b> 名，"
            f"超编 <b style='color:#c62828'>{t.over}</b> 名"
            + (f"；超编机构：<span style='color:#c62828'>{'、'.join(over)}</span>" if over
               else "；无超编机构"))
        self._fill_matrix(m)
        self._fill_leaders(m)
        self.checks = run_checks(self.db, group="机构编制")
        self.check_list.clear()
        for c in self.checks:
            item = QListWidgetItem(f"{c.label}：{len(c.ids)}" + (f"　（{c.hint}）" if c.hint else ""))
            if c.ids:
                item.setForeground(QBrush(ALERT))
            item.setData(Qt.UserRole, c.key)
            self.check_list.addItem(item)

    # -- the grids ------------------------------------------------------------
    def _fill_matrix(self, m: Matrix) -> None:
        t = self.matrix_table
        groups = [("合计", None), *((ty, ty) for ty in m.types)]
        t.clear()
        t.setRowCount(HEAD_ROWS + len(m.bodies) + 1)
        t.setColumnCount(1 + 4 * len(groups))
        t.setItem(0, 0, _item("机构名称", head=True))
        t.setSpan(0, 0, 2, 1)
        for k, (label, _ty) in enumerate(groups):
            t.setItem(0, 1 + 4 * k, _item(label, head=True))
            t.setSpan(0, 1 + 4 * k, 1, 4)
            for j, measure in enumerate(MEASURES):
                t.setItem(1, 1 + 4 * k + j, _item(measure, head=True))
        rows = [(name, b) for b, name in m.bodies] + [("合计", None)]
        for r, (name, body) in enumerate(rows, HEAD_ROWS):
            total = body is None
            t.setItem(r, 0, _item(name, bold=total, head=False, align=Qt.AlignLeft))
            for k, (_label, ty) in enumerate(groups):
                if total:
                    cell = m.total() if ty is None else m.type_total(ty)
                else:
                    cell = m.body_total(body) if ty is None else m.cell(body, ty)
                where = {"on_books": True, "unauthorised": EMPTY,
                         **({"est_body_id": name} if not total else {}),
                         **({"est_type": ty} if ty else {})}
                for j, v in enumerate(cell.values()):
                    red = j == 3 and v > 0
                    # 实有 and 超编 are people: a click shows them.
                    wanted = where if j in (1, 3) and cell.actual else None
                    it = _item(_n(v), bold=total, red=red, where=wanted,
                               align=Qt.AlignRight)
                    if total and not red:
                        it.setBackground(QBrush(TOTAL_BG))
                    t.setItem(r, 1 + 4 * k + j, it)
        self._widths(t)

    def _fill_leaders(self, m: Matrix) -> None:
        t = self.leader_table
        t.clear()
        t.setRowCount(HEAD_ROWS + len(m.bodies) + 1)
        t.setColumnCount(9)
        t.setItem(0, 0, _item("机构名称", head=True))
        t.setSpan(0, 0, 2, 1)
        for k, rank in enumerate(("正职", "副职")):
            t.setItem(0, 1 + 4 * k, _item(rank, head=True))
            t.setSpan(0, 1 + 4 * k, 1, 4)
            for j, measure in enumerate(("应配", "实配", "超配", "缺配")):
                t.setItem(1, 1 + 4 * k + j, _item(measure, head=True))
        rows = [(name, b) for b, name in m.bodies] + [("合计", None)]
        for r, (name, body) in enumerate(rows, HEAD_ROWS):
            total = body is None
            c = m.total() if total else m.body_total(body)
            t.setItem(r, 0, _item(name, bold=total, align=Qt.AlignLeft))
            for k, (rank, want, got) in enumerate((("正职", c.chief, c.chief_actual),
                                                   ("副职", c.deputy, c.deputy_actual))):
                where = {"on_books": True, "unauthorised": EMPTY, "leader_rank": rank,
                         **({"est_body_id": name} if not total else {})}
                values = (want, got, max(got - want, 0), max(want - got, 0))
                for j, v in enumerate(values):
                    it = _item(_n(v), bold=total, red=j == 2 and v > 0, align=Qt.AlignRight,
                               where=where if j in (1, 2) and got else None)
                    t.setItem(r, 1 + 4 * k + j, it)
        self._widths(t)

    def _widths(self, t: QTableWidget) -> None:
        em = t.fontMetrics().horizontalAdvance("中")
        t.setColumnWidth(0, 10 * em)
        header = t.horizontalHeader()
        # A measure's bold heading (核定, 实有 …) stays readable: on a narrow page the
        # grid scrolls sideways rather than showing "…" (1366×768 at 150 %).
        bold = QFont(t.font())
        bold.setBold(True)
        header.setMinimumSectionSize(QFontMetrics(bold).horizontalAdvance("核定") + 12)
        for c in range(1, t.columnCount()):
            header.setSectionResizeMode(c, QHeaderView.Stretch)

    # -- clicks -----------------------------------------------------------------
    def _clicked(self, row: int, column: int) -> None:
        item = self.sender().item(row, column)
        where = item.data(Qt.UserRole) if item is not None else None
        if where:
            self.people_wanted.emit(dict(where), item.data(Qt.UserRole + 1))

    def _check_activated(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.UserRole)
        check = next((c for c in self.checks if c.key == key), None)
        if check is not None and check.ids:
            self.check_opened.emit(check)
