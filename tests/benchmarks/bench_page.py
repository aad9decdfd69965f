"""Opening and filtering the real 权责清单 page on a 100,000-row SQLite database.
Targets (issue 10): rows visible ≤ 1 s after the page is made; filtering ≤ 100 ms per
keystroke.

    python tests/benchmarks/bench_page.py [ROWS]

The database: the demo data plus copies of its items (numbered names and codes) written
by the bulk path (app.services.insert_many inside a UnitOfWork, without audit lines),
and a case count for four items in five.

What is measured, all on the GUI thread's clock:
- open: from constructing the page (ui.powers_page.PowersPage, shown at 1366×700) until
  the table has rows and its viewport has painted them (the event loop runs until a
  Paint event of the viewport with rowCount() > 0). The rows are read on a pool thread (the
  page's loader); the GUI thread meanwhile only runs its event loop. Also: the longest
  the GUI thread went without running a 10 ms QTimer while the rows were read.
- filter: typing a query into the search box one character at a time. The box waits
  150 ms after the last key before it filters (FilterBar.DEBOUNCE_MS); that wait is
  not counted: each step sets the text and emits the query at once, then measures the
  model work, the page's count and selection upkeep, the view reset and the repaint.

Baselines measured in the same run: services.list_rows alone (the read the page cannot
avoid), and a bare QTableView over a trivial model of the same row count, from
construction to first paint (Qt's own floor)."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # noqa: E402


def build(path: Path, n: int):
    """The demo database grown to n power items by the bulk insert."""
    from sqlalchemy import select

    from app.core.uow import UnitOfWork
    from app.db import Database
    from app.demo import load_demo
    from app.models import PowerCaseCount
    from app.powers import this_year
    from app.services import insert_many
    from app.specs.powers import POWERS

    db = Database("sqlite:///" + path.as_posix(), actor="bench")
    load_demo(db)
    names = [f.name for f in POWERS.fields]
    with db.session() as s:
        base = [dict(zip(names, r, strict=True)) for r in
                s.execute(select(*(getattr(POWERS.model, k) for k in names))).all()]
    rows = []
    for i in range(len(base), n):
        r = dict(base[i % len(base)])
        r["name"] = f"{r['name']}（{i // len(base) + 1}）"
        r["code"] = f"{r['code']}-{i:06d}"
        rows.append(r)
    year = this_year()
    with UnitOfWork(db) as uow:
        ids = insert_many(uow.session, db, POWERS, rows)
        uow.session.execute(PowerCaseCount.__table__.insert(),
                            [{"item_id": i, "year": year, "count": i % 300}
                             for i in ids if i % 5])
    return db


class _PaintSpy(QObject):
    """Ends `loop` at the viewport's first Paint event (with rows, if need_rows)."""

    def __init__(self, loop, model, need_rows: bool):
        super().__init__()
        self.loop, self.model, self.need_rows = loop, model, need_rows

    def eventFilter(self, _obj, event):  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and (self.model.rowCount() > 0
                                                  or not self.need_rows):
            self.loop.quit()  # the paint goes on; exec returns after it
        return False


def until_painted(view, model, need_rows: bool = True) -> None:
    """Run the event loop until the view's viewport has painted (with rows in the model
    unless need_rows is False). One QEventLoop.exec, not processEvents in a loop: in
    PySide6 6.12 on Python 3.11 every call of a method returning void drops a reference
    to None, and a few thousand such calls in a loop crash the process (none_dealloc).
    No class or closure made here: a cycle holding the loop, collected later on the
    page's pool thread, would destroy its timer from there."""
    loop = QEventLoop()
    spy = _PaintSpy(loop, model, need_rows)
    guard = QTimer(loop, singleShot=True, interval=60000)  # a child: dies with the loop
    guard.timeout.connect(loop.quit)
    guard.start()
    view.viewport().installEventFilter(spy)
    view.viewport().update()
    loop.exec()
    view.viewport().removeEventFilter(spy)
    timed_out = not guard.isActive()
    guard.stop()
    spy.loop = spy.model = None
    if timed_out:
        raise SystemExit("the view never painted")


