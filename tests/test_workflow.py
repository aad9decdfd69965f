"""Status workflows: the declaration, the transition write (role, state, reason, guard,
version, audit), the timeline, and the panel that offers them — on the test-only
ledger of tests/workflow_ledger.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import func, select

from app import audit, auth
from app.core import workflow
from app.core.uow import UnitOfWork
from app.core.writes import delete_row, insert_rows, save_row, update_rows
from app.errors import ConflictError, PermissionDenied, UserError, ValidationError
from app.models import Area, AuditEntry
from app.services import get_row
from app.specs import LedgerSpec, all_specs
from app.specs.workflow import (
    State,
    Transition,
    Workflow,
    WorkflowError,
    allowed,
    check_spec,
    status_field,
)
from tests import workflow_ledger as wl

PW = "Passw0rd1"
TASKS, WF = wl.TASKS, wl.WORKFLOW
S = (State("甲"), State("乙"), State("丙", final=True))


# -- the declaration -------------------------------------------------------------

@pytest.mark.parametrize("make,words", [
    (lambda: Workflow("s", (), (), "甲"), "没有任何状态"),
    (lambda: Workflow("s", S, (), "丁"), "初始状态“丁”"),
    (lambda: Workflow("s", (State("甲"), State("甲")), (), "甲"), "重复的状态：甲"),
    (lambda: Workflow("s", S, (Transition("go", "去", ("甲",), "丁"),), "甲"), "未声明的状态：丁"),
    (lambda: Workflow("s", S, (Transition("go", "去", ("戊",), "乙"),), "甲"), "未声明的状态：戊"),
    (lambda: Workflow("s", S, (Transition("go", "去", ("甲",), "乙"),
                               Transition("go", "再去", ("乙",), "丙")), "甲"), "重复的操作标识：go"),
    (lambda: Workflow("s", S, (Transition("a", "前进", ("甲",), "乙"),
                               Transition("b", "前进", ("甲",), "丙")), "甲"), "同名的操作：前进"),
    (lambda: Workflow("s", S, (Transition("go", "去", ("甲",), "乙"),), "甲"), "到达不了的状态：丙"),
    (lambda: State("甲", "red"), "#RRGGBB"),
    (lambda: State(" 甲"), "首尾空格"),
    (lambda: Transition("Go", "去", ("甲",), "乙"), "小写英文"),
    (lambda: Transition("go", " ", ("甲",), "乙"), "缺少中文名称"),
    (lambda: Transition("go", "去", (), "乙"), "没有起始状态"),
    (lambda: Transition("go", "去", "甲", "乙"), "须为元组"),
    (lambda: Transition("go", "去", ("甲",), "甲"), "也是它的起始状态"),
    (lambda: Transition("go", "去", ("甲",), "乙", roles=()), "没有可执行的角色"),
])
def test_a_broken_declaration_is_refused(make, words):
    with pytest.raises(WorkflowError, match=words):
        make()


def test_allowed_depends_on_state_and_role():
    keys = {(state, role): [t.key for t in allowed(WF, state, role)]
            for state in WF.state_names for role in ("viewer", "editor", "admin", None)}
    assert keys[("待整改", "editor")] == ["start"]
    assert keys[("整改中", "editor")] == ["submit"]
    assert keys[("待验收", "editor")] == []
    assert keys[("待验收", "admin")] == ["reject", "close"]
    assert keys[("已销号", "admin")] == ["reopen"]
    assert keys[("已销号", "editor")] == []
    assert all(keys[(s, "viewer")] == [] for s in WF.state_names)
    assert keys[("待验收", None)] == ["reject", "close"]  # setup mode: no accounts yet


def test_the_status_field_and_the_spec_fit():
    f = TASKS.field("status")
    assert (f.kind, f.choices, f.form, f.filterable) == ("enum", WF.state_names, False, True)
    assert WF.final_states == ("已销号",)
    check_spec(TASKS, auth.ROLES)
    for spec in [s for s in all_specs() if s.workflow is not None]:
        check_spec(spec, auth.ROLES)  # every shipped workflow names real roles and columns
    wrong = dataclasses.replace(TASKS, fields=TASKS.fields[:-1])
    with pytest.raises(WorkflowError, match="不在台账字段中"):
        check_spec(wrong)
    other = dataclasses.replace(TASKS, fields=(*TASKS.fields[:-1],
                                               dataclasses.replace(f, choices=("待整改",))))
    with pytest.raises(WorkflowError, match="可选值正好是各状态"):
        check_spec(other)
    typo = Workflow("status", WF.states, (Transition("start", "开始整改", ("待整改",), "整改中",
                                                     roles=("editer",)),
                                          *WF.transitions[1:]), "待整改")
    with pytest.raises(WorkflowError, match="未知角色：editer"):
        check_spec(dataclasses.replace(TASKS, workflow=typo), auth.ROLES)


# -- the write -----------------------------------------------------------------------

@pytest.fixture
def ledger(db):
    """The test ledger's table, a district administrator (the first account) and the
    street's admin, editor and viewer; nobody signed in."""
    wl.create_table(db)
    with db.session() as s:
        district = s.get(Area, db.street_id).parent_id
    auth.create_user(db, "district", PW, "admin", area_id=district)
    auth.login(db, "district", PW)
    for name, role, shown in (("boss", "admin", "王主任"), ("clerk", "editor", "李干事"),
                              ("reader", "viewer", "")):
        auth.create_user(db, name, PW, role, area_id=db.street_id, display_name=shown)
    auth.logout(db)
    return db


