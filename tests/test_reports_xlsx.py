"""Excel export read back with openpyxl: layout, values, real dates, print setup,
formula injection kept as text, ID masking, progress and cancel."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.models import PowerItem
from app.services import RowSet, list_rows
from app.specs import Field, LedgerSpec
from app.specs.powers import POWERS
from reports import Cancelled, mask_id
from reports.pdf import write_ledger_pdf
from reports.xlsx import is_formula_like, safe_text, write_ledger_xlsx

RISKY = ["=1+1", "+SUM(A1:A9)", "-2+3", "@cmd", "\tTAB", "\rCR", "\nLF",
         '=HYPERLINK("http://x","点我")', "=" + "很长的公式文本" * 12]


def powers_rowset(names: list[str]) -> RowSet:
    fields = POWERS.export_fields
    rows = []
    for i, name in enumerate(names):
        values = {f.name: "" for f in fields} | {
            "list_kind": "下放行政权力", "power_type": "行政处罚", "code": f"XF-{i:04d}",
            "name": name, "status": "已承接", "effective_date": date(2023, 12, 5)}
        rows.append(tuple(values[f.name] for f in fields))
    return RowSet(fields, list(range(len(rows))), [1] * len(rows), rows)


def test_demo_export_reads_back(sqlite_demo_db, tmp_path):
    rs = list_rows(sqlite_demo_db, POWERS, POWERS.export_fields)
    out = tmp_path / "powers.xlsx"
    n = write_ledger_xlsx(out, POWERS, rs, title="南城街道权责清单", street_name="南城街道",
                          export_date=date(2023, 12, 5))
    assert n == 394
    ws = load_workbook(out).active
    assert ws.title == "权责清单"
    last = chr(ord("A") + len(rs.fields))  # 序号 + 12 fields → M
    assert ws["A1"].value == "南城街道权责清单" and ws["A1"].font.b
    assert {str(r) for r in ws.merged_cells.ranges} == {f"A1:{last}1", f"A2:{last}2"}
    assert "南城街道" in ws["A2"].value and "2023年12月5日" in ws["A2"].value
    assert "共 394 条" in ws["A2"].value
    header = [c.value for c in ws[3]]
    assert header == ["序号"] + [f.title for f in POWERS.export_fields]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("D9E1F2") for c in ws[3])
    assert ws.max_row == 3 + 394
    # Every value as the rowset holds it (empty text as an empty cell).
    for i, row in enumerate(rs.rows):
        got = [c.value for c in ws[4 + i]]
        assert got[0] == i + 1
        want = [datetime(v.year, v.month, v.day) if isinstance(v, date)
                else None if v in (None, "") else v for v in row]
        assert got[1:] == want
    date_col = 1 + [f.name for f in rs.fields].index("effective_date")
    cell = ws.cell(row=4, column=date_col + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:{last}397"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    name_col = [f.name for f in rs.fields].index("name") + 1
    assert ws.column_dimensions[chr(ord("A") + name_col)].width >= POWERS.field("name").width


def test_formula_like_text_stays_text(tmp_path):
    names = RISKY + ["普通名称", "a-b", "中间=不是公式"]
    out = tmp_path / "risky.xlsx"
    write_ledger_xlsx(out, POWERS, powers_rowset(names), title="=标题", street_name="@街道")
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula anywhere
    ws = load_workbook(out).active
    assert ws["A1"].value == "=标题" and ws["A1"].data_type == "s"
    col = 1 + [f.name for f in POWERS.export_fields].index("name") + 1
    for i, name in enumerate(names):
        cell = ws.cell(row=4 + i, column=col)
        assert cell.data_type == "s"
        assert cell.value.strip() == name.strip()
        assert cell.quotePrefix == is_formula_like(name), name
    # Numbers that look negative are numbers, not guarded text.
    assert ws.cell(row=4, column=1).value == 1


def test_id_numbers_are_masked_unless_asked(tmp_path):
    spec = LedgerSpec(key="people", title="人员", model=PowerItem, natural_key=("name",),
                      fields=(Field("name", "姓名"), Field("id_number", "身份证号", width=22),
                              Field("guardian_id", "监护人身份证", kind="idcard", width=22)))
    rows = RowSet(spec.fields, [1, 2], [1, 1], [("张三", "510502199001011234", "51050219800101123X"),
                                                ("李四", "", "")])
    out = tmp_path / "people.xlsx"
    write_ledger_xlsx(out, spec, rows, title="人员名册")
    ws = load_workbook(out).active
    assert ws["C4"].value == "510502********1234" and ws["C5"].value is None
    assert ws["D4"].value == "510502********123X"
    write_ledger_xlsx(out, spec, rows, title="人员名册", mask_ids=False)
    full = load_workbook(out).active
    assert (full["C4"].value, full["D4"].value) == ("510502199001011234", "51050219800101123X")
    assert ws.title == "人员"
    pdf = tmp_path / "people.pdf"
    write_ledger_pdf(pdf, spec, rows, title="人员名册", street_name="南城街道",
                     fields=spec.fields)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "510502********1234" in text and "199001011234" not in text


def test_mask_id_and_safe_text():
    assert mask_id("510502199001011234") == "510502********1234"
    assert mask_id("51050219900101123X") == "510502********123X"
    assert mask_id(None) == "" and mask_id("") == ""
    assert safe_text("a\x07b\x1fc\td") == "abc\td"
    assert safe_text(None) == ""


def test_long_text_wraps_and_sets_the_row_height(tmp_path):
    long_name = "对单位和个人在城市道路范围内擅自占用或者挖掘城市道路的行为进行处罚" * 3
    out = tmp_path / "wrap.xlsx"
    write_ledger_xlsx(out, POWERS, powers_rowset(["短名称", long_name, "a\nb\nc"]),
                      title="换行")
    ws = load_workbook(out).active
    col = chr(ord("A") + 1 + [f.name for f in POWERS.export_fields].index("name"))
    assert not ws[f"{col}4"].alignment.wrap_text and ws.row_dimensions[4].height is None
    assert ws[f"{col}5"].alignment.wrap_text and ws.row_dimensions[5].height > 30
    assert ws[f"{col}6"].value == "a\nb\nc" and ws[f"{col}6"].alignment.wrap_text
    assert ws.row_dimensions[6].height >= 40


def test_control_characters_are_dropped_not_fatal(tmp_path):
    out = tmp_path / "ctl.xlsx"
    write_ledger_xlsx(out, POWERS, powers_rowset(["响铃\x07名称", "=\x01公式"]), title="控制字符")
    ws = load_workbook(out).active
    col = 1 + [f.name for f in POWERS.export_fields].index("name") + 1
    assert ws.cell(row=4, column=col).value == "响铃名称"
    assert ws.cell(row=5, column=col).value == "=公式"
    assert ws.cell(row=5, column=col).data_type == "s"


def test_chosen_fields_only(tmp_path):
    out = tmp_path / "some.xlsx"
    rs = powers_rowset(["甲", "乙"])
    write_ledger_xlsx(out, POWERS, rs, title="部分列",
                      fields=[POWERS.field("status"), POWERS.field("name")])
    ws = load_workbook(out).active
    assert [c.value for c in ws[3]] == ["序号", "状态", "事项名称"]
    assert [c.value for c in ws[4]] == [1, "已承接", "甲"]


def test_progress_and_cancel(tmp_path):
    rs = powers_rowset([f"事项{i}" for i in range(2500)])
    folder = tmp_path / "out"
    folder.mkdir()
    seen = []
    write_ledger_xlsx(folder / "a.xlsx", POWERS, rs, title="进度",
                      progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    old = (folder / "a.xlsx").read_bytes()
    with pytest.raises(Cancelled):
        write_ledger_xlsx(folder / "a.xlsx", POWERS, rs, title="取消", cancel=lambda: True)
    with pytest.raises(Cancelled):
        write_ledger_xlsx(folder / "b.xlsx", POWERS, rs, title="取消", cancel=lambda: True)
    assert [p.name for p in folder.iterdir()] == ["a.xlsx"]
    assert (folder / "a.xlsx").read_bytes() == old


def test_a_filtered_export_says_its_filter_under_the_title(tmp_path):
    rs = powers_rowset(["甲", "乙"])
    out = tmp_path / "filtered.xlsx"
    write_ledger_xlsx(out, POWERS, rs, title="南城街道权责清单", street_name="南城街道",
                      subtitle="筛选条件：清单类别为“下放行政权力”；关键字“=处罚”",
                      export_date=date(2023, 12, 5))
    ws = load_workbook(out).active
    assert ws["A1"].value == "南城街道权责清单"
    assert ws["A2"].value == "筛选条件：清单类别为“下放行政权力”；关键字“=处罚”"
    assert ws["A2"].data_type == "s"  # user text, never a formula
    assert "共 2 条" in ws["A3"].value
    assert [c.value for c in ws[4]][:2] == ["序号", POWERS.export_fields[0].label]
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$4:$4"
    assert ws.auto_filter.ref.startswith("A4:")
    assert [ws.cell(row=r, column=1).value for r in (5, 6)] == [1, 2] and ws.max_row == 6


def test_every_audited_area_has_a_chinese_name(sqlite_demo_db):
    """操作留痕's 台账 column and its export: the issued 红黑榜 (rectification_list) and the
    settings (settings) showed as their table names, in English."""
    from sqlalchemy import select

    from app import grids
    from app.models import AuditEntry
    from reports.audit_xlsx import entry_row, ledger_titles

    grids.set_visit_days(sqlite_demo_db, {"红": 5})
    with sqlite_demo_db.session() as s:
        entries = s.scalars(select(AuditEntry)).all()
    keys = {e.ledger for e in entries if e.ledger}
    assert {"rectification_list", "settings"} <= keys
    titles = ledger_titles()
    assert keys <= set(titles), keys - set(titles)
    shown = {entry_row(e, titles)[3] for e in entries if e.ledger}
    assert {"红黑榜", "设置"} <= shown and not any(t.isascii() for t in shown)
