"""Command-line sign-in and the account, street and backup commands: the core only.

Secrets come from an environment variable or standard input, never an argument:
STREETLEDGER_PASSWORD for the operator, STREETLEDGER_NEW_PASSWORD for a new one."""

from __future__ import annotations

import sys

from app.cli_args import CliError


def _read_secret(prompt: str, env: str, stdin_lines: list[str]) -> str:
    import os

    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin or sys.stdin.closed:
        raise CliError(f"缺少{prompt}：请设置环境变量 {env} 或从标准输入提供")
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{prompt}：")
    if not stdin_lines:
        stdin_lines.extend(sys.stdin.read().splitlines())
    if not stdin_lines:
        raise CliError(f"缺少{prompt}：请设置环境变量 {env} 或从标准输入提供")
    return stdin_lines.pop(0)


def sign_in(db, args, stdin_lines: list[str]) -> None:
    """Once a database has accounts, every command names its operator (--user)."""
    from app import auth

    if not auth.has_accounts(db):
        return  # setup mode: a fresh file can be filled before anyone signs in
    import os

    name = getattr(args, "user", None) or os.environ.get("STREETLEDGER_USER")
    if not name:
        raise CliError("该数据库已启用账号，请用 --user 指定操作员账号")
    # Every command signs in: one 登录 entry per operator per day, not one per command.
    auth.login(db, name, _read_secret("密码", "STREETLEDGER_PASSWORD", stdin_lines),
               quiet_daily=True)


def _area_id(db, name: str) -> int:
    """A community of the street by name, or the street itself."""
    from app.services import list_rows
    from app.specs.settings import COMMUNITIES

    if name == db.street_name():
        return db.street_id
    rows = list_rows(db, COMMUNITIES)
    if name not in rows.column("name"):
        raise CliError(f"没有名为“{name}”的社区")
    return rows.ids[rows.column("name").index(name)]


def cmd_user(db, args, stdin_lines) -> int:
    from app import auth

    name = getattr(args, "name", None)
    area_id = _area_id(db, args.area) if getattr(args, "area", None) else None
    if args.user_command == "add":
        password = _read_secret("新账号密码", "STREETLEDGER_NEW_PASSWORD", stdin_lines)
        auth.create_user(db, name, password, args.role, area_id, args.display_name)
        print(f"已创建账号：{name}")
    elif args.user_command == "edit":
        from app.accounts import edit_user

        changes = edit_user(db, name, role=args.role, area_id=area_id,
                            display_name=args.display_name)
        words = "；".join(f"{k} {a}→{b}" for k, (a, b) in changes.items())
        print(f"已修改账号 {name}：{words}" if changes else f"账号 {name} 没有变化")
    elif args.user_command in ("disable", "enable"):
        auth.set_disabled(db, name, args.user_command == "disable")
        print(f"已{'停用' if args.user_command == 'disable' else '启用'}账号：{name}")
    elif args.user_command == "reset-password":
        auth.reset_password(db, name, _read_secret("新密码", "STREETLEDGER_NEW_PASSWORD",
                                                   stdin_lines))
        print(f"已重置账号 {name} 的密码")
    else:
        for u in auth.list_users(db):
            state = "停用" if u["disabled"] else ("锁定" if u["locked"] else "正常")
            print(f"{u['username']}\t{u['display_name']}\t{u['role']}\t{u['area']}\t{state}")
    return 0


def cmd_street(db, args) -> int:
    from app.areas import district_name, rename_street

    if args.street_command == "rename":
        changed = rename_street(db, args.name, args.district)
        print(f"已修改街道名称：{db.street_name()}" if changed else "名称未变，未作修改")
    print(f"街道: {db.street_name()}")
    print(f"区县: {district_name(db)}")
    return 0


def cmd_backup(db, args) -> int:
    from app.backup import backup_dir, backup_to

    if args.out is not None and not args.out.is_dir() and not args.out.parent.is_dir():
        raise CliError(f"备份位置的文件夹不存在：{args.out.parent}")
    out = backup_to(db, args.out or backup_dir(db))
    print(f"已备份到：{out}")
    return 0


def cmd_restore(db, args, stdin_lines) -> int:
    from app.backup import restore_from

    new_admin = None
    if args.new_admin:
        new_admin = (args.new_admin, _read_secret("新管理员密码", "STREETLEDGER_NEW_PASSWORD",
                                                  stdin_lines))
    safety = restore_from(db, args.file, new_admin=new_admin)
    print(f"已从 {args.file} 恢复；恢复前的数据已备份为：{safety}")
    return 0
