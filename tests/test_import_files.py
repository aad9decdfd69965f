"""Reading untrusted and odd spreadsheet files: every one either reads correctly or
is refused with a clear Chinese message (UserError), never a crash or a hang."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.errors import UserError
from app.importer import detect_layout, open_source
from app.importer.files import sniff
from app.specs import get_spec
from tests.sheetmaker import (
    patch_sheet_xml,
    write_encrypted_ooxml,
    write_ods,
    write_xls,
    write_zip_bomb,
)

# A copy of ../shared/samples/powers_two_row_header.xlsx, so the tests need nothing outside the repo.
SAMPLE = Path(__file__).resolve().parent / "data" / "powers_two_row_header.xlsx"
POWERS = get_spec("powers")
HEAD = ["清单类别", "权力类型", "事项名称", "生效日期"]


def _xlsx(path: Path, rows: list[list], **kw) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = kw.get("title", "Sheet1")
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _refused(path: Path, *words: str) -> str:
    with pytest.raises(UserError) as info:
        with open_source(path) as src:
            src.read()
    msg = info.value.message
    for w in words:
        assert w in msg, msg
    return msg


def test_truncated_zip_is_refused(tmp_path):
    good = _xlsx(tmp_path / "good.xlsx", [HEAD, ["法定权力事项", "行政检查", "甲", "2023-01-01"]])
    data = good.read_bytes()
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    _refused(bad, "cut.xlsx", "损坏")


def test_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = write_zip_bomb(tmp_path / "bomb.xlsx", megabytes=1100)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    _refused(bomb, "解压后", "拒绝")


def test_high_ratio_archive_is_refused(tmp_path):
    _refused(write_zip_bomb(tmp_path / "ratio.xlsx", megabytes=60), "压缩比")


def test_file_size_cap(tmp_path, monkeypatch):
    import app.importer.files as files

    p = _xlsx(tmp_path / "a.xlsx", [HEAD])
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    _refused(p, "文件太大")


def test_xls_renamed_to_xlsx_still_reads(tmp_path):
    p = write_xls(tmp_path / "old.xlsx", {"清单": [HEAD, ["法定权力事项", "行政检查", "甲", 45000]]})
    assert sniff(p) == "xls"
    with open_source(p) as src:
        grid = src.read()
    assert grid.rows[0] == HEAD
    assert grid.rows[1][:3] == ["法定权力事项", "行政检查", "甲"]


def test_xlsx_renamed_to_xls_still_reads(tmp_path):
    p = _xlsx(tmp_path / "x.xlsx", [HEAD, ["法定权力事项", "行政检查", "甲", "2023-01-01"]])
    renamed = tmp_path / "x.xls"
    shutil.copy(p, renamed)
    assert sniff(renamed) == "xlsx"
    with open_source(renamed) as src:
        assert src.read().rows[1][2] == "甲"


def test_encrypted_files_are_refused(tmp_path):
    _refused(write_encrypted_ooxml(tmp_path / "secret.xlsx"), "密码")
    _refused(write_xls(tmp_path / "secret.xls", {"a": [["x"]]}, encrypted=True), "密码")


def test_unknown_and_disguised_formats(tmp_path):
    html = tmp_path / "export.xls"
    html.write_text("<html><table><tr><td>1</td></tr></table></html>", encoding="utf-8")
    _refused(html, "网页")
    binary = tmp_path / "x.xlsx"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    _refused(binary, "不是可识别")
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    _refused(empty, "空的")
    docx = tmp_path / "a.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    _refused(docx, "不是表格")


def test_reader_panic_becomes_user_error(tmp_path, monkeypatch):
    """Any failure inside calamine, even a BaseException like pyo3's PanicException."""
    import python_calamine

    class FakePanic(BaseException):
        pass

    def boom(*a, **k):
        raise FakePanic("called `Option::unwrap()` on a `None` value")

    p = _xlsx(tmp_path / "a.xlsx", [HEAD])
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", boom)
    _refused(p, "损坏", "unwrap")


def test_broken_workbook_xml_becomes_user_error(tmp_path):
    src = _xlsx(tmp_path / "a.xlsx", [HEAD])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # unterminated XML
            zout.writestr(info.filename, data)
    with pytest.raises(UserError):
        with open_source(bad) as s:
            s.read()


def test_empty_workbook(tmp_path):
    _refused(_xlsx(tmp_path / "blank.xlsx", []), "空的")


def test_title_only_sheet(tmp_path):
    p = _xlsx(tmp_path / "t.xlsx", [["某某街道权责清单"]])
    with open_source(p) as src:
        grid = src.read()
    with pytest.raises(UserError) as info:
        detect_layout(grid, POWERS)
    assert "只有标题" in info.value.message and "事项名称" in info.value.message


def test_a_million_empty_rows_is_cheap(tmp_path):
    """1,000,000 rows that hold only empty cells: read quickly, trailing blanks dropped."""
    base = _xlsx(tmp_path / "base.xlsx", [["x"]])
    head = "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
                   for c, h in zip("ABCD", HEAD, strict=True))
    rows = [f'<row r="1">{head}</row>',
            '<row r="2"><c r="A2" t="inlineStr"><is><t>法定权力事项</t></is></c>'
            '<c r="B2" t="inlineStr"><is><t>行政检查</t></is></c>'
            '<c r="C2" t="inlineStr"><is><t>甲</t></is></c></row>']
    rows += [f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t></t></is></c></row>'
             for r in range(3, 1_000_003)]
    p = patch_sheet_xml(base, tmp_path / "million.xlsx", "<sheetData>" + "".join(rows) + "</sheetData>")
    with open_source(p) as src:
        grid = src.read()
    assert len(grid.rows) == 2  # the million blank rows are not kept
    assert grid.rows[1][2] == "甲"


