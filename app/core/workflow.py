"""Moving a row of a workflow ledger from one state to the next, and its timeline.

A transition is a unit of work of its own: permission on the row's own area, the
version check, the state and role checks, the reason, the guard, the new status, and
one audit entry (action "transition") that records the move. The audit trail is
append-only, so it is the timeline: no second table to keep in step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.auth import ROLES
from app.core.uow import UnitOfWork, write_operation
from app.core.writes import load_for_change
from app.errors import PermissionDenied, UserError, ValidationError
from app.models import AuditEntry, User
from app.normalize import clean_text
from app.services import _as_dict, _load, row_label
from app.specs import LedgerSpec
from app.specs.workflow import Transition, Workflow, allowed, check_spec

REASON_LIMIT = 500
REASON = {"reason": "理由"}


def workflow_of(spec: LedgerSpec) -> Workflow:
    if spec.workflow is None:
        raise UserError(f"{spec.title}没有状态流程")
    check_spec(spec)
    return spec.workflow


def _transition(spec: LedgerSpec, wf: Workflow, key: str) -> Transition:
    try:
        return wf.transition(key)
    except KeyError:
        names = "、".join(f"{t.key}（{t.label}）" for t in wf.transitions)
        raise UserError(f"{spec.title}没有名为“{key}”的操作，可用的有：{names}") from None


def _roles_text(roles: tuple[str, ...]) -> str:
    return "、".join(ROLES.get(r, r) for r in roles)


def clean_reason(raw, required: bool, what: str) -> str:
    """The reason as stored; ValidationError naming 理由 when missing or too long."""
    text = clean_text(raw or "")
    if required and not text:
        raise ValidationError({"reason": f"理由必填：请说明{what}的理由"}, REASON)
    if len(text) > REASON_LIMIT:
        raise ValidationError({"reason": f"理由不能超过 {REASON_LIMIT} 个字（现为 {len(text)} 个）"},
                              REASON)
    return text


@write_operation
def transition(db, spec: LedgerSpec, row_id: int, key: str, *, reason: str = "",
               expected_version: int | None = None) -> int:
    """Take transition `key` on a row; returns the row's new version.

    Refused (nothing written) when the user may not change the row or lacks the
    transition's role, when the row is not in one of its source states, when a required
    reason is missing, when the guard objects, or — ConflictError — when
    expected_version is not the stored one."""
    wf = workflow_of(spec)
    t = _transition(spec, wf, key)
    with UnitOfWork(db) as uow:
        obj = load_for_change(uow, spec, row_id, expected_version, "transition")
        old = getattr(obj, wf.field)
        if old not in t.sources:
            raise UserError(f"该{spec.title}记录当前为“{old or '（无状态）'}”，不能“{t.label}”"
                            f"（仅限{'、'.join(t.sources)}时）")
        user = db.user
        if user is not None and user.role not in t.roles:
            raise PermissionDenied(f"{user.role_label}“{user.username}”无权“{t.label}”"
                                   f"（限{_roles_text(t.roles)}）")
        text = clean_reason(reason, t.reason, t.label)
        if t.not_by and user is not None:
            _check_four_eyes(uow, spec, wf, t, obj.id, user.username)
        values = guard_values(uow, spec, obj) if t.guard or t.effect else {}
        if t.guard is not None:
            refused = t.guard(values)
            if refused:
                raise UserError(f"不能“{t.label}”：{refused}")
        effects = {}
        # An effect also sees who makes the move and the day (a 销号 stamps its 销号人).
        context = {**values, "_by": (user.display_name or user.username) if user is not None
                   else db.actor, "_today": uow.stamp.date()}
        for name, new in (t.effect(context) if t.effect else {}).items():
            if getattr(obj, name) != new:
                effects[spec.field(name).label if name in spec.labels else name] = (
                    _shown(getattr(obj, name)), _shown(new))
                setattr(obj, name, new)
        setattr(obj, wf.field, t.target)
        obj.updated_by, obj.updated_at = db.actor, uow.stamp
        with uow.converting(spec.title):
            uow.session.flush()
        if spec.after_write:
            spec.after_write(uow.session, obj)
            uow.session.flush()
        label = spec.field(wf.field).label
        summary = f"{row_label(spec, obj)}，{label}：{old} → {t.target}"
        if text:
            summary += f"（理由：{text}）"
        changes = {"transition": t.label, wf.field: (old, t.target), **effects}
        if text:
            changes["reason"] = text
        uow.audit("transition", spec.key, obj.id, summary, changes)
        version = obj.version
    return version


def _shown(value) -> str:
    return "" if value is None else value.isoformat() if hasattr(value, "isoformat") \
        else str(value)


def _check_four_eyes(uow: UnitOfWork, spec: LedgerSpec, wf: Workflow, t: Transition,
                     row_id: int, username: str) -> None:
    """PermissionDenied when `username` made the latest of t.not_by on this row."""
    labels = {wf.transition(k).label for k in t.not_by}
    rows = uow.session.execute(
        select(AuditEntry.username, AuditEntry.changes)
        .where(AuditEntry.ledger == spec.key, AuditEntry.row_id == row_id,
               AuditEntry.action == "transition")
        .order_by(AuditEntry.id.desc())).all()
    for who, changes in rows:
        made = json.loads(changes or "{}").get("transition")
        if made in labels:
            if who == username:
                raise PermissionDenied(f"“{made}”是您本人操作的，不能再由您“{t.label}”："
                                       "须由另一位有审核权限的人员办理")
            return


def guard_values(uow: UnitOfWork, spec: LedgerSpec, obj) -> dict:
    """What a guard sees: the row's stored values, and each attachment field as the
    number of its live files (销号 only with evidence attached)."""
    from app.attachments import count_column

    values = _as_dict(spec, obj)
    for f in spec.fields:
        if f.type.editor == "attachments":
            values[f.name] = uow.session.execute(
                select(count_column(spec, f)).where(spec.model.id == obj.id)).scalar_one()
    return values


def available(db, spec: LedgerSpec, state: str) -> list[Transition]:
    """The transitions the signed-in user may offer from `state` (what the GUI shows);
    `transition` still decides, on the row's own area too."""
    user = db.user
    if getattr(db, "read_only", False) or (user is not None and not user.can("transition")):
        return []
    return allowed(workflow_of(spec), state, user.role if user is not None else None)


