"""核查 (app.checks): every spec's declared checks, run in SQL in the user's scope, with
the offending rows named; the visit intervals by risk level are an administrator's
setting in the database, audited, and 走访逾期 follows them — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import auth
from app.checks import declared, run_check, run_checks
from app.errors import PermissionDenied, ValidationError
from app.figures import figures
from app.grids import set_visit_days, visit_days
from app.models import AuditEntry
from app.services import get_row, list_rows, save_row
from app.specs.checks import Check
from app.specs.estates import BUILDINGS
from app.specs.figures import EMPTY
from app.specs.grids import GRIDS
from app.specs.key_persons import KEY_PERSONS

ID_A = "110101199003074477"


def _found(db) -> dict:
    return {f.key: f for f in run_checks(db)}


def test_every_spec_declares_its_checks_in_navigation_order(demo_db):
    keys = [f"{spec.key}.{c.key}" for spec, c in declared()]
    # The 机构编制 specs come first in the navigation, their checks too: one mechanism.
    assert keys[:3] == ["authorisations.over", "authorisations.leaders_over",
                        "staff.unauthorised"]
    assert keys.index("grids.sums") == keys.index("grids.workers") + 1
    assert {"estates.party", "buildings.head", "key_persons.controller",
            "key_persons.visits"} <= set(keys)
    found = _found(demo_db)
    head = found["buildings.head"]
    assert head.ledger == "buildings" and head.title == "楼栋" and len(head.ids) == 3
    # Rows are named where they are: grid · estate · number.
    assert all(text.count(" · ") == 2 and text.endswith("栋") for _i, text in head.rows)


def test_a_where_check_over_a_stored_and_a_computed_field(demo_db):
    check = Check("t", "测试", {"head_name": EMPTY, "key_persons": 0})
    got = run_check(demo_db, BUILDINGS, check)
    rows = list_rows(demo_db, BUILDINGS)
    want = {i for i, h, k in zip(rows.ids, rows.column("head_name"), rows.column("key_persons"),
                                 strict=True) if not h and k == 0}
    assert set(got.ids) == want


def test_grid_sums_that_disagree_with_the_buildings(demo_db):
    grid_id, _v = save_row(demo_db, GRIDS, {"parent_id": "白塔社区", "name": "核查网格",
                                            "households": 50, "residents": 100})
    save_row(demo_db, BUILDINGS, {"area_id": "核查网格", "number": "1栋", "households": 50,
                                  "residents": 120})
    assert grid_id in _found(demo_db)["grids.sums"].ids  # residents 100 typed, 120 counted
    row = get_row(demo_db, GRIDS, grid_id)
    values = {f.name: row.get(f.name) for f in GRIDS.form_fields}
    save_row(demo_db, GRIDS, {**values, "residents": 120}, grid_id, row["version"])
    assert grid_id not in _found(demo_db)["grids.sums"].ids


def _person(days_ago: int, risk="红"):
    return {"area_id": "白塔社区第一网格", "name": "间隔测试", "id_number": ID_A,
            "categories": "独居老人", "risk_level": risk, "controller": "张敏",
            "visits": [{"day": date.today() - timedelta(days=days_ago), "visitor": "张敏"}]}


def test_visit_intervals_are_a_stored_audited_setting_that_overdue_follows(demo_db):
    assert visit_days(demo_db) == {"红": 7, "橙": 15, "黄": 30, "绿": 90}
    pid, _v = save_row(demo_db, KEY_PERSONS, _person(6))
    assert pid not in _found(demo_db)["key_persons.visits"].ids
    before = next(v.value for v in figures(demo_db, KEY_PERSONS) if v.key == "overdue")
    assert set_visit_days(demo_db, {"红": 5}) == {"红": 5, "橙": 15, "黄": 30, "绿": 90}
    assert visit_days(demo_db)["红"] == 5
    assert pid in _found(demo_db)["key_persons.visits"].ids
    after = next(v.value for v in figures(demo_db, KEY_PERSONS) if v.key == "overdue")
    assert after >= before + 1
    rows = list_rows(demo_db, KEY_PERSONS)
    assert rows.column("overdue")[rows.ids.index(pid)]
    with demo_db.session() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.ledger == "settings")
                          .order_by(AuditEntry.id.desc())).scalars().first()
        assert "重点人员走访间隔" in entry.summary and "红 5 天" in entry.summary
        assert "红色走访间隔" in entry.changes
    # Unchanged: no second entry.
    set_visit_days(demo_db, {"红": 5})
    with demo_db.session() as s:
        n = len(s.execute(select(AuditEntry).where(AuditEntry.summary.like("重点人员走访间隔%")))
                .scalars().all())
    assert n == 1


@pytest.mark.parametrize("bad", [{"红": 0}, {"红": 400}, {"紫": 3}, {"橙": "七"}])
def test_bad_intervals_are_refused_in_chinese(demo_db, bad):
    with pytest.raises(ValidationError) as e:
        set_visit_days(demo_db, bad)
    assert any("走访间隔" in m or "风险等级" in m for m in e.value.errors.values())
    assert visit_days(demo_db) == {"红": 7, "橙": 15, "黄": 30, "绿": 90}


def test_only_an_administrator_changes_the_intervals(demo_db):
    auth.create_user(demo_db, "admin", "Admin-pass-123", "admin")
    auth.login(demo_db, "admin", "Admin-pass-123")
    auth.create_user(demo_db, "clerk", "Clerk-pass-123", "editor")
    auth.logout(demo_db)
    auth.login(demo_db, "clerk", "Clerk-pass-123")
    with pytest.raises(PermissionDenied):
        set_visit_days(demo_db, {"绿": 60})
    auth.logout(demo_db)
    auth.login(demo_db, "admin", "Admin-pass-123")
    assert set_visit_days(demo_db, {"绿": 60})["绿"] == 60