def open_page(app, db):
    """(seconds to rows painted, longest GUI stall in seconds, page)."""
    from PySide6.QtCore import QTimer

    from ui.powers_page import PowersPage

    gaps, last = [0.0], [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    t = time.perf_counter()
    page = PowersPage(db)
    page.resize(1366, 700)
    page.show()
    last[0] = time.perf_counter()
    timer.start()
    until_painted(page.table, page.model)
    took = time.perf_counter() - t
    timer.stop()
    return took, max(gaps), page


def bare_view(app, n: int) -> float:
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtWidgets import QTableView

    class Trivial(QAbstractTableModel):
        def rowCount(self, parent=None):  # noqa: N802 - Qt API
            return n

        def columnCount(self, parent=None):  # noqa: N802 - Qt API
            return 13

        def data(self, index, role=Qt.DisplayRole):
            return f"{index.row()}-{index.column()}" if role == Qt.DisplayRole else None

    t = time.perf_counter()
    model = Trivial()
    view = QTableView()
    view.setModel(model)
    view.resize(1366, 700)
    view.show()
    until_painted(view, model)
    took = time.perf_counter() - t
    view.close()
    view.deleteLater()
    return took


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main(n: int = 100_000) -> int:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from app import services
    from app.specs.powers import POWERS

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["STREETLEDGER_HOME"] = tmp  # the page's column settings stay here
        t = time.perf_counter()
        db = build(Path(tmp) / "bench.sqlite3", n)
        print(f"{n:,} 行权责清单数据库：生成 {time.perf_counter() - t:.1f} 秒")

        read = min(_clock(lambda: services.list_rows(db, POWERS)) for _ in range(3))
        bare = min(bare_view(app, n) for _ in range(3))
        opens = []
        for _ in range(3):
            took, stall, page = open_page(app, db)
            opens.append((took, stall, page.loader.last_seconds))
            rows = page.model.rowCount()
            if _ != 2:
                page.close()
                page.deleteLater()
                QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
        took, stall, load = min(opens)
        print(f"\n打开（构造页面到表格画出首屏行；{rows:,} 行）：")
        for k, (a, b, c) in enumerate(opens, 1):
            print(f"  第 {k} 次 {ms(a)}   读取并建索引 {ms(c)}   界面线程最长停顿 {ms(b)}")
        print(f"  基准：services.list_rows 读取 {ms(read)}；空 QTableView {n:,} 行首次绘制 "
              f"{ms(bare)}")

        print("\n边输入边筛选（每次按键：模型筛选 + 计数 + 视图重置 + 重绘；不含 150 ms 防抖等待）：")
        box = page.filter_bar.search
        steps = []
        for query in ("对单位和个人", "城市道路", "XF-0001", "zs", "执法 处罚"):
            typed = []
            for k in list(range(1, len(query) + 1)) + list(range(len(query) - 1, -1, -1)):
                box.setText(query[:k])
                work = _clock(page.filter_bar.emit_query)  # filter, reset, count
                paint = _clock(lambda: until_painted(page.table, page.model, False))
                typed.append((work + paint, query[:k], page.model.rowCount(), work))
            worst_q = max(typed)
            print(f"  {query!r:12} 最慢一键 {ms(worst_q[0])}（{worst_q[1]!r}，显示 "
                  f"{worst_q[2]:,} 行）；输入到底显示 {typed[len(query) - 1][2]:,} 行")
            steps += typed
        worst = max(s[0] for s in steps)
        median = statistics.median(s[0] for s in steps)
        worst_work = max(s[3] for s in steps)
        name_i = [f.name for f in page.fields].index("name")
        all_rows = page.model.view.rows
        base_f = statistics.median(
            _clock(lambda: [r for r in all_rows if "对单位和" in r[name_i]]) for _ in range(5))
        print(f"  全部 {len(steps)} 次按键：中位 {ms(median)}，最慢 {ms(worst)}（其中不含重绘的"
              f"最慢一次 {ms(worst_work)}）；纯 Python 单列筛选基准 {ms(base_f)}")

        print("\n小结")
        print(f"  打开：{ms(took)}（目标 ≤ 1000 ms：{'达到' if took <= 1 else '未达到'}）；"
              f"/ 读取 {took / read:.2f} ×；/ 空 QTableView {took / bare:.2f} ×；"
              f"读取时界面线程最长停顿 {ms(stall)}")
        print(f"  筛选：最慢一键 {ms(worst)}（目标 ≤ 100 ms：{'达到' if worst <= 0.1 else '未达到'}）；"
              f"/ 纯 Python 筛选 {worst / base_f:.2f} ×")
        from _report import emit

        emit("页面：打开 10 万行到首屏（秒）", took, read, 1.0, "list_rows 读取", kind="seconds")
        emit("页面：打开 10 万行 / 空表格首绘", took, bare, None, "空 QTableView")
        emit("页面：读取时界面最长停顿（秒）", stall, read, None, "list_rows 读取", kind="seconds")
        emit("页面：筛选最慢一次按键（秒）", worst, base_f, 0.1, "纯 Python 筛选", kind="seconds")
        page.close()
        db.close()
    return 0


def _clock(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
