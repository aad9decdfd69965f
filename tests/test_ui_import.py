"""The import wizard driven the way a person uses it, on the shared sample workbook,
hostile files, a 20,000-row CSV (cancel while checking and while writing), rejected
rows saved to Excel, replace with confirmation, and a viewer who may not import."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QComboBox, QFileDialog
from sqlalchemy import func, select

from app import auth, services
from app.specs.powers import LIST_KINDS, POWERS
from app.specs.settings import BODIES
from ui import dialogs
from ui.app import create_application
from ui.import_wizard import ImportWizard, accepts_drop, dropped_path, open_import_wizard

# A copy of ../shared/samples/powers_two_row_header.xlsx, so the tests need nothing outside the repo.
SAMPLE = Path(__file__).resolve().parent / "data" / "powers_two_row_header.xlsx"
DEMO_POWERS = 394
WAIT = 60_000  # ms: a generous bound for a worker, never a timing assertion


@pytest.fixture
def sample(tmp_path) -> Path:
    if not SAMPLE.exists():
        pytest.skip(f"缺少样例文件 {SAMPLE}")
    return Path(shutil.copy(SAMPLE, tmp_path / SAMPLE.name))


@pytest.fixture
def wizard(qtbot, sqlite_demo_db):
    create_application()
    w = ImportWizard(sqlite_demo_db, POWERS)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def sample_rows(path: Path) -> int:
    """Data rows of the sample counted independently of the importer: under the header
    and hint rows (from row 6), a 事项类型 (B) and a 事项名称 (D); the footer has no B."""
    ws = openpyxl.load_workbook(path).active
    return sum(1 for kind, _code, name in ws.iter_rows(min_row=6, min_col=2, max_col=4,
                                                       values_only=True)
               if kind and name and str(name).strip())


def live_powers(db) -> int:
    return len(services.list_rows(db, POWERS).ids)


def idle(qtbot, w: ImportWizard) -> None:
    qtbot.waitUntil(lambda: not w.busy, timeout=WAIT)


def open_file(qtbot, w: ImportWizard, path: Path) -> None:
    w.file_page.path_edit.setText(str(path))
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    idle(qtbot, w)


def choose(combo: QComboBox, data) -> None:
    i = combo.findData(data)
    assert i >= 0, data
    combo.setCurrentIndex(i)


def click_next(qtbot, w: ImportWizard) -> None:
    assert w.next_button.isEnabled()
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    idle(qtbot, w)


def to_checked_sample(qtbot, w, sample, *, create_missing: bool) -> None:
    open_file(qtbot, w, sample)
    click_next(qtbot, w)
    choose(w.mapping_page.value_widgets["list_kind"], "下放行政权力")
    w.mapping_page.create_missing.setChecked(create_missing)
    click_next(qtbot, w)
    assert w.page == w.CHECK and w.plan is not None


def write_csv(path: Path, n: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        out = csv.writer(f)
        out.writerow(["清单类别", "权力类型", "事项名称", "承接科室"])
        for i in range(n):
            out.writerow(["属地管理事项", "行政检查", f"网格巡查事项{i:05d}", "综合保障中心"])
    return path


# -- the shared sample, end to end ------------------------------------------------
def test_sample_workbook_end_to_end(qtbot, wizard, sample):
    w, db = wizard, wizard.db
    expected = sample_rows(sample)
    assert expected > 0
    open_file(qtbot, w, sample)
    assert w.page == w.SHEET
    sp = w.sheet_page
    assert sp.sheet_combo.currentText() == "下放事项"
    text = sp.summary.text()
    assert "第 3、4 行是表头" in text and "数据从第 6 行开始" in text and "第 5 行是填写说明" in text
    kinds = [sp.table.item(r, 0).text() for r in range(sp.table.rowCount())]
    assert kinds[:6] == ["标题", "标题", "表头", "表头", "填写说明行", "数据"]
    assert kinds[-1] == "表尾签字或说明行"

    click_next(qtbot, w)
    mp = w.mapping_page
    assert w.page == w.MAPPING
    assert mp.combos[6].currentData() == "body_id"  # 承接情况/承接科室
    assert mp.combos[0].currentData() is None and "A列“序号”" in mp.unknown.text()
    assert list(mp.value_widgets) == ["list_kind"]  # the required field the file lacks
    kind = mp.value_widgets["list_kind"]
    assert [kind.itemText(i) for i in range(1, kind.count())] == list(LIST_KINDS)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)  # no value yet: stays, says what
    assert w.page == w.MAPPING and mp.error.isVisible() and "清单类别" in mp.error.text()

    choose(kind, "下放行政权力")
    click_next(qtbot, w)
    plan = w.plan
    assert len(plan.rejected) == expected and not plan.new_rows  # offices unknown
    cp = w.check_page
    unknown = {row[1] for row in cp.unknown.rows}
    assert "综合行政执法队" in unknown and len(unknown) == 4
    assert cp.problems.rowCount() == len(plan.problems) == expected
    assert cp.problems.rows[0][:2] == ("下放事项", "6")
    assert "自动新建" in cp.unknown_hint.text()
    assert not w.next_button.isEnabled()
    assert live_powers(db) == DEMO_POWERS

    qtbot.mouseClick(w.back_button, Qt.LeftButton)
    assert w.page == w.MAPPING and widget_kind(mp) == "下放行政权力"  # value kept
    mp.create_missing.setChecked(True)
    click_next(qtbot, w)
    plan = w.plan
    assert (len(plan.new_rows), len(plan.rejected)) == (expected, 0)
    assert "将新建承接科室" in cp.notes.text()
    assert cp.skipped.rowCount() == len(plan.skipped) > 0
    assert live_powers(db) == DEMO_POWERS  # checking writes nothing

    click_next(qtbot, w)
    assert w.page == w.COMMIT and w.imported
    assert w.commit_page.headline.text() == f"已导入：新增 {expected} 行，更新 0 行"
    assert w.close_button.text() == "完成" and not w.back_button.isEnabled()
    assert live_powers(db) == DEMO_POWERS + expected
    kinds = services.list_rows(db, POWERS).column("list_kind")
    assert kinds.count("下放行政权力") == 159 + expected
    assert "综合行政执法队" in [label for _i, label in
                          services.ref_choices(db, POWERS.field("body_id"))]


def widget_kind(mp) -> str:
    return mp.value_widgets["list_kind"].currentData()


def test_changing_the_mapping(qtbot, wizard, sample):
    w = wizard
    open_file(qtbot, w, sample)
    click_next(qtbot, w)
    mp = w.mapping_page
    choose(mp.combos[0], "code")  # 序号 as the code: C (事项编码) gives it up
    assert mp.combos[2].currentData() is None
    assert "C列“事项基本信息/事项编码”" in mp.unknown.text()
    assert mp.mapping.assigned[0] == "code"
    choose(mp.combos[0], "list_kind")  # now the file has a 清单类别 column
    assert "list_kind" not in mp.value_widgets
    choose(mp.combos[0], None)
    assert "list_kind" in mp.value_widgets
    choose(mp.combos[3], None)  # 事项名称 not imported: a second value widget
    assert list(mp.value_widgets) == ["list_kind", "name"]
    assert isinstance(mp.value_widgets["name"], type(w.file_page.path_edit))  # a line edit


# -- files that cannot be read -------------------------------------------------------
def test_hostile_file_shows_the_message_and_writes_nothing(qtbot, wizard, sample, tmp_path):
    bad = tmp_path / "截断.xlsx"
    data = sample.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    open_file(qtbot, wizard, bad)
    fp = wizard.file_page
    assert wizard.page == wizard.FILE
    assert fp.error.isVisible() and "无法读取文件“截断.xlsx”" in fp.error.text()
    assert "损坏" in fp.error.text()
    assert wizard.grid is None and wizard.next_button.isEnabled()
    assert live_powers(wizard.db) == DEMO_POWERS
    (tmp_path / "空.csv").write_bytes(b"")
    open_file(qtbot, wizard, tmp_path / "空.csv")
    assert "文件是空的" in fp.error.text() and wizard.page == wizard.FILE


def test_sheets_hidden_and_without_header(qtbot, wizard, tmp_path):
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["本表由各科室填写"])
    notes.sheet_state = "hidden"
    data = wb.create_sheet("清单")
    data.append(["清单类别", "权力类型", "事项名称"])
    data.append(["法定权力事项", "行政检查", "对燃气安全的检查"])
    wb.create_sheet("备用").append(["与台账无关的内容", "其他"])
    path = tmp_path / "多表.xlsx"
    wb.save(path)
    open_file(qtbot, wizard, path)
    sp = wizard.sheet_page
    combo = sp.sheet_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["填表说明（隐藏）", "清单", "备用"]
    assert combo.currentData() == "清单" and wizard.next_button.isEnabled()
    choose(combo, "备用")
    idle(qtbot, wizard)
    assert sp.error.isVisible() and "没有一列的标题与权责清单的字段相符" in sp.error.text()
    assert not wizard.next_button.isEnabled()
    choose(combo, "清单")
    idle(qtbot, wizard)
    assert not sp.error.isVisible() and wizard.next_button.isEnabled()
    assert wizard.grid.sheet == "清单"


# -- cancel ---------------------------------------------------------------------------
def cancel_at(w: ImportWizard, what: str, after: int):
    """Set the wizard's cancel flag from the worker once it reports `what` past `after`
    rows: cancelling mid-way, deterministically."""
    work = w.work
    real = type(work).report.__get__(work)

    def report(done, total, text):
        real(done, total, text)
        if text == what and done > after:
            work.flag.set()

    work.report = report


def test_cancel_while_checking_and_while_writing(qtbot, wizard, tmp_path):
    w, db = wizard, wizard.db
    path = write_csv(tmp_path / "大表.csv", 20_000)
    open_file(qtbot, w, path)
    click_next(qtbot, w)
    assert not w.mapping_page.value_widgets

    cancel_at(w, "校验数据", 0)
    click_next(qtbot, w)
    assert w.plan is None and w.check_page.error.isVisible()
    assert "已取消检查" in w.check_page.error.text()
    assert not w.next_button.isEnabled()
    del w.work.report

    qtbot.mouseClick(w.back_button, Qt.LeftButton)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)  # check again, then the 取消 button
    assert w.busy
    qtbot.mouseClick(w.check_page.progress.cancel_button, Qt.LeftButton)
    assert w.work.flag.is_set()
    idle(qtbot, w)
    assert w.plan is None and "已取消检查" in w.check_page.error.text()

    qtbot.mouseClick(w.back_button, Qt.LeftButton)
    click_next(qtbot, w)
    assert len(w.plan.new_rows) == 20_000
    cancel_at(w, "写入数据库", 5_000)  # after the first chunk went into the transaction
    click_next(qtbot, w)
    assert w.commit_page.headline.text() == "已取消，未写入任何数据"
    assert not w.imported and live_powers(db) == DEMO_POWERS
    with db.session() as s:
        assert s.execute(select(func.count()).select_from(POWERS.model)).scalar_one() == \
            DEMO_POWERS
    del w.work.report

    qtbot.mouseClick(w.back_button, Qt.LeftButton)  # checks again: the plan was spent
    idle(qtbot, w)
    assert w.page == w.CHECK and len(w.plan.new_rows) == 20_000
    click_next(qtbot, w)
    assert w.imported and live_powers(db) == DEMO_POWERS + 20_000


def test_closing_while_checking_waits_for_the_worker(qtbot, wizard, tmp_path):
    w = wizard
    open_file(qtbot, w, write_csv(tmp_path / "大表.csv", 20_000))
    click_next(qtbot, w)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    assert w.busy
    w.reject()  # 取消 / Esc / the window's close box
    assert w.isVisible() and w.work.flag.is_set() and not w.close_button.isEnabled()
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=WAIT)
    assert not w.busy and w.result() == w.DialogCode.Rejected and not w.imported
    assert live_powers(w.db) == DEMO_POWERS


# -- rejected rows ----------------------------------------------------------------------
def test_rejected_rows_saved_and_valid_rows_imported(qtbot, wizard, sample, tmp_path,
                                                     monkeypatch):
    w, db = wizard, wizard.db
    services.save_row(db, BODIES, {"name": "综合行政执法队"})
    to_checked_sample(qtbot, w, sample, create_missing=False)
    plan = w.plan
    rejected = sorted(plan.rejected)
    assert rejected == [11, 12, 13, 14] and len(plan.new_rows) == 4
    cp = w.check_page
    assert cp.save_button.isVisible() and cp.accept_valid.isVisible()
    assert not w.next_button.isEnabled()

    out = tmp_path / "被拒绝.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    qtbot.mouseClick(cp.save_button, Qt.LeftButton)
    idle(qtbot, w)
    assert cp.saved_note.isVisible() and str(out) in cp.saved_note.text()
    ws = openpyxl.load_workbook(out).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if "错误说明" in r)
    assert header[6] == "承接科室"  # the file's own column layout
    notes = [r[-1] for r in rows if r[-1] and str(r[-1]).startswith("原第")]
    assert [n.split("。")[0] for n in notes] == [f"原第 {r} 行" for r in rejected]
    assert "应急管理办公室" in notes[0]

    cp.accept_valid.setChecked(True)
    click_next(qtbot, w)
    assert w.imported and w.summary.rejected == 4 and w.summary.added == 4
    assert live_powers(db) == DEMO_POWERS + 4
    shown = w.commit_page.text.toPlainText()
    assert "拒绝 4 行" in shown and "应急管理办公室" in shown
    assert "--" not in shown  # the command line's options are not the wizard's words

    out = tmp_path / "导入后被拒绝.xlsx"  # still possible after importing the valid rows
    assert w.commit_page.save_button.isVisible()
    qtbot.mouseClick(w.commit_page.save_button, Qt.LeftButton)
    idle(qtbot, w)
    assert str(out) in w.commit_page.saved_note.text()
    after = [r[-1] for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    assert sum(1 for n in after if n and str(n).startswith("原第")) == 4


# -- replace -------------------------------------------------------------------------
def test_replace_asks_first_then_soft_deletes(qtbot, wizard, sample, monkeypatch):
    w, db = wizard, wizard.db
    open_file(qtbot, w, sample)
    click_next(qtbot, w)
    mp = w.mapping_page
    choose(mp.value_widgets["list_kind"], "下放行政权力")
    mp.mode_buttons["replace"].setChecked(True)
    assert "回收站" in mp.mode_note.text()
    mp.create_missing.setChecked(True)
    click_next(qtbot, w)
    assert w.plan.replaced == DEMO_POWERS and "394" in w.check_page.notes.text()
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, title, text, ok="确定":
                        asked.append(text) or False)
    qtbot.mouseClick(w.next_button, Qt.LeftButton)
    assert asked and "394" in asked[0] and "回收站" in asked[0]
    assert w.page == w.CHECK and live_powers(db) == DEMO_POWERS  # said no: nothing
    monkeypatch.setattr(dialogs, "confirm", lambda *_a, **_k: True)
    click_next(qtbot, w)
    n = sample_rows(sample)
    assert w.imported and live_powers(db) == n
    with db.session() as s:
        deleted = s.execute(select(func.count()).select_from(POWERS.model).where(
            POWERS.model.deleted_at.is_not(None))).scalar_one()
    assert deleted == DEMO_POWERS


# -- permissions ------------------------------------------------------------------------
def test_a_viewer_cannot_import(qtbot, wizard, sample, monkeypatch):
    w, db = wizard, wizard.db
    auth.create_user(db, "admin", "Passw0rd1", "admin")
    auth.login(db, "admin", "Passw0rd1")
    auth.create_user(db, "kanke", "Passw0rd1", "viewer")
    auth.login(db, "kanke", "Passw0rd1")
    shown = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, exc, tb="": shown.append(exc.message))
    assert open_import_wizard(db, POWERS, w) is False
    assert shown and "无权导入" in shown[0]

    to_checked_sample(qtbot, w, sample, create_missing=True)  # checking reads only
    click_next(qtbot, w)
    cp = w.commit_page
    assert cp.headline.text() == "导入未完成，未写入任何数据"
    assert cp.error.isVisible() and "无权" in cp.error.text()
    assert not w.imported and live_powers(db) == DEMO_POWERS


# -- the page's helpers ----------------------------------------------------------------
def test_drop_helpers_and_opening_with_a_path(qtbot, sqlite_demo_db, sample, tmp_path):
    create_application()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "说明.docx")),
                  QUrl.fromLocalFile(str(sample))])
    assert accepts_drop(mime) and dropped_path(mime) == str(sample)
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "照片.JPG"))])
    text = QMimeData()
    text.setText(str(sample))
    assert not accepts_drop(other) and not accepts_drop(text) and dropped_path(None) is None
    upper = QMimeData()
    upper.setUrls([QUrl.fromLocalFile(str(tmp_path / "旧表.XLS"))])
    assert accepts_drop(upper)

    w = ImportWizard(sqlite_demo_db, POWERS, None, str(sample))  # what a drop opens
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.page == w.SHEET, timeout=WAIT)
    assert w.grid.sheet == "下放事项"


def test_template_button(qtbot, wizard, tmp_path, monkeypatch):
    out = tmp_path / "模板.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "")))
    qtbot.mouseClick(wizard.file_page.template_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: wizard.file_page.note.isVisible(), timeout=WAIT)
    assert str(out) in wizard.file_page.note.text()
    ws = openpyxl.load_workbook(out).active
    headings = [c.value for c in ws[3]]
    assert "事项名称*" in headings and "清单类别*" in headings