def _as(db, name):
    auth.login(db, name, PW)
    return db


def _new(db, code="ZG-1", **values) -> tuple[int, int]:
    return save_row(db, TASKS, {"code": code, "title": "占道经营", **values})


def _trace(db, row_id) -> tuple[str, int, int]:
    """(status, version, audit entries of the row): what a refused write must not move."""
    row = get_row(db, TASKS, row_id)
    with db.session() as s:
        n = s.execute(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.ledger == TASKS.key, AuditEntry.row_id == row_id)).scalar_one()
    return row["status"], row["version"], n


def _move(db, row_id, *keys, reason="理由") -> int:
    v = None
    for k in keys:
        v = workflow.transition(db, TASKS, row_id, k, reason=reason)
    return v


def test_a_new_row_starts_in_the_initial_state_and_a_form_save_keeps_its_state(ledger):
    db = _as(ledger, "clerk")
    # The status shown read-only in the form comes back with the save: ignored.
    in_form = dataclasses.replace(TASKS, fields=(
        *TASKS.fields[:-1], dataclasses.replace(TASKS.field("status"), form=True)))
    for spec in (TASKS, in_form):
        row, v = save_row(db, spec, {"code": f"ZG-{spec.field('status').form}", "title": "甲",
                                     "status": "已销号"})
        assert get_row(db, spec, row)["status"] == "待整改"
        v = workflow.transition(db, spec, row, "start", expected_version=v)
        for raw in ({"status": "待整改"}, {}):
            v = save_row(db, spec, {"code": get_row(db, spec, row)["code"], "title": "乙",
                                    "evidence": str(raw), **raw}, row, v)[1]
            assert get_row(db, spec, row)["status"] == "整改中"
    # Imports alike: new rows start at the beginning, a row updated keeps its state.
    with UnitOfWork(db) as uow:
        ids = insert_rows(uow, in_form, [{"code": "ZG-9", "title": "丙", "evidence": "",
                                          "status": "已销号"}])
    assert get_row(db, in_form, ids[0])["status"] == "待整改"
    before = _trace(db, ids[0])
    with UnitOfWork(db) as uow:
        update_rows(uow, in_form, [(ids[0], before[1], {"status": "已销号"})])
    assert _trace(db, ids[0]) == before  # only the status "changed": nothing written


