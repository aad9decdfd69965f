"""The import's shortcuts give what the full paths give: a clean ID number or mobile
number taken as it is, the same posts cell shared by many people (cleaned once) written
for each of them, on SQLite (app.bulk) and PostgreSQL (Core executemany)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.core.children import read_children
from app.ids import id_check_char, parse_id_number
from app.importer import run_import
from app.services import list_rows, save_row
from app.specs import get_spec
from app.specs.staff import STAFF

sys.path.insert(0, str(Path(__file__).resolve().parent / "benchmarks"))


def _id(first17: str) -> str:
    return first17 + id_check_char(first17)


def test_a_clean_id_number_and_a_written_one_agree():
    whole = _id("51050219900101123")
    assert parse_id_number(whole) == whole
    assert parse_id_number(f" {whole} ") == whole
    assert parse_id_number(whole.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)})) == whole
    x = next(_id(f"5105021990010112{k}") for k in range(10)
             if _id(f"5105021990010112{k}").endswith("X"))
    assert parse_id_number(x.lower()) == x
    with pytest.raises(ValueError, match="校验位不符"):
        parse_id_number(whole[:17] + ("0" if whole[17] != "0" else "1"))
    with pytest.raises(ValueError, match="出生日期"):
        parse_id_number(_id("51050219901301123"))
    with pytest.raises(ValueError):
        id_check_char("123")


def test_a_plain_mobile_and_a_written_one_agree():
    phone = get_spec("staff").field("phone")
    assert phone.parse("13912345678") == "13912345678"
    assert phone.parse("139 1234 5678") == "13912345678"
    assert phone.parse(13912345678.0) == "13912345678"
    with pytest.raises(ValueError):
        phone.parse("12912345678")


def test_people_sharing_a_posts_cell_each_get_their_posts(db, tmp_path):
    from bench_import import BODIES
    from bench_staff_import import make_workbook

    for b in BODIES:
        save_row(db, get_spec("bodies"), {"name": b})
    path = tmp_path / "staff.xlsx"
    make_workbook(path, 120)  # 90 distinct posts cells: many people share one
    summary = run_import(db, "staff", path)
    assert summary.ok and summary.added == 120, summary.text()
    ids = list_rows(db, STAFF).ids
    counts = sorted(len(read_children(db, STAFF, i, "posts")) for i in ids)
    assert counts == sorted(1 + n % 3 for n in range(120))
    for i in ids:
        posts = read_children(db, STAFF, i, "posts")
        assert sum(1 for p in posts if p["is_primary"]) == 1
        assert all(p["post_name"] and p["duties"] == "" for p in posts)
