"""机构编制 documents read back from the PDF (pypdf): the 实名制汇总表's numbers and
totals agree with the matrix and with `stats staffing`, 超编 cells are red, the other
sections print; the Grid section prints user text literally."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from app.figures import figures
from app.specs import get_spec
from app.staffing_reads import establishment_matrix, people_in
from reports.sections import Document, Grid, build_pdf
from reports.staffing import summary_sections, write_staffing_pdf


def _text(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture
def pdf(sqlite_demo_db, tmp_path):
    path = tmp_path / "staffing.pdf"
    write_staffing_pdf(sqlite_demo_db, path)
    return path


def test_matrix_totals_agree_with_the_figures(sqlite_demo_db):
    m = establishment_matrix(sqlite_demo_db)
    stats = {v.label: v.value for v in figures(sqlite_demo_db, get_spec("staffing"))}
    t = m.total()
    assert (t.authorised, t.actual, t.vacant, len(m.over_bodies())) == (
        stats["核定编制"], stats["实有"], stats["空编"], stats["超编机构"])
    # A body over strength in one type and vacant in another keeps both.
    body = next(b for b, name in m.bodies if name == "综合行政执法办公室")
    total = m.body_total(body)
    assert (total.authorised, total.actual, total.vacant, total.over) == (10, 10, 1, 1)


def test_people_behind_a_cell(sqlite_demo_db):
    m = establishment_matrix(sqlite_demo_db)
    body = dict(m.bodies)
    for (b, t), c in m.cells.items():
        assert len(people_in(sqlite_demo_db, body[b], t).rows) == c.actual, (body[b], t)


def test_summary_table_prints_every_body_and_the_totals(pdf, sqlite_demo_db):
    text = _text(pdf)
    m = establishment_matrix(sqlite_demo_db)
    for _b, name in m.bodies:
        assert name in text
    for t in m.types:
        assert t in text
    t = m.total()
    assert f"核定编制 {t.authorised} 名，实有 {t.actual} 名，空编 {t.vacant} 名，超编 {t.over} 名" in text
    assert "超编机构：综合行政执法办公室" in text
    assert "另有1名人员的编制类型未在其编制所在机构核定" in text.replace(" ", "")
    for heading in ("实名制汇总表", "领导职数配备表", "一人多岗对照表", "社区工作者等级薪酬表",
                    "持证社工统计", "5,200", "核查事项", "领导职数超配的编制核定",
                    "身份证号码地区码需核对的人员"):
        assert heading in text


def test_leader_posts_over_are_red_in_the_leader_table(sqlite_demo_db):
    from reports.staffing import leader_sections

    grid = next(s for s in leader_sections(sqlite_demo_db) if isinstance(s, Grid))
    row = [r[0] for r in grid.rows].index("社区治理办公室")
    assert grid.rows[row][5:9] == ["1", "2", "1", ""]  # 副职 应配 / 实配 / 超配 / 缺配
    assert (row, 7) in grid.red and (len(grid.rows) - 1, 7) in grid.red
    assert all(grid.rows[r][c] for r, c in grid.red)


def test_over_strength_is_red(sqlite_demo_db):
    grid = next(s for s in summary_sections(sqlite_demo_db) if isinstance(s, Grid))
    m = establishment_matrix(sqlite_demo_db)
    row = [name for _b, name in m.bodies].index("综合行政执法办公室")
    col = 1 + 4 * (1 + m.types.index("参公事业编制")) + 3  # that type's 超编 column
    assert (row, col) in grid.red and grid.rows[row][col] == "1"
    assert (row, 4) in grid.red  # the body's own total
    assert all(grid.rows[r][c] for r, c in grid.red)


def test_report_staffing_on_the_command_line(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    url = str(tmp_path / "r.sqlite3")
    run = [sys.executable, str(root / "main.py"), "--db", url]
    subprocess.run([*run, "--create", "demo"], check=True, capture_output=True, cwd=root)
    out = tmp_path / "s.pdf"
    r = subprocess.run([*run, "report", "staffing", str(out)], capture_output=True, text=True,
                       cwd=root)
    assert r.returncode == 0 and "机构编制情况" in r.stdout, r.stderr
    assert "实名制汇总表" in _text(out)


def test_grid_prints_text_literally(tmp_path):
    path = tmp_path / "g.pdf"
    build_pdf(path, Document([Grid([["名称", "数"]], [["<img src='x'/>科", "3"]])], title="t"))
    assert "<img src='x'/>科" in _text(path)
