"""The column-wise check (app.importer.columns) gives, row for row, what the one
validator services.clean_values gives: the same values for every row taken, the same
rows rejected with the same messages."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl

from app.errors import ValidationError
from app.importer import detect_layout, map_columns, open_source, prepare_import
from app.services import clean_values, ref_index, save_row
from app.specs import get_spec

POWERS = get_spec("powers")
BODIES = get_spec("bodies")
HEAD = ["清单类别", "权力类型", "事项编码", "事项名称", "子项", "原实施部门", "实施依据",
        "承接科室", "下放方式", "生效日期", "状态", "备注"]

ROWS = [
    ["下放行政权力", "行政处罚", "XF-1", "名称一", "", "区局", "条例", "执法办", "直接下放",
     date(2024, 1, 2), "已承接", ""],
    ["法定权力事项", "许可", "ＸＦ２", "名称  二", "子", " 区局 ", "条例", "执法办", "",
     "2024-03-04", "", "注"],  # full-width code, double space, edge spaces, blank status
    ["下放行政权力", "行政处罚", "XF-3", "名称三", "", "", "", "执法办", "", "2024-01-01",
     "已承接", ""],  # the rule: 下放行政权力 needs 下放方式
    ["属地管理事项", "不存在的类型", "XF-4", "名称四", "", "", "", "", "", "", "已承接", ""],
    ["属地管理事项", "行政检查", 12345, "", "", "", "", "", "", "", "", ""],  # name blank
    ["属地管理事项", "行政检查", 12345.0, "名称六", "", "", "", "没有的科室", "", "", "运行中", ""],
    ["属地管理事项", "行政检查", "XF-7", "名称七" * 80, "", "", "", "", "", "", "", ""],
    ["属地管理事项", "行政检查", "XF-8", "名称八", "", "", "", "", "", "2024-13-40", "", ""],
    ["属地管理事项", "其它", "XF-9", "名称九", "", "", "", "执法办", "", datetime(2024, 5, 6, 7, 8),
     "暂停", "备\n注"],
    ["属地管理事项", "#N/A", "XF-10", "名称十", "", "", "", "", "", "", "", ""],
    ["属地管理事项", "行政检查", "XF-11", "名称十一", "", "", "", "", "", "", "", ""],
]
# A column that every cell but one leaves as it is: only that one needs the parse.
ROWS += [["属地管理事项", "行政检查", f"XG-{i}", f"事项{i}", "", "", "", "", "", "", "", ""]
         for i in range(5)]
ROWS[-1][4] = "子  项"  # the sub-item column is otherwise clean


def test_column_pass_agrees_with_clean_values_row_by_row(db, tmp_path):
    save_row(db, BODIES, {"name": "执法办"})
    wb = openpyxl.Workbook()
    wb.active.append(HEAD)
    for r in ROWS:
        wb.active.append(r)
    path = tmp_path / "kinds.xlsx"
    wb.save(path)
    with open_source(path) as src:
        grid = src.read()
    layout = detect_layout(grid, POWERS)
    mapping = map_columns(db, POWERS, grid, layout)
    plan = prepare_import(db, POWERS, grid, layout, mapping)

    refs = {"body_id": ref_index(db, POWERS.field("body_id"))}
    expected_ok, expected_bad = {}, {}
    with db.session() as s:
        for n, row in enumerate(grid.rows[layout.data_start:], start=layout.data_start + 1):
            raw = {}
            for idx, fname in mapping.assigned.items():
                v = row[idx] if idx < len(row) else ""
                if fname == "status" and (v is None or (isinstance(v, str) and not v.strip())):
                    continue
                if fname == "body_id" and isinstance(v, str) and v.strip():
                    v = refs["body_id"].get(v.strip(), v)
                raw[fname] = v
            if any(r == n - 1 for r, _c in grid.errors) or any(
                    isinstance(v, str) and v.startswith("#") for v in raw.values()):
                expected_bad[n] = None
                continue
            try:
                expected_ok[n] = clean_values(db, POWERS, raw, s, refs)
            except ValidationError as exc:
                expected_bad[n] = exc.errors
    got_ok = dict(zip(plan.new_row_numbers, plan.new_rows, strict=True))
    assert got_ok == expected_ok
    assert set(plan.rejected) == set(expected_bad)
    for n, errors in expected_bad.items():
        if errors is not None:
            assert {p.field: p.message for p in plan.rejected[n]} == errors, n
    assert "错误值 #N/A" in plan.rejected[11][0].message
    assert got_ok[3]["code"] == "XF2" and got_ok[3]["name"] == "名称 二"
    assert got_ok[3]["status"] == "已承接" and got_ok[3]["origin_department"] == "区局"
