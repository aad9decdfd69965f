"""Choice fields sort in their list's order everywhere; import templates show whole hints
and offer drop-downs for every choice and reference column."""

from __future__ import annotations

import openpyxl
import pytest

from app.specs import get_spec
from app.specs.powers import LIST_KINDS

POWERS = get_spec("powers")


def first_seen(values) -> list[str]:
    seen: list[str] = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def test_rows_come_in_the_lists_own_order(demo_db):
    from app.services import list_rows

    kinds = list_rows(demo_db, POWERS).column("list_kind")
    assert first_seen(kinds) == list(LIST_KINDS)  # 下放 → 法定 → 属地, not by code point
    assert sorted(LIST_KINDS) != list(LIST_KINDS)  # the test would catch text order


def test_export_and_pdf_follow_the_list_order(sqlite_demo_db, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    from reports.export import export_ledger, report_ledger

    xlsx = tmp_path / "p.xlsx"
    export_ledger(sqlite_demo_db, POWERS, xlsx)
    ws = openpyxl.load_workbook(xlsx).worksheets[0]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c in LIST_KINDS]
    assert first_seen(cells) == list(LIST_KINDS)

    pdf = tmp_path / "p.pdf"
    report_ledger(sqlite_demo_db, POWERS, pdf)
    pages = pypdf.PdfReader(str(pdf)).pages
    details = "".join(p.extract_text() for p in pages[1:]).replace("\n", "").replace(" ", "")
    at = [details.find(k) for k in LIST_KINDS]
    assert all(i >= 0 for i in at) and at == sorted(at), at


def test_template_hint_row_is_tall_enough_for_every_hint(tmp_path):
    from reports.templates import field_hint, text_units, write_template

    out = write_template(tmp_path / "t.xlsx", POWERS)
    ws = openpyxl.load_workbook(out).worksheets[0]
    height = ws.row_dimensions[4].height
    for col, f in enumerate(POWERS.form_fields, 1):
        letter = openpyxl.utils.get_column_letter(col)
        hint = ws.cell(4, col).value
        assert hint == field_hint(f)
        width = ws.column_dimensions[letter].width
        lines = -(-text_units(hint) // max(1, int(width) - 1))
        assert height >= 12 * lines, (f.label, hint, width, height)


def test_template_drop_downs_cover_choices_and_references_from_the_database(sqlite_demo_db,
                                                                            tmp_path):
    from app.services import ref_choices
    from reports.templates import write_template

    out = write_template(tmp_path / "t.xlsx", POWERS, db=sqlite_demo_db)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    fields = POWERS.form_fields
    by_column = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv.formula1
                 for dv in ws.data_validations.dataValidation}
    for col, f in enumerate(fields, 1):
        letter = openpyxl.utils.get_column_letter(col)
        if f.kind == "enum":
            assert by_column[letter] == '"' + ",".join(f.choices) + '"'
        elif f.kind == "ref":
            names = [n for _, n in ref_choices(sqlite_demo_db, f)]
            assert names and by_column[letter] == '"' + ",".join(names) + '"'
        else:
            assert letter not in by_column


def test_long_reference_lists_go_to_a_hidden_sheet(tmp_path):
    from reports.templates import LISTS_SHEET, write_template

    ref = next(f for f in POWERS.form_fields if f.kind == "ref")
    names = [f"第{i}号很长名称的科室办公室" for i in range(40)]
    out = write_template(tmp_path / "t.xlsx", POWERS, ref_names={ref.name: names})
    wb = openpyxl.load_workbook(out)
    lists = wb[LISTS_SHEET]
    assert lists.sheet_state == "hidden"
    assert [r[0] for r in lists.iter_rows(values_only=True)] == names
    formulas = [dv.formula1 for dv in wb.worksheets[0].data_validations.dataValidation]
    assert f"'{LISTS_SHEET}'!$A$1:$A$40" in formulas


def test_cli_template_lists_the_databases_offices(tmp_path, capsys):
    from main import run_cli

    db = str(tmp_path / "d.sqlite3")
    assert run_cli(["demo", "--db", db, "--create"]) == 0
    out = tmp_path / "模板.xlsx"
    assert run_cli(["template", "powers", str(out), "--db", db]) == 0
    formulas = [dv.formula1 for dv in
                openpyxl.load_workbook(out).worksheets[0].data_validations.dataValidation]
    assert any("综合行政执法办公室" in f for f in formulas)
