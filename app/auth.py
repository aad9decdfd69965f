"""Accounts, sign-in and the permission check every write goes through.

A database without any account is in setup mode: everything is allowed, so a new
file can be filled (demo, import) and its first administrator created. Once an
account exists, every write needs a signed-in user whose role and home area allow it."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.exc import IntegrityError

from app.audit import record
from app.core.ops import write_operation
from app.errors import PermissionDenied, UserError, ValidationError
from app.models import Area, User, now

ROLES = {"admin": "管理员", "verifier": "审核员", "editor": "录入员", "viewer": "查看员"}
# Roles with the verifying right: accept, send back and close (销号) rectified problems.
VERIFIERS = ("verifier", "admin")
ROLE_RULE = "角色须为 管理员/审核员/录入员/查看员（admin/verifier/editor/viewer）"
ROLE_CODES = {**{v: k for k, v in ROLES.items()}, **{k: k for k in ROLES}}
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
# Actions that change ledger rows, and those only an administrator may do.
WRITE_ACTIONS = {"create", "update", "delete", "restore", "import", "reveal", "transition"}
# Whole-database copies (backup, restore, export of everything) are an administrator's.
ADMIN_ACTIONS = {"purge", "users", "restore_db", "backup", "settings"}


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
        # A district account reads across its streets and writes none of their ledgers; its
        # administrator manages accounts and the street list.
        if self.area_level == "district" and action in WRITE_ACTIONS | {"purge", "restore_db"}:
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


# ASCII letters, digits, . _ - and Chinese characters only: no Cyrillic/Greek look-alikes
# (аdmin), and full-width forms become ASCII through NFKC (ａｄｍｉｎ → admin).
_USERNAME = re.compile(r"[A-Za-z0-9._\-\u3400-\u4dbf\u4e00-\u9fff]{2,32}")
USERNAME_RULE = "账号须为2–32位汉字、英文字母、数字或 . _ -（不能含空格、控制字符或其他文字）"
MAX_DISPLAY_NAME = 64


def normalize_username(name: str) -> str:
    """The canonical form of a user name (NFKC, trimmed); ValidationError if not allowed."""
    name = unicodedata.normalize("NFKC", name or "").strip()
    if not _USERNAME.fullmatch(name):
        raise ValidationError({"username": USERNAME_RULE}, {"username": "账号"})
    return name


def clean_display_name(name: str, fallback: str) -> str:
    name = unicodedata.normalize("NFKC", name or "").strip()
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ValidationError({"display_name": "姓名不能含控制字符"}, {"display_name": "姓名"})
    if len(name) > MAX_DISPLAY_NAME:
        raise ValidationError({"display_name": f"姓名最多 {MAX_DISPLAY_NAME} 个字（现为 {len(name)} 个）"},
                              {"display_name": "姓名"})
    return name or fallback


def has_accounts(db) -> bool:
    with db.session() as s:
        return bool(s.execute(select(func.count()).select_from(User)).scalar_one())


def authorize(db, action: str, area_path: str | None = None) -> None:
    """The permission check of the write path; raises PermissionDenied in Chinese."""
    if getattr(db, "read_only", False) and action not in ("export", "backup"):
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


# One message for every failure until the password is right: neither the time taken nor
# the words tell whether the account exists, is disabled or how many tries are left.
FAILED = f"账号或密码错误（连续输错 {MAX_FAILURES} 次将锁定 {int(LOCKOUT.total_seconds() // 60)} 分钟）"
_dummy_hash: str | None = None


def _dummy() -> str:
    """A real argon2id hash to verify against when the account does not exist."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password("not-an-account-0")
    return _dummy_hash


def _count_attempt(db, username: str, stamp: datetime):
    """Count this attempt in the database *before* the password is checked, atomically
    (one UPDATE … RETURNING, committed at once), so parallel tries from other processes
    or PCs are each counted; past MAX_FAILURES the account locks. An expired lock starts
    the count again. Returns (id, tries, locked_until, disabled, hash) or None."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= stamp)
    stmt = (update(User).where(User.username == username)
            .values(failed_logins=case((expired, 1), else_=User.failed_logins + 1),
                    locked_until=case(
                        (expired, None),
                        (and_(User.failed_logins + 1 > MAX_FAILURES, User.locked_until.is_(None)),
                         stamp + LOCKOUT),
                        else_=User.locked_until))
            .returning(User.id, User.failed_logins, User.locked_until, User.disabled,
                       User.password_hash)
            .execution_options(synchronize_session=False))
    with db.session() as s:
        row = s.execute(stmt).first()
        s.commit()
    return row


def masked_name(name: str) -> str:
    """A failed sign-in's name as logged: it may be a password typed in the wrong box."""
    name = unicodedata.normalize("NFKC", name).strip()
    return (name[:1] + "***") if name[:1].isprintable() and name[:1] else "***"