def test_who_may_take_which_transition(ledger):
    db = _as(ledger, "clerk")
    row, _v = _new(db)
    _move(db, row, "start", "submit")
    assert get_row(db, TASKS, row)["status"] == "待验收"
    before = _trace(db, row)
    with pytest.raises(PermissionDenied, match="录入员“clerk”无权“退回”（限管理员）"):
        workflow.transition(db, TASKS, row, "reject", reason="材料不全")
    for name in ("reader", "district"):  # a viewer; a district account writes no street rows
        _as(db, name)
        with pytest.raises(PermissionDenied):
            workflow.transition(db, TASKS, row, "reject", reason="材料不全")
    assert _trace(db, row) == before
    _as(db, "boss")
    workflow.transition(db, TASKS, row, "reject", reason="材料不全")
    assert get_row(db, TASKS, row)["status"] == "整改中"
    assert [t.key for t in workflow.available(db, TASKS, "整改中")] == ["submit"]
    _as(db, "reader")
    assert workflow.available(db, TASKS, "整改中") == []


def test_a_transition_from_the_wrong_state_or_unknown_is_refused(ledger):
    db = _as(ledger, "boss")
    row, _v = _new(db)
    before = _trace(db, row)
    with pytest.raises(UserError, match="当前为“待整改”，不能“提交验收”（仅限整改中时）"):
        workflow.transition(db, TASKS, row, "submit")
    with pytest.raises(UserError, match="没有名为“finish”的操作，可用的有：start（开始整改）"):
        workflow.transition(db, TASKS, row, "finish")
    plain = dataclasses.replace(TASKS, workflow=None)
    with pytest.raises(UserError, match="整改任务没有状态流程"):
        workflow.transition(db, plain, row, "start")
    assert _trace(db, row) == before


def test_a_required_reason_must_be_given(ledger):
    db = _as(ledger, "boss")
    row, _v = _new(db)
    _move(db, row, "start", "submit", reason="")
    before = _trace(db, row)
    for blank in ("", "  \u3000\n"):
        with pytest.raises(ValidationError, match="理由必填：请说明退回的理由") as info:
            workflow.transition(db, TASKS, row, "reject", reason=blank)
        assert set(info.value.errors) == {"reason"}
    with pytest.raises(ValidationError, match="理由不能超过 500 个字"):
        workflow.transition(db, TASKS, row, "reject", reason="长" * 501)
    assert _trace(db, row) == before
    workflow.transition(db, TASKS, row, "reject", reason="  缺整改后照片 ")
    assert get_row(db, TASKS, row)["status"] == "整改中"
    assert workflow.timeline(db, TASKS, row)[-1].reason == "缺整改后照片"


def test_the_guard_refuses_until_its_condition_holds(ledger):
    db = _as(ledger, "boss")
    row, _v = _new(db)
    _move(db, row, "start", "submit")
    before = _trace(db, row)
    with pytest.raises(UserError, match="不能“销号”：请先在“整改佐证”中写明佐证材料"):
        workflow.transition(db, TASKS, row, "close")
    assert _trace(db, row) == before
    v = save_row(db, TASKS, {"code": "ZG-1", "title": "占道经营", "evidence": "整改前后照片"},
                 row, before[1])[1]
    assert workflow.transition(db, TASKS, row, "close", expected_version=v) == v + 1
    assert get_row(db, TASKS, row)["status"] == "已销号"


def test_a_stale_version_is_a_conflict_and_a_deleted_row_cannot_move(ledger):
    db = _as(ledger, "clerk")
    row, v = _new(db)
    save_row(db, TASKS, {"code": "ZG-1", "title": "有人刚改过"}, row, v)
    before = _trace(db, row)
    with pytest.raises(ConflictError, match="已被“clerk”于 .* 修改") as info:
        workflow.transition(db, TASKS, row, "start", expected_version=v)
    assert info.value.version == v + 1 and info.value.theirs["title"] == "有人刚改过"
    assert _trace(db, row) == before
    delete_row(db, TASKS, row, v + 1)
    with pytest.raises(ConflictError, match="已被他人删除或不存在"):
        workflow.transition(db, TASKS, row, "start")


