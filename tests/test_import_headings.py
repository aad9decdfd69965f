"""Workbooks from other offices: headings that are synonyms, abbreviations, with
spaces, full-width brackets, 「*」 marks and line breaks; two candidate columns for one
field; --map and remembered mappings; names mapped to existing rows becoming aliases;
rows created for unknown names; a header row given by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from app.errors import UserError
from app.importer import (
    cli_import,
    detect_layout,
    map_columns,
    mapping_lines,
    open_source,
    run_import,
)
from app.importer.aliases import list_aliases
from app.importer.memory import forget, list_memory
from app.models import AuditEntry, FunctionalBody, PowerItem
from app.services import save_row
from app.specs import get_spec

POWERS = get_spec("powers")
BODIES = get_spec("bodies")
OFFICES = ["党政综合办公室", "综合行政执法办公室", "社区治理办公室", "便民服务中心"]


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _bodies(db, names=OFFICES, category="党政综合办事机构"):
    for i, n in enumerate(names):
        save_row(db, BODIES, {"name": n, "sort_order": i + 1,
                              "category": category if "办公室" in n else "直属事业机构"})


def _mapped(db, path: Path, **kw) -> dict[str, str]:
    with open_source(path) as src:
        grid = src.read()
    layout = detect_layout(grid, POWERS)
    m = map_columns(db, POWERS, grid, layout, **kw)
    return {m.column(i).heading: f for i, f in m.assigned.items()}


# Every heading is another office's word, decorated the ways people decorate them.
SYNONYMS = ["序 号", "*清单\n类型", "职权类别", "职权编码", "「*」职权名称", "子项名称",
            "实施主体", "行使依据（法律法规）", "下放 形式", "下放时间", "承接状态", "备 注"]


def _synonym_rows(n: int = 4) -> list[list]:
    rows = [["某街道权责清单"], SYNONYMS]
    for i in range(n):
        rows.append([i + 1, "下放行政权力", "行政处罚", f"ZF-{i:03d}", f"对违法行为{i}的处罚", "",
                     OFFICES[i % 2], "《城市管理条例》", "直接下放", date(2024, 1, i + 1),
                     "已承接", ""])
    return rows


def test_headings_all_synonyms_import_in_one_go(db, tmp_path):
    _bodies(db)
    p = _xlsx(tmp_path / "other.xlsx", _synonym_rows())
    got = _mapped(db, p)
    assert got == {
        "*清单 类型": "list_kind", "职权类别": "power_type",
        "职权编码": "code", "「*」职权名称": "name", "子项名称": "sub_item",
        "实施主体": "body_id", "行使依据（法律法规）": "legal_basis", "下放 形式": "devolution_mode",
        "下放时间": "effective_date", "承接状态": "status", "备 注": "remarks",
    }, got
    summary = run_import(db, POWERS, p)
    assert summary.ok and summary.added == 4, summary.text()
    assert _codes(db) == ["ZF-000", "ZF-001", "ZF-002", "ZF-003"]
    with db.session() as s:
        bodies = dict(s.execute(select(PowerItem.code, FunctionalBody.name)
                                .join(FunctionalBody, PowerItem.body_id == FunctionalBody.id)).all())
    assert bodies["ZF-001"] == "综合行政执法办公室"
    text = "\n".join(summary.lines() + mapping_lines(summary.plan))
    assert "“职权编码” → 事项编码（相似）" in text and "“序 号”" in text


def _codes(db) -> list[str]:
    with db.session() as s:
        return sorted(s.scalars(select(PowerItem.code).where(PowerItem.deleted_at.is_(None))))


def test_two_candidate_columns_are_not_guessed_on_the_command_line(db, tmp_path):
    """执行科室 and 所属科室 are equally like 承接科室: neither is taken silently, the
    summary says why; --map settles it (a dry run remembers nothing)."""
    head = ["清单类别", "权力类型", "事项名称", "执行科室", "所属科室", "状态"]
    rows = [head, ["法定权力事项", "行政处罚", "甲", "某某组", "另一组", "已承接"]]
    p = _xlsx(tmp_path / "two.xlsx", rows)
    got = _mapped(db, p)
    assert "执行科室" not in got and "所属科室" not in got and got["事项名称"] == "name"
    summary = run_import(db, POWERS, p, dry_run=True)
    text = "\n".join(mapping_lines(summary.plan))
    assert "D列“执行科室”：可能是承接科室，未确定，不导入" in text
    # The wizard's way: the best guess is offered for confirmation.
    with open_source(p) as src:
        grid = src.read()
    m = map_columns(db, POWERS, grid, detect_layout(grid, POWERS), take_ambiguous=True)
    assert list(m.assigned.values()).count("body_id") == 1 and len(m.proposed) == 1
    summary = run_import(db, POWERS, p, create_missing=True,
                         column_map={"执行科室": "承接科室"}, dry_run=True)
    assert summary.plan.mapping.assigned[3] == "body_id"
    assert summary.created == {"承接科室": ["某某组"]}
    assert list_memory(db) == []


def test_missing_required_column_names_closest_headings_and_map(db, tmp_path):
    head = ["清单类别", "权力类型", "工作名称", "状态"]
    p = _xlsx(tmp_path / "m.xlsx", [head, ["法定权力事项", "行政检查", "甲", "已承接"]])
    with pytest.raises(UserError) as e:
        run_import(db, POWERS, p)
    msg = str(e.value)
    assert "缺少必填的列：事项名称" in msg and "C列“工作名称”" in msg
    assert '--map "工作名称=事项名称"' in msg and "--set" not in msg
    summary = run_import(db, POWERS, p, column_map={"工作名称": "事项名称"})
    assert summary.ok and summary.added == 1
    assert [(m.heading, m.field) for m in list_memory(db)] == [("工作名称", "name")]
    # The next file with that heading needs no --map; --no-remembered ignores it.
    p2 = _xlsx(tmp_path / "m2.xlsx", [head, ["法定权力事项", "行政检查", "乙", "已承接"]])
    assert _mapped(db, p2)["工作名称"] == "name"
    with pytest.raises(UserError):
        run_import(db, POWERS, p2, use_remembered=False)
    again = run_import(db, POWERS, p2)
    assert again.ok and again.added == 1
    assert "（已记住）" in "\n".join(mapping_lines(again.plan))
    with db.session() as s:
        audited = s.scalar(select(func.count()).select_from(AuditEntry)
                           .where(AuditEntry.ledger == "import_memory"))
    assert audited == 1
    forget(db, [m.id for m in list_memory(db)])
    assert list_memory(db) == []


def test_missing_column_absent_from_the_file_suggests_set(db, tmp_path):
    p = _xlsx(tmp_path / "s.xlsx", [["权力类型", "事项名称", "电话"], ["行政检查", "甲", "1"]])
    with pytest.raises(UserError) as e:
        run_import(db, POWERS, p)
    assert "--set 清单类别=值" in str(e.value) and "C列“电话”" in str(e.value)


def test_value_mapping_becomes_an_alias(db, tmp_path):
    _bodies(db)
    rows = [["清单类别", "权力类型", "事项名称", "承接科室", "状态"],
            ["法定权力事项", "行政检查", "甲", "综合行政执法队", "已承接"]]
    p = _xlsx(tmp_path / "v.xlsx", rows)
    first = run_import(db, POWERS, p, dry_run=True)
    assert first.unknown_refs == {"承接科室": {"综合行政执法队": [2]}}
    from app.importer.refvalues import closest_names

    assert closest_names("综合行政执法队", OFFICES)[0] == "综合行政执法办公室"
    with pytest.raises(UserError, match="最接近的有：综合行政执法办公室"):
        run_import(db, POWERS, p, value_map={"承接科室": {"综合行政执法队": "综合执法办"}})
    done = run_import(db, POWERS, p, value_map={"承接科室": {"综合行政执法队": "综合行政执法办公室"}})
    assert done.ok and done.added == 1, done.text()
    assert [(a.alias, a.ledger) for a in list_aliases(db)] == [("综合行政执法队", "bodies")]
    # The next file with that name imports cleanly, without --map-value.
    rows[1][2] = "乙"
    nxt = run_import(db, POWERS, _xlsx(tmp_path / "v2.xlsx", rows))
    assert nxt.ok and nxt.added == 1 and not nxt.unknown_refs
    with db.session() as s:
        names = set(s.scalars(select(FunctionalBody.name).join(
            PowerItem, PowerItem.body_id == FunctionalBody.id)))
    assert names == {"综合行政执法办公室"}


def test_refused_value_is_not_created(db, tmp_path):
    rows = [["清单类别", "权力类型", "事项名称", "承接科室", "状态"],
            ["法定权力事项", "行政检查", "甲", "错别字科", "已承接"],
            ["法定权力事项", "行政检查", "乙", "新中心", "已承接"]]
    p = _xlsx(tmp_path / "r.xlsx", rows)
    s = run_import(db, POWERS, p, create_missing=True, value_map={"承接科室": {"错别字科": None}},
                   accept_valid=True)
    assert s.created == {"承接科室": ["新中心"]} and s.rejected == 1 and s.added == 1


def test_created_rows_get_a_kind_and_come_after_the_existing(db, tmp_path):
    _bodies(db)
    rows = [["清单类别", "权力类型", "事项名称", "承接科室", "状态"],
            ["法定权力事项", "行政检查", "甲", "应急管理办公室", "已承接"],
            ["法定权力事项", "行政检查", "乙", "退役军人服务中心", "已承接"]]
    s = run_import(db, POWERS, _xlsx(tmp_path / "c.xlsx", rows), create_missing=True)
    assert s.ok, s.text()
    with db.session() as ss:
        got = {n: (c, o) for n, c, o in ss.execute(
            select(FunctionalBody.name, FunctionalBody.category, FunctionalBody.sort_order))}
    assert got["应急管理办公室"] == ("党政综合办事机构", 5)
    assert got["退役军人服务中心"] == ("直属事业机构", 6)


def test_header_row_override(db, tmp_path):
    """A note row that looks more like a header than the header: --header-row says."""
    rows = [["清单类别 权力类型 事项名称 状态 说明"],
            ["类别", "类型", "名称", "状态"],
            ["法定权力事项", "行政检查", "甲", "已承接"]]
    p = _xlsx(tmp_path / "h.xlsx", rows)
    s = run_import(db, POWERS, p, header_row=2, column_map={"类别": "清单类别", "类型": "权力类型"})
    assert s.ok and s.added == 1, s.text()
    with pytest.raises(UserError, match="第 9 行"):
        run_import(db, POWERS, p, header_row=9)


def test_cli_map_and_map_value(db, tmp_path, capsys):
    _bodies(db)
    rows = [["清单类别", "权力类型", "工作名称", "承接科室", "状态"],
            ["法定权力事项", "行政检查", "甲", "执法队", "已承接"]]
    p = _xlsx(tmp_path / "cli.xlsx", rows)
    s = cli_import(db, "powers", p, column_map={"C": "事项名称"},
                   value_map={"承接科室": {"执法队": "综合行政执法办公室"}})
    assert s.ok and s.added == 1


def test_main_import_with_map_map_value_and_header_row(tmp_path, capsys, monkeypatch):
    """The command line end to end: --map, --map-value, --header-row, and the error
    that suggests --map."""
    from main import run_cli

    monkeypatch.setenv("STREETLEDGER_HOME", str(tmp_path / "home"))
    dbfile = str(tmp_path / "cli.sqlite3")
    assert run_cli(["demo", "--db", dbfile, "--create"]) == 0
    rows = [["说明：本表由某某街道填报"], ["清单类别", "权力类型", "工作名称", "所属科室", "状态"],
            ["法定权力事项", "行政检查", "某项检查", "执法队", "已承接"]]
    p = _xlsx(tmp_path / "f.xlsx", rows)
    capsys.readouterr()
    assert run_cli(["import", "powers", str(p), "--db", dbfile]) == 2
    err = capsys.readouterr().err
    assert "--map \"工作名称=事项名称\"" in err and "--set" not in err
    code = run_cli(["import", "powers", str(p), "--db", dbfile, "--header-row", "2",
                    "--map", "工作名称=事项名称", "--map", "所属科室=承接科室",
                    "--map-value", "承接科室:执法队=综合行政执法办公室"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "C列“工作名称” → 事项名称（指定）" in out and "新增 1 行" in out
    rows[2][2] = "另一项检查"
    p2 = _xlsx(tmp_path / "g.xlsx", rows)
    assert run_cli(["import", "powers", str(p2), "--db", dbfile]) == 0
    assert "（已记住）" in capsys.readouterr().out
    assert run_cli(["import", "powers", str(p2), "--db", dbfile, "--no-remembered",
                    "--dry-run"]) == 2


def test_thousands_of_headings_stay_bounded(db, tmp_path):
    """A hostile sheet with 1,000 distinct headings: similarity is bounded (no hang), one
    field still takes at most one column."""
    head = ["事项名称", "清单类别", "权力类型"] + [f"第{i}号科室名称编码" for i in range(1000)]
    p = _xlsx(tmp_path / "wide.xlsx", [head, ["甲", "法定权力事项", "行政检查"] + ["x"] * 1000])
    got = _mapped(db, p)
    assert got["事项名称"] == "name"
    assert len(got) == len(set(got.values())) <= len(POWERS.form_fields)
