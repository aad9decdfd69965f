"""The audit trail (留痕): written in the same transaction as the change it records."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, now

ACTIONS = {
    "create": "新增", "update": "修改", "delete": "删除", "restore": "恢复",
    "purge": "彻底删除", "import": "导入", "export": "导出", "login": "登录",
    "login_failed": "登录失败", "logout": "退出登录", "user": "账号管理",
    "backup": "备份", "restore_db": "恢复数据库", "reveal": "查看完整证件号",
    "transition": "状态变更",
}


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def encode_changes(changes: dict | None) -> str:
    """{field: (old, new)} as JSON; a value that is not a pair (a transition's reason)
    is stored as itself."""
    if not changes:
        return ""
    return json.dumps({k: [_plain(v[0]), _plain(v[1])] if isinstance(v, (tuple, list))
                       else _plain(v) for k, v in changes.items()}, ensure_ascii=False)


def record(s: Session, actor: str, action: str, ledger: str = "", row_id: int | None = None,
           summary: str = "", changes: dict | None = None) -> None:
    assert action in ACTIONS, action
    if s.info.get("no_audit"):  # a database file opened read-only: nothing can be written
        return
    s.add(AuditEntry(
        at=now(), username=actor, action=action, ledger=ledger, row_id=row_id,
        summary=summary[:2000],
        changes=encode_changes(changes),
    ))


def entries(db, *, since: date | None = None, until: date | None = None, user: str | None = None,
            ledger: str | None = None, action: str | None = None,
            limit: int | None = 1000) -> list[AuditEntry]:
    """Newest first. Non-administrators see only their own entries."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc())
    if db.user is not None and db.user.role != "admin":
        stmt = stmt.where(AuditEntry.username == db.user.username)
    elif db.user is not None:  # an administrator: not the accounts of other areas
        from app.models import Area, User

        outside = (select(User.username).join(Area, Area.id == User.area_id)
                   .where(~Area.path.startswith(db.user.area_path)))
        stmt = stmt.where(AuditEntry.username.not_in(outside))
    if since:
        stmt = stmt.where(AuditEntry.at >= datetime.combine(since, datetime.min.time()))
    if until:
        stmt = stmt.where(AuditEntry.at <= datetime.combine(until, datetime.max.time()))
    if user:
        stmt = stmt.where(AuditEntry.username == user)
    if ledger:
        stmt = stmt.where(AuditEntry.ledger == ledger)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if limit is not None and limit < 0:
        from app.errors import UserError

        raise UserError(f"条数不能为负数（{limit}）")
    if limit:
        stmt = stmt.limit(min(limit, 1_000_000))
    with db.session() as s:
        return list(s.execute(stmt).scalars())


def describe_changes(entry: AuditEntry, labels: dict[str, str] | None = None) -> str:
    if not entry.changes:
        return ""
    # Child collections and area names are audited under keys of their own.
    labels = {"case_counts": "办件量", "name": "名称", "reason": "理由",
              "transition": "操作", **(labels or {})}
    parts = []
    for k, v in json.loads(entry.changes).items():
        if not isinstance(v, list):  # a note beside the diff: a transition's reason
            if v not in (None, ""):
                parts.append(f"{labels.get(k, k)}：{v}")
            continue
        old, new = v
        parts.append(f"{labels.get(k, k)}：{old if old not in (None, '') else '（空）'} → "
                     f"{new if new not in (None, '') else '（空）'}")
    return "；".join(parts)


def last_change_id(db) -> int:
    """A cheap change counter: every write adds an audit entry in its own transaction."""
    from sqlalchemy import func

    with db.session() as s:
        return s.execute(select(func.coalesce(func.max(AuditEntry.id), 0))).scalar_one()
