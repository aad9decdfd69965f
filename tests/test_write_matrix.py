"""Every write operation the core exposes × every role × own area / other area.

The operations are discovered from the registry (`app.core.ops.OPERATIONS`), not listed
here: a new write operation without a case below fails `test_every_operation_has_a_case`.
Each case runs on a fresh copy of one template database (two streets, demo data in
南城街道, a few rows in 北城街道) and proves: refused → nothing written and no audit
entry; allowed → one audit entry per changed row (audit entries of a row = its version
moves), in the same transaction."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

import app.accounts
import app.areas
import app.attachments
import app.auth
import app.choices
import app.core.children
import app.core.undo
import app.core.workflow
import app.core.writes
import app.demo
import app.grids
import app.importer.aliases
import app.importer.commit
import app.importer.memory
import app.meetings
import app.powers  # noqa: F401 - registers its operations
import app.rectification_lists
import app.rectification_settings
import app.services
from app import auth
from app.core.ops import OPERATIONS
from app.db import Database
from app.errors import UserError
from app.models import Area, Attachment, FunctionalBody, PowerItem
from app.specs.powers import POWERS
from app.specs.settings import BODIES
from tests import workflow_ledger
from tests.workflow_ledger import TASKS, WfTask

PW = "Passw0rd1"
ROLES = ("viewer", "editor", "admin")
TABLE_LEDGERS = {"power_item": ("powers",), "functional_body": ("bodies",),
                 "area": ("communities", "areas"), "wf_task": ("wf_tasks",),
                 "meeting": ("meetings",)}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")  # 1×1
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
NEW = {"list_kind": "法定权力事项", "power_type": "行政确认", "name": "矩阵测试新事项",
       "status": "运行中"}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("matrix") / "template.sqlite3"
    db = Database(str(path), actor="测试员")
    app.demo.load_demo(db)
    workflow_ledger.create_table(db)
    north = app.areas.add_street(db, "北城街道")
    south = db.street_id
    db.use_street(north)
    body = app.core.writes.save_row(db, BODIES, {"name": "北城综合办"})[0]
    for name in ("北城事项甲", "北城事项乙", "北城事项丙"):
        app.core.writes.save_row(db, POWERS, {**NEW, "name": name, "body_id": body})
    for street in (north, south):  # a task to start and one awaiting acceptance, per street
        db.use_street(street)
        for code, keys in (("RW-1", ()), ("RW-2", ("start", "submit"))):
            task = app.core.writes.save_row(db, TASKS, {"code": code, "title": "矩阵任务"})[0]
            for key in keys:
                app.core.workflow.transition(db, TASKS, task, key)
    db.use_street(north)  # a joint meeting of the other street, to add decisions to
    from app.specs.meetings import MEETINGS

    app.core.writes.save_row(db, MEETINGS, {"name": "北城联席会议", "level": "街道",
                                            "held_on": date(2026, 6, 20)})
    db.use_street(south)
    with db.session() as s:
        district = s.get(Area, south).parent_id
    for street in (north, south):  # one attachment per street, for removing
        db.use_street(street)
        row_id = _ids(db, "power_item", street)[0]
        app.attachments.add_attachment(db, POWERS, row_id, "photos", PNG, "现场.png")
    body_id = app.services.ref_choices(db, POWERS.field("body_id"))[0][0]
    app.importer.memory.save_choices(db, "powers", {"职权名称": "name"},
                                     {"body_id": [(body_id, "执法队")]})
    # The first account: a district administrator, who may make accounts in both streets.
    auth.create_user(db, "root", PW, "admin", area_id=district)
    auth.login(db, "root", PW)
    for street, tag in ((south, "a"), (north, "b")):
        for role in ROLES:
            auth.create_user(db, f"{role}_{tag}", PW, role, area_id=street)
        auth.create_user(db, f"spare_{tag}", PW, "editor", area_id=street)
    db.close()
    # One row per street in the recycle bin, for restore and purge.
    for user, in (("admin_a",), ("admin_b",)):
        d = Database(str(path))
        auth.login(d, user, PW)
        ids = _ids(d, "power_item", d.street_id)
        app.core.writes.delete_row(d, POWERS, ids[-1], None)
        d.close()
    return path


def _ids(db, table: str, street_id: int, deleted: bool = False) -> list[int]:
    model = {"power_item": PowerItem, "functional_body": FunctionalBody, "wf_task": WfTask}[table]
    with db.session() as s:
        path = s.get(Area, street_id).path
        sub = select(Area.id).where(Area.path.startswith(path))
        return list(s.execute(select(model.id).where(
            model.area_id.in_(sub),
            model.deleted_at.is_not(None) if deleted else model.deleted_at.is_(None))
            .order_by(model.id)).scalars())


def _street(db, name: str) -> int:
    with db.session() as s:
        return s.execute(select(Area.id).where(Area.name == name)).scalar_one()


# -- the cases: (run(db, street_id) -> None, admin_only, has_other_area) ----------------

def _power(db, street, deleted=False):
    ids = _ids(db, "power_item", street, deleted)
    with db.session() as s:
        return ids[0], s.get(PowerItem, ids[0]).version


def c_save_create(db, street):
    app.core.writes.save_row(db, POWERS, NEW, area_id=street)


def c_save_update(db, street):
    row_id, _v = _power(db, street)
    with db.session() as s:
        obj = s.get(PowerItem, row_id)
        raw = {f.name: getattr(obj, f.name) for f in POWERS.form_fields if f.stored}
    raw["remarks"] = "矩阵测试修改"
    app.core.writes.save_row(db, POWERS, raw, row_id, obj.version)


def c_undoable_create(db, street):
    app.core.undo.save_row(db, POWERS, NEW, area_id=street)


def c_undoable_update(db, street):
    row_id, v = _power(db, street)
    with db.session() as s:
        raw = app.core.undo.form_values(s, POWERS, s.get(PowerItem, row_id))
    app.core.undo.save_row(db, POWERS, {**raw, "remarks": "矩阵撤销前"}, row_id, v)


def _undo(db, street, kind, deleted=False):
    """Undo of a save as the signed-in user, on a row of `street` as it is now."""
    row_id, v = _power(db, street, deleted)
    before = ()
    if kind == "update":
        with db.session() as s:
            before = ({**app.core.undo.form_values(s, POWERS, s.get(PowerItem, row_id)),
                       "remarks": "矩阵撤销后"},)
    app.core.undo.undo(db, app.core.undo.Undoable("powers", kind, ((row_id, v),), ("矩阵",),
                                                  before, actor=db.actor))


def c_undo_update(db, street):
    _undo(db, street, "update")


def c_undo_create(db, street):
    _undo(db, street, "create")


def c_undo_delete(db, street):
    _undo(db, street, "delete", deleted=True)


def c_delete(db, street):
    row_id, v = _power(db, street)
    app.core.writes.delete_row(db, POWERS, row_id, v)


def c_restore(db, street):
    row_id, v = _power(db, street, deleted=True)
    app.core.writes.restore_row(db, POWERS, row_id, v)


def c_purge(db, street):
    row_id, v = _power(db, street, deleted=True)
    app.core.writes.purge_row(db, POWERS, row_id, v)


def c_reveal(db, street):
    app.core.writes.reveal_sensitive(db, POWERS, [_power(db, street)[0]])


def c_case_counts(db, street):
    row_id, v = _power(db, street)
    app.powers.set_case_counts(db, row_id, {2024: 7}, v)


def c_children(db, street):
    row_id, v = _power(db, street)
    app.core.children.save_children(db, POWERS, row_id, "case_counts",
                                    [{"year": 2023, "count": 4}], v)


def c_add_attachment(db, street):
    app.attachments.add_attachment(db, POWERS, _power(db, street)[0], "photos", PDF, "会议纪要.pdf")


def c_add_attachments(db, street):
    app.attachments.add_attachments(db, POWERS, _power(db, street)[0], "photos",
                                    [(PNG, "整改前.png"), (PDF, "验收单.pdf")])


def c_remove_attachment(db, street):
    row_id, _v = _power(db, street)
    with db.session() as s:
        att = s.scalars(select(Attachment).where(Attachment.ledger == "powers",
                                                 Attachment.row_id == row_id)).one()
    app.attachments.remove_attachment(db, att.id, att.version)


def _task(db, street, state):
    ids = _ids(db, "wf_task", street)
    with db.session() as s:
        task = next(t for t in map(lambda i: s.get(WfTask, i), ids) if t.status == state)
        return task.id, task.version


def c_transition(db, street):
    row_id, v = _task(db, street, "待整改")
    app.core.workflow.transition(db, TASKS, row_id, "start", expected_version=v)


def c_transition_admin(db, street):
    row_id, v = _task(db, street, "待验收")
    app.core.workflow.transition(db, TASKS, row_id, "reject", reason="矩阵退回",
                                 expected_version=v)


def c_decisions(db, street):
    from app.models import Meeting

    with db.session() as s:
        path = s.get(Area, street).path
        sub = select(Area.id).where(Area.path.startswith(path))
        m = s.execute(select(Meeting).where(Meeting.area_id.in_(sub)).order_by(Meeting.id)
                      .limit(1)).scalar_one()
    body = _ids(db, "functional_body", street)[0]
    app.meetings.add_decisions(db, m.id, [{"content": "矩阵议定事项", "lead": body,
                                           "deadline": date(2027, 12, 31)}],
                               expected_version=m.version)


def c_annual_tasks(db, street):
    app.meetings.add_annual_tasks(db, 2026, [{"content": "矩阵年度任务", "deadline":
                                              date(2026, 12, 31),
                                              "lead": _ids(db, "functional_body", street)[0]}])


def c_choices(db, _street):
    from app.specs.settings import BODIES

    f = BODIES.field("category")
    try:
        app.choices.set_choices(db, BODIES, "category", [*f.choices, "矩阵机构"])
    finally:
        app.choices._set(f, app.choices.default_choices(f))


def c_pay_table(db, _street):
    import app.staffing_pay

    try:
        app.staffing_pay.set_pay_table(db, {"其他": {g: 2100 + 100 * g for g in range(1, 13)}})
    finally:
        app.staffing_pay.load(db)


def c_rect_settings(db, _street):
    import app.rectification_settings

    app.rectification_settings.set_settings(db, warn_days=12)


def c_issue_red_black(db, _street):
    import app.rectification_lists

    app.rectification_lists.issue_red_black(db, None)  # this quarter, not yet issued


def c_record_warnings(db, _street):
    import app.rectification_lists

    app.rectification_lists.record_warnings(db, f"{date.today():%Y-%m}")


def c_rename_street(db, _street):
    app.areas.rename_street(db, "矩阵街道", "矩阵区")


def c_visit_days(db, _street):
    app.grids.set_visit_days(db, {"红": 5})


def c_add_street(db, _street):
    app.areas.add_street(db, "新增测试街道")


def c_import(db, _street):
    from app.importer import run_import

    path = Path(db.url.split("///", 1)[1]).with_suffix(".csv")
    path.write_text("清单类别,权力类型,事项名称,状态\n法定权力事项,行政确认,矩阵导入事项,运行中\n",
                    encoding="utf-8")
    summary = run_import(db, POWERS, path)
    if not summary.written:
        raise UserError(summary.headline)


def c_demo(db, _street):
    app.demo.load_demo(db, reset=True)


def c_create_user(db, street):
    auth.create_user(db, "matrix_new", PW, "editor", area_id=street)


def c_disable(db, street):
    tag = "a" if street == _street(db, "南城街道") else "b"
    auth.set_disabled(db, f"spare_{tag}", True)


def c_reset_password(db, street):
    tag = "a" if street == _street(db, "南城街道") else "b"
    auth.reset_password(db, f"spare_{tag}", "Another1pass")


def c_edit_user(db, street):
    tag = "a" if street == _street(db, "南城街道") else "b"
    app.accounts.edit_user(db, f"spare_{tag}", role="viewer", display_name="矩阵改名")


def c_own_password(db, _street):
    auth.change_own_password(db, PW, "Another1pass")


def c_remember(db, _street):
    app.importer.memory.save_choices(db, "powers", {"权力代码": "code"}, {})


def c_forget(db, _street):
    ids = [m.id for m in app.importer.memory.list_memory(db)]
    app.importer.memory.forget(db, ids)


def c_delete_aliases(db, _street):
    ids = [a.id for a in app.importer.aliases.list_aliases(db)]
    app.importer.aliases.delete_aliases(db, ids)


CASES = {
    "app.importer.memory.save_choices": [("remember", c_remember, "write", False)],
    "app.importer.memory.forget": [("forget", c_forget, "write", False)],
    "app.importer.aliases.delete_aliases": [("delete_aliases", c_delete_aliases, "write", False)],
    "app.core.writes.save_row": [("create", c_save_create, "write", True),
                                 ("update", c_save_update, "write", True)],
    "app.core.writes.delete_row": [("delete", c_delete, "write", True)],
    "app.core.undo.save_row": [("undoable_create", c_undoable_create, "write", True),
                               ("undoable_update", c_undoable_update, "write", True)],
    "app.core.undo.undo": [("undo_update", c_undo_update, "write", True),
                           ("undo_create", c_undo_create, "write", True),
                           ("undo_delete", c_undo_delete, "write", True)],
    "app.core.writes.restore_row": [("restore", c_restore, "write", True)],
    "app.core.writes.purge_row": [("purge", c_purge, "admin", True)],
    "app.core.writes.reveal_sensitive": [("reveal", c_reveal, "write", True)],
    "app.powers.set_case_counts": [("case_counts", c_case_counts, "write", True)],
    "app.core.children.save_children": [("children", c_children, "write", True)],
    "app.attachments.add_attachment": [("add_attachment", c_add_attachment, "write", True)],
    "app.attachments.add_attachments": [("add_attachments", c_add_attachments, "write", True)],
    "app.attachments.remove_attachment": [("remove_attachment", c_remove_attachment, "write",
                                           True)],
    # An editor starts and submits; sending back (退回) is the administrator's.
    "app.core.workflow.transition": [("transition", c_transition, "write", True),
                                     ("transition_admin", c_transition_admin, "admin", True)],
    "app.choices.set_choices": [("choices", c_choices, "admin", False)],
    "app.staffing_pay.set_pay_table": [("pay_table", c_pay_table, "admin", False)],
    # Rectification's rules and issued lists: 管理员 (or 审核员, not in this matrix's roles).
    "app.rectification_settings.set_settings": [("rect_settings", c_rect_settings, "admin",
                                                 False)],
    "app.rectification_lists.issue_red_black": [("issue_red_black", c_issue_red_black, "admin",
                                                 False)],
    "app.rectification_lists.record_warnings": [("record_warnings", c_record_warnings, "admin",
                                                 False)],
    "app.meetings.add_decisions": [("decisions", c_decisions, "write", True)],
    "app.meetings.add_annual_tasks": [("annual_tasks", c_annual_tasks, "write", False)],
    "app.areas.rename_street": [("rename_street", c_rename_street, "admin", False)],
    "app.grids.set_visit_days": [("visit_days", c_visit_days, "admin", False)],
    # Streets are added in setup mode only: a street's administrator is below the district.
    "app.areas.add_street": [("add_street", c_add_street, "nobody", False)],
    "app.importer.commit.commit_import": [("import", c_import, "write", False)],
    # Resetting the demo is refused while another street has data, whoever asks.
    "app.demo.load_demo": [("demo_reset", c_demo, "nobody", False)],
    "app.auth.create_user": [("create_user", c_create_user, "admin", True)],
    "app.auth.set_disabled": [("disable", c_disable, "admin", True)],
    "app.auth.reset_password": [("reset_password", c_reset_password, "admin", True)],
    "app.accounts.edit_user": [("edit_user", c_edit_user, "admin", True)],
    "app.auth.change_own_password": [("own_password", c_own_password, "anyone", False)],
}


def test_every_operation_has_a_case():
    missing = sorted(set(OPERATIONS) - set(CASES))
    assert not missing, f"write operations without a permission/audit case: {missing}"


def _params():
    for op, cases in CASES.items():
        for name, fn, who, other in cases:
            for role in ROLES:
                for where in ("own", "other") if other else ("own",):
                    yield pytest.param(op, fn, who, role, where, id=f"{name}-{role}-{where}")


def _state(db) -> tuple[dict, dict, int, str]:
    """versions of every row, audit entries per (ledger, row), audit entries in all."""
    versions, audits = {}, {}
    with db.engine.connect() as c:
        for table in TABLE_LEDGERS:
            for i, v in c.execute(text(f"SELECT id, version FROM {table}")):
                versions[(table, i)] = v
        for ledger, row_id, n in c.execute(text(
                "SELECT ledger, row_id, count(*) FROM audit_log WHERE row_id IS NOT NULL "
                "AND action NOT IN ('login', 'reveal') GROUP BY ledger, row_id")):
            audits[(ledger, row_id)] = n
        total = c.execute(text("SELECT count(*) FROM audit_log WHERE action NOT IN "
                               "('login', 'login_failed')")).scalar_one()
        accounts = c.execute(text("SELECT group_concat(username || role || disabled || "
                                  "display_name || area_id || password_hash, ',') "
                                  "FROM app_user")).scalar_one()
    return versions, audits, total, accounts


@pytest.mark.parametrize("op,fn,who,role,where", list(_params()))
def test_write_matrix(template, tmp_path, op, fn, who, role, where):
    path = tmp_path / "m.sqlite3"
    shutil.copy(template, path)
    db = Database(str(path))
    try:
        auth.login(db, f"{role}_a", PW)
        target = db.street_id if where == "own" else _street(db, "北城街道")
        before = _state(db)
        allowed = where == "own" and (who == "anyone" or (who == "write" and role != "viewer")
                                      or (who == "admin" and role == "admin"))
        if allowed:
            fn(db, target)
        else:
            with pytest.raises(UserError):
                fn(db, target)
        after = _state(db)
    finally:
        db.close()
    v0, a0, n0, acc0 = before
    v1, a1, n1, acc1 = after
    if not allowed:
        assert (v1, a1, n1, acc1) == (v0, a0, n0, acc0), "a refused write changed something"
        return
    assert n1 > n0, "an allowed write left no audit entry"
    for (table, row_id), version in v1.items():
        moved = version - v0.get((table, row_id), 0)
        entries = sum(a1.get((k, row_id), 0) - a0.get((k, row_id), 0)
                      for k in TABLE_LEDGERS[table])
        assert entries == moved, (table, row_id, moved, entries)
