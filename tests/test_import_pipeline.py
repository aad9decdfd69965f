"""The import pipeline against a real database (SQLite and PostgreSQL): the shared
sample file, modes, all-or-nothing, duplicates, unknown names, cancel, rejected-row
workbooks and templates that import again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.importer import (
    ImportCancelled,
    auto_map,
    cli_import,
    commit_import,
    detect_layout,
    open_source,
    prepare_import,
    run_import,
)
from app.models import AuditEntry, FunctionalBody, PowerItem
from app.services import list_rows, save_row
from app.specs import get_spec
from reports.templates import write_rejected_rows, write_template

# A copy of ../shared/samples/powers_two_row_header.xlsx, so the tests need nothing outside the repo.
SAMPLE = Path(__file__).resolve().parent / "data" / "powers_two_row_header.xlsx"
POWERS = get_spec("powers")
BODIES = get_spec("bodies")
HEAD = ["清单类别", "权力类型", "事项名称", "承接科室", "下放方式", "生效日期", "状态"]


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _live(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(PowerItem)
                         .where(PowerItem.deleted_at.is_(None))).scalar_one()


def _snapshot(db) -> list[tuple]:
    with db.session() as s:
        return [tuple(r) for r in s.execute(
            select(PowerItem.id, PowerItem.version, PowerItem.name, PowerItem.deleted_at)
            .order_by(PowerItem.id))]


def test_shared_sample_imports_every_row(db):
    summary = run_import(db, POWERS, SAMPLE, set_values={"list_kind": "下放行政权力"},
                         create_missing=True)
    assert summary.ok and summary.written
    assert (summary.read, summary.added, summary.rejected) == (12, 8, 0)
    assert summary.skipped_reasons == {"填写说明行": 1, "空行": 2, "表尾签字或说明行": 1}
    assert summary.read == (summary.added + summary.updated + summary.unchanged
                            + summary.skipped + summary.rejected)
    rows = list_rows(db, POWERS)
    assert len(rows) == 8
    names = rows.column("name")
    assert not any("制表人" in n or "张三" in n for n in names)  # the footer is not data
    by_name = dict(zip(names, rows.column("effective_date"), strict=True))
    assert by_name["流动人口居住登记"] == date(2022, 1, 1)  # written as text 2022年1月1日
    assert set(rows.column("list_kind")) == {"下放行政权力"}
    assert set(rows.column("body_id")) == {"综合行政执法队", "应急管理办公室", "民生服务办公室",
                                           "平安建设办公室"}  # created in the same transaction
    assert summary.created == {"承接科室": ["综合行政执法队", "应急管理办公室", "民生服务办公室",
                                            "平安建设办公室"]}
    with db.session() as s:
        audit = s.execute(select(AuditEntry).where(AuditEntry.action == "import")).scalars().all()
    assert len(audit) == 1 and "新增 8 行" in audit[0].summary


def test_unknown_names_reject_rows_and_are_listed(demo_db):
    summary = run_import(demo_db, POWERS, SAMPLE, set_values={"清单类别": "下放"})
    assert not summary.written and summary.rejected == 8
    assert summary.unknown_refs["承接科室"]["综合行政执法队"] == [6, 7, 8, 9]
    assert _live(demo_db) == 394  # the demo data only
    assert "不在承接科室的可选范围内" in summary.problems[0].message


def test_required_column_missing_is_named(db, tmp_path):
    p = _xlsx(tmp_path / "a.xlsx", [["事项名称", "权力类型"], ["甲", "行政检查"]])
    with pytest.raises(UserError) as info:
        run_import(db, POWERS, p)
    assert "清单类别" in info.value.message and "--set" in info.value.message


def test_bad_set_value_and_set_over_a_column(db, tmp_path):
    with pytest.raises(UserError) as info:
        run_import(db, POWERS, SAMPLE, set_values={"list_kind": "不存在的类别"})
    assert "清单类别" in info.value.message
    p = _xlsx(tmp_path / "a.xlsx", [HEAD, ["法定权力事项", "行政检查", "甲", "", "", "", "运行中"]])
    with pytest.raises(UserError) as info:
        run_import(db, POWERS, p, set_values={"清单类别": "法定权力事项"})
    assert "已有" in info.value.message


def _mixed_file(tmp_path) -> Path:
    return _xlsx(tmp_path / "mixed.xlsx", [
        ["某某街道权责清单"],
        HEAD,
        ["法定权力事项", "行政检查", "对辖区安全生产的监督检查", "党政综合办公室", "", "2023/5/1", "运行中"],
        ["法定权力事项", "行政许可ABC", "坏的类型", "", "", "", "运行中"],
        ["法定权力事项", "行政检查", "日期错", "", "", "2023-13-45", "运行中"],
        ["法定权力事项", "行政检查", "对辖区安全生产的监督检查", "", "", "", "运行中"],  # duplicate
        ["下放行政权力", "行政处罚", "缺下放方式", "", "", "", "运行中"],  # domain rule
        ["属地管理事项", "其他", "ｆｕｌｌｗｉｄｔｈ　事项", "", "委托", "20231231", ""],
    ])


def test_all_or_nothing_then_accept_valid(db, tmp_path):
    save_row(db, BODIES, {"name": "党政综合办公室"})
    p = _mixed_file(tmp_path)
    before = _snapshot(db)
    summary = run_import(db, POWERS, p)
    assert not summary.written and _snapshot(db) == before
    assert (summary.read, summary.added, summary.rejected) == (6, 2, 4)
    by_row = {pr.row: pr for pr in summary.problems}
    assert by_row[4].column == "权力类型" and "不是可选值" in by_row[4].message
    assert by_row[5].column == "生效日期"
    assert "与第 3 行重复" in by_row[6].message
    assert by_row[7].column == "下放方式" and "下放方式" in by_row[7].message
    summary = run_import(db, POWERS, p, accept_valid=True)
    assert summary.written and not summary.ok and summary.added == 2
    rows = list_rows(db, POWERS)
    assert sorted(rows.column("name")) == ["fullwidth 事项", "对辖区安全生产的监督检查"]
    full = rows.rows[rows.column("name").index("fullwidth 事项")]
    labels = [f.name for f in rows.fields]
    assert full[labels.index("power_type")] == "其他行政权力"
    assert full[labels.index("status")] == "已承接"  # the spec's default for a blank cell
    assert full[labels.index("effective_date")] == date(2023, 12, 31)


def test_rejected_rows_workbook_round_trip(db, tmp_path):
    save_row(db, BODIES, {"name": "党政综合办公室"})
    p = _mixed_file(tmp_path)
    out = tmp_path / "errors.xlsx"
    summary = cli_import(db, "powers", p, errors_path=out, write_errors=write_rejected_rows)
    assert summary.errors_file == str(out) and summary.rejected == 4
    ws = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[1][: len(HEAD)] == HEAD and values[1][len(HEAD)] == "错误说明"
    assert [r[2] for r in values[2:]] == ["坏的类型", "日期错", "对辖区安全生产的监督检查",
                                         "缺下放方式"]
    assert "原第 4 行" in values[2][-1] and "权力类型" in values[2][-1]
    # Fix the rows in the workbook as a user would, then import it again.
    ws["B3"], ws["F4"] = "行政许可", "2023-12-05"
    ws["C5"] = "对辖区安全生产的监督检查（复核）"
    ws["E6"] = "直接下放"
    fixed = tmp_path / "fixed.xlsx"
    ws.parent.save(fixed)
    run_import(db, POWERS, p, accept_valid=True)
    again = run_import(db, POWERS, fixed)
    assert again.ok and again.added == 4, again.text()
    assert "错误说明" in " ".join(again.ignored_columns)
    assert _live(db) == 6


def test_upsert_updates_by_natural_key(db, tmp_path):
    run_import(db, POWERS, SAMPLE, set_values={"list_kind": "下放行政权力"}, create_missing=True)
    before = {r[2]: r for r in _snapshot(db)}
    p = _xlsx(tmp_path / "u.xlsx", [
        ["清单类别", "事项名称", "权力类型", "状态"],
        ["下放行政权力", "高龄津贴发放", "行政给付", "暂停"],  # changed status
        ["下放行政权力", "流动人口居住登记", "公共服务", "运行中"],  # unchanged
        ["下放行政权力", "新的事项", "行政检查", "运行中"],  # new, but needs 下放方式
    ])
    summary = run_import(db, POWERS, p, mode="upsert", accept_valid=True)
    assert (summary.updated, summary.unchanged, summary.added, summary.rejected) == (1, 1, 0, 1)
    after = {r[2]: r for r in _snapshot(db)}
    assert after["高龄津贴发放"][1] == before["高龄津贴发放"][1] + 1  # version bumped
    assert after["流动人口居住登记"][1] == before["流动人口居住登记"][1]
    rows = list_rows(db, POWERS)
    i = rows.column("name").index("高龄津贴发放")
    assert rows.column("status")[i] == "暂停"
    assert rows.column("code")[i] == "JF-001"  # a field the file lacks keeps its value
    assert rows.column("devolution_mode")[i] == "直接下放"


def test_replace_soft_deletes_everything_in_one_go(demo_db, tmp_path):
    p = _xlsx(tmp_path / "r.xlsx", [HEAD, ["法定权力事项", "行政检查", "唯一事项", "", "", "", "运行中"]])
    summary = run_import(demo_db, POWERS, p, mode="replace")
    assert summary.written and summary.replaced == 394 and summary.added == 1
    assert _live(demo_db) == 1
    assert len(list_rows(demo_db, POWERS, deleted=True)) == 394


def test_failure_inside_commit_leaves_database_untouched(demo_db, tmp_path, monkeypatch):
    """A replace whose insert fails after the soft delete ran: everything rolls back."""
    import app.importer.commit as commit

    p = _xlsx(tmp_path / "r.xlsx", [HEAD, ["法定权力事项", "行政检查", "唯一事项", "", "", "", "运行中"]])
    before = _snapshot(demo_db)

    def broken(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(commit, "insert_rows", broken)
    with pytest.raises(RuntimeError):
        run_import(demo_db, POWERS, p, mode="replace")
    assert _snapshot(demo_db) == before


def test_cancel_during_commit_writes_nothing(db, tmp_path):
    rows = [HEAD] + [["法定权力事项", "行政检查", f"事项{i}", "", "", "", "运行中"]
                     for i in range(12000)]
    p = _xlsx(tmp_path / "big.xlsx", rows)
    with open_source(p) as src:
        grid = src.read()
    layout = detect_layout(grid, POWERS)
    plan = prepare_import(db, POWERS, grid, layout, auto_map(POWERS, layout.columns))
    assert len(plan.new_rows) == 12000
    seen = []

    def cancel() -> bool:
        return len(seen) >= 2  # after the first chunk went in

    with pytest.raises(ImportCancelled):
        commit_import(db, plan, progress=lambda d, t, what: seen.append(d), cancel=cancel)
    assert _live(db) == 0


def test_cancel_during_validation(db, tmp_path):
    p = _xlsx(tmp_path / "a.xlsx", [HEAD] + [["法定权力事项", "行政检查", f"x{i}"] for i in range(10)])
    with pytest.raises(ImportCancelled):
        run_import(db, POWERS, p, cancel=lambda: True)


def test_duplicate_against_database_in_append_mode(demo_db, tmp_path):
    existing = list_rows(demo_db, POWERS)
    i = 0
    p = _xlsx(tmp_path / "d.xlsx", [
        ["清单类别", "权力类型", "事项名称", "子项", "下放方式"],
        [existing.column("list_kind")[i], existing.column("power_type")[i],
         existing.column("name")[i], existing.column("sub_item")[i], "直接下放"],
    ])
    summary = run_import(demo_db, POWERS, p)
    assert summary.rejected == 1 and "已有相同的记录" in summary.problems[0].message


def test_data_in_a_column_without_heading_is_reported(db, tmp_path):
    p = _xlsx(tmp_path / "u.xlsx", [["清单类别", "权力类型", "事项名称"],
                                    ["法定权力事项", "行政检查", "甲"],
                                    ["法定权力事项", "行政检查", "乙", "", "手写的备注"]])
    summary = run_import(db, POWERS, p)
    assert summary.ok and summary.unheaded_columns == ["E列（第 3 行起）"]
    assert "E列" in summary.text()


def test_merged_cells_fill_down(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in [["清单类别", "权力类型", "事项名称", "子项"],
              ["法定权力事项", "行政给付", "临时救助金的审核发放", "初审"],
              ["", "", "临时救助金的审核发放", "复核"],
              ["", "", "临时救助金的审核发放", "发放"]]:
        ws.append(r)
    ws.merge_cells("A2:A4")
    ws.merge_cells("B2:B4")
    p = tmp_path / "m.xlsx"
    wb.save(p)
    summary = run_import(db, POWERS, p)
    assert summary.ok and summary.added == 3, summary.text()
    assert set(list_rows(db, POWERS).column("power_type")) == {"行政给付"}


def test_error_cells_are_reported_per_cell(db, tmp_path):
    from tests.sheetmaker import patch_sheet_xml

    base = _xlsx(tmp_path / "b.xlsx", [["x"]])
    xml = ('<sheetData><row r="1">'
           + "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
                     for c, h in zip("ABC", ["清单类别", "权力类型", "事项名称"], strict=True))
           + '</row><row r="2"><c r="A2" t="inlineStr"><is><t>法定权力事项</t></is></c>'
           '<c r="B2" t="e"><f>VLOOKUP(C2,X:Y,2,0)</f><v>#N/A</v></c>'
           '<c r="C2" t="inlineStr"><is><t>甲</t></is></c></row></sheetData>')
    p = patch_sheet_xml(base, tmp_path / "e.xlsx", xml)
    summary = run_import(db, POWERS, p)
    assert summary.rejected == 1
    (problem,) = summary.problems
    assert (problem.row, problem.column) == (2, "权力类型") and "#N/A" in problem.message


def test_template_imports_back(db, tmp_path):
    save_row(db, BODIES, {"name": "便民服务中心"})
    out = write_template(tmp_path / "t.xlsx", POWERS, ref_names={"body_id": ["便民服务中心"]})
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws["A3"].value == "清单类别*" and ws["A4"].value.startswith("必填")
    assert ws.column_dimensions["C"].number_format == "@"  # 事项编码 stays text
    dropdowns = {str(dv.sqref).split(":")[0] for dv in ws.data_validations.dataValidation}
    assert {"A5", "B5", "H5", "I5", "K5"} <= dropdowns  # enums, and the bodies drop-down
    ws.append(["法定权力事项", "行政检查", "0012", "对燃气安全的检查", "", "", "", "便民服务中心",
               "", date(2024, 1, 2), "运行中", ""])
    wb.save(out)
    summary = run_import(db, POWERS, out)
    assert summary.ok and summary.added == 1 and summary.skipped_reasons == {"填写说明行": 1}
    rows = list_rows(db, POWERS)
    assert rows.column("code") == ["0012"] and rows.column("body_id") == ["便民服务中心"]


def test_templates_for_every_ledger(tmp_path):
    from app.specs import all_specs

    for spec in all_specs():
        out = write_template(tmp_path / f"{spec.key}.xlsx", spec)
        with open_source(out) as src:
            layout = detect_layout(src.read(), spec)
        mapping = auto_map(spec, layout.columns)
        assert set(mapping.assigned.values()) == {f.name for f in spec.form_fields}, spec.key


def test_bodies_import_creates_rows_with_blank_numbers(db, tmp_path):
    p = _xlsx(tmp_path / "b.xlsx", [["机构名称", "排序", "机构类别"], ["综合保障中心", "", "直属事业机构"],
                                    ["党建工作办公室", "２", ""]])
    summary = run_import(db, BODIES, p)
    assert summary.ok and summary.added == 2, summary.text()
    with db.session() as s:
        got = dict(s.execute(select(FunctionalBody.name, FunctionalBody.sort_order)).all())
    assert got == {"综合保障中心": 0, "党建工作办公室": 2}


def test_wizard_flow_with_a_changed_mapping(db, tmp_path):
    """What the GUI wizard does: sheets, preview, auto mapping, a changed column,
    validation with progress, problems and counts, then commit."""
    p = _xlsx(tmp_path / "w.xlsx", [["类别", "权力类型", "事项名称", "说明"],
                                    ["法定权力事项", "行政检查", "对燃气安全的检查", "每季度一次"]])
    with open_source(p) as src:
        assert [s.name for s in src.sheets] == ["Sheet"]
        grid = src.read()
    assert grid.preview(1) == [["类别", "权力类型", "事项名称", "说明"]]
    layout = detect_layout(grid, POWERS)
    mapping = auto_map(POWERS, layout.columns)
    assert mapping.assigned == {0: "list_kind", 1: "power_type", 2: "name", 3: "remarks"}
    mapping.assign(3, "sub_item")  # the user says 说明 is the sub-item
    mapping.assign(0, None)  # and that 类别 should not be read ...
    assert [f.label for f in mapping.missing_required()] == ["清单类别"]
    steps = []
    plan = prepare_import(db, POWERS, grid, layout, mapping, set_values={"清单类别": "法定"},
                          progress=lambda d, t, what: steps.append((what, d, t)))
    assert steps[-1] == ("校验数据", 1, 1)
    assert (len(plan.new_rows), len(plan.rejected)) == (1, 0)
    assert plan.new_rows[0]["sub_item"] == "每季度一次"
    assert plan.new_rows[0]["list_kind"] == "法定权力事项"
    summary = commit_import(db, plan, file=p.name)
    assert summary.ok and summary.headline == "已导入：新增 1 行，更新 0 行"


def test_parse_set_values_and_headlines(db, tmp_path):
    from app.importer import parse_set_values

    assert parse_set_values(["清单类别 = 下放行政权力", "status=运行中"]) == {
        "清单类别": "下放行政权力", "status": "运行中"}
    with pytest.raises(UserError):
        parse_set_values(["清单类别"])
    summary = run_import(db, POWERS, _mixed_file(tmp_path), dry_run=True)
    assert summary.headline.startswith("试运行") and not summary.written


def test_template_with_the_street_offices(demo_db, tmp_path):
    out = write_template(tmp_path / "t.xlsx", POWERS, db=demo_db)
    ws = openpyxl.load_workbook(out).active
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert "便民服务中心" in lists["H5"]
