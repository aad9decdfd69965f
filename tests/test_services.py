"""The write path and reads, on SQLite and (with its URL) PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.db import Database
from app.errors import ConflictError, UserError, ValidationError
from app.powers import case_counts, counts_for_year, set_case_counts, stats
from app.services import delete_row, get_row, list_rows, ref_choices, save_row
from app.specs import get_spec
from app.specs.powers import POWERS
from app.specs.settings import BODIES, COMMUNITIES

NEW_ITEM = {
    "list_kind": "下放行政权力",
    "power_type": "行政处罚",
    "code": "TEST-001",
    "name": "对擅自占用人行道摆摊的处罚",
    "devolution_mode": "直接下放",
    "status": "运行中",
    "effective_date": "2023年12月5日",
}


def test_demo_counts(demo_db):
    lines = dict(stats(demo_db))
    assert lines["合计"] == 394
    assert (lines["下放行政权力"], lines["法定权力事项"], lines["属地管理事项"]) == (159, 118, 117)
    assert len(list_rows(demo_db, BODIES)) == 9
    assert sum(lines[t] for t in POWERS.field("power_type").choices) == 394
    zero = [v for k, v in lines.items() if k.startswith("零办件事项")]
    assert zero and 0 < zero[0] < 394


def _stamps(db, row_id: int) -> tuple[str, str]:
    """(created_by, updated_by) as stored: get_row does not return them."""
    with db.session() as s:
        return tuple(s.execute(select(POWERS.model.created_by, POWERS.model.updated_by)
                              .where(POWERS.model.id == row_id)).one())


def test_create_update_delete_roundtrip(demo_db):
    body_id, body_name = ref_choices(demo_db, POWERS.field("body_id"))[2]
    row_id, version = save_row(demo_db, POWERS, {**NEW_ITEM, "body_id": body_name})
    row = get_row(demo_db, POWERS, row_id)
    assert row["body_id"] == body_id
    assert row["effective_date"].isoformat() == "2023-12-05"
    assert _stamps(demo_db, row_id) == ("测试员", "测试员")  # the acting user, not ""
    assert version == 1

    other = Database(demo_db.url, actor="复核员")  # someone else edits it
    try:
        new_id, version2 = save_row(other, POWERS, {**row, "remarks": "已核对"}, row_id, version)
    finally:
        other.close()
    assert (new_id, version2) == (row_id, 2)
    assert get_row(demo_db, POWERS, row_id)["remarks"] == "已核对"
    assert _stamps(demo_db, row_id) == ("测试员", "复核员")

    delete_row(demo_db, POWERS, row_id, version2)
    assert row_id not in list_rows(demo_db, POWERS).ids
    assert row_id in list_rows(demo_db, POWERS, deleted=True).ids
    with pytest.raises(ConflictError):
        get_row(demo_db, POWERS, row_id)


def test_validation_names_every_bad_field(demo_db):
    with pytest.raises(ValidationError) as err:
        save_row(demo_db, POWERS, {"list_kind": "不知道", "power_type": "", "name": " ",
                                   "effective_date": "2023-13-45"})
    errors = err.value.errors
    assert set(errors) == {"list_kind", "power_type", "name", "effective_date"}
    assert "不是可选值" in errors["list_kind"]
    assert errors["name"] == "必填"
    assert "日期" in errors["effective_date"]


def test_domain_rule_devolution_mode(demo_db):
    with pytest.raises(ValidationError) as err:
        save_row(demo_db, POWERS, {**NEW_ITEM, "devolution_mode": ""})
    assert "devolution_mode" in err.value.errors


def test_enum_variants_and_fullwidth(demo_db):
    row_id, _ = save_row(demo_db, POWERS, {**NEW_ITEM, "list_kind": " 下放 ",
                                           "power_type": "处罚", "code": "ＴＥＳＴ－００２"})
    row = get_row(demo_db, POWERS, row_id)
    assert (row["list_kind"], row["power_type"]) == ("下放行政权力", "行政处罚")
    assert row["code"] == "TEST－002"  # full-width letters and digits become half-width


def test_unknown_reference_is_refused(demo_db):
    with pytest.raises(ValidationError) as err:
        save_row(demo_db, POWERS, {**NEW_ITEM, "body_id": "不存在的科室"})
    assert "不存在的科室" in err.value.errors["body_id"]


def test_reference_matched_despite_spacing(demo_db):
    row_id, _ = save_row(demo_db, POWERS, {**NEW_ITEM, "body_id": "便民　服务 中心"})
    names = dict(ref_choices(demo_db, POWERS.field("body_id")))
    assert names[get_row(demo_db, POWERS, row_id)["body_id"]] == "便民服务中心"


def test_duplicate_natural_key_refused_and_allowed_after_delete(demo_db):
    row_id, v = save_row(demo_db, POWERS, NEW_ITEM)
    with pytest.raises(ValidationError) as err:
        save_row(demo_db, POWERS, {**NEW_ITEM, "code": "OTHER"})
    assert "已存在" in err.value.message
    delete_row(demo_db, POWERS, row_id, v)
    save_row(demo_db, POWERS, NEW_ITEM)  # a deleted row no longer blocks its key


def test_stale_save_is_refused_with_their_values(demo_db):
    row_id = list_rows(demo_db, POWERS).ids[0]
    mine = get_row(demo_db, POWERS, row_id)
    theirs = dict(mine)
    save_row(demo_db, POWERS, {**theirs, "remarks": "他人的修改"}, row_id, theirs["version"])
    with pytest.raises(ConflictError) as err:
        save_row(demo_db, POWERS, {**mine, "remarks": "我的修改"}, row_id, mine["version"])
    assert err.value.theirs["remarks"] == "他人的修改"
    assert get_row(demo_db, POWERS, row_id)["remarks"] == "他人的修改"
    # Saving against the version the conflict reported goes through.
    save_row(demo_db, POWERS, {**mine, "remarks": "我的修改"}, row_id, err.value.version)
    assert get_row(demo_db, POWERS, row_id)["remarks"] == "我的修改"


def test_stale_delete_is_refused(demo_db):
    row_id = list_rows(demo_db, POWERS).ids[0]
    old = get_row(demo_db, POWERS, row_id)
    save_row(demo_db, POWERS, {**old, "remarks": "改过"}, row_id, old["version"])
    with pytest.raises(ConflictError):
        delete_row(demo_db, POWERS, row_id, old["version"])
    assert row_id in list_rows(demo_db, POWERS).ids


def test_case_counts_per_year(demo_db):
    row_id = list_rows(demo_db, POWERS).ids[0]
    version = get_row(demo_db, POWERS, row_id)["version"]
    new_version = set_case_counts(demo_db, row_id, {2024: 12, 2025: 0}, version)
    assert new_version == version + 1
    assert case_counts(demo_db, row_id) == {2024: 12, 2025: 0}
    assert counts_for_year(demo_db, 2024)[row_id] == 12
    with pytest.raises(ConflictError):
        set_case_counts(demo_db, row_id, {2024: 1}, version)
    with pytest.raises(ValueError):
        set_case_counts(demo_db, row_id, {2024: -1}, new_version)


def test_zero_cases_count_reported_zeros_and_unreported_is_its_own_figure(demo_db):
    year = 2030
    zero, unreported = f"零办件事项（{year}年）", f"未填报办件量（{year}年）"
    before = dict(stats(demo_db, year))
    assert before[zero] == 0 and before[unreported] == 394  # nothing reported for that year
    first, second = list_rows(demo_db, POWERS).ids[:2]
    set_case_counts(demo_db, first, {year: 3}, None)
    set_case_counts(demo_db, second, {year: 0}, None)
    after = dict(stats(demo_db, year))
    assert after[zero] == 1 and after[unreported] == 392
    # The table's column for that year says the same: 3, 0, and 未填报 for the rest.
    rows = list_rows(demo_db, POWERS, year=year)
    counts = dict(zip(rows.ids, rows.column("case_count"), strict=True))
    assert counts[first] == 3 and counts[second] == 0
    assert sum(1 for v in counts.values() if v is None) == 392
    assert POWERS.field("case_count").display(None) == "未填报"


def test_generic_machinery_drives_communities(demo_db):
    row_id, _ = save_row(demo_db, COMMUNITIES, {"name": "新建社区", "code": "X1"})
    rows = list_rows(demo_db, COMMUNITIES)
    assert "新建社区" in rows.column("name")
    from app.models import Area

    with demo_db.session() as s:
        area = s.get(Area, row_id)
        assert area.level == "community" and area.parent_id == demo_db.street_id
        assert area.path.endswith(f"/{demo_db.street_id}/{row_id}/")


def test_unknown_ledger_is_a_user_error():
    with pytest.raises(UserError) as err:
        get_spec("nothing")
    assert "powers" in err.value.message


def test_rename_street(demo_db):
    from app.areas import district_name, rename_street

    rename_street(demo_db, " 大山坪街道 ", "江阳区")
    assert demo_db.street_name() == "大山坪街道"
    assert district_name(demo_db) == "江阳区"
    with pytest.raises(ValidationError):
        rename_street(demo_db, "  ")
