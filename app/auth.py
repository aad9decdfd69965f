"""Accounts, sign-in and the permission check every write goes through.

A database without any account is in setup mode: everything is allowed, so a new
file can be filled (demo, import) and its first administrator created. Once an
account exists, every write needs a signed-in user whose role and home area allow it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.audit import record
from app.core.ops import write_operation
from app.errors import PermissionDenied, UserError, ValidationError
from app.models import Area, User, now

ROLES = {"admin": "管理员", "editor": "录入员", "viewer": "查看员"}
ROLE_CODES = {**{v: k for k, v in ROLES.items()}, **{k: k for k in ROLES}}
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
# Actions that change ledger rows, and those only an administrator may do.
WRITE_ACTIONS = {"create", "update", "delete", "restore", "import", "reveal"}
ADMIN_ACTIONS = {"purge", "users", "restore_db", "settings"}


@dataclass(frozen=True)
class CurrentUser:
    id: int
    username: str
    display_name: str
    role: str
    area_id: int
    area_path: str
    area_name: str
    area_level: str = "street"

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    def can(self, action: str) -> bool:
        if self.area_level == "district" and action in WRITE_ACTIONS | ADMIN_ACTIONS - {"users"}:
            return False  # a district account looks across its streets, read-only
        if self.role == "admin":
            return True
        if action in ADMIN_ACTIONS:
            return False
        if self.role == "viewer":
            return action not in WRITE_ACTIONS
        return True


def _hasher():
    from argon2 import PasswordHasher, Type

    # OWASP minimum for argon2id: m=19 MiB, t=2, p=1.
    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password_policy(password: str) -> None:
    if len(password) < 8 or not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
        raise ValidationError({"password": "密码至少8位，且须同时包含字母和数字"}, {"password": "密码"})


def has_accounts(db) -> bool:
    with db.session() as s:
        return bool(s.execute(select(func.count()).select_from(User)).scalar_one())


def authorize(db, action: str, area_path: str | None = None) -> None:
    """The permission check of the write path; raises PermissionDenied in Chinese."""
    if getattr(db, "read_only", False) and action != "export":
        raise PermissionDenied("数据库以只读方式打开，不能修改")
    user = db.user
    if user is None:
        if has_accounts(db):
            raise PermissionDenied("该数据库已启用账号，请先登录")
        return  # setup mode
    if not user.can(action):
        raise PermissionDenied(f"{user.role_label}“{user.username}”无权执行此操作")
    if not user.area_path.startswith("/"):
        raise PermissionDenied(f"账号所属区域“{user.area_name}”的层级路径缺失，请管理员修复")
    if area_path is not None and not area_path.startswith(user.area_path):
        raise PermissionDenied(f"该记录不在您负责的区域（{user.area_name}）内，无权修改")


def area_path(s, area_id: int) -> str:
    return s.execute(select(Area.path).where(Area.id == area_id)).scalar_one()


def _current(user: User) -> CurrentUser:
    return CurrentUser(user.id, user.username, user.display_name, user.role, user.area_id,
                       user.area.path, user.area.name, user.area.level)


def login(db, username: str, password: str, *, quiet_daily: bool = False) -> CurrentUser:
    """Check the password, count failures (5 wrong → locked 5 minutes) and sign in.

    quiet_daily (the command line, which signs in for every command): the sign-in is
    audited only if this operator has none today, so changes are not drowned."""
    from argon2.exceptions import InvalidHashError, VerificationError

    username = (username or "").strip()
    with db.session() as s:
        user = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
        stamp = now()
        if user is None:
            record(s, username, "login_failed", summary="账号不存在")
            s.commit()
            raise UserError("账号或密码错误")
        if user.disabled:
            record(s, username, "login_failed", summary="账号已停用")
            s.commit()
            raise UserError("该账号已停用，请联系管理员")
        if user.locked_until and user.locked_until > stamp:
            left = max(1, math.ceil((user.locked_until - stamp).total_seconds() / 60))
            record(s, username, "login_failed", summary="账号锁定中")
            s.commit()
            raise UserError(f"密码错误次数过多，账号已锁定，请 {left} 分钟后再试")
        hasher = _hasher()
        try:
            hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until, user.failed_logins = stamp + LOCKOUT, 0
                message = f"密码连续错误 {MAX_FAILURES} 次，账号已锁定 5 分钟"
            else:
                message = f"账号或密码错误（还可尝试 {MAX_FAILURES - user.failed_logins} 次）"
            record(s, username, "login_failed", summary=message)
            s.commit()
            raise UserError(message) from None
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, stamp
        if not quiet_daily or not _signed_in_today(s, username, stamp):
            record(s, username, "login")
        current = _current(user)
        s.commit()
    db.user = current
    return current


def _signed_in_today(s, username: str, stamp) -> bool:
    from app.models import AuditEntry

    midnight = stamp.replace(hour=0, minute=0, second=0, microsecond=0)
    return s.execute(select(AuditEntry.id).where(
        AuditEntry.username == username, AuditEntry.action == "login",
        AuditEntry.at >= midnight).limit(1)).first() is not None


def logout(db) -> None:
    if db.user is not None:
        with db.session() as s:
            record(s, db.user.username, "logout")
            s.commit()
    db.user = None


@write_operation
def create_user(db, username: str, password: str, role: str = "editor",
                area_id: int | None = None, display_name: str = "") -> int:
    """The first account (setup mode) must be an administrator; after that, admins only."""
    username = (username or "").strip()
    errors = {}
    if not re.fullmatch(r"[\w.\-\u4e00-\u9fff]{2,32}", username):
        errors["username"] = "账号须为2–32位汉字、字母、数字或 . _ -"
    code = ROLE_CODES.get((role or "").strip())
    if code is None:
        errors["role"] = "角色须为 管理员/录入员/查看员（admin/editor/viewer）"
    if errors:
        raise ValidationError(errors, {"username": "账号", "role": "角色"})
    check_password_policy(password)
    if db.read_only:
        raise PermissionDenied("数据库以只读方式打开，不能新建账号")
    first = not has_accounts(db)
    if first and code != "admin":
        raise UserError("第一个账号必须是管理员（--role admin）")
    if not first:
        authorize(db, "users")
    with db.session() as s:
        if s.execute(select(User.id).where(User.username == username)).first():
            raise ValidationError({"username": f"账号“{username}”已存在"}, {"username": "账号"})
        target = area_id or db.street_id
        if s.get(Area, target) is None:
            raise ValidationError({"area": "所属区域不存在"}, {"area": "所属区域"})
        user = User(username=username, display_name=display_name.strip() or username, role=code,
                    area_id=target, password_hash=hash_password(password), created_by=db.actor)
        s.add(user)
        s.flush()
        record(s, db.actor, "user", "users", user.id, f"新建账号 {username}（{ROLES[code]}）")
        s.commit()
        return user.id


def _admin_change(db, username: str, summary: str, change) -> None:
    authorize(db, "users")
    with db.session() as s:
        user = s.execute(select(User).where(User.username == username)).scalar_one_or_none()
        if user is None:
            raise UserError(f"账号“{username}”不存在")
        change(user)
        record(s, db.actor, "user", "users", user.id, f"{summary} {username}")
        s.commit()


@write_operation
def set_disabled(db, username: str, disabled: bool = True) -> None:
    if disabled and db.user is not None and db.user.username == username:
        raise UserError("不能停用自己正在使用的账号")

    def change(user):
        user.disabled = disabled

    _admin_change(db, username, "停用账号" if disabled else "启用账号", change)


@write_operation
def reset_password(db, username: str, new_password: str) -> None:
    check_password_policy(new_password)

    def change(user):
        user.password_hash = hash_password(new_password)
        user.failed_logins, user.locked_until = 0, None

    _admin_change(db, username, "重置密码", change)


@write_operation
def change_own_password(db, old_password: str, new_password: str) -> None:
    from argon2.exceptions import VerificationError

    if db.user is None:
        raise PermissionDenied("请先登录")
    check_password_policy(new_password)
    with db.session() as s:
        user = s.get(User, db.user.id)
        try:
            _hasher().verify(user.password_hash, old_password)
        except VerificationError:
            raise ValidationError({"old_password": "原密码不正确"}, {"old_password": "原密码"}) from None
        user.password_hash = hash_password(new_password)
        record(s, db.actor, "user", "users", user.id, "修改本人密码")
        s.commit()


def list_users(db) -> list[dict]:
    authorize(db, "users")
    with db.session() as s:
        rows = s.execute(select(User, Area.name).join(Area, Area.id == User.area_id)
                         .order_by(User.id)).all()
        stamp = now()
        return [{
            "username": u.username, "display_name": u.display_name, "role": ROLES[u.role],
            "area": area, "disabled": u.disabled,
            "locked": bool(u.locked_until and u.locked_until > stamp),
            "last_login_at": u.last_login_at,
            "locked_until": u.locked_until if u.locked_until and u.locked_until > stamp else None,
        } for u, area in rows]


def is_locked(db, username: str) -> datetime | None:
    with db.session() as s:
        until = s.execute(select(User.locked_until).where(User.username == username)).scalar()
    return until if until and until > now() else None
