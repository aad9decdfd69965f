"""Editing an account (role, home area, display name) — an administrator's action,
audited with a diff — and the rule that the last active administrator stays one.

Apart from app.auth (sign-in, passwords, the permission check) to keep each short."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from app.audit import record
from app.auth import (
    ROLE_CODES,
    ROLE_RULE,
    ROLES,
    _lookup,
    _may_manage,
    _shown,
    _visible,
    authorize,
    clean_display_name,
)
from app.core.ops import write_operation
from app.errors import PermissionDenied, UserError, ValidationError
from app.models import Area, User


def keep_an_administrator(user: User, verb: str) -> None:
    """Refuse to disable or demote the last active administrator: nobody could manage
    the accounts afterwards (there is no default password to fall back on)."""
    if user.role != "admin" or user.disabled:
        return
    s = object_session(user)
    others = s.execute(select(func.count()).select_from(User).where(
        User.role == "admin", User.disabled.is_(False), User.id != user.id)).scalar_one()
    if not others:
        raise UserError(f"“{user.username}”是最后一个在用的管理员账号，不能{verb}。"
                        "请先为另一位工作人员开设管理员账号")


def _role_code(role: str) -> str:
    code = ROLE_CODES.get((role or "").strip())
    if code is None:
        raise ValidationError({"role": ROLE_RULE},
                              {"role": "角色"})
    return code


@write_operation
def edit_user(db, username: str, *, role: str | None = None, area_id: int | None = None,
              display_name: str | None = None) -> dict:
    """Change what is given (None: keep). Returns the changes {field: (old, new)} in
    Chinese words, as audited; {} when nothing differs (then nothing is written)."""
    authorize(db, "users")
    code = _role_code(role) if role is not None else None
    with db.session() as s:
        user = s.execute(select(User).where(User.username == _lookup(username))
                         ).scalar_one_or_none()
        if user is None or not _visible(db, user.area.path):
            raise UserError(f"账号“{_shown(username)}”不存在")
        me = getattr(db.user, "id", None)
        if user.id == me and ((code or user.role) != user.role
                              or (area_id or user.area_id) != user.area_id):
            raise PermissionDenied("不能修改自己正在使用的账号的角色或所属区域，请由另一位管理员修改")
        if user.id != me:
            _may_manage(db, user.area.path, user.role)
        area = user.area
        if area_id is not None and area_id != user.area_id:
            area = s.get(Area, area_id)
            if area is None:
                raise ValidationError({"area": "所属区域不存在"}, {"area": "所属区域"})
        new_role = code or user.role
        if user.id != me and (area is not user.area or new_role != user.role):
            _may_manage(db, area.path, new_role)  # not moved above, nor promoted past, oneself
        name = user.display_name if display_name is None else \
            clean_display_name(display_name, user.username)
        changes = {}
        if new_role != user.role:
            keep_an_administrator(user, "改为其他角色")
            changes["角色"] = (ROLES[user.role], ROLES[new_role])
        if area is not user.area:
            changes["所属区域"] = (user.area.name, area.name)
        if name != user.display_name:
            changes["显示名"] = (user.display_name, name)
        if not changes:
            return {}
        user.role, user.area_id, user.display_name = new_role, area.id, name
        words = "；".join(f"{k} {a}→{b}" for k, (a, b) in changes.items())
        record(s, db.actor, "user", "users", user.id, f"修改账号 {user.username}：{words}",
               changes)
        s.commit()
        if user.id == me:  # the status bar shows the new name
            db.user = replace(db.user, display_name=name)
        return changes
