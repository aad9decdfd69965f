"""首页: every ledger's card shows what `main.py stats` prints for it, every figure and
to-do opens the rows behind it, the to-do list follows the role, and the charts draw
the rectification ledger's reads."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

import main
from app import auth, dashboard
from app.specs import get_spec
from tests.conftest import make_window

PW = "Passw0rd1"


def _cli_stats(capsys, url: str, key: str) -> list[str]:
    capsys.readouterr()
    assert main.main(["stats", key, "--db", url]) == 0
    return capsys.readouterr().out.splitlines()


def test_every_card_shows_what_stats_prints(qtbot, sqlite_demo_db, sqlite_url, capsys):
    window = make_window(qtbot, sqlite_demo_db, page=None)
    home = window.home
    assert window.stack.currentWidget() is home  # the window opens on it
    assert window.nav.item(0).text() == "首页"
    keys = [c.card.spec.key for c in home.cards]
    assert keys == [s.key for s in dashboard.page_specs()] and len(keys) >= 9
    for card in home.cards:
        printed = _cli_stats(capsys, sqlite_url, card.card.spec.key)
        assert [v.line for v in card.card.values] == printed, card.card.spec.key
        assert card.shown() and {f"{label}: {value}" for label, value in card.shown()} <= set(
            printed)
    powers = dict(next(c for c in home.cards if c.card.spec.key == "powers").shown())
    assert (powers["下放行政权力"], powers["法定权力事项"], powers["属地管理事项"]) == (159, 118, 117)


def _counts_rows(card, value) -> bool:
    """A figure whose value is its number of rows (not a sum, rate or distinct count)."""
    spec = get_spec(card.card.ledger_of(value))
    declared = {getattr(f, "key", None): f for f in spec.figures}
    fig = declared.get(value.key.rsplit(".", 1)[-1])
    return (bool(value.where) and isinstance(value.value, int)
            and not getattr(fig, "distinct", None) and type(fig).__name__ != "Sum")


def test_every_figure_opens_the_rows_behind_it(qtbot, window):
    checked = 0
    for card in window.home.cards:
        for button in card.buttons:
            value = button.property("value")
            if not _counts_rows(card, value):
                continue
            window.show_page("首页")
            qtbot.mouseClick(button, Qt.LeftButton)
            page = window.page_of(card.card.ledger_of(value))
            page.loader.wait()
            assert window.stack.currentWidget() in (page, page.parentWidget())
            assert page.model.rowCount() == value.value, (card.card.spec.key, value.label)
            checked += 1
    assert checked >= 15


def test_the_todo_list_is_walked_with_the_keyboard(qtbot, window):
    window.show_page("首页")
    home = window.home
    labels = [home.todo.item(r).text() for r in range(home.todo.count())]
    assert labels[0].startswith("重点人员：走访逾期") or labels[0].startswith("整改台账：逾期")
    assert "整改台账：待验收  46 条" in labels and "人员：证书将到期  3 条" in labels
    row = labels.index("整改台账：待验收  46 条")
    home.todo.setFocus()
    home.todo.setCurrentRow(row)
    qtbot.keyClick(home.todo, Qt.Key_Return)
    page = window.page_of("rectification")
    page.loader.wait()
    assert page.model.rowCount() == 46
    assert set(page.model.visible_rows()[2][0]) and page.filter_bar.filters() == {"status": "待验收"}


def test_a_viewer_is_not_asked_to_accept_work(qtbot, admin_db):
    auth.create_user(admin_db, "viewer", PW, "viewer")
    auth.logout(admin_db)
    auth.login(admin_db, "viewer", PW)
    todos = dashboard.todos(admin_db)
    assert "逾期" in [t.label for t in todos]
    assert "待验收" not in [t.label for t in todos]


def test_the_charts_draw_the_rectification_reads(qtbot, window):
    window.show_page("首页")
    charts = window.home.charts
    completion = dashboard.completion_by_community(window.db)
    assert sum(t for _n, t, _f in completion) == 792 and sum(f for _n, _t, f in completion) == 746
    assert charts.communities == [n for n, _t, _f in completion][::-1]
    bars = charts.completion.chart().series()[0]
    assert [s.label() for s in bars.barSets()] == ["已整改", "未整改"]
    assert sum(bars.barSets()[0].at(i) for i in range(bars.barSets()[0].count())) == 746
    pie = charts.aspect.chart().series()[0]
    assert sum(s.value() for s in pie.slices()) == 792
    opened = []
    charts.clicked.connect(lambda ledger, where: opened.append((ledger, where)))
    bars.clicked.emit(0, bars.barSets()[0])
    assert opened == [("rectification", {"community_id": charts.communities[0]})]
    trend = charts.trend.chart().series()
    assert [s.name() for s in trend] == ["发现问题", "销号"] and trend[0].count() == 12


def test_a_community_bar_opens_its_problems(qtbot, window):
    window.show_page("首页")
    charts = window.home.charts
    bars = charts.completion.chart().series()[0]
    name = charts.communities[-1]
    bars.clicked.emit(len(charts.communities) - 1, bars.barSets()[0])
    page = window.page_of("rectification")
    page.loader.wait()
    total = dict((n, t) for n, t, _f in dashboard.completion_by_community(window.db))[name]
    assert page.model.rowCount() == total


def test_a_change_on_a_page_marks_the_home_page_stale(qtbot, window):
    window.show_page("首页")
    window.show_page("权责清单")
    assert not window.home.stale
    window.powers.changed.emit("powers")
    assert window.home.stale
    window.show_page("首页")
    assert not window.home.stale


@pytest.mark.parametrize("width", [1366, 1920])
def test_the_home_page_fits_the_screen_width(qtbot, window, width, tmp_path):
    window.show_page("首页")
    window.resize(width, 768 if width == 1366 else 1080)
    qtbot.wait(50)
    scroll = window.home.layout().itemAt(0).widget()
    assert not scroll.horizontalScrollBar().isVisible()
    charts = window.home.charts
    for view in (charts.completion, charts.trend):  # community names and months whole
        assert not any(a.labelsTruncated() for a in view.chart().axes())
    cards = window.home.cards  # top-aligned in their rows
    assert all(window.home.card_grid.itemAt(window.home.card_grid.indexOf(c)).alignment()
               & Qt.AlignTop for c in cards)
    window.grab().save(str(tmp_path / f"home_{width}.png"))
