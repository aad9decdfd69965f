"""The workflow panel as a person uses it: the state chip, the buttons their role may
press, the reason dialog (refuses an empty reason), and the timeline that grows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from app import auth
from app.core import workflow
from app.core.writes import save_row
from app.db import Database
from app.services import get_row
from tests import workflow_ledger as wl
from ui import workflow_panel
from ui.workflow_panel import ReasonDialog, WorkflowPanel

PW = "Passw0rd1"
TASKS = wl.TASKS


@pytest.fixture
def tasks_db(sqlite_url, app):
    db = Database(sqlite_url, actor="测试员")
    wl.create_table(db)
    auth.create_user(db, "boss", PW, "admin", display_name="王主任")
    auth.login(db, "boss", PW)
    auth.create_user(db, "clerk", PW, "editor", display_name="李干事")
    auth.create_user(db, "reader", PW, "viewer")
    yield db
    db.close()


def _panel(qtbot, db, row, version=None):
    panel = WorkflowPanel(db, TASKS, row, version)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _timeline(panel) -> list[tuple[str, ...]]:
    t = panel.table
    return [tuple(t.item(r, c).text() for c in range(1, t.columnCount()))
            for r in range(t.rowCount())]


def test_an_editor_starts_and_submits_and_the_timeline_grows(qtbot, tasks_db, monkeypatch):
    db = tasks_db
    auth.login(db, "clerk", PW)
    row, v = save_row(db, TASKS, {"code": "ZG-1", "title": "占道经营"})
    panel = _panel(qtbot, db, row, v)
    assert panel.chip.text() == "待整改" and list(panel.buttons) == ["start"]
    assert _timeline(panel) == [("李干事", "新建", "—", "待整改", "")]

    def confirm_with_note(dlg):
        assert not dlg.required and dlg.ok_button.text() == "开始整改"
        dlg.reason_edit.setPlainText("已约谈商户")
        dlg.ok_button.click()
        return dlg.result()

    monkeypatch.setattr(ReasonDialog, "exec", confirm_with_note)
    with qtbot.waitSignal(panel.transitioned) as signal:
        qtbot.mouseClick(panel.buttons["start"], Qt.LeftButton)
    assert signal.args == [v + 1] and panel.version == v + 1
    assert panel.chip.text() == "整改中" and list(panel.buttons) == ["submit"]
    assert _timeline(panel)[-1] == ("李干事", "开始整改", "待整改", "整改中", "已约谈商户")

    monkeypatch.setattr(ReasonDialog, "exec", lambda dlg: QDialog.Rejected)  # 取消
    with qtbot.assertNotEmitted(panel.transitioned):
        qtbot.mouseClick(panel.buttons["submit"], Qt.LeftButton)
    assert get_row(db, TASKS, row)["status"] == "整改中" and len(_timeline(panel)) == 2

    monkeypatch.setattr(ReasonDialog, "exec", lambda dlg: (dlg.ok_button.click(), dlg.result())[1])
    qtbot.mouseClick(panel.buttons["submit"], Qt.LeftButton)
    assert panel.chip.text() == "待验收" and panel.buttons == {}
    assert panel.note.text() == "当前状态下没有您可执行的操作"


def test_sending_back_needs_a_reason(qtbot, tasks_db, monkeypatch):
    db = tasks_db
    row, _v = save_row(db, TASKS, {"code": "ZG-2", "title": "垃圾乱堆"})
    for key in ("start", "submit"):
        workflow.transition(db, TASKS, row, key)
    panel = _panel(qtbot, db, row)
    assert list(panel.buttons) == ["reject", "close"]
    seen = []

    def empty_then_reason(dlg):
        assert dlg.required
        dlg.ok_button.click()  # nothing typed: refused, the dialog stays open
        seen.append((dlg.result() == QDialog.Accepted, dlg.error.isHidden(), dlg.error.text()))
        dlg.reason_edit.setPlainText("  \n")
        dlg.ok_button.click()
        seen.append((dlg.result() == QDialog.Accepted, dlg.error.isHidden(), dlg.error.text()))
        dlg.reason_edit.setPlainText("缺整改后照片")
        dlg.ok_button.click()
        return dlg.result()

    monkeypatch.setattr(ReasonDialog, "exec", empty_then_reason)
    with qtbot.waitSignal(panel.transitioned):
        qtbot.mouseClick(panel.buttons["reject"], Qt.LeftButton)
    refused = (False, False, "理由必填：请说明退回的理由")
    assert seen == [refused, refused]
    assert panel.chip.text() == "整改中"
    assert _timeline(panel)[-1] == ("王主任", "退回", "待验收", "整改中", "缺整改后照片")


def test_a_refusal_shows_under_the_bar_and_a_conflict_shows_the_state_now(qtbot, tasks_db,
                                                                         monkeypatch):
    db = tasks_db
    row, v = save_row(db, TASKS, {"code": "ZG-3", "title": "违章搭建"})
    for key in ("start", "submit"):
        v = workflow.transition(db, TASKS, row, key, expected_version=v)
    panel = _panel(qtbot, db, row, v)
    monkeypatch.setattr(panel, "ask", lambda _t: "")
    with qtbot.assertNotEmitted(panel.transitioned):
        assert not panel.take("close")  # guard: no evidence written yet
    assert not panel.error.isHidden() and "请先在“整改佐证”中写明佐证材料" in panel.error.text()
    # Someone else sends it back meanwhile: the panel's version is stale.
    workflow.transition(db, TASKS, row, "reject", reason="另一处发现问题", expected_version=v)
    assert not panel.take("close")
    assert "修改" in panel.error.text() and panel.chip.text() == "整改中"
    assert list(panel.buttons) == ["submit"] and panel.version == v + 1


def test_a_viewer_sees_the_state_and_timeline_without_buttons(qtbot, tasks_db):
    db = tasks_db
    row, _v = save_row(db, TASKS, {"code": "ZG-4", "title": "油烟扰民"})
    workflow.transition(db, TASKS, row, "start")
    auth.login(db, "reader", PW)
    panel = _panel(qtbot, db, row)
    assert panel.chip.text() == "整改中" and panel.buttons == {}
    assert len(_timeline(panel)) == 2
    new = _panel(qtbot, db, None)  # a row not saved yet
    assert new.chip.text() == "待整改" and new.note.text() == "保存后可办理状态流转"


def test_the_chip_text_stays_readable_on_light_colours():
    assert "color: #212121" in workflow_panel.chip_style("#f9a825")
    assert "color: #ffffff" in workflow_panel.chip_style("#1976d2")


def test_refreshing_before_shown_leaves_only_the_current_buttons_visible(qtbot, tasks_db):
    db = tasks_db
    auth.login(db, "clerk", PW)
    row, v = save_row(db, TASKS, {"code": "ZG-2", "title": "乱堆乱放"})
    panel = WorkflowPanel(db, TASKS, row, v)
    qtbot.addWidget(panel)
    panel.refresh()  # a second refresh before the panel is first shown
    panel.show()
    qtbot.waitExposed(panel)
    visible = [b for b in panel.findChildren(workflow_panel.QPushButton) if b.isVisible()]
    assert [b.text() for b in visible] == ["开始整改"]
