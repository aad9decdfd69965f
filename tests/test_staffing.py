"""机构编制: the authorisations' computed 实有/空编/超编, the roster's rules (ID number
against 性别 and 出生日期, 编制 fields together, certificates, grades by post category,
one live person per ID number), 编制未核定, posts with exactly one primary, and the
certificate and grade dates computed by the database. Each test runs on SQLite and
PostgreSQL (the `db`/`demo_db` fixtures)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.core.children import read_children
from app.core.writes import delete_row, save_row
from app.errors import UserError, ValidationError
from app.ids import id_check_char
from app.models import FunctionalBody
from app.services import list_rows
from app.specs.settings import BODIES
from app.specs.staff import STAFF
from app.specs.staffing import AUTHORISATIONS
from app.staffing import GRADE_RANGES


def idn(born: str = "19900101", seq: str = "123", area: str = "510502") -> str:
    body = area + born + seq
    return body + id_check_char(body)


def person(**kw) -> dict:
    base = {"name": "测试人", "id_number": idn(), "category": "公务员", "status": "在岗"}
    return {**base, **kw}


def rows_by_id(db, spec) -> dict[int, dict]:
    rs = list_rows(db, spec)
    names = [f.name for f in rs.fields]
    return {i: dict(zip(names, r, strict=True)) for i, r in zip(rs.ids, rs.rows, strict=True)}


@pytest.fixture
def body(demo_db):
    """A body of its own, so the demo's people do not count in it."""
    return save_row(demo_db, BODIES, {"name": "测试科"})[0]


def _auth(db, body, est, n):
    return save_row(db, AUTHORISATIONS, {"body_id": body, "est_type": est, "authorised": n})[0]


# -- authorisations --------------------------------------------------------------------


def test_actual_vacant_and_over_are_computed_per_type(demo_db, body):
    admin = _auth(demo_db, body, "行政编制", 2)
    career = _auth(demo_db, body, "事业编制", 1)
    for k in range(3):  # three 事业 people in a body authorised one: over by 2
        save_row(demo_db, STAFF, person(name=f"事业{k}", id_number=idn(seq=f"2{k}1"),
                                        category="事业", est_type="事业编制", est_body_id=body))
    save_row(demo_db, STAFF, person(name="行政甲", id_number=idn(seq="301"),
                                    est_type="行政编制", est_body_id=body))
    # Left the body: not 实有 any more.
    save_row(demo_db, STAFF, person(name="行政乙", id_number=idn(seq="311"), status="退休",
                                    est_type="行政编制", est_body_id=body))
    rows = rows_by_id(demo_db, AUTHORISATIONS)
    assert (rows[admin]["actual"], rows[admin]["vacant"], rows[admin]["over"],
            rows[admin]["is_over"]) == (1, 1, 0, False)
    assert (rows[career]["actual"], rows[career]["vacant"], rows[career]["over"],
            rows[career]["is_over"]) == (3, 0, 2, True)


def test_one_authorisation_per_body_and_type(demo_db, body):
    _auth(demo_db, body, "行政编制", 2)
    with pytest.raises(ValidationError) as e:
        _auth(demo_db, body, "行政编制", 3)
    assert "已存在相同的记录" in str(e.value)
    _auth(demo_db, body, "工勤编制", 1)  # another type of the same body is fine


def test_authorisation_end_before_start_is_refused(demo_db, body):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, AUTHORISATIONS, {"body_id": body, "est_type": "行政编制",
                                           "authorised": 1, "effective_date": "2024-01-01",
                                           "end_date": "2023-12-31"})
    assert e.value.errors == {"end_date": "截止日期不能早于生效日期"}


def test_leader_posts_actual_counts_chiefs_and_deputies(demo_db, body):
    a = _auth(demo_db, body, "行政编制", 5)
    for k, rank in enumerate(("正职", "副职", "副职", "无")):
        save_row(demo_db, STAFF, person(name=f"领导{k}", id_number=idn(seq=f"4{k}1"),
                                        est_type="行政编制", est_body_id=body, leader_rank=rank))
    row = rows_by_id(demo_db, AUTHORISATIONS)[a]
    assert (row["chief_actual"], row["deputy_actual"]) == (1, 2)


# -- people: rules -------------------------------------------------------------------------


def test_gender_and_birth_date_are_derived_from_the_id_number(demo_db):
    pid = save_row(demo_db, STAFF, person(id_number=idn("19851231", "124")))[0]
    row = rows_by_id(demo_db, STAFF)[pid]
    assert row["gender"] == "女"  # 17th digit 4: even
    with demo_db.session() as s:
        from app.models import Person

        assert s.get(Person, pid).birth_date == date(1985, 12, 31)


