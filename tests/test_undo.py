"""Undo of saves (app.core.undo), without Qt: an edit's old values written back,
a new row sent to the 回收站, a deleted row restored — each a new audited change, refused
when the row changed since or the user may not."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

from app import auth, services
from app.core import undo
from app.core.writes import delete_row, save_row
from app.errors import PermissionDenied, UserError
from app.models import AuditEntry
from app.specs.powers import POWERS
from app.specs.settings import BODIES
from tests.admin_helpers import PW

NEW = {"list_kind": "法定权力事项", "power_type": "行政确认", "name": "撤销测试事项",
       "status": "运行中"}


def audits(db, row_id: int | None = None) -> list[AuditEntry]:
    with db.session() as s:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        if row_id is not None:
            stmt = stmt.where(AuditEntry.row_id == row_id)
        return list(s.scalars(stmt))


def audit_total(db) -> int:
    with db.session() as s:
        return s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()


def first_power(db) -> dict:
    return services.get_row(db, POWERS, services.list_rows(db, POWERS).ids[0])


def form(row: dict, **changes) -> dict:
    """What the form sends: the row's values (its 办件量 as they are) with some changed."""
    raw = {k: v for k, v in row.items() if k not in ("id", "version")}
    raw["case_counts"] = [{"year": 2024, "count": 3}]
    return {**raw, **changes}


def test_edit_then_undo_restores_values_and_audits_a_new_change(sqlite_demo_db):
    db = sqlite_demo_db
    row = first_power(db)
    row_id = row["id"]
    kept = services.get_row(db, POWERS, row_id)
    _id, v1, entry = undo.save_row(db, POWERS, form(row, remarks="改过的备注", status="暂停"),
                                   row_id, row["version"])
    assert entry.kind == "update" and entry.rows == ((row_id, v1),)
    assert entry.text.startswith("撤销：修改「") and row["name"][:5] in entry.text
    assert {"备注", "状态"} <= set(entry.changed)
    assert "改回上次保存前的值" in entry.tip
    n = len(audits(db, row_id))

    undo.undo(db, entry)

    back = services.get_row(db, POWERS, row_id)
    assert {k: back[k] for k in kept if k != "version"} == \
           {k: kept[k] for k in kept if k != "version"}
    assert back["version"] > v1  # a new change, not a rewind of the version
    new = audits(db, row_id)[n:]
    assert [e.action for e in new] == ["update", "update"]  # the fields, then the 办件量
    assert all(e.summary.endswith("（撤销上次修改）") for e in new)
    assert "改过的备注" in new[0].changes  # the diff: from what the save wrote, back


def test_undo_of_an_edit_puts_the_collection_back(sqlite_demo_db):
    db = sqlite_demo_db
    row = first_power(db)
    before = services.list_rows(db, POWERS).column("case_counts")[0]
    from app.core.children import read_children

    stored = read_children(db, POWERS, row["id"], "case_counts")
    raw = form(row, case_counts=[{"year": 2019, "count": 77}])
    _id, _v, entry = undo.save_row(db, POWERS, raw, row["id"], row["version"])
    assert "各年办件量" in entry.changed
    undo.undo(db, entry)
    assert read_children(db, POWERS, row["id"], "case_counts") == stored
    assert services.list_rows(db, POWERS).column("case_counts")[0] == before


def test_create_then_undo_sends_the_row_to_the_recycle_bin(sqlite_demo_db):
    db = sqlite_demo_db
    live = len(services.list_rows(db, POWERS).ids)
    row_id, _v, entry = undo.save_row(db, POWERS, NEW)
    assert entry.kind == "create" and entry.text == "撤销：新增「撤销测试事项」"
    undo.undo(db, entry)
    assert len(services.list_rows(db, POWERS).ids) == live
    assert row_id in {r["id"] for r in services.deleted_rows(db, POWERS)}
    last = audits(db, row_id)[-1]
    assert last.action == "delete" and last.summary == "撤销测试事项（撤销上次新增）"


