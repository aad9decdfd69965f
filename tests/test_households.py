"""户 and 居民 under the buildings (app/specs/households.py): recorded rows become the
building's counts and are summed up to estate and grid (楼栋 → 小区 → 网格); a building
whose typed numbers disagree is listed by the check; residents' IDs are masked like
every ID number — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from app.checks import run_checks
from app.errors import ValidationError
from app.services import list_rows, save_row
from app.specs.estates import BUILDINGS, ESTATES
from app.specs.grids import GRIDS
from app.specs.households import HOUSEHOLDS, RESIDENTS

GRID = "白塔社区第一网格"
ID_A = "110101199003074477"


def _at(db, spec, field, key, value):
    rows = list_rows(db, spec)
    return rows.column(field)[rows.column(key).index(value)]


def _counts(db):
    b = list_rows(db, BUILDINGS)
    k = next(i for i, (e, n) in enumerate(zip(b.column("estate_id"), b.column("number"),
                                              strict=True)) if e == "户测小区" and n == "1栋")
    return (b.column("households")[k], b.column("recorded_households")[k],
            b.column("recorded_residents")[k], _at(db, ESTATES, "households", "name", "户测小区"),
            _at(db, ESTATES, "residents", "name", "户测小区"),
            _at(db, GRIDS, "total_households", "name", GRID))


def test_recorded_households_and_residents_sum_up_to_estate_and_grid(demo_db):
    db = demo_db
    save_row(db, ESTATES, {"area_id": GRID, "name": "户测小区", "kind": "其他"})
    save_row(db, BUILDINGS, {"area_id": GRID, "estate_id": "户测小区", "number": "1栋",
                             "households": 10, "residents": 20})
    save_row(db, BUILDINGS, {"area_id": GRID, "estate_id": "户测小区", "number": "2栋",
                             "households": 5, "residents": 9})
    grid_before = _at(db, GRIDS, "total_households", "name", GRID)
    # Nothing recorded: the typed numbers count.
    assert _counts(db)[:5] == (10, 0, 0, 15, 29)
    for door in ("1-101", "1-102"):
        save_row(db, HOUSEHOLDS, {"area_id": GRID, "estate_id": "户测小区", "building": "1栋",
                                  "door": door, "head_name": "王" + door, "members": 3})
    # Two households recorded, no residents yet: 1栋 is 2 households of 3 + 3 people.
    typed, hh, res, e_hh, e_res, g_hh = _counts(db)
    assert (typed, hh, res, e_hh, e_res) == (10, 2, 0, 2 + 5, 6 + 9)
    assert g_hh == grid_before - 10 + 2
    save_row(db, RESIDENTS, {"area_id": GRID, "estate_id": "户测小区", "building": "1栋",
                             "door": "1-101", "name": "王一", "relation": "本人",
                             "id_number": ID_A, "gender": "男"})
    # Residents recorded: they are the count (1), not the households' 人数 (6).
    assert _counts(db)[2] == 1 and _counts(db)[4] == 1 + 9
    # The building's typed 10 / 20 disagree with what is recorded: listed.
    found = {f.key: f for f in run_checks(db)}
    assert any("户测小区 · 1栋" in text for _i, text in found["buildings.recorded"].rows)
    assert not any("户测小区 · 2栋" in text for _i, text in found["buildings.recorded"].rows)
    # The same 1栋 of another estate of the grid stays apart.
    save_row(db, HOUSEHOLDS, {"area_id": GRID, "estate_id": "白塔花园", "building": "1栋",
                              "door": "1-101", "members": 2})
    assert _counts(db)[1] == 2


def test_household_rules_and_keys(demo_db):
    save_row(demo_db, HOUSEHOLDS, {"area_id": GRID, "building": "散居1号", "door": "1"})
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, HOUSEHOLDS, {"area_id": GRID, "building": "散居1号", "door": "1"})
    assert "已存在相同的记录" in " ".join(e.value.errors.values())
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, HOUSEHOLDS, {"area_id": GRID, "building": "散居1号", "door": "2",
                                       "members": 0})
    assert "人数至少为 1" in e.value.errors["members"]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, RESIDENTS, {"area_id": GRID, "building": "散居1号", "door": "1",
                                      "name": "错号", "id_number": "110101199003074478"})
    assert "id_number" in e.value.errors


def test_the_demo_records_one_building_and_the_check_finds_it(demo_db):
    homes = list_rows(demo_db, HOUSEHOLDS)
    people = list_rows(demo_db, RESIDENTS)
    assert len(homes.ids) > 20 and len(people.ids) >= len(homes.ids)
    assert set(homes.column("estate_id")) == {"税务局宿舍"}
    found = {f.key: f for f in run_checks(demo_db)}
    assert [t.split(" · ", 1)[1] for _i, t in found["buildings.recorded"].rows] == ["税务局宿舍 · 1栋"]
    # Residents' ID numbers are masked in exports by default.
    assert RESIDENTS.field("id_number").masked and HOUSEHOLDS.field("phone").masked