def login(db, username: str, password: str, *, quiet_daily: bool = False) -> CurrentUser:
    """Count the attempt, check the password (5 wrong → locked 5 minutes) and sign in."""
    from argon2.exceptions import InvalidHashError, VerificationError

    raw = username or ""
    try:
        username = normalize_username(username)
    except ValidationError:
        username = None
    stamp = now()
    row = _count_attempt(db, username, stamp) if username and not db.read_only else None
    if row is None and username and db.read_only:
        with db.session() as s:  # a read-only file: no counting possible, still check
            row = s.execute(select(User.id, User.failed_logins, User.locked_until,
                                   User.disabled, User.password_hash)
                            .where(User.username == username)).first()
    hasher = _hasher()
    try:
        hasher.verify(row.password_hash if row is not None else _dummy(), password or "")
        right = row is not None
    except (VerificationError, InvalidHashError):
        right = False
    locked = row is not None and row.locked_until is not None and row.locked_until > stamp
    if not right or locked or row.disabled:
        if not right:
            summary, message = "账号或密码错误", FAILED
        elif locked:
            left = max(1, math.ceil((row.locked_until - stamp).total_seconds() / 60))
            summary = message = f"密码错误次数过多，账号已锁定，请 {left} 分钟后再试"
        else:
            summary, message = "账号已停用", "该账号已停用，请联系管理员"
        if not db.read_only:
            with db.session() as s:
                if not right and row is not None and row.failed_logins >= MAX_FAILURES:
                    s.execute(update(User).where(User.id == row.id, User.locked_until.is_(None))
                              .values(locked_until=stamp + LOCKOUT)
                              .execution_options(synchronize_session=False))
                record(s, username if row is not None else masked_name(raw),
                       "login_failed", summary=summary)
                s.commit()
        raise UserError(message)
    with db.session() as s:
        user = s.get(User, row.id)
        if not db.read_only:
            if hasher.check_needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
            user.failed_logins, user.locked_until, user.last_login_at = 0, None, stamp
            # quiet_daily (the command line signs in for every command): one sign-in entry
            # per operator per day, so the changes are not drowned.
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
    """The first account (setup mode) must be an administrator; after that, admins only,
    and only for an area inside their own (see `_may_manage`)."""
    errors = {}
    try:
        username = normalize_username(username)
    except ValidationError as exc:
        errors.update(exc.errors)
    code = ROLE_CODES.get((role or "").strip())
    if code is None:
        errors["role"] = ROLE_RULE
    if errors:
        raise ValidationError(errors, {"username": "账号", "role": "角色"})
    display_name = clean_display_name(display_name, username)
    check_password_policy(password)
    if db.read_only:
        raise PermissionDenied("数据库以只读方式打开，不能新建账号")
    first = not has_accounts(db)
    if first and code != "admin":
        raise UserError("第一个账号必须是管理员（--role admin）")
    if not first:
        authorize(db, "users")
    taken = ValidationError({"username": f"账号“{username}”已存在"}, {"username": "账号"})
    with db.session() as s:
        # Names differing only in case look alike in the audit trail: one of them only.
        if s.execute(select(User.id).where(func.lower(User.username) == username.lower())).first():
            raise taken
        target = area_id or db.street_id
        area = s.get(Area, target)
        if area is None:
            raise ValidationError({"area": "所属区域不存在"}, {"area": "所属区域"})
        if not first:
            _may_manage(db, area.path, code)
        user = User(username=username, display_name=display_name, role=code,
                    area_id=target, password_hash=hash_password(password), created_by=db.actor)
        s.add(user)
        try:
            s.flush()
        except IntegrityError:  # another client created the same name a moment ago
            s.rollback()
            raise taken from None
        record(s, db.actor, "user", "users", user.id, f"新建账号 {username}（{ROLES[code]}）")
        try:
            s.commit()
        except IntegrityError:
            s.rollback()
            raise taken from None
        return user.id


def _may_manage(db, target_path: str, target_role: str) -> None:
    """An administrator manages accounts homed inside their own area only, never one at
    or above their own level: below their area, or in it with a lesser role."""
    me = db.user
    if me is None:
        return  # setup mode (no accounts yet)
    inside = target_path.startswith(me.area_path)
    lower = target_path != me.area_path or target_role != "admin"
    if not (inside and lower):
        raise PermissionDenied(f"该账号不在您管理的范围（{me.area_name}以下）内，无权管理")


def _admin_change(db, username: str, summary: str, change) -> None:
    authorize(db, "users")
    with db.session() as s:
        user = s.execute(select(User).where(User.username == _lookup(username))).scalar_one_or_none()
        if user is None or not _visible(db, user.area.path):
            raise UserError(f"账号“{_shown(username)}”不存在")
        if user.id != getattr(db.user, "id", None):
            _may_manage(db, user.area.path, user.role)
        change(user)
        record(s, db.actor, "user", "users", user.id, f"{summary} {user.username}")
        s.commit()


def _lookup(username: str) -> str:
    try:
        return normalize_username(username)
    except ValidationError:
        return ""


def _shown(username: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in (username or ""))[:40]


def _visible(db, path: str) -> bool:
    return db.user is None or path.startswith(db.user.area_path)


@write_operation
def set_disabled(db, username: str, disabled: bool = True) -> None:
    if disabled and db.user is not None and db.user.username == username:
        raise UserError("不能停用自己正在使用的账号")

    def change(user):
        if disabled:
            from app.accounts import keep_an_administrator

            keep_an_administrator(user, "停用")
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
        stmt = select(User, Area.name).join(Area, Area.id == User.area_id).order_by(User.id)
        if db.user is not None:  # only the accounts homed inside one's own area
            stmt = stmt.where(Area.path.startswith(db.user.area_path))
        rows = s.execute(stmt).all()
        stamp = now()
        return [{
            "username": u.username, "display_name": u.display_name, "role": ROLES[u.role],
            "area": area, "area_id": u.area_id, "role_code": u.role, "disabled": u.disabled,
            "locked": bool(u.locked_until and u.locked_until > stamp),
            "last_login_at": u.last_login_at,
            "locked_until": u.locked_until if u.locked_until and u.locked_until > stamp else None,
        } for u, area in rows]


def is_locked(db, username: str) -> datetime | None:
    with db.session() as s:
        until = s.execute(select(User.locked_until)
                          .where(User.username == _lookup(username))).scalar()
    return until if until and until > now() else None