def test_gender_against_the_id_number_names_the_field(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(id_number=idn(seq="123"), gender="女"))
    assert e.value.errors == {"gender": "“女”与身份证号码不符（号码第17位表示男性）"}
    assert "性别" in str(e.value)


def test_birth_date_against_the_id_number(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(birth_date="1990-01-02"))
    assert e.value.errors == {"birth_date": "与身份证号码中的出生日期 1990-01-01 不符"}


def test_a_bad_id_number_is_refused_with_its_field(demo_db):
    bad = idn()[:-1] + ("0" if idn()[-1] != "0" else "1")
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(id_number=bad))
    assert "校验位不符" in e.value.errors["id_number"]


def test_the_same_id_number_twice_among_live_people_is_refused(demo_db):
    first = save_row(demo_db, STAFF, person(name="甲"))
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(name="乙"))
    assert e.value.errors["id_number"].startswith("已存在相同的记录（身份证号码")
    delete_row(demo_db, STAFF, *first)  # in the recycle bin: the number is free again
    save_row(demo_db, STAFF, person(name="乙"))


def test_the_database_refuses_the_same_person_in_another_street(demo_db):
    """Two streets cannot both hold one live person: the partial unique index."""
    import app.areas

    save_row(demo_db, STAFF, person(name="甲"))
    demo_db.use_street(app.areas.add_street(demo_db, "北城街道"))
    with pytest.raises(UserError):
        save_row(demo_db, STAFF, person(name="甲"))


def test_establishment_type_and_body_go_together(demo_db, body):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(est_type="行政编制"))
    assert e.value.errors == {"est_body_id": "编制类型为“行政编制”时须填写编制所在机构"}
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(est_type="无编制", est_body_id=body))
    assert e.value.errors == {"est_type": "填写了编制所在机构时须填写编制类型"}


def test_unauthorised_type_is_listed_not_refused(demo_db, body):
    _auth(demo_db, body, "行政编制", 2)
    ok = save_row(demo_db, STAFF, person(name="甲", id_number=idn(seq="501"),
                                         est_type="行政编制", est_body_id=body))[0]
    odd = save_row(demo_db, STAFF, person(name="乙", id_number=idn(seq="511"),
                                          est_type="工勤编制", est_body_id=body))[0]
    none = save_row(demo_db, STAFF, person(name="丙", id_number=idn(seq="521"),
                                           category="编外聘用", est_type="无编制"))[0]
    rows = rows_by_id(demo_db, STAFF)
    assert (rows[ok]["unauthorised"], rows[odd]["unauthorised"],
            rows[none]["unauthorised"]) == (None, "未核定", None)


def test_work_start_before_birth_is_refused(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(work_start="1989-07-01"))
    assert e.value.errors == {"work_start": "参加工作时间不能早于出生日期"}


def test_certificate_fields_need_a_level_and_ordered_dates(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(cert_number="2020012345"))
    assert e.value.errors == {"cert_level": "填写了证书信息时须填写证书等级"}
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(cert_level="社工师", cert_date="2023-06-01",
                                        cert_registered="2023-05-01"))
    assert e.value.errors == {"cert_registered": "登记日期不能早于取得日期"}


@pytest.mark.parametrize("post", sorted(GRADE_RANGES))
def test_grade_outside_its_post_category_is_refused(demo_db, post):
    lo, hi = GRADE_RANGES[post]
    worker = person(category="社区工作者", est_type="无编制", cw_post=post)
    for n, grade in enumerate((lo, hi)):
        save_row(demo_db, STAFF, {**worker, "cw_grade": grade, "name": f"社工{n}",
                                  "id_number": idn(seq=f"6{n}1")})
    for n, grade in enumerate((lo - 1, hi + 1)):
        if not 1 <= grade <= 18:
            continue  # the field's own bounds refuse it already
        with pytest.raises(ValidationError) as e:
            save_row(demo_db, STAFF, {**worker, "cw_grade": grade, "id_number": idn(seq=f"7{n}1")})
        assert e.value.errors == {
            "cw_grade": f"{post}岗位的等级应在 {lo}–{hi} 级之间（现为 {grade} 级）"}


def test_grades_are_for_community_workers_with_a_post(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(cw_post="正职", cw_grade=10))
    assert e.value.errors == {"cw_post": "只有人员类别为“社区工作者”的人员评定岗位等级"}
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(category="社区工作者", cw_grade=10))
    assert e.value.errors == {"cw_post": "评定等级时须填写岗位类别"}


def test_grade_field_bounds(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(category="社区工作者", cw_post="正职", cw_grade=19))
    assert "应在 1–18 之间" in e.value.errors["cw_grade"]


# -- people: computed columns ------------------------------------------------------------