def test_every_transition_is_audited_and_makes_the_timeline(ledger):
    db = _as(ledger, "clerk")
    row, v = _new(db, "ZG-7")
    v = workflow.transition(db, TASKS, row, "start", expected_version=v)
    v = workflow.transition(db, TASKS, row, "submit", reason="已清理", expected_version=v)
    assert v == 3
    _as(db, "boss")
    v = workflow.transition(db, TASKS, row, "reject", reason="材料不全", expected_version=v)
    assert v == 4
    entries = [e for e in audit.entries(db, ledger=TASKS.key, action="transition")]
    assert len(entries) == 3
    last = entries[0]
    assert (last.username, last.row_id) == ("boss", row)
    assert last.summary == "ZG-7 / 占道经营，状态：待验收 → 整改中（理由：材料不全）"
    assert json.loads(last.changes) == {"transition": "退回", "status": ["待验收", "整改中"],
                                        "reason": "材料不全"}
    assert audit.describe_changes(last, TASKS.labels) == \
        "操作：退回；状态：待验收 → 整改中；理由：材料不全"
    assert audit.ACTIONS["transition"] == "状态变更"
    steps = workflow.timeline(db, TASKS, row)
    assert [(s.who, s.label, s.from_state, s.to_state, s.reason) for s in steps] == [
        ("李干事", "新建", "", "待整改", ""),
        ("李干事", "开始整改", "待整改", "整改中", ""),
        ("李干事", "提交验收", "整改中", "待验收", "已清理"),
        ("王主任", "退回", "待验收", "整改中", "材料不全"),
    ]
    assert all(s.at is not None for s in steps)
    # A viewer sees the timeline of a row in their area, and other rows' entries stay out.
    other, _v = _new(db, "ZG-8")
    _move(db, other, "start")
    _as(db, "reader")
    assert workflow.timeline(db, TASKS, row) == steps


def test_setup_mode_moves_rows_without_accounts(db):
    """Before the first account (demo, first import) every transition is open."""
    wl.create_table(db)
    row, _v = _new(db)
    _move(db, row, "start", "submit", "reject")
    assert get_row(db, TASKS, row)["status"] == "整改中"
    assert workflow.timeline(db, TASKS, row)[-1].who == "测试员"


def test_a_spec_is_a_plain_declaration():
    assert isinstance(TASKS, LedgerSpec) and TASKS.workflow is WF
    assert status_field(WF, "办理状态", width=10).label == "办理状态"
    with pytest.raises(WorkflowError):
        State("甲", "#12345g")


def test_two_people_moving_the_same_row_at_once_make_one_move(ledger, db_url):
    """Both read 待验收; the other's 退回 commits while this 销号 is between its checks
    and its write: this one is refused as a conflict, not written over the other."""
    from app.db import Database

    db = _as(ledger, "boss")
    row, _v = _new(db, evidence="照片")
    v = _move(db, row, "start", "submit")
    other = Database(db_url)
    try:
        auth.login(other, "boss", PW)

        def meanwhile(values):
            workflow.transition(other, TASKS, row, "reject", reason="另有人退回",
                                expected_version=v)
            return None

        racing = dataclasses.replace(TASKS, workflow=dataclasses.replace(WF, transitions=tuple(
            dataclasses.replace(t, guard=meanwhile) if t.key == "close" else t
            for t in WF.transitions)))
        with pytest.raises(ConflictError):
            workflow.transition(db, racing, row, "close", expected_version=v)
    finally:
        other.close()
    assert _trace(db, row)[:2] == ("整改中", v + 1)
    assert [s.label for s in workflow.timeline(db, TASKS, row)][-1] == "退回"


def test_the_test_ledger_is_guarded_like_the_apps_own(ledger):
    from sqlalchemy import update

    from app.core.uow import BypassError

    row, _v = _new(_as(ledger, "clerk"))
    with ledger.session() as s, pytest.raises(BypassError):
        s.execute(update(wl.WfTask).where(wl.WfTask.id == row).values(status="已销号"))
    assert get_row(ledger, TASKS, row)["status"] == "待整改"
