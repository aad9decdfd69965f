"""The printed table report: text, header on every page, page numbers, embedded
fonts, escaping of user text, very long cells, cancel, and the font choice."""

from __future__ import annotations

import dataclasses
import re
import shutil
from datetime import date

import pytest
from pypdf import PdfReader

from app.services import RowSet, list_rows
from app.specs.powers import POWERS
from reports import Cancelled
from reports import fonts as rfonts
from reports.pdf import _allocate, write_ledger_pdf
from reports.powers import write_powers_pdf


def page_texts(path) -> list[str]:
    """Text of each page with all white space removed (cells wrap words onto lines)."""
    return [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(path).pages]


def all_fonts(reader: PdfReader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            yield font


def powers_rowset(n: int, changes: dict[int, dict] | None = None) -> RowSet:
    """n synthetic powers rows; changes = {row index: {field: value}}."""
    fields = POWERS.table_fields
    names = [f.name for f in fields]
    base = {f.name: "" for f in fields} | {
        "list_kind": "下放行政权力", "power_type": "行政处罚", "code": "XF-0001",
        "name": "对单位和个人擅自设置摊点的处罚", "origin_department": "区综合行政执法局",
        "legal_basis": "《城市道路管理条例》第四十二条", "body_id": "综合行政执法办公室",
        "devolution_mode": "委托下放", "effective_date": date(2023, 8, 1), "status": "已承接",
    }
    rows = []
    for i in range(n):
        values = base | {"code": f"XF-{i + 1:04d}"} | (changes or {}).get(i, {})
        rows.append(tuple(values[k] for k in names))
    return RowSet(fields, list(range(n)), [1] * n, rows)


def test_demo_powers_report(sqlite_demo_db, tmp_path):
    out = tmp_path / "powers.pdf"
    pages = write_powers_pdf(sqlite_demo_db, out, report_date=date(2023, 12, 5))
    reader = PdfReader(out)
    assert len(reader.pages) == pages > 10
    texts = page_texts(out)
    street = sqlite_demo_db.street_name()
    assert f"{street}权责清单" in texts[0]
    assert "2023年12月5日" in texts[0] and "共394条" in texts[0]
    assert "零办件事项" in texts[0] and "按权力类型" in texts[0]  # the summary table
    # Every item name is printed somewhere (cells wrap, so compare without spaces).
    everything = "".join(texts)
    names = list_rows(sqlite_demo_db, POWERS).column("name")
    assert len(names) == 394
    missing = [n for n in names if re.sub(r"\s+", "", n) not in everything]
    assert not missing
    # Dates are written the official way, never 2023-08-01.
    assert re.search(r"20\d\d年\d{1,2}月\d{1,2}日", everything.split("序号", 1)[1])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", everything)
    labels = ["序号"] + [f.title for f in POWERS.pdf_fields]
    for number, text in enumerate(texts, 1):
        assert all(label in text for label in labels), f"第{number}页缺少表头"
        assert f"—{number}—" in text
    for page in reader.pages:  # landscape A4
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w), round(h)) == (842, 595)


def test_every_font_is_embedded(sqlite_demo_db, tmp_path):
    out = tmp_path / "powers.pdf"
    write_powers_pdf(sqlite_demo_db, out)
    found = list(all_fonts(PdfReader(out)))
    assert found
    for font in found:
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), font.get("/BaseFont")


def test_user_text_is_printed_literally(tmp_path):
    evil = '<img src="http://x"> & <b>粗</b>'
    long_evil = "很长的名称" * 8 + '<img src="http://example.invalid/a.png"/>' + "<br/>结尾"
    rows = powers_rowset(3, {0: {"name": evil}, 1: {"name": long_evil},
                             2: {"remarks": "<font size=40>大</font>"}})
    out = tmp_path / "evil.pdf"
    write_ledger_pdf(out, POWERS, rows, title="<b>标题</b>&", street_name="<i>街道</i>")
    text = "".join(page_texts(out))
    assert "<b>标题</b>&" in text and "<i>街道</i>" in text
    assert re.sub(r"\s+", "", evil) in text
    assert re.sub(r"\s+", "", long_evil) in text
    assert "<fontsize=40>大</font>" in text
    reader = PdfReader(out)
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        assert not any(x.get_object().get("/Subtype") == "/Image" for x in xobjects.values())


def test_cell_taller_than_a_page_continues_on_following_rows(tmp_path):
    huge = "".join(f"第{i}款依据内容，" for i in range(400))
    rows = powers_rowset(6, {2: {"legal_basis": huge}})
    out = tmp_path / "long.pdf"
    pages = write_ledger_pdf(out, POWERS, rows, title="长文本", street_name="南城街道")
    texts = page_texts(out)
    assert pages == len(texts) > 2
    everything = "".join(texts)
    # Drop what is printed between the pieces (folios, headers, 续 marks, the row's
    # other cells): the text is then there whole, nothing lost or repeated.
    header = "".join(["序号"] + [f.title for f in POWERS.pdf_fields])
    cleaned = re.sub(r"—\d+—", "", everything).replace(header, "").replace("（续）", "")
    cleaned = cleaned.replace("综合行政执法办公室委托下放2023年8月1日已承接未填报", "")
    assert huge in cleaned
    assert "（续）" in everything
    assert all("事项名称" in t for t in texts)
    assert "XF-0006" in texts[-1]  # rows after the long one are printed too