def test_certificate_valid_to_and_state(demo_db):
    today = date.today()
    cases = {"将到期": today - timedelta(days=3 * 365 - 30),
             "已过期": today - timedelta(days=3 * 366 + 5),
             "有效": today - timedelta(days=400)}
    ids = {}
    for n, (state, registered) in enumerate(cases.items()):
        ids[state] = save_row(demo_db, STAFF, person(
            name=f"社工{n}", id_number=idn(seq=f"8{n}1"), cert_level="助理社会工作师",
            cert_registered=registered))[0]
    plain = save_row(demo_db, STAFF, person(name="无证", id_number=idn(seq="891")))[0]
    rows = rows_by_id(demo_db, STAFF)
    for state, pid in ids.items():
        reg = cases[state]
        assert rows[pid]["cert_valid_to"] == reg.replace(year=reg.year + 3), state
        assert rows[pid]["cert_state"] == state
        assert rows[pid]["certified"] is True or rows[pid]["certified"] == 1
    assert rows[plain]["cert_state"] is None and not rows[plain]["certified"]


def test_next_grade_step_and_pay(demo_db):
    pid = save_row(demo_db, STAFF, person(category="社区工作者", est_type="无编制",
                                          cw_post="正职", cw_grade=18,
                                          cw_graded="2023-03-01"))[0]
    row = rows_by_id(demo_db, STAFF)[pid]
    assert row["cw_next_step"] == date(2026, 3, 1)
    assert row["cw_pay"] == 5200  # the seed: a community party secretary's 5,200 a month


# -- posts -------------------------------------------------------------------------------


def _names(db):
    with db.session() as s:
        return dict(s.execute(select(FunctionalBody.name, FunctionalBody.id)).all())


def test_posts_need_exactly_one_primary(demo_db):
    bodies = _names(demo_db)
    two = [{"body_id": bodies["党建工作办公室"], "post_name": "组织员", "is_primary": True},
           {"body_id": bodies["社区治理办公室"], "post_name": "网格管理", "is_primary": True}]
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(posts=two))
    assert "须有且只有一行的“主岗”为“是”（现有 2 行）" in e.value.errors["posts"]
    assert not [n for n in list_rows(demo_db, STAFF).column("name") if n == "测试人"]
    two[1]["is_primary"] = False
    pid = save_row(demo_db, STAFF, person(posts=list(reversed(two))))[0]
    stored = read_children(demo_db, STAFF, pid, "posts")
    assert [p["post_name"] for p in stored] == ["组织员", "网格管理"]  # the primary first
    row = rows_by_id(demo_db, STAFF)[pid]
    assert row["posts"] == "党建工作办公室/组织员；社区治理办公室/网格管理"
    assert row["post_count"] == 2 and row["multi_post"]


def test_posts_cell_names_the_body_or_means_the_workplace(demo_db):
    pid = save_row(demo_db, STAFF, person(
        work_body_id="社区治理办公室",
        posts="小区治理指导；平安法治办公室/人民调解员；党建工作办公室/组织员"))[0]
    stored = read_children(demo_db, STAFF, pid, "posts")
    bodies = _names(demo_db)
    assert [(p["body_id"], p["post_name"], p["is_primary"]) for p in stored] == [
        (None, "小区治理指导", True), (bodies["平安法治办公室"], "人民调解员", False),
        (bodies["党建工作办公室"], "组织员", False)]
    assert rows_by_id(demo_db, STAFF)[pid]["posts"] == (
        "小区治理指导；平安法治办公室/人民调解员；党建工作办公室/组织员")


def test_posts_cell_with_an_unknown_body_names_the_item(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(posts="不存在的科/文秘"))
    assert "第1行所在机构“不存在的科”不在可选范围内" in e.value.errors["posts"]


def test_post_dates_in_order(demo_db):
    with pytest.raises(ValidationError) as e:
        save_row(demo_db, STAFF, person(posts=[{"post_name": "文秘", "is_primary": True,
                                                "start_date": "2024-01-01",
                                                "end_date": "2023-01-01"}]))
    assert "第1行任职截止日期不能早于起始日期" in e.value.errors["posts"]


def test_moving_references_refuses_two_authorisations_alike(demo_db):
    """An administrator deleting a body moves its rows to another: an authorisation of a
    type the other body has already is refused by name, nothing moves."""
    from app.core.uow import UnitOfWork
    from app.core.writes import delete

    bodies = _names(demo_db)
    source, target = bodies["综合保障中心"], bodies["党政综合办公室"]  # both 工勤编制
    with pytest.raises(UserError) as e, UnitOfWork(demo_db) as uow:
        delete(uow, BODIES, source, None, reassign_to=target)
    assert "不能把编制核定" in str(e.value) and "改为引用“党政综合办公室”" in str(e.value)
    assert source in _names(demo_db).values()