# -- the timeline ----------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    at: datetime
    who: str  # the account's name as people know it (display name, else the username)
    from_state: str  # "" for the row's creation
    to_state: str
    label: str  # 新建, or the transition's Chinese label when it was made
    reason: str = ""


def timeline(db, spec: LedgerSpec, row_id: int) -> list[Step]:
    """The row's creation and every transition since, oldest first, from the audit
    trail. Anyone who may see the row sees its timeline."""
    wf = workflow_of(spec)
    with db.session() as s:
        obj = _load(s, db, spec, row_id)
        current = getattr(obj, wf.field)
        rows = s.execute(
            select(AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.changes,
                   User.display_name)
            .outerjoin(User, User.username == AuditEntry.username)
            .where(AuditEntry.ledger == spec.key, AuditEntry.row_id == row_id,
                   AuditEntry.action.in_(("create", "transition")))
            .order_by(AuditEntry.id)).all()
    created = None
    steps: list[Step] = []
    for at, username, action, changes, display in rows:
        who = display or username
        if action == "create":
            created = (at, who)
            continue
        data = json.loads(changes or "{}")
        old, new = data.get(wf.field) or ("", "")
        steps.append(Step(at, who, old or "", new or "", data.get("transition") or "状态变更",
                          data.get("reason") or ""))
    if created is not None:
        first = steps[0].from_state if steps else current
        steps.insert(0, Step(created[0], created[1], "", first or "", "新建"))
    return steps
