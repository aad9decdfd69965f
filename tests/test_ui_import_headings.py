"""The wizard with another office's workbook: similar headings proposed and marked
for confirming, a name mapped to an existing office (kept as an alias), the header
row given by hand, and 设置 → 导入记忆 listing and deleting what was remembered."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from app.importer.aliases import list_aliases
from app.importer.memory import list_memory
from app.specs.powers import POWERS
from ui.app import create_application
from ui.import_mapping import CREATE
from ui.import_wizard import ImportWizard
from ui.settings_page import SettingsPage

WAIT = 60_000
HEAD = ["序号", "清单类型", "职权类别", "职权编码", "「*」职权名称", "执行科室", "下放\n形式",
        "下放时间", "承接状态"]


def _file(path: Path, offices: list[str], title_rows: int = 1) -> Path:
    wb = openpyxl.Workbook()
    for _ in range(title_rows):
        wb.active.append(["某街道权责清单"])
    wb.active.append(HEAD)
    for i, office in enumerate(offices):
        wb.active.append([i + 1, "下放行政权力", "行政处罚", f"W-{i}", f"对违法行为{i}的处罚",
                          office, "直接下放", date(2024, 2, i + 1), "已承接"])
    wb.save(path)
    return path


@pytest.fixture
def wizard(qtbot, sqlite_demo_db):
    create_application()
    w = ImportWizard(sqlite_demo_db, POWERS)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _idle(qtbot, w):
    qtbot.waitUntil(lambda: not w.busy, timeout=WAIT)


def _next(qtbot, w):
    assert w.next_button.isEnabled()
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    _idle(qtbot, w)


def test_synonyms_proposed_value_mapped_and_remembered(qtbot, wizard, tmp_path):
    w, db = wizard, wizard.db
    path = _file(tmp_path / "other.xlsx", ["综合行政执法办公室", "综合行政执法队", "新设的网格中心"])
    w.file_page.path_edit.setText(str(path))
    _next(qtbot, w)
    _next(qtbot, w)
    mp = w.mapping_page
    assert w.page == w.MAPPING
    got = {mp.mapping.column(i).heading: f for i, f in mp.mapping.assigned.items()}
    assert got["职权编码"] == "code" and got["「*」职权名称"] == "name"
    assert got["执行科室"] == "body_id" and got["下放 形式"] == "devolution_mode"
    # The similar ones are marked for confirming, the exact ones are not.
    row = [c.heading for c in mp.mapping.columns].index("职权编码")
    assert "相似，请确认" in mp.table.item(row, 0).text()
    assert "职权编码" in mp.proposals() and "承接状态" not in mp.proposals()
    # Unknown names are listed, with the closest existing office offered first.
    assert set(k[1] for k in mp.value_combos) == {"综合行政执法队", "新设的网格中心"}
    combo = mp.value_combos[("body_id", "综合行政执法队")]
    assert combo.itemData(1) == "综合行政执法办公室"
    combo.setCurrentIndex(1)
    create = mp.value_combos[("body_id", "新设的网格中心")]
    create.setCurrentIndex(create.findData(CREATE))
    assert mp.value_map() == ({"body_id": {"综合行政执法队": "综合行政执法办公室"}}, True)
    mp.table.grab().save(str(tmp_path / "mapping.png"))
    _next(qtbot, w)
    assert len(w.plan.new_rows) == 3 and not w.plan.rejected
    _next(qtbot, w)
    assert w.imported
    assert "D列“职权编码” → 事项编码（相似）" in w.commit_page.text.toPlainText()
    assert ("综合行政执法队", "bodies") in [(a.alias, a.ledger) for a in list_aliases(db)]
    remembered = {m.heading: m.field for m in list_memory(db)}
    assert remembered["职权编码"] == "code" and remembered["执行科室"] == "body_id"
    assert "承接状态" not in remembered  # an exact heading needs no memory

    # 设置 → 导入记忆 lists both and deletes a column mapping.
    page = SettingsPage(db)
    qtbot.addWidget(page)
    panel = page.import_memory()
    assert panel.columns.rowCount() == len(remembered) and panel.aliases.rowCount() == 1
    assert panel.aliases.item(0, 2).text() == "综合行政执法办公室"
    panel.columns.selectRow(0)
    panel.delete_columns.click()
    assert len(list_memory(db)) == len(remembered) - 1 and "已删除 1 条" in panel.message.text()
    panel.grab().save(str(tmp_path / "memory.png"))


def test_header_row_override_in_the_wizard(qtbot, wizard, tmp_path):
    w = wizard
    path = _file(tmp_path / "h.xlsx", ["综合行政执法办公室"], title_rows=3)
    w.file_page.path_edit.setText(str(path))
    _next(qtbot, w)
    sp = w.sheet_page
    assert w.table_layout.header_rows == [3]
    sp.header_row.setValue(1)  # wrong on purpose: a title row has no fields
    sp.header_button.click()
    assert w.table_layout.header_rows == [0]
    sp.header_row.setValue(4)
    sp.header_button.click()
    assert w.table_layout.header_rows == [3] and w.table_layout.data_start == 4
    sp.header_row.setValue(99)
    sp.header_button.click()
    assert sp.error.isVisible() and "第 99 行" in sp.error.text()


def test_unknown_names_leave_out_hint_and_footer_rows(qtbot, wizard):
    """The office sample's fill-in hint (本街道职能机构全称 under 承接科室) and signature
    footer (填报日期：… in the same column) are not data: the importer skips them, so the
    wizard must not offer them as office names to create or map (it did)."""
    w = wizard
    sample = Path(__file__).resolve().parent / "data" / "powers_two_row_header.xlsx"
    w.file_page.path_edit.setText(str(sample))
    _next(qtbot, w)
    _next(qtbot, w)
    mp = w.mapping_page
    assert w.page == w.MAPPING
    names = {name for _f, name in mp.value_combos}
    assert names == {"综合行政执法队", "应急管理办公室", "民生服务办公室", "平安建设办公室"}
    counts = {mp.values_table.item(r, 0).text(): mp.values_table.item(r, 1).text()
              for r in range(mp.values_table.rowCount())}
    assert counts["综合行政执法队"] == "4" and counts["民生服务办公室"] == "2"
    # The column's sample values come from data rows too.
    row = [c.heading for c in mp.mapping.columns].index("承接情况/承接科室")
    assert "本街道职能机构全称" not in mp.table.item(row, 2).text()