def test_huge_used_range_is_refused_before_parsing(tmp_path):
    """Two cells, A1 and XFD1048576: calamine would allocate 17 billion cells."""
    base = _xlsx(tmp_path / "base.xlsx", [["x"]])
    xml = ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
           '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>'
           "</sheetData>")
    p = patch_sheet_xml(base, tmp_path / "wide.xlsx", xml)
    _refused(p, "范围过大")


def test_formulas_give_cached_values_and_error_cells_are_found(tmp_path):
    base = _xlsx(tmp_path / "base.xlsx", [["x"]])
    xml = ('<sheetData><row r="1"><c r="A1"><f>1+2</f><v>3</v></c>'
           '<c r="B1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>'
           '<c r="C1" t="e"><f>VLOOKUP(1,D:D,2,0)</f><v>#N/A</v></c>'
           '<c r="D1" t="e"><v>#REF!</v></c></row></sheetData>')
    p = patch_sheet_xml(base, tmp_path / "f.xlsx", xml)
    with open_source(p) as src:
        grid = src.read()
    assert grid.rows[0][:2] == [3.0, "ab"]
    assert grid.errors == {(0, 2): "#N/A", (0, 3): "#REF!"}


def test_error_cells_in_xls(tmp_path):
    p = write_xls(tmp_path / "e.xls", {"s": [["a", "#N/A"], ["#DIV/0!", "b"]]})
    with open_source(p) as src:
        grid = src.read()
    assert grid.errors == {(0, 1): "#N/A", (1, 0): "#DIV/0!"}


def test_1904_dates(tmp_path):
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.active.append(["生效日期", date(2023, 12, 31)])
    p = tmp_path / "mac.xlsx"
    wb.save(p)
    assert b'date1904="1"' in zipfile.ZipFile(p).read("xl/workbook.xml")
    with open_source(p) as src:
        grid = src.read()
    assert grid.rows[0][1] == date(2023, 12, 31)


def test_hidden_sheets_are_skipped_by_default(tmp_path):
    wb = openpyxl.Workbook()
    hidden = wb.active
    hidden.title = "旧数据"
    hidden.append(["hidden"])
    hidden.sheet_state = "hidden"
    wb.create_sheet("空表")
    wb.create_sheet("清单").append(HEAD)
    p = tmp_path / "h.xlsx"
    wb.save(p)
    with open_source(p) as src:
        assert [(s.name, s.hidden) for s in src.sheets] == [
            ("旧数据", True), ("空表", False), ("清单", False)]
        assert src.read().sheet == "清单"  # first visible sheet with data
        assert src.read("旧数据").rows == [["hidden"]]  # named explicitly: read
        with pytest.raises(UserError) as info:
            src.read("没有")
        assert "没有名为“没有”的工作表" in info.value.message


def test_csv_encodings(tmp_path):
    rows = "清单类别,事项名称\r\n法定权力事项,对辖区居民居住情况的确认\r\n"
    for name, data in (("gbk.csv", rows.encode("gbk")),
                       ("bom.csv", b"\xef\xbb\xbf" + rows.encode("utf-8")),
                       ("plain.csv", rows.encode("utf-8")),
                       ("tabs.txt", rows.replace(",", "\t").encode("gb18030"))):
        p = tmp_path / name
        p.write_bytes(data)
        assert sniff(p) == "csv"
        with open_source(p) as src:
            grid = src.read()
        assert grid.rows == [["清单类别", "事项名称"], ["法定权力事项", "对辖区居民居住情况的确认"]], name


def test_sample_layout(tmp_path):
    with open_source(SAMPLE) as src:
        grid = src.read()
    layout = detect_layout(grid, POWERS)
    assert layout.header_rows == [2, 3]  # group headings over field headings
    assert layout.title[0] == "某某街道承接下放行政权力事项清单"
    headings = {c.letter: c.heading for c in layout.columns}
    assert headings["G"] == "承接情况/承接科室"
    assert headings["K"] == "备注"  # merged down over both header rows


def test_ods_reads(tmp_path):
    p = write_ods(tmp_path / "a.ods", [HEAD, ["法定权力事项", "行政检查", "甲", "2023-01-01"]])
    assert sniff(p) == "ods"
    with open_source(p) as src:
        assert src.read().rows[1][:3] == ["法定权力事项", "行政检查", "甲"]


def test_ods_repeat_bomb_is_refused_before_parsing(tmp_path):
    """A few hundred bytes: one row repeated a million times over 1,000 columns."""
    p = write_ods(tmp_path / "bomb.ods", [HEAD, ["x"]], repeat_last=1_000_000, repeat_cols=1000)
    assert p.stat().st_size < 2000
    _refused(p, "范围过大")


def test_cells_keep_their_excel_positions(tmp_path):
    """Data starting at C3: row index 2 is Excel row 3, column index 2 is column C."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["C5"] = "清单类别", "事项名称", "法定权力事项"
    p = tmp_path / "offset.xlsx"
    wb.save(p)
    with open_source(p) as src:
        grid = src.read()
    assert grid.rows[:2] == [None, None]
    assert grid.rows[2][2:4] == ["清单类别", "事项名称"] and grid.rows[3] is None
    assert grid.cell(4, 2) == "法定权力事项"
    layout = detect_layout(grid, POWERS)
    assert [(c.letter, c.heading) for c in layout.columns] == [("C", "清单类别"), ("D", "事项名称")]
