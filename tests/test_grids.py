"""Grid rosters (网格化管理) on SQLite and PostgreSQL: grids are areas under communities,
grid workers serve grids (one primary), estates / buildings / key persons hang on grids;
every rule refuses with a Chinese message naming the field, every figure counts what it
says, and the demo gives the issue's `stats grids` lines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.checks import run_checks
from app.core.children import read_children
from app.errors import UserError, ValidationError
from app.figures import figures
from app.models import Area
from app.services import get_row, list_rows, save_row
from app.specs.estates import BUILDINGS, ESTATES
from app.specs.grids import GRID_WORKERS, GRIDS
from app.specs.key_persons import KEY_PERSONS
from tests.grid_helpers import ID_A, ID_B, _community, _figure, _id


def _new_grid(db, name="测试网格", community="白塔社区", **extra):
    grid_id, _v = save_row(db, GRIDS, {"parent_id": community, "name": name, **extra})
    return grid_id


def _worker(name, grids, **extra):
    return {"name": name, "phone": "13900000000", "employment": "专职",
            "grids": [{"grid_id": g, "is_primary": n == 0} for n, g in enumerate(grids)],
            **extra}


# -- grids --------------------------------------------------------------------------------

def test_a_grid_is_an_area_under_its_community_with_a_generated_code(demo_db):
    community = _community(demo_db)
    grid_id = _new_grid(demo_db)
    with demo_db.session() as s:
        grid, parent = s.get(Area, grid_id), s.get(Area, community)
        assert (grid.level, grid.parent_id) == ("grid", community)
        assert grid.path == f"{parent.path}{grid_id}/"
        # The community's code and the next 3-digit number after its demo grids (001–003).
        assert grid.code == parent.code + "004"
    row = get_row(demo_db, GRIDS, grid_id)
    assert row["grid_kind"] == "综合网格"
    # Typed codes are kept.
    other = _new_grid(demo_db, "编码网格", code="WG-9")
    assert get_row(demo_db, GRIDS, other)["code"] == "WG-9"


def test_grid_rules_name_the_field(demo_db):
    with pytest.raises(ValidationError) as e:
        _new_grid(demo_db, grid_kind="专属网格")
    assert "专属网格须填写专属网格类别" in e.value.errors["grid_subkind"]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRIDS, {"name": "无社区网格"})
    assert e.value.errors["parent_id"] == "必填"
    with pytest.raises(ValidationError) as e:  # same name in the same community
        _new_grid(demo_db, "白塔社区第一网格")
    assert "已存在相同的记录" in e.value.errors["name"]
    _new_grid(demo_db, "白塔社区第一网格", community="钟鼓楼社区")  # another community: fine


def test_a_grid_must_be_filed_under_a_community(demo_db):
    with pytest.raises(UserError) as e:
        save_row(demo_db, GRIDS, {"parent_id": demo_db.street_id, "name": "街道网格"})
    assert "所属社区" in str(e.value) or "社区一级" in str(e.value)


def test_worker_staffing_figures_one_or_two_full_time_workers(demo_db):
    base = {k: _figure(demo_db, GRIDS, k) for k in ("no_worker", "too_many", "noncompliant")}
    grid_id = _new_grid(demo_db)
    # No worker yet: one more grid without a full-time worker.
    assert _figure(demo_db, GRIDS, "no_worker") == base["no_worker"] + 1
    assert _figure(demo_db, GRIDS, "noncompliant") == base["noncompliant"] + 1
    ids = [save_row(demo_db, GRID_WORKERS, _worker(f"测试员{n}", [grid_id]))[0] for n in range(3)]
    assert _figure(demo_db, GRIDS, "no_worker") == base["no_worker"]
    assert _figure(demo_db, GRIDS, "too_many") == base["too_many"] + 1  # 3 > 2
    rows = list_rows(demo_db, GRIDS)
    at = rows.ids.index(grid_id)
    assert rows.column("workers")[at] == 3 and rows.column("worker_check")[at] == "专职网格员超过2名"
    # A part-time worker does not count; a full-time one who left does not either.
    row = get_row(demo_db, GRID_WORKERS, ids[2])
    save_row(demo_db, GRID_WORKERS, {**_worker("测试员2", [grid_id]), "employment": "兼职"},
             ids[2], row["version"])
    assert _figure(demo_db, GRIDS, "too_many") == base["too_many"]
    assert _figure(demo_db, GRIDS, "noncompliant") == base["noncompliant"]
    row = get_row(demo_db, GRID_WORKERS, ids[1])
    save_row(demo_db, GRID_WORKERS, {**_worker("测试员1", [grid_id]), "status": "离岗"},
             ids[1], row["version"])
    rows = list_rows(demo_db, GRIDS)
    assert rows.column("workers")[rows.ids.index(grid_id)] == 1
    assert rows.column("worker_check")[rows.ids.index(grid_id)] == "达标"


def test_grid_households_sum_the_buildings_or_take_the_typed_number(demo_db):
    grid_id = _new_grid(demo_db, households=120, residents=300)
    rows = list_rows(demo_db, GRIDS)
    at = rows.ids.index(grid_id)
    assert (rows.column("total_households")[at], rows.column("total_residents")[at]) == (120, 300)
    save_row(demo_db, BUILDINGS, {"area_id": "测试网格", "number": "1栋", "households": 30,
                                  "residents": 70})
    save_row(demo_db, BUILDINGS, {"area_id": "测试网格", "number": "2栋", "households": 20,
                                  "residents": 50})
    rows = list_rows(demo_db, GRIDS)
    assert (rows.column("total_households")[at], rows.column("total_residents")[at]) == (50, 120)
    mismatch = next(c for c in run_checks(demo_db) if c.key == "grids.sums")
    assert grid_id in mismatch.ids  # typed 120, buildings give 50


# -- grid workers -------------------------------------------------------------------------

def test_a_worker_serves_several_grids_exactly_one_primary(demo_db):
    a, b = _new_grid(demo_db, "甲网格"), _new_grid(demo_db, "乙网格")
    wid, _v = save_row(demo_db, GRID_WORKERS, {**_worker("多网格员", [a, b]),
                                                "id_number": ID_A, "gender": "女"})
    assert read_children(demo_db, GRID_WORKERS, wid, "grids") == [
        {"grid_id": a, "is_primary": True}, {"grid_id": b, "is_primary": False}]
    rows = list_rows(demo_db, GRID_WORKERS, GRID_WORKERS.fields)
    at = rows.ids.index(wid)
    assert rows.column("grids")[at] == "甲网格（主）；乙网格"  # names, not ids
    assert rows.column("primary_grid")[at] == "甲网格"
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRID_WORKERS, {**_worker("两个主网格", [a]), "grids": [
            {"grid_id": a, "is_primary": True}, {"grid_id": b, "is_primary": True}]})
    assert "须有且只有一行的“主网格”为“是”（现有 2 行）" in e.value.errors["grids"]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRID_WORKERS, {**_worker("重复网格", [a, a])})
    assert "重复" in e.value.errors["grids"]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRID_WORKERS, {**_worker("无网格", []), "status": "在岗"})
    assert e.value.errors["grids"] == "在岗网格员须至少服务一个网格"
    # A sheet cell's text; none marked: the first is the primary.
    wid2, _v = save_row(demo_db, GRID_WORKERS, {"name": "表格录入", "grids": "乙网格；甲网格"})
    assert read_children(demo_db, GRID_WORKERS, wid2, "grids") == [
        {"grid_id": b, "is_primary": True}, {"grid_id": a, "is_primary": False}]
    wid3, _v = save_row(demo_db, GRID_WORKERS, {"name": "注明主网格", "grids": "乙网格；甲网格（主）"})
    assert read_children(demo_db, GRID_WORKERS, wid3, "grids")[1] == {"grid_id": a,
                                                                      "is_primary": True}
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRID_WORKERS, {"name": "未知网格", "grids": "不存在的网格"})
    assert "“不存在的网格”不在可选范围内" in e.value.errors["grids"]


def test_worker_id_number_is_checked_and_the_name_and_id_are_the_key(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRID_WORKERS, {"name": "错号", "id_number": "110101199003074478"})
    assert "id_number" in e.value.errors
    save_row(demo_db, GRID_WORKERS, {"name": "同名", "id_number": ID_A, "status": "离岗"})
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, GRID_WORKERS, {"name": "同名", "id_number": ID_A, "status": "离岗"})
    assert "已存在相同的记录" in e.value.errors["id_number"]


def test_workers_import_with_their_grids_through_the_pipeline(demo_db, tmp_path):
    import openpyxl

    from app.importer import run_import

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["网格员花名册"])
    ws.append(["姓名", "身份证号", "联系电话", "专职/兼职", "岗位", "服务网格"])
    ws.append(["导入甲", ID_A, "13800000001", "专职", "网格员", "白塔社区第一网格；白塔社区第二网格"])
    ws.append(["导入乙", ID_B, "13800000002", "兼职", "微网格员",
               "白塔社区第二网格；白塔社区第三网格（主）"])
    path = tmp_path / "workers.xlsx"
    wb.save(path)
    summary = run_import(demo_db, GRID_WORKERS, path)
    assert summary.written and summary.added == 2, summary.lines()
    g1, g2, g3 = (_id(demo_db, GRIDS, "name", f"白塔社区第{n}网格") for n in "一二三")
    a = _id(demo_db, GRID_WORKERS, "name", "导入甲")
    b = _id(demo_db, GRID_WORKERS, "name", "导入乙")
    assert read_children(demo_db, GRID_WORKERS, a, "grids") == [
        {"grid_id": g1, "is_primary": True}, {"grid_id": g2, "is_primary": False}]
    assert read_children(demo_db, GRID_WORKERS, b, "grids") == [
        {"grid_id": g2, "is_primary": False}, {"grid_id": g3, "is_primary": True}]
    # An unknown grid rejects the row with its sheet position; nothing is written.
    ws.delete_rows(3, 2)
    ws.append(["导入丙", "", "13800000003", "专职", "网格员", "月亮网格"])
    ws.append(["导入丁", "", "13800000004", "专职", "网格员", "白塔社区第一网格"])
    wb.save(path)
    summary = run_import(demo_db, GRID_WORKERS, path)
    assert not summary.written and summary.rejected == 1
    assert [(p.row, p.message) for p in summary.problems if "月亮网格" in p.message]
    assert "导入丁" not in list_rows(demo_db, GRID_WORKERS).column("name")


# -- estates, buildings, key persons ------------------------------------------------------

def test_estate_rules_and_party_figures(demo_db):
    base_with, base_without = (_figure(demo_db, ESTATES, k) for k in ("with_party", "no_party"))
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, ESTATES, {"area_id": "白塔社区第一网格", "name": "测试小区",
                                    "kind": "成形物业小区", "management": "物业企业"})
    assert e.value.errors["property_company"] == "物业企业管理的小区须填写物业企业名称"
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, ESTATES, {"area_id": "白塔社区第一网格", "name": "测试小区",
                                    "kind": "老旧自管小区", "party_org_kind": "党支部"})
    assert e.value.errors["party_org_name"] == "已建党组织的小区须填写党组织名称"
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, ESTATES, {"area_id": "白塔社区第一网格", "name": "测试小区",
                                    "kind": "老旧自管小区", "red_stars": 6})
    assert "1–5" in e.value.errors["red_stars"]
    with pytest.raises(UserError):  # an estate hangs on a grid, not on a community
        save_row(demo_db, ESTATES, {"area_id": _community(demo_db), "name": "测试小区",
                                    "kind": "其他"})
    eid, _v = save_row(demo_db, ESTATES, {"area_id": "白塔社区第一网格", "name": "测试小区",
                                          "kind": "老旧自管小区"})
    assert _figure(demo_db, ESTATES, "no_party") == base_without + 1
    row = get_row(demo_db, ESTATES, eid)
    save_row(demo_db, ESTATES, {**{k: row[k] for k in ("area_id", "name", "kind")},
                                "party_org_kind": "党小组", "party_org_name": "测试党小组"},
             eid, row["version"])
    assert _figure(demo_db, ESTATES, "with_party") == base_with + 1
    assert _figure(demo_db, ESTATES, "no_party") == base_without
    with demo_db.session() as s:
        assert get_row(demo_db, ESTATES, eid)["area_id"] == s.execute(
            select(Area.id).where(Area.name == "白塔社区第一网格")).scalar()


def test_buildings_rules_head_figure_and_natural_order(demo_db):
    from app.collation import sort_keys

    base = _figure(demo_db, BUILDINGS, "no_head")
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, BUILDINGS, {"area_id": "白塔社区第一网格", "estate_id": "白塔花园",
                                      "number": "99栋", "households": 40, "residents": 30})
    assert e.value.errors["residents"] == "居住人数（30）少于户数（40）"
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, BUILDINGS, {"area_id": "白塔社区第一网格", "number": "99栋",
                                      "head_phone": "13900001111"})
    assert "楼栋长姓名" in e.value.errors["head_name"]
    save_row(demo_db, BUILDINGS, {"area_id": "白塔社区第一网格", "estate_id": "白塔花园",
                                  "number": "99栋"})
    assert _figure(demo_db, BUILDINGS, "no_head") == base + 1
    # Building numbers sort as people count them: 2栋 before 10栋, 3-2-901 before 3-2-1001.
    numbers = ["10栋", "2栋", "1栋", "3-2-1001", "3-2-901"]
    keys = sort_keys(numbers)
    assert [n for _k, n in sorted(zip(keys, numbers, strict=True))] == [
        "1栋", "2栋", "3-2-901", "3-2-1001", "10栋"]
    assert BUILDINGS.field("number").type.collate  # the table sorts the column that way


def test_building_in_an_estate_of_another_grid_is_listed_by_the_check(demo_db):
    bid, _v = save_row(demo_db, BUILDINGS, {"area_id": "钟鼓楼社区第一网格",
                                            "estate_id": "白塔花园", "number": "1栋"})
    check = next(c for c in run_checks(demo_db) if c.key == "buildings.estate_grid")
    assert check.ids == (bid,)


def test_a_community_editor_files_rows_only_in_their_own_grids(demo_db):
    from app import auth
    from app.errors import PermissionDenied

    auth.create_user(demo_db, "admin", "Admin-pass-123", "admin")
    auth.login(demo_db, "admin", "Admin-pass-123")
    auth.create_user(demo_db, "baita", "Baita-pass-123", "editor", _community(demo_db))
    auth.logout(demo_db)
    auth.login(demo_db, "baita", "Baita-pass-123")
    save_row(demo_db, GRIDS, {"parent_id": "白塔社区", "name": "白塔新网格"})
    save_row(demo_db, BUILDINGS, {"area_id": "白塔社区第一网格", "number": "88栋"})
    with pytest.raises(PermissionDenied):
        save_row(demo_db, GRIDS, {"parent_id": "钟鼓楼社区", "name": "越权网格"})
    with pytest.raises(PermissionDenied):
        save_row(demo_db, BUILDINGS, {"area_id": "钟鼓楼社区第一网格", "number": "88栋"})
    bid = _id(demo_db, BUILDINGS, "number", "88栋")
    row = get_row(demo_db, BUILDINGS, bid)
    with pytest.raises(PermissionDenied):  # moving a row out of one's area
        save_row(demo_db, BUILDINGS, {"area_id": "钟鼓楼社区第一网格", "number": "88栋"},
                 bid, row["version"])


# -- the demo and the overview -------------------------------------------------------------

def test_demo_overview_is_the_issues_stats_lines(demo_db, capsys):
    values = figures(demo_db, GRIDS)
    got = {v.label: v.value for v in values}
    assert [v.label for v in values][:11] == [
        "网格", "综合网格", "专属网格", "专职网格员", "不达标网格", "小区", "有党组织小区", "楼栋",
        "无楼栋长楼栋", "重点人员", "走访逾期"]
    assert got["网格"] == got["综合网格"] + got["专属网格"] == 45
    assert got["专属网格"] == 2
    assert got["不达标网格"] == 2  # one grid whose worker left, one with three
    assert (got["小区"], got["有党组织小区"]) == (8, 6)
    assert (got["楼栋"], got["无楼栋长楼栋"]) == (43, 3)
    assert got["重点人员"] == 36 and got["走访逾期"] >= 1
    # The other ledgers' counts are theirs: the same as their own figures.
    assert got["专职网格员"] == _figure(demo_db, GRID_WORKERS, "full_time")
    assert got["走访逾期"] == _figure(demo_db, KEY_PERSONS, "overdue")
    assert got["白塔社区"] == 3 and got["无专职网格员的网格"] == 1
    assert got["专职网格员超过2名的网格"] == 1
    # `stats grids` prints them, one "label: number" a line, the overview first.
    import main

    assert main.main(["--db", demo_db.url, "stats", "grids"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["网格: 45", "综合网格: 43", "专属网格: 2"]
    assert lines[9:11] == ["重点人员: 36", f"走访逾期: {got['走访逾期']}"]
    assert "合计: 45" not in lines
    # Every check finds something to fix in the demo, except the two agreement checks.
    found = {c.key: len(c.ids) for c in run_checks(demo_db)}
    assert found["grids.workers"] == 2 and found["estates.party"] == 2
    assert found["buildings.head"] == 3 and found["key_persons.controller"] == 2
    assert found["key_persons.visits"] == got["走访逾期"] >= 1
    assert found["grids.sums"] == found["buildings.estate_grid"] == 0
    assert found["key_persons.estate_grid"] == 0
    # The powers demo is untouched.
    from app.specs.powers import POWERS

    assert _figure(demo_db, POWERS, "total") == 394