def test_delete_then_undo_restores_rows_of_another_ledger(sqlite_demo_db):
    db = sqlite_demo_db
    a = save_row(db, BODIES, {"name": "撤销测试办甲"})[0]
    b = save_row(db, BODIES, {"name": "撤销测试办乙"})[0]
    deleted = [(i, delete_row(db, BODIES, i, None)) for i in (a, b)]
    entry = undo.after_delete(db, BODIES, deleted)
    assert entry.text == "撤销：删除「撤销测试办甲」等 2 条"
    undo.undo(db, entry)
    names = services.list_rows(db, BODIES).column("name")
    assert {"撤销测试办甲", "撤销测试办乙"} <= set(names)
    assert [e.action for e in audits(db, a)][-1] == "restore"
    assert audits(db, b)[-1].summary.endswith("（撤销上次删除）")


def test_a_row_changed_since_is_refused_by_name_and_nothing_is_written(sqlite_demo_db):
    db = sqlite_demo_db
    row = first_power(db)
    _id, v1, entry = undo.save_row(db, POWERS, form(row, remarks="我的修改"), row["id"],
                                   row["version"])
    other = services.get_row(db, POWERS, row["id"])
    save_row(db, POWERS, form(other, remarks="别人随后的修改"), row["id"], v1)
    total = audit_total(db)
    with pytest.raises(UserError) as err:
        undo.undo(db, entry)
    assert "无法撤销" in err.value.message and row["name"] in err.value.message
    assert "又被" in err.value.message
    assert services.get_row(db, POWERS, row["id"])["remarks"] == "别人随后的修改"
    assert audit_total(db) == total


def test_undo_of_a_row_deleted_since_is_refused(sqlite_demo_db):
    db = sqlite_demo_db
    row = first_power(db)
    _id, v1, entry = undo.save_row(db, POWERS, form(row, remarks="改"), row["id"],
                                   row["version"])
    delete_row(db, POWERS, row["id"], v1)
    with pytest.raises(UserError, match="已被删除"):
        undo.undo(db, entry)


def test_a_save_that_changes_nothing_has_nothing_to_undo(sqlite_demo_db):
    db = sqlite_demo_db
    row = first_power(db)
    from app.core.children import read_children

    raw = {k: v for k, v in row.items() if k not in ("id", "version")}
    raw["case_counts"] = read_children(db, POWERS, row["id"], "case_counts")
    assert undo.save_row(db, POWERS, raw, row["id"], row["version"])[2] is None


def test_a_viewer_cannot_undo_and_nobody_undoes_anothers_save(sqlite_demo_db):
    db = sqlite_demo_db
    auth.create_user(db, "admin", PW, "admin")
    auth.login(db, "admin", PW)
    auth.create_user(db, "editor", PW, "editor")
    auth.create_user(db, "viewer", PW, "viewer")
    auth.logout(db)
    auth.login(db, "editor", PW)
    row = first_power(db)
    _id, _v, entry = undo.save_row(db, POWERS, form(row, remarks="录入员的修改"), row["id"],
                                   row["version"])
    auth.logout(db)
    auth.login(db, "viewer", PW)
    total = audit_total(db)
    with pytest.raises(PermissionDenied):
        undo.undo(db, entry)  # not theirs
    with pytest.raises(PermissionDenied):
        undo.undo(db, dataclasses.replace(entry, actor="viewer"))  # a viewer writes nothing
    assert audit_total(db) == total
    assert services.get_row(db, POWERS, row["id"])["remarks"] == "录入员的修改"


# -- the page's history (UndoStack): back step by step ------------------------------------

def _edit(db, row_id: int, **changes):
    row = services.get_row(db, POWERS, row_id)
    raw = {k: v for k, v in row.items() if k not in ("id", "version")}
    return undo.save_row(db, POWERS, {**raw, **changes}, row_id, row["version"])[2]