def test_progress_and_cancel_leave_no_partial_file(tmp_path):
    rows = powers_rowset(300)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "r.pdf"
    seen = []
    write_ledger_pdf(out, POWERS, rows, title="进度", street_name="南城街道",
                     progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (300, 300) and len(seen) > 3
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)

    old = out.read_bytes()
    calls = []
    with pytest.raises(Cancelled):
        write_ledger_pdf(out, POWERS, rows, title="取消", street_name="南城街道",
                         cancel=lambda: calls.append(1) or len(calls) > 2)
    assert out.read_bytes() == old  # the earlier file survives
    assert [p.name for p in folder.iterdir()] == ["r.pdf"]  # no temporary file left
    with pytest.raises(Cancelled):
        write_ledger_pdf(folder / "new.pdf", POWERS, rows, title="取消", street_name="南城街道",
                         cancel=lambda: True)
    assert [p.name for p in folder.iterdir()] == ["r.pdf"]


def test_empty_rowset_and_subtitle(tmp_path):
    from app.specs.settings import BODIES

    out = tmp_path / "empty.pdf"
    write_ledger_pdf(out, BODIES, RowSet(BODIES.table_fields, [], [], []), title="职能机构",
                     street_name="南城街道", subtitle="（2023年度）")
    page = PdfReader(out).pages[0]
    assert "无记录" in page.extract_text() and "（2023年度）" in page.extract_text()
    assert page.mediabox.width > page.mediabox.height  # tables are landscape
    portrait = dataclasses.replace(BODIES, pdf_landscape=False)
    write_ledger_pdf(out, portrait, RowSet(BODIES.table_fields, [1], [1], [
        ("党政综合办公室", "党政综合办事机构", "", "", "统筹协调", 1, "")]),
        title="职能机构", street_name="南城街道")
    page = PdfReader(out).pages[0]
    assert page.mediabox.height > page.mediabox.width and "党政综合办公室" in page.extract_text()


def test_column_allocation_fills_the_width_within_bounds():
    widths = _allocate(500, [1, 5, 2, 2], lo=[40, 30, 60, 10], hi=[40, 1000, 70, 1000])
    assert sum(widths) == pytest.approx(500)
    assert widths[0] == pytest.approx(40) and 60 <= widths[2] <= 70
    assert widths[1] > widths[3]  # the rest by weight
    # All columns at their cap: the spare room is shared, never lost.
    assert sum(_allocate(500, [1, 1], lo=[10, 10], hi=[50, 50])) == pytest.approx(500)
    # More minimum than room: everything narrows alike, the table still fits.
    assert sum(_allocate(100, [1, 1], lo=[80, 80], hi=[90, 90])) == pytest.approx(100)


def test_bundled_font_and_windows_choice(tmp_path, monkeypatch):
    bundled = rfonts.resource(*rfonts.BUNDLED_FILE)
    assert rfonts.has_truetype_outlines(bundled)
    (tmp_path / "simhei.ttf").write_bytes(b"OTTO" + bytes(200))  # CFF outlines: unusable
    (tmp_path / "simfang.ttf").write_bytes(b"not a font at all")
    assert not rfonts.has_truetype_outlines(tmp_path / "simhei.ttf")
    assert not rfonts.has_truetype_outlines(tmp_path / "simfang.ttf")
    shutil.copy(bundled, tmp_path / "simsun.ttc")  # a real TrueType collection
    monkeypatch.setattr(rfonts, "system_font_dirs", lambda: [tmp_path])
    rfonts.reset()
    try:
        body, title = rfonts.pdf_fonts()
        assert body == "SimSun"  # 仿宋 unusable → 宋体
        assert title == rfonts.BUNDLED_NAME  # 黑体 is CFF → bundled font
        assert rfonts.table_font() == "SimSun"
        files = rfonts.font_files()
        assert files[0] == bundled and tmp_path / "simsun.ttc" in files
    finally:
        rfonts.reset()
    monkeypatch.setattr(rfonts, "system_font_dirs", lambda: [])
    assert rfonts.pdf_fonts() == (rfonts.BUNDLED_NAME, rfonts.BUNDLED_NAME)
    assert rfonts.font_files() == [bundled]
    rfonts.reset()
    licence = rfonts.font_licences()[0]
    assert licence.licence_file.is_file() and "Apache" in licence.licence
