"""一小区一图示 (reports/estate_chart.py): one page per estate with every building in
natural order, its 楼栋长 and counts, key-person marks and legend, the side panel and the
completeness footer; a batch is one PDF with a bookmark per estate under its grid; the
command line picks an estate, a grid or a community."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from app.errors import UserError
from app.ids import id_check_char
from app.services import list_rows, save_row
from app.specs.estates import BUILDINGS, ESTATES
from app.specs.key_persons import KEY_PERSONS
from reports.drawing import shorten, wrap
from reports.estate_chart import plan_grid
from reports.estate_chart_data import parse_teams, read_charts, select_estates
from reports.fonts import pdf_fonts

TODAY = date(2026, 12, 2)
GRID = "白塔社区第一网格"


def _text(pdf) -> list[str]:
    return [p.extract_text() for p in PdfReader(str(pdf)).pages]


def _outline(pdf) -> list:
    def walk(items):
        return [walk(i) if isinstance(i, list) else i.title for i in items]
    return walk(PdfReader(str(pdf)).outline)


def _person_id(n: int) -> str:
    body = f"51050219700101{n:03d}1"[:17]
    return body + id_check_char(body)


def _estate(db, name="测试小区", buildings=(), **extra):
    save_row(db, ESTATES, {"area_id": GRID, "name": name, "kind": "成形物业小区", **extra})
    for number, head in buildings:
        save_row(db, BUILDINGS, {"area_id": GRID, "estate_id": name, "number": number,
                                 "households": 10, "residents": 25, "head_name": head,
                                 "head_phone": "13900001111" if head else ""})


def test_one_page_shows_buildings_in_natural_order_with_heads_panel_and_footer(
        sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    _estate(db, buildings=[("10栋", "王十"), ("2栋", "李二"), ("1栋", "")],
            management="物业企业", property_company="泸州测试物业有限公司", red_stars=4,
            committee="测试小区业主委员会", party_org_kind="党支部",
            party_org_name="测试小区党支部", party_secretary="赵书记", party_members=12)
    save_row(db, KEY_PERSONS, {"area_id": GRID, "name": "甲", "id_number": _person_id(1),
                               "estate_id": "测试小区", "building": "2栋",
                               "categories": "独居老人、残疾人", "risk_level": "绿",
                               "controller": "张管控"})
    save_row(db, KEY_PERSONS, {"area_id": GRID, "name": "乙", "id_number": _person_id(2),
                               "estate_id": "测试小区", "building": "2栋",
                               "categories": "独居老人", "risk_level": "黄"})
    from reports.estate_chart import write_estate_charts

    out = tmp_path / "one.pdf"
    assert write_estate_charts(db, out, estate="测试小区", today=TODAY) == 1
    (text,) = _text(out)
    assert "测试小区" in text and "一小区一图示" in text
    # Natural order: 1栋, 2栋, 10栋 (not 1栋, 10栋, 2栋).
    assert text.index("1栋") < text.index("2栋") < text.index("10栋")
    assert "楼栋长：未确定" in text and "李二" in text and "13900001111" in text
    assert "10户 / 25人" in text
    for part in ("党支部：测试小区党支部", "赵书记", "泸州测试物业有限公司", "★★★★☆",
                 "测试小区业主委员会", "三支队伍", "网格与网格员"):
        assert part in text
    # The legend names the categories present; the persons' names never appear.
    assert "独居老人" in text and "残疾人" in text and "甲" not in text.split("图例")[0][-40:]
    # 2 of 3 buildings have a head; 1 of 2 key persons has a 管控人.
    assert "楼栋长配备 2/3（66.7%）" in text
    assert "重点人员落实管控人 1/2（50.0%）" in text
    assert "2026年12月2日" in text


def test_an_estate_without_party_organisation_or_buildings_says_so(sqlite_demo_db, tmp_path):
    from reports.estate_chart import write_estate_charts

    _estate(sqlite_demo_db, "空小区", management="无")
    out = tmp_path / "empty.pdf"
    write_estate_charts(sqlite_demo_db, out, estate="空小区", today=TODAY)
    (text,) = _text(out)
    assert "未建立党组织" in text and "本小区尚未登记楼栋" in text and "未成立" in text
    assert "楼栋长配备 —" in text


def test_a_community_batch_is_a_page_per_estate_with_bookmarks_by_grid(sqlite_demo_db, tmp_path):
    from reports.estate_chart import write_estate_charts

    db = sqlite_demo_db
    estates = list_rows(db, ESTATES)
    out = tmp_path / "community.pdf"
    pages = write_estate_charts(db, out, community="白塔社区", today=TODAY)
    assert pages == len(estates.ids) == len(_text(out))
    outline = _outline(out)
    grids = [t for t in outline if isinstance(t, str)]
    assert grids and all("网格" in g for g in grids)
    names = [t for sub in outline if isinstance(sub, list) for t in sub]
    assert sorted(names) == sorted(estates.column("name"))
    # A grid's batch: only its own estates, flat bookmarks.
    out = tmp_path / "grid.pdf"
    write_estate_charts(db, out, grid=GRID, today=TODAY)
    mine = [n for n, g in zip(estates.column("name"), estates.column("area_id"), strict=True)
            if g == GRID]
    assert sorted(_outline(out)) == sorted(mine)


def test_thirty_six_buildings_fit_one_page_and_more_continue(sqlite_demo_db, tmp_path):
    from reports.estate_chart import write_estate_charts

    db = sqlite_demo_db
    _estate(db, "大小区", buildings=[(f"{k}栋", f"楼长{k}") for k in range(1, 37)])
    out = tmp_path / "big.pdf"
    assert write_estate_charts(db, out, estate="大小区", today=TODAY) == 1
    (text,) = _text(out)
    assert all(f"{k}栋" in text for k in range(1, 37))
    for k in range(37, 61):
        save_row(db, BUILDINGS, {"area_id": GRID, "estate_id": "大小区", "number": f"{k}栋"})
    assert write_estate_charts(db, out, estate="大小区", today=TODAY) == 2
    first, second = _text(out)
    assert "30栋" in first and "31栋" in second and "（续2/2）" in second
    assert _outline(out) == ["大小区"]  # one bookmark for the estate, on its first page


def test_unknown_names_are_refused_and_the_command_line_writes_the_chart(sqlite_demo_db, tmp_path,
                                                                         capsys):
    with pytest.raises(UserError, match="找不到小区“无此小区”"):
        select_estates(sqlite_demo_db, estate="无此小区")
    with pytest.raises(UserError, match="找不到网格“无此网格”"):
        select_estates(sqlite_demo_db, grid="无此网格")
    import main

    out = tmp_path / "cli.pdf"
    url = sqlite_demo_db.url
    assert main.main(["--db", url, "report", "estate-chart", str(out), "--estate", "白塔花园"]) == 0
    assert "已生成一小区一图示（1 页）" in capsys.readouterr().out
    assert "白塔花园" in _text(out)[0]
    assert main.main(["--db", url, "report", "powers", str(out), "--grid", GRID]) == 2


def test_text_helpers_and_layout():
    font = pdf_fonts()[0]
    assert shorten("短", font, 8, 100) == "短"
    cut = shorten("四川省泸州市江阳区红城物业服务管理有限责任公司", font, 8, 60)
    assert cut.endswith("…") and len(cut) < 20
    lines = wrap("物业企业：四川省泸州市江阳区红城物业服务管理有限责任公司 13900001111", font, 8, 80)
    assert len(lines) > 1 and "13900001111" in "".join(lines)  # a phone is never split
    assert any(line == "13900001111" or line.endswith("13900001111") for line in lines)
    cols, rows, w, h = plan_grid(36, 130 * 2.83, 200 * 2.83)
    assert cols * rows >= 36 and w > 50 and h > 40
    assert parse_teams("党组织：张三 139；业委会或自管委：李四、王五；散记") == {
        "党组织": ["张三 139"], "业委会或自管委": ["李四", "王五"], "其他": ["散记"]}


def test_charts_read_the_demo_in_scope(sqlite_demo_db):
    charts = read_charts(sqlite_demo_db, select_estates(sqlite_demo_db))
    assert charts and all(c.grid and c.community for c in charts)
    garden = next(c for c in charts if c.name == "白塔花园")
    numbers = [b.number for b in garden.buildings]
    assert numbers == [f"{k}栋" for k in range(1, 9)]
    # The demo puts every key person in a recorded building.
    assert garden.persons == sum(b.persons for b in garden.buildings) and not garden.unplaced
    assert garden.workers and garden.teams.get("党组织")