def test_history_goes_back_step_by_step_over_edits_a_new_row_and_a_delete(demo_db):
    db = demo_db
    ids = services.list_rows(db, POWERS).ids
    a, c = ids[0], ids[1]
    original = services.get_row(db, POWERS, a)["remarks"]
    history = undo.UndoStack()
    history.push(_edit(db, a, remarks="第一次"))
    history.push(_edit(db, a, remarks="第二次"))
    b, _v, created = undo.save_row(db, POWERS, dict(NEW))
    history.push(created)
    history.push(_edit(db, b, remarks="新行改过"))
    c_row = services.get_row(db, POWERS, c)
    history.push(undo.after_delete(db, POWERS, [(c, delete_row(db, POWERS, c, c_row["version"]))]))
    history.push(_edit(db, a, remarks="第三次"))
    assert len(history.entries) == 6
    total = audit_total(db)

    steps = []
    while history.top is not None:
        steps.append(history.top.what)
        history.undo(db)
        if len(steps) == 1:
            assert services.get_row(db, POWERS, a)["remarks"] == "第二次"
        if len(steps) == 2:  # the deleted row is back
            assert c in services.list_rows(db, POWERS).ids
        if len(steps) == 3:
            assert services.get_row(db, POWERS, b)["remarks"] == ""
    assert [s.split("「")[0] for s in steps] == ["修改", "删除", "修改", "新增", "修改", "修改"]
    assert services.get_row(db, POWERS, a)["remarks"] == original
    assert b not in services.list_rows(db, POWERS).ids  # the new row went to the 回收站
    assert audit_total(db) == total + 6
    assert all(e.summary.endswith("）") and "撤销上次" in e.summary for e in audits(db)[-6:])


def test_history_refuses_a_row_someone_changed_between_two_saves(demo_db, db_url):
    from app.db import Database

    db = demo_db
    a = services.list_rows(db, POWERS).ids[0]
    history = undo.UndoStack()
    history.push(_edit(db, a, remarks="我的第一次"))
    other = Database(db_url, actor="另一台电脑")
    try:
        _edit(other, a, remarks="别人的修改")
    finally:
        other.close()
    history.push(_edit(db, a, remarks="我的第二次"))
    history.undo(db)  # back to the other's values: my second save is undone
    assert services.get_row(db, POWERS, a)["remarks"] == "别人的修改"
    with pytest.raises(UserError) as e:  # my first is not: it would overwrite theirs
        history.undo(db)
    assert "另一台电脑" in e.value.message
    assert services.get_row(db, POWERS, a)["remarks"] == "别人的修改"
    assert history.top is None  # a refused step ends the history


def test_history_keeps_the_newest_saves(sqlite_demo_db):
    db = sqlite_demo_db
    a = services.list_rows(db, POWERS).ids[0]
    history = undo.UndoStack(depth=3)
    for k in range(5):
        history.push(_edit(db, a, remarks=f"第{k}次"))
    history.push(None)  # a save that changed nothing
    assert len(history.entries) == 3
    for _ in range(3):
        history.undo(db)
    assert services.get_row(db, POWERS, a)["remarks"] == "第1次"


def test_history_over_saves_that_change_a_collection(demo_db):
    """A save of the fields and the 办件量 moves the version more than once: the older
    save is still undone next."""
    from app.core.children import read_children

    db = demo_db
    a = services.list_rows(db, POWERS).ids[0]
    kept = services.get_row(db, POWERS, a)
    kept_counts = read_children(db, POWERS, a, "case_counts")
    history = undo.UndoStack()
    row = services.get_row(db, POWERS, a)
    history.push(undo.save_row(db, POWERS, form(row, remarks="一"), a, row["version"])[2])
    row = services.get_row(db, POWERS, a)
    raw = {**form(row, remarks="二"), "case_counts": [{"year": 2025, "count": 8}]}
    history.push(undo.save_row(db, POWERS, raw, a, row["version"])[2])
    history.undo(db)
    assert services.get_row(db, POWERS, a)["remarks"] == "一"
    history.undo(db)
    back = services.get_row(db, POWERS, a)
    assert back["remarks"] == kept["remarks"]
    assert read_children(db, POWERS, a, "case_counts") == kept_counts
