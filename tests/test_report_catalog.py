"""The named documents of `main.py report` (reports/catalog.py): every entry's writer
exists and takes the options the entry declares; an option a document does not take is
refused with a line naming the documents that do, and nothing is written; the help
lists every name."""

from __future__ import annotations

import inspect

import pytest

from reports.catalog import NAMED, OPTIONS, help_text, misplaced
from tests.test_cli_messages import demo, only_line, run  # noqa: F401 - the fixture


@pytest.mark.parametrize("name", sorted(NAMED))
def test_each_writer_takes_what_its_entry_passes(name):
    import importlib

    doc = NAMED[name]
    module, _sep, func = doc.writer.partition(":")
    writer = getattr(importlib.import_module(module), func)
    params = inspect.signature(writer).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    for kw in ("path", *doc.fixed, *(OPTIONS[o] for o in doc.options)):
        assert kw in params or takes_any, (name, kw)


def test_misplaced_names_the_documents_that_take_the_option():
    assert misplaced("red-black", ["--period", "--issue", "--exempt"]) is None
    assert misplaced("dispatch", ["--issue"]) == \
        "--issue 只用于 bulletin（整改工作月通报）、red-black（红黑榜）"
    assert misplaced("powers", ["--full-ids"]) == (
        "--full-ids 只用于 grid-roster（网格员花名册）、grid-info（网格基础信息表）、"
        "party-coverage（小区党组织覆盖情况）、key-person-ledger（重点人员台账）")
    assert misplaced("minutes", ["--estate"]) == "--estate 只用于 estate-chart（一小区一图示）"


def test_help_lists_every_named_document():
    text = help_text()
    for doc in NAMED.values():
        assert f"{doc.name} {doc.title}" in text
    assert "整改文书：bulletin 整改工作月通报 / dispatch" in text


def test_cli_refuses_a_misplaced_option_and_writes_nothing(capsys, tmp_path, demo):  # noqa: F811
    out = tmp_path / "x.pdf"
    rc, _out, err = run(capsys, "report", "annual", str(out), "--issue", "--db", demo)
    assert rc != 0 and not out.exists()
    assert "--issue 只用于 bulletin（整改工作月通报）、red-black（红黑榜）" in only_line(err)
    rc, _out, err = run(capsys, "report", "grid-info", str(tmp_path / "x.docx"), "--db", demo)
    assert rc != 0 and "输出文件应以 .pdf 或 .xlsx 结尾" in only_line(err)
    rc, _out, err = run(capsys, "report", "red-black", str(out), "--exempt", "城建办", "--db",
                        demo)
    assert rc != 0 and "--exempt 应写成 单位=理由：城建办" in only_line(err)


def test_cli_writes_named_documents(capsys, tmp_path, demo):  # noqa: F811
    from pypdf import PdfReader

    pdf = tmp_path / "编制.pdf"
    rc, out, _err = run(capsys, "report", "staffing", str(pdf), "--db", demo)
    assert rc == 0 and out.startswith("已生成机构编制情况（") and len(PdfReader(pdf).pages) >= 1
    xlsx = tmp_path / "网格.xlsx"
    rc, out, _err = run(capsys, "report", "grid-info", str(xlsx), "--db", demo)
    assert rc == 0 and "个工作表" in out and xlsx.exists()


def test_cli_issues_the_red_black_list_with_exemptions(capsys, tmp_path, demo):  # noqa: F811
    from app.db import Database
    from app.rectification import parse_period, red_black
    from app.rectification_lists import issued_list

    unit = red_black(Database(demo), parse_period(None)).ranked[0].unit
    out = tmp_path / "红黑榜.pdf"
    rc, said, err = run(capsys, "report", "red-black", str(out), "--issue",
                        "--exempt", f"{unit}=省级督办事项已延期", "--db", demo)
    assert rc == 0, err
    assert said.startswith("已生成红黑榜（") and "，已发布：" in said and out.exists()
    frozen = issued_list(Database(demo), parse_period(None))  # this quarter, as issued
    assert [(u.unit, u.exempt) for u in frozen.exempted] == [(unit, "省级督办事项已延期")]
