"""机构编制 figures (`stats staffing`), counted independently in Python from the stored
rows and compared with what the declared figures give; the national code tables; the
people with posts through the import
pipeline; the demo's proportions."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from app import staffing_codes as codes
from app.core.children import read_children
from app.core.writes import save_row
from app.demo_staffing import AUTHORISED
from app.figures import figures
from app.ids import id_check_char
from app.importer import run_import
from app.models import Authorisation, Person, PostAssignment
from app.services import list_rows
from app.specs import get_spec
from app.specs.staff import STAFF
from app.specs.staffing import AUTHORISATIONS
from app.staffing import ON_BOOKS
from reports.export import export_ledger

ROOT = Path(__file__).resolve().parent.parent


def _values(db, spec) -> dict[str, int]:
    return {v.label: v.value for v in figures(db, spec)}


def _expected(db) -> dict[str, int]:
    """The issue's figures, counted from the stored rows without the spec's SQL."""
    today = date.today()
    with db.session() as s:
        people = s.execute(select(Person).where(Person.deleted_at.is_(None))).scalars().all()
        auths = s.execute(select(Authorisation)
                          .where(Authorisation.deleted_at.is_(None))).scalars().all()
        posts = Counter(s.execute(select(PostAssignment.person_id)).scalars())
    books = [p for p in people if p.status in ON_BOOKS]
    held = Counter((p.est_body_id, p.est_type) for p in books)
    vacant = sum(max(a.authorised - held[(a.body_id, a.est_type)], 0) for a in auths)
    over = {a.body_id for a in auths if held[(a.body_id, a.est_type)] > a.authorised}

    def lapsing(p):
        if p.cert_registered is None:
            return False
        valid = p.cert_registered.replace(year=p.cert_registered.year + 3)
        return today <= valid <= today + timedelta(days=90)
    return {
        "合计": len(books), "核定编制": sum(a.authorised for a in auths),
        "实有": sum(held[(a.body_id, a.est_type)] for a in auths), "空编": vacant,
        "超编机构": len(over), "多岗人员": sum(1 for p in books if posts[p.id] >= 2),
        "持证社工": sum(1 for p in books if p.cert_level),
        "证书将到期": sum(1 for p in books if lapsing(p)),
        "编制未核定": sum(1 for p in people if p.est_type not in ("", "无编制") and
                     (p.est_body_id, p.est_type) not in {(a.body_id, a.est_type) for a in auths}),
    }


def test_staffing_figures_match_the_rows(demo_db):
    got = _values(demo_db, get_spec("staffing"))
    want = _expected(demo_db)
    assert {k: got[k] for k in want} == want
    # The demo's proportions: 9 bodies' authorisations, one body over strength, people
    # in several posts, certified workers of whom a few lapse, one 编制未核定.
    assert want["核定编制"] == sum(n for rows in AUTHORISED.values() for _t, n, _c, _d in rows)
    assert want["超编机构"] == 1 and want["编制未核定"] == 1
    assert 100 <= want["合计"] <= 130 and want["多岗人员"] >= 10
    assert want["持证社工"] >= 20 and 2 <= want["证书将到期"] <= 6


def test_figures_move_with_a_change(demo_db):
    before = _values(demo_db, STAFF)
    auths = list_rows(demo_db, AUTHORISATIONS)
    names = [f.name for f in auths.fields]
    row = next(dict(zip(names, r, strict=True)) for r in auths.rows
               if r[names.index("vacant")] > 0)
    for k in range(row["vacant"] + 1):  # fill every vacancy and one more
        save_row(demo_db, STAFF, {
            "name": f"新人{k}", "id_number": _id(f"20000101{k + 1:02d}1"), "category": "公务员",
            "est_type": row["est_type"], "est_body_id": row["body_id"],
            "work_body_id": row["body_id"], "posts": "文秘；党建工作办公室/组织员"})
    after = _values(demo_db, STAFF)
    assert after["合计"] == before["合计"] + row["vacant"] + 1
    assert after["实有"] == before["实有"] + row["vacant"] + 1
    assert after["空编"] == before["空编"] - row["vacant"]
    assert after["超编机构"] == before["超编机构"] + 1
    assert after["多岗人员"] == before["多岗人员"] + row["vacant"] + 1


def test_authorisation_figures(demo_db):
    got = _values(demo_db, AUTHORISATIONS)
    want = _expected(demo_db)
    assert (got["核定编制"], got["实有"], got["空编"], got["超编机构"]) == (
        want["核定编制"], want["实有"], want["空编"], want["超编机构"])
    assert got["超编核定项"] == 1 and got["超编"] == 1  # OVER holds one person too many
    assert got["合计"] == sum(len(r) for r in AUTHORISED.values())


def test_cross_ledger_figures_are_not_on_the_strip(demo_db):
    values = {v.key: v for v in figures(demo_db, STAFF)}
    assert not values["authorised"].strip and not values["over_bodies"].strip
    assert values["multi_post"].strip and values["multi_post"].where == {
        "multi_post": True, "on_books": True}


def test_stats_staffing_on_the_command_line(tmp_path):
    url = str(tmp_path / "cli.sqlite3")
    run = [sys.executable, str(ROOT / "main.py"), "--db", url]
    subprocess.run([*run, "--create", "demo"], check=True, capture_output=True, cwd=ROOT)
    out = subprocess.run([*run, "stats", "staffing"], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.splitlines()
    labels = [line.split(":")[0] for line in out]
    assert labels[:8] == ["合计", "核定编制", "实有", "空编", "超编机构", "多岗人员", "持证社工",
                          "证书将到期"]
    assert "超编机构: 1" in out
    powers = subprocess.run([*run, "stats", "powers"], check=True, capture_output=True,
                            text=True, cwd=ROOT).stdout
    assert "合计: 394" in powers and "下放行政权力: 159" in powers


# -- code tables -----------------------------------------------------------------------


def test_code_tables_are_complete_and_distinct():
    assert len(codes.ETHNICITIES) == 58 and codes.ETHNICITIES[55] == ("56", "基诺族")
    for table in codes.TABLES.values():
        assert len({c for c, _ in table}) == len({n for _, n in table}) == len(table)
    assert codes.code_of("political", "群众") == "13"


@pytest.mark.parametrize(("field", "typed", "name"), [
    ("ethnicity", "01", "汉族"), ("ethnicity", 1, "汉族"), ("ethnicity", "33", "羌族"),
    ("ethnicity", "彝", "彝族"), ("gender", "2", "女"), ("political", "党员", "中国共产党党员"),
    ("political", "03", "中国共产主义青年团团员"), ("education", "本科", "大学本科毕业"),
    ("education", "21", "大学本科毕业"), ("education", "大专", "大学专科毕业"),
    ("education", "高中", "普通高中毕业"),
])
def test_code_or_name_is_accepted(field, typed, name):
    assert STAFF.field(field).parse(typed) == name


def test_an_unknown_code_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="不是可选值"):
        STAFF.field("ethnicity").parse("99")


# -- ID numbers ------------------------------------------------------------------------


def _id(first17: str) -> str:
    first17 = ("510502" + first17)[-17:] if len(first17) < 17 else first17
    return first17 + id_check_char(first17)


# -- import ----------------------------------------------------------------------------

HEADINGS = ["姓名", "性别", "民族", "身份证号码", "政治面貌", "学历", "人员类别", "编制类型",
            "编制所在机构", "实际工作机构", "岗位", "联系电话"]


def test_people_with_posts_import_through_the_pipeline(demo_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["南城街道人员花名册"])
    ws.append(HEADINGS)
    ws.append(["赵一", "1", "01", _id("19880808123"), "01", "21", "公务员", "行政",
               "党政综合办公室", "党建工作办公室", "组织员；党政综合办公室/文秘", "13900001111"])
    ws.append(["钱二", "女", "彝族", _id("19920202224"), "群众", "大专", "社区工作者", "无编制",
               None, "社区治理办公室", "社区专职工作者", "0830-2345678"])
    path = tmp_path / "people.xlsx"
    wb.save(path)
    summary = run_import(demo_db, STAFF, path)
    assert summary.written and summary.added == 2, summary.lines()
    rows = {r[0]: r for r in list_rows(demo_db, STAFF).rows}
    names = [f.name for f in STAFF.table_fields]
    zhao = dict(zip(names, rows["赵一"], strict=True))
    assert (zhao["gender"], zhao["ethnicity"], zhao["political"], zhao["education"],
            zhao["est_type"]) == ("男", "汉族", "中国共产党党员", "大学本科毕业", "行政编制")
    assert zhao["posts"] == "组织员；党政综合办公室/文秘" and zhao["multi_post"]
    pid = list_rows(demo_db, STAFF).ids[list(rows).index("赵一")]
    assert [p["is_primary"] for p in read_children(demo_db, STAFF, pid, "posts")] == [True,
                                                                                         False]
    # Exported and imported again (upsert by ID number): nothing changes but the posts
    # compare as stored rows — the people stay two, their posts the same.
    out = tmp_path / "out.xlsx"
    export_ledger(demo_db, STAFF, out, mask_ids=False)
    again = run_import(demo_db, STAFF, out, mode="upsert")
    assert again.written and again.added == 0, again.lines()
    assert dict(zip(names, {r[0]: r for r in list_rows(demo_db, STAFF).rows}["赵一"],
                    strict=True))["posts"] == "组织员；党政综合办公室/文秘"


def test_an_import_with_a_gender_contradicting_the_id_names_row_and_column(demo_db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADINGS)
    ws.append(["孙三", "女", "汉族", _id("19880808123"), "群众", "本科", "编外聘用", "无编制",
               None, "便民服务中心", "综合窗口", None])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    summary = run_import(demo_db, STAFF, path)
    assert not summary.written
    text = "；".join(summary.lines())
    assert "第 2 行" in text and "性别" in text and "与身份证号码不符" in text
