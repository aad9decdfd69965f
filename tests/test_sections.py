"""A printed document composed of sections (reports.sections): numbering, bookmarks,
charts, the folio after a cover, and the powers report whose summary counts what it
prints."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pypdf import PdfReader

from app.powers import stats
from app.services import list_rows
from app.specs.powers import POWER_TYPES, POWERS
from reports import Cancelled
from reports.powers import write_powers_pdf
from reports.sections import (
    Chart,
    Cover,
    Document,
    Figures,
    Heading,
    LedgerTable,
    Masthead,
    PageBreak,
    Paragraph,
    build_pdf,
    chinese_number,
)
from tests.test_reports_pdf import page_texts, powers_rowset


def demo_document(rows: int = 40) -> Document:
    """Every kind of section once: also rendered by hand to PNG to look at."""
    by_type = [("行政许可", 12), ("行政处罚", 48), ("行政强制", 9), ("行政检查", 21),
               ("行政确认", 6), ("公共服务", 30), ("其他", 3)]
    return Document([
        Cover("南城街道2026年第一季度联席会议材料", "（权责清单与整改工作）", "南城街道办事处",
              date(2026, 3, 30)),
        Masthead("权责清单运行情况", "南城街道", "截至2026年3月", date(2026, 3, 30), rows),
        Heading("总体情况"),
        Paragraph("本季度街道共承接下放行政权力事项159项，运行平稳。\n\n"
                  "各科室按照“一事项一台账”的要求落实承接，零办件事项逐项说明原因。"),
        Figures([("总体情况", [("合计", 394), ("零办件事项（2026年）", 73)]),
                 ("按清单类别", [("下放行政权力", 159), ("法定权力事项", 118),
                                 ("属地管理事项", 117)])]),
        Heading("按权力类型", level=2),
        Chart("各类权力事项数", by_type),
        Heading("按清单类别", level=2),
        Chart("清单类别构成", [("下放行政权力", 159), ("法定权力事项", 118),
                               ("属地管理事项", 117)], kind="pie"),
        PageBreak(),
        Heading("事项明细"),
        Heading("行政处罚类", level=2),
        Heading("委托下放", level=3),
        LedgerTable(POWERS, powers_rowset(rows)),
        Heading("下一步工作"),
        Paragraph("<b>不是标记</b> & 按期完成整改。"),
    ], title="联席会议材料", author="南城街道办事处", subject="联席会议", landscape=True)


def outline(reader: PdfReader) -> list:
    """The bookmarks as nested [title, [children]] lists."""
    def walk(items):
        out = []
        for item in items:
            if isinstance(item, list):
                out[-1][1].extend(walk(item))
            else:
                out.append([item.title, []])
        return out
    return walk(reader.outline)


def test_sections_compose_with_numbered_headings_bookmarks_and_folios(tmp_path):
    out = tmp_path / "pack.pdf"
    seen = []
    pages = build_pdf(out, demo_document(), progress=lambda d, t: seen.append((d, t)))
    reader = PdfReader(out)
    texts = page_texts(out)
    assert pages == len(reader.pages) >= 4
    assert "南城街道2026年第一季度联席会议材料" in texts[0] and "2026年3月30日" in texts[0]
    assert not re.search(r"—\d+—", texts[0])  # no folio on the cover
    for number, text in enumerate(texts[1:], 1):
        assert f"—{number}—" in text  # numbering starts after the cover
    everything = "".join(texts)
    for heading in ["一、总体情况", "（一）按权力类型", "（二）按清单类别", "二、事项明细",
                    "（一）行政处罚类", "1.委托下放", "三、下一步工作"]:
        assert heading in everything
    assert everything.index("一、总体情况") < everything.index("二、事项明细") \
        < everything.index("三、下一步工作")
    assert "共40条" in texts[1] and "零办件事项（2026年）" in everything
    assert "图1各类权力事项数" in everything and "图2清单类别构成" in everything
    assert "<b>不是标记</b>&按期完成整改。" in everything  # user text stays literal
    assert "XF-0040" in everything
    assert seen[-1] == (40, 40)
    assert outline(reader) == [
        ["南城街道2026年第一季度联席会议材料", [
            ["权责清单运行情况", [
                ["一、总体情况", [["（一）按权力类型", []], ["（二）按清单类别", []]]],
                ["二、事项明细", [["（一）行政处罚类", [["1.委托下放", []]]]]],
                ["三、下一步工作", []],
            ]],
        ]],
    ]
    # Each bookmark points at the page its heading is printed on.
    for item in _flat(reader.outline):
        page = reader.get_destination_page_number(item)
        assert re.sub(r"\s+", "", item.title) in texts[page]


def _flat(items):
    for item in items:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_chart_sections_draw_their_labels_and_values(tmp_path):
    out = tmp_path / "chart.pdf"
    build_pdf(out, Document([Heading("统计"), Chart("办件量", [("一月", 12), ("二月", 30),
                                                                ("三月", 7)]),
                             Chart("构成", [("甲", 1), ("乙", 3)], kind="pie")],
                            title="图表"))
    text = "".join(page_texts(out))
    assert "一月" in text and "二月" in text and "三月" in text
    assert "30" in text and "图1办件量" in text
    assert "甲1（25%）" in text and "乙3（75%）" in text and "图2构成" in text
    empty = tmp_path / "empty.pdf"
    build_pdf(empty, Document([Chart("空", []), Chart("零", [("甲", 0)], kind="pie")], title="空"))
    assert "".join(page_texts(empty)).count("无数据") == 2
    # The bars and slices are vector paths in the page content, not images.
    content = PdfReader(out).pages[0].get_contents().get_data()
    assert content.count(b" re ") + content.count(b" c ") > 5


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 11, 19, 20, 21, 99)] == \
        ["一", "九", "十", "十一", "十九", "二十", "二十一", "九十九"]


def test_cancel_leaves_no_file(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        build_pdf(folder / "x.pdf", demo_document(300), cancel=lambda: True)
    assert list(folder.iterdir()) == []


def _summary_numbers(text: str, labels) -> dict[str, int]:
    """label → the number printed after it in the summary (between 汇总情况 and 明细)."""
    block = text.split("汇总情况", 1)[1].split("权责清单明细", 1)[0]
    found = {}
    for label in labels:
        m = re.search(re.escape(re.sub(r"\s+", "", label)) + r"(\d+)", block)
        assert m, f"汇总中没有“{label}”"
        found[label] = int(m.group(1))
    return found


def test_filtered_powers_report_summarises_the_printed_rows(sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    full = list_rows(db, POWERS, POWERS.pdf_fields)
    names = [f.name for f in full.fields]
    kind = names.index("list_kind")
    keep = [i for i, r in enumerate(full.rows) if r[kind] == "属地管理事项"][:18]
    filtered = type(full)(full.fields, [full.ids[i] for i in keep],
                          [full.versions[i] for i in keep], [full.rows[i] for i in keep])
    out = tmp_path / "filtered.pdf"
    write_powers_pdf(db, out, year=2026, rowset=filtered, subtitle="筛选条件：清单类别为“属地管理事项”",
                     report_date=date(2026, 3, 30))
    texts = page_texts(out)
    everything = "".join(texts)
    assert "共18条" in texts[0]
    labels = [label for label, _n in stats(db, 2026)]
    figures = _summary_numbers(everything, labels)
    assert figures["合计"] == 18  # not the whole ledger's 394
    assert figures["属地管理事项"] == 18 and figures["下放行政权力"] == 0
    power_type = names.index("power_type")
    for t in POWER_TYPES:
        assert figures[t] == sum(1 for i in keep if full.rows[i][power_type] == t), t
    bodies = names.index("body_id")
    printed_bodies = {}
    for i in keep:
        printed_bodies[full.rows[i][bodies]] = printed_bodies.get(full.rows[i][bodies], 0) + 1
    for body, n in printed_bodies.items():
        assert figures[body] == n, body
    assert sum(n for label, n in figures.items() if label in printed_bodies) == 18
    assert everything.count("属地管理事项") >= 18  # the rows themselves are printed


def test_unfiltered_powers_summary_equals_the_ledgers_statistics(sqlite_demo_db, tmp_path):
    out = tmp_path / "all.pdf"
    write_powers_pdf(sqlite_demo_db, out, year=2026)
    lines = stats(sqlite_demo_db, 2026)
    figures = _summary_numbers("".join(page_texts(out)), [label for label, _n in lines])
    assert figures == dict(lines)
