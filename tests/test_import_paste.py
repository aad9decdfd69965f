"""A pasted block as import input (app.importer.paste), without Qt: Excel's clipboard text,
headings told from data, columns by position, line numbers as pasted in every message,
and the import's all-or-nothing write with its audit."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select

from app import services
from app.errors import UserError
from app.importer import commit_import, prepare_import
from app.importer.paste import SOURCE, clipboard_rows, is_heading_line, read_paste
from app.models import AuditEntry
from app.specs.powers import POWERS

# What Excel 2016 puts on the clipboard for a 3 × 3 range: CR LF after every row, a cell
# with Alt+Enter in it quoted, a quote inside doubled, an empty cell between two tabs.
EXCEL = ('清单类别\t事项名称\t实施依据\r\n'
         '法定权力事项\t"两行的\n名称"\t《条例》第 3 条\r\n'
         '属地管理事项\t"他说""好"""\t\r\n')


def fields(*names):
    return [POWERS.field(n) for n in names]


def test_excel_clipboard_text_is_read_cell_by_cell():
    assert clipboard_rows(EXCEL) == [["清单类别", "事项名称", "实施依据"],
                                     ["法定权力事项", "两行的\n名称", "《条例》第 3 条"],
                                     ["属地管理事项", '他说"好"', ""]]
    assert clipboard_rows('a\t"b\tc"\r\n') == [["a", "b\tc"]]  # a tab inside a quoted cell
    assert clipboard_rows("a\r\n\r\nb\r\n\r\n") == [["a"], [], ["b"]]  # blank lines inside stay
    assert clipboard_rows("单格") == [["单格"]]  # WPS: no line break after a single cell
    # A stray quote (text from elsewhere) does not swallow the lines after it.
    assert clipboard_rows('"甲\t乙\r\n丙\t丁\r\n') == [['"甲', "乙"], ["丙", "丁"]]
    assert clipboard_rows("\r\n \t \r\n") == []


def test_headings_are_told_from_data():
    assert is_heading_line(POWERS, ["清单类别", "事项名称", "序号"])  # two of three are fields
    assert is_heading_line(POWERS, ["*事项名称（必填）", "承办科室"])  # decorated, an alias
    assert not is_heading_line(POWERS, ["法定权力事项", "行政确认", "", "城市道路挖掘许可"])
    assert not is_heading_line(POWERS, ["序号", "甲", "乙"])


def test_a_block_without_headings_goes_onto_the_columns_from_the_current_one():
    block = read_paste(None, POWERS, "XK-1\t挖掘许可\t\r\n",
                       fields("code", "name", "sub_item", "case_count", "remarks"))
    assert not block.headed and block.width == 3 and block.lines == 1
    assert block.grid.first_row == 0 and block.grid.rows[0] == ["事项编码", "事项名称", "子项"]
    assert block.mapping.assigned == {0: "code", 1: "name", 2: "sub_item"}
    # A computed column (本年办件量) takes no pasted value; it is named, not skipped silently.
    block = read_paste(None, POWERS, "x\t3\r\n", fields("sub_item", "case_count"))
    assert block.mapping.assigned == {0: "sub_item"}
    assert block.targets[1].endswith("（不能粘贴）")
    assert "1 列 → 子项" in block.describe()


def test_what_cannot_be_pasted_is_refused_in_chinese():
    with pytest.raises(UserError, match="剪贴板中没有可粘贴"):
        read_paste(None, POWERS, "\r\n", fields("name"))
    with pytest.raises(UserError, match="有 3 列.*只有 2 列"):
        read_paste(None, POWERS, "a\tb\tc\r\n", fields("remarks", "case_counts"))
    with pytest.raises(UserError, match="没有标题行"):
        read_paste(None, POWERS, "甲\t乙\r\n", [])


def audits(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def test_lines_keep_their_pasted_numbers_and_nothing_is_written_with_a_bad_one(
        sqlite_demo_db, tmp_path):
    db = sqlite_demo_db
    text = ("法定权力事项\t行政确认\t粘贴甲\r\n"
            "法定权力事项\t行政确认\t粘贴乙\r\n"
            "法定权力事项\t行政确认\t粘贴甲\r\n")  # line 3 repeats line 1
    block = read_paste(db, POWERS, text, fields("list_kind", "power_type", "name", "remarks"))
    plan = prepare_import(db, POWERS, block.grid, block.layout, block.mapping, mode="upsert")
    assert list(plan.rejected) == [3]
    assert plan.rejected[3][0].message.startswith("与第 1 行重复")
    assert plan.new_row_numbers == [1, 2]
    before = (services.count_rows(db, POWERS), audits(db))
    summary = commit_import(db, plan, file="粘贴的内容", source=SOURCE)
    assert not summary.written and (services.count_rows(db, POWERS), audits(db)) == before
    # The rejected lines as a workbook to fix: the made-up heading row, then line 3.
    from reports.templates import write_rejected_rows

    ws = openpyxl.load_workbook(write_rejected_rows(plan, tmp_path / "r.xlsx")).active
    values = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    assert ["清单类别", "权力类型", "事项名称", "错误说明"] in values
    assert any(r[:3] == ["法定权力事项", "行政确认", "粘贴甲"] and r[3].startswith("原第 3 行")
               for r in values if len(r) == 4)


def test_a_paste_is_written_all_at_once_and_audited_as_pasted(sqlite_demo_db):
    db = sqlite_demo_db
    row = services.get_row(db, POWERS, services.list_rows(db, POWERS).ids[0])
    text = ("清单类别\t权力类型\t事项名称\t子项\t备注\r\n"
            f"{row['list_kind']}\t{row['power_type']}\t{row['name']}\t{row['sub_item']}\t粘贴改\r\n"
            "法定权力事项\t行政确认\t粘贴新增\t\t\r\n")
    block = read_paste(db, POWERS, text)
    assert block.headed
    plan = prepare_import(db, POWERS, block.grid, block.layout, block.mapping, mode="upsert")
    assert len(plan.updates) == 1 and len(plan.new_rows) == 1 and not plan.rejected
    before = audits(db)
    summary = commit_import(db, plan, file="粘贴的内容", source=SOURCE)
    assert summary.written and (summary.added, summary.updated) == (1, 1)
    with db.session() as s:
        new = s.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id.desc())
                        .limit(3)).all()
    assert audits(db) == before + 3
    assert new[0].action == "import" and new[0].summary.startswith(f"{SOURCE}（按关键字段更新）")
    assert {e.action for e in new[1:]} == {"create", "update"}
    assert all(e.summary.endswith(f"（{SOURCE}）") for e in new[1:])
    assert services.get_row(db, POWERS, row["id"])["remarks"] == "粘贴改"
