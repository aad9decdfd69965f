"""Key persons (重点人员) on SQLite and PostgreSQL: the rules, the street-wide unique ID
number (by form, by import and by the bulk path), visits overdue by risk level and the
persons without a 管控人."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.checks import run_checks
from app.errors import ValidationError
from app.services import get_row, list_rows, save_row
from app.specs.key_persons import KEY_PERSONS
from tests.grid_helpers import ID_A, ID_B, _figure


def _person(**extra):
    return {"area_id": "白塔社区第一网格", "name": "测试人员", "id_number": ID_A,
            "categories": "独居老人", "risk_level": "红", "controller": "张敏", **extra}


def test_key_person_rules_and_street_wide_unique_id(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, KEY_PERSONS, _person(categories=""))
    assert e.value.errors["categories"] == "必填"
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, KEY_PERSONS, _person(categories="外星人"))
    assert "不是可选值" in e.value.errors["categories"]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, KEY_PERSONS, _person(released_date="2026-01-02"))
    assert e.value.errors["release_reason"] == "已解除的重点人员须填写解除原因"
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, KEY_PERSONS, _person(listed_date="2026-02-01",
                                               released_date="2026-01-02", release_reason="迁出"))
    assert e.value.errors["released_date"] == "解除日期不能早于列管日期"
    save_row(demo_db, KEY_PERSONS, _person())
    with pytest.raises(ValidationError) as e:  # the same ID in the same grid: the key
        save_row(demo_db, KEY_PERSONS, _person(name="另一人"))
    assert "已存在相同的记录" in e.value.errors["id_number"]
    with pytest.raises(ValidationError) as e:  # ...and in another grid of the street
        save_row(demo_db, KEY_PERSONS, _person(name="另一人", area_id="钟鼓楼社区第一网格"))
    assert "同一街道的重点人员只能登记一次" in e.value.errors["id_number"]
    assert len([n for n in list_rows(demo_db, KEY_PERSONS).column("name") if n == "另一人"]) == 0


def test_an_import_listing_a_listed_person_in_another_grid_writes_nothing(demo_db, tmp_path):
    import openpyxl

    from app.importer import run_import

    save_row(demo_db, KEY_PERSONS, _person())  # 测试人员, ID_A, 白塔社区第一网格
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["所属网格", "姓名", "身份证号码", "人员类别", "风险等级", "管控责任人"])
    ws.append(["白塔社区第二网格", "导入乙", ID_B, "独居老人", "黄", "张敏"])
    ws.append(["钟鼓楼社区第一网格", "导入丙", ID_A, "低保户", "绿", "李华"])
    path = tmp_path / "persons.xlsx"
    wb.save(path)
    before = len(list_rows(demo_db, KEY_PERSONS).ids)
    summary = run_import(demo_db, KEY_PERSONS, path)
    assert not summary.written
    text = "\n".join(summary.lines())
    assert "第 3 行，身份证号码：重点人员中已有相同的记录" in text
    assert len(list_rows(demo_db, KEY_PERSONS).ids) == before
    ws.delete_rows(3)  # without the repeat, the other goes in
    wb.save(path)
    assert run_import(demo_db, KEY_PERSONS, path).added == 1


def _ids(n: int) -> list[str]:
    from app.ids import id_check_char

    bodies = [f"5105021980010{1 + k // 1000}{k % 1000:03d}" for k in range(n)]
    return [b + id_check_char(b) for b in bodies]


@pytest.mark.parametrize("repeat_at", [None, 3, 1199])
def test_bulk_insert_refuses_a_number_listed_in_another_grid_of_the_street(demo_db, repeat_at):
    """The bulk path (imports, demo) checks the street-wide rule over its new ids as one
    run; a repeat anywhere in 1,200 new rows, or of a stored row, rolls all back."""
    from app.core.uow import UnitOfWork
    from app.core.writes import insert_rows
    from app.services import clean_values

    numbers = _ids(1200)
    before = len(list_rows(demo_db, KEY_PERSONS).ids)
    rows = [_person(name=f"批量{k}", id_number=n) for k, n in enumerate(numbers)]
    if repeat_at is not None:  # the row before's number again, in another community's grid
        rows[repeat_at] = _person(name="重复", id_number=numbers[repeat_at - 1],
                                  area_id="钟鼓楼社区第一网格")

    def write():
        with UnitOfWork(demo_db) as uow:
            insert_rows(uow, KEY_PERSONS,
                        [clean_values(demo_db, KEY_PERSONS, r, uow.session) for r in rows])

    if repeat_at is None:
        write()
        assert len(list_rows(demo_db, KEY_PERSONS).ids) == before + 1200
        # a stored number again, in another grid, refused through the same path
        rows = [_person(name="再次", id_number=numbers[5], area_id="钟鼓楼社区第一网格")]
    with pytest.raises(ValidationError) as e:
        write()
    assert "同一街道的重点人员只能登记一次" in e.value.errors["id_number"]
    assert len(list_rows(demo_db, KEY_PERSONS).ids) == before + (1200 if repeat_at is None else 0)


@pytest.mark.parametrize("risk, days_ago, overdue", [
    ("红", 6, False), ("红", 8, True), ("橙", 14, False), ("橙", 16, True),
    ("黄", 29, False), ("黄", 31, True), ("绿", 89, False), ("绿", 91, True), ("红", None, True),
])
def test_visit_overdue_by_risk_level(demo_db, risk, days_ago, overdue):
    visits = [] if days_ago is None else [
        {"day": date.today() - timedelta(days=days_ago + 30), "visitor": "张敏"},
        {"day": date.today() - timedelta(days=days_ago), "visitor": "张敏", "note": "入户"}]
    base = _figure(demo_db, KEY_PERSONS, "overdue")
    pid, _v = save_row(demo_db, KEY_PERSONS, _person(risk_level=risk, visits=visits))
    rows = list_rows(demo_db, KEY_PERSONS)
    at = rows.ids.index(pid)
    assert bool(rows.column("overdue")[at]) is overdue
    assert _figure(demo_db, KEY_PERSONS, "overdue") == base + overdue
    if days_ago is not None:
        assert rows.column("last_visit")[at] == date.today() - timedelta(days=days_ago)
    # Released persons are no longer followed.
    row = get_row(demo_db, KEY_PERSONS, pid)
    save_row(demo_db, KEY_PERSONS, _person(risk_level=risk, released_date=date.today(),
                                           release_reason="迁出本街道"), pid, row["version"])
    assert _figure(demo_db, KEY_PERSONS, "overdue") == base


def test_key_person_without_controller_is_counted_and_checked(demo_db):
    base = _figure(demo_db, KEY_PERSONS, "no_controller")
    pid, _v = save_row(demo_db, KEY_PERSONS, _person(controller=""))
    assert _figure(demo_db, KEY_PERSONS, "no_controller") == base + 1
    assert pid in next(c for c in run_checks(demo_db) if c.key == "key_persons.controller").ids
