"""StreetLedger entry point.

No sub-command starts the desktop app (ui/). Sub-commands run the core (app/) and
the writers (reports/) without ever importing Qt, so they start fast and work on a
machine without a display. Exit codes: 0 success, 2 user error (one Chinese line on
stderr), 1 internal error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# argparse's own words, in Chinese (it looks them up through its module-level `_` and
# `ngettext`). Variants of the same message across Python 3.11-3.14 are all listed.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "无效的选择：%(value)r，是否想输入 %(closest)r？（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "expected at most one argument": "最多需要一个参数值",
    "expected at least one argument": "至少需要一个参数值",
    "expected %s argument": "需要 %s 个参数值",
    "expected %s arguments": "需要 %s 个参数值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "option '%(option)s' is ambiguous; could match %(matches)s":
        "选项 %(option)s 不明确，可能是：%(matches)s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "须给出以下参数之一：%s",
    "ignored explicit argument %r": "多余的参数值：%r",
    "unexpected option string: %s": "无法识别的选项：%s",
    "%(prog)s: error: %(message)s\n": "%(prog)s：%(message)s\n",
}
argparse._ = lambda s: _ARGPARSE_ZH.get(s, s)  # type: ignore[attr-defined]
argparse.ngettext = lambda one, many, n: _ARGPARSE_ZH.get(one if n == 1 else many,  # type: ignore[attr-defined]
                                                           one if n == 1 else many)


class CliError(Exception):
    """A user error detected by the command line itself (exit code 2)."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CliError(f"参数错误：{message}（运行 python main.py -h 查看用法）")


# Written out (not read from app.specs) so building the parser loads no models;
# tests/test_readme.py checks it names every ledger spec.
LEDGER_HELP = ("台账：powers 权责清单 / communities 社区 / bodies 职能机构 / "
               "authorisations 编制核定 / staff 人员（staffing：人员及编制汇总） / "
               "grids 网格 / grid_workers 网格员 / estates 小区 / buildings 楼栋 / "
               "key_persons 重点人员 / households 住户 / residents 居民 / "
               "rectification 整改台账 / meetings 联席会议 / deliberations 议事协商")


def _ledger_key(value: str) -> str:
    return value.strip()


def build_parser() -> Parser:
    from reports.catalog import help_text as report_help

    db_only = Parser(add_help=False)
    # default=SUPPRESS lets --db stand before or after the sub-command's name.
    db_only.add_argument("--db", default=argparse.SUPPRESS, metavar="URL",
                         help="数据库：SQLite 文件路径或 postgresql://… 地址")
    db_only.add_argument("--create", action="store_true", default=argparse.SUPPRESS,
                         help="--db 指向的 SQLite 文件不存在时新建")
    common = Parser(add_help=False, parents=[db_only])
    common.add_argument("--user", default=argparse.SUPPRESS, metavar="NAME",
                        help="操作员账号（密码取自环境变量 STREETLEDGER_PASSWORD 或标准输入）")
    p = Parser(prog="main.py", description="街道治理台账 StreetLedger", parents=[common])
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)

    c = sub.add_parser("demo", parents=[common], help="向空数据库载入演示数据")
    c.add_argument("--reset", action="store_true", help="先清空已有台账数据再载入")

    c = sub.add_parser("stats", parents=[common], help="打印台账统计")
    c.add_argument("ledger", type=_ledger_key, metavar="台账", help=LEDGER_HELP)
    c.add_argument("--year", type=int, metavar="YEAR", help="零办件统计的年份（默认今年）")
    c.add_argument("--by", choices=["street"], help="按街道分别统计（区级汇总）")

    c = sub.add_parser("export", parents=[common], help="导出台账为 Excel")
    c.add_argument("ledger", type=_ledger_key, metavar="台账",
                   help=LEDGER_HELP + "；problems 整改台账三张清单（问题/责任/销号）")
    c.add_argument("out", type=Path, metavar="OUT.xlsx")
    c.add_argument("--full-ids", action="store_true", help="导出完整身份证号（默认打码）")
    c.add_argument("--meeting", metavar="ID|latest",
                   help="decisions（议定事项）：会议编号，或 latest 最近一次（默认）")

    c = sub.add_parser("report", parents=[common], help="打印台账为 PDF 报表")
    c.add_argument("ledger", type=_ledger_key, metavar="台账",
                   help=f"{LEDGER_HELP}；{report_help()}")
    c.add_argument("out", type=Path, metavar="OUT.pdf")
    c.add_argument("--period", metavar="PERIOD",
                   help="整改文书的期间：2026-11（月）、2026Q4（季度，默认本季度）、2026（年）")
    c.add_argument("--issue", action="store_true",
                   help="发布：red-black 冻结本期红黑榜；bulletin 登记本月预警并升级督办")
    c.add_argument("--exempt", action="append", default=[], metavar="单位=理由",
                   help="红黑榜免于列榜的单位及理由（可多次）")
    c.add_argument("--meeting", metavar="ID|latest",
                   help="会议文书的会议：会议编号，或 latest 最近一次（默认）")
    c.add_argument("--full-ids", action="store_true",
                   help="网格文书（grid-roster 等）含完整身份证号和电话（默认打码，查看记入留痕）")
    where = c.add_mutually_exclusive_group()
    where.add_argument("--estate", metavar="NAME", help="estate-chart：只画这个小区")
    where.add_argument("--grid", metavar="NAME", help="estate-chart：这个网格的全部小区")
    where.add_argument("--community", metavar="NAME", help="estate-chart：这个社区的全部小区")

    sub.add_parser("self-test", parents=[common], help="自检：临时数据库、演示数据、PDF 与 Excel")

    c = sub.add_parser("import", parents=[common], help="从 Excel/WPS/CSV 导入台账")
    c.add_argument("ledger", type=_ledger_key, metavar="台账", help=LEDGER_HELP)
    c.add_argument("file", type=Path, metavar="文件")
    c.add_argument("--sheet", metavar="NAME", help="工作表名称（默认第一个有数据的表）")
    c.add_argument("--mode", choices=["append", "upsert", "replace"], default="append",
                   help="append 追加 / upsert 按关键字段更新 / replace 替换整个台账")
    c.add_argument("--create-missing", action="store_true", help="新建文件中出现的未知科室等")
    c.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                   help="为文件中没有的列统一填值，如 --set 清单类别=下放行政权力")
    c.add_argument("--accept-valid", action="store_true", help="只导入有效行，报告被拒绝的行")
    c.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    c.add_argument("--errors", type=Path, metavar="OUT.xlsx", help="被拒绝的行另存为 Excel")
    c.add_argument("--yes", action="store_true", help="replace 模式不再询问")
    c.add_argument("--map", action="append", default=[], metavar="HEADING=字段",
                   help="指定文件中某列导入到哪个字段（会被记住），如 --map 职权名称=事项名称")
    c.add_argument("--map-value", action="append", default=[], metavar="字段:名称=已有名称",
                   help="把文件中的名称对应到已有记录（记为别名），"
                        "如 --map-value 承接科室:综合行政执法队=综合行政执法办公室")
    c.add_argument("--no-remembered", action="store_true", help="不使用以前记住的列对应")
    c.add_argument("--header-row", type=int, metavar="N", help="表头在第 N 行（自动识别有误时）")
    c.add_argument("--header-rows", type=int, choices=[1, 2],
                   help="表头占几行（1 或 2，与 --header-row 一起用）")

    c = sub.add_parser("template", parents=[common], help="生成导入模板 Excel")
    c.add_argument("ledger", type=_ledger_key, metavar="台账", help=LEDGER_HELP)
    c.add_argument("out", type=Path, metavar="OUT.xlsx")

    c = sub.add_parser("user", parents=[common], help="账号管理")
    usub = c.add_subparsers(dest="user_command", metavar="操作", parser_class=Parser, required=True)
    u = usub.add_parser("add", parents=[common], help="新建账号（新密码取自 STREETLEDGER_NEW_PASSWORD 或标准输入）")
    u.add_argument("name", metavar="账号")
    u.add_argument("--role", default="editor", metavar="ROLE", help="admin 管理员 / verifier 审核员 / editor 录入员 / viewer 查看员")
    u.add_argument("--area", metavar="COMMUNITY", help="所属区域（社区名称；默认本街道）")
    u.add_argument("--display-name", default="", metavar="TEXT", help="显示名称（如姓名）")
    u = usub.add_parser("edit", parents=[common], help="修改账号的角色、所属区域或显示名称")
    u.add_argument("name", metavar="账号")
    u.add_argument("--role", metavar="ROLE", help="admin 管理员 / verifier 审核员 / editor 录入员 / viewer 查看员")
    u.add_argument("--area", metavar="NAME", help="所属区域（社区名称，或本街道名称）")
    u.add_argument("--display-name", metavar="TEXT", help="显示名称（如姓名）")
    u = usub.add_parser("disable", parents=[common], help="停用账号")
    u.add_argument("name", metavar="账号")
    u = usub.add_parser("enable", parents=[common], help="启用账号")
    u.add_argument("name", metavar="账号")
    u = usub.add_parser("reset-password", parents=[common], help="重置密码")
    u.add_argument("name", metavar="账号")
    usub.add_parser("list", parents=[common], help="列出账号")

    # Here --user filters the entries; the operator is named before "audit" (or STREETLEDGER_USER).
    c = sub.add_parser("audit", parents=[db_only], help="查看操作留痕（操作员 --user 写在 audit 之前）")
    c.add_argument("--since", metavar="DATE", help="起始日期，如 2024-01-01")
    c.add_argument("--user", dest="audit_user", metavar="NAME", help="只看某账号的记录")
    c.add_argument("--limit", type=int, default=100, metavar="N", help="最多显示的条数（默认 100）")

    c = sub.add_parser("street", parents=[common], help="查看或修改街道名称（修改限管理员）")
    ssub = c.add_subparsers(dest="street_command", metavar="操作", parser_class=Parser,
                            required=True)
    ssub.add_parser("show", parents=[common], help="显示街道与所属区县名称")
    s = ssub.add_parser("rename", parents=[common], help="修改街道名称（记入操作留痕）")
    s.add_argument("name", metavar="NAME", help="新的街道名称")
    s.add_argument("--district", metavar="NAME", help="同时修改所属区县名称")

    c = sub.add_parser("backup", parents=[common], help="备份本机数据库")
    c.add_argument("out", nargs="?", type=Path, help="备份文件或文件夹（默认 backups 文件夹）")
    c = sub.add_parser("restore", parents=[common], help="从备份恢复本机数据库")
    c.add_argument("file", type=Path, metavar="文件")
    c.add_argument("--new-admin", metavar="NAME",
                   help="备份中没有账号时，同时新建的管理员（密码取自 STREETLEDGER_NEW_PASSWORD）")
    return p


def cmd_demo(db, args) -> int:
    from app.demo import load_demo

    counts = load_demo(db, reset=args.reset)
    print(f"已载入演示数据：社区 {counts['communities']} 个，职能机构 {counts['bodies']} 个，"
          f"权责事项 {counts['powers']} 项，整改问题 {counts['rectification']} 个")
    return 0


def cmd_stats(db, args) -> int:
    from app.figures import figures, figures_by_street
    from app.specs import get_spec

    spec = get_spec(args.ledger)
    if args.by == "street":
        # The row count is the Total figure, whatever its label (合计, 会议).
        per_street = [(name, [(v.label, v.value, v.key == "total") for v in values])
                      for name, values in figures_by_street(db, spec, args.year)]
        total = next((lb for _n, st in per_street for lb, _v, t in st if t), "合计")
        lines = [(total, sum(v for _, st in per_street for _lb, v, t in st if t))]
        lines += [(f"{name}·{lb}", v) for name, st in per_street for lb, v, t in st if t]
        for name, st in per_street:
            lines += [(f"{name}·{lb}", v) for lb, v, t in st if not t]
    else:
        lines = [(v.label, v.value) for v in figures(db, spec, args.year)]
    for label, n in lines:
        print(f"{label}: {n}")
    return 0


def _check_out(path: Path, suffix: str) -> Path:
    if path.suffix.lower() != suffix:
        raise CliError(f"输出文件应以 {suffix} 结尾：{path}")
    if not path.parent.exists():
        raise CliError(f"输出文件夹不存在：{path.parent}")
    return path


def cmd_export(db, args) -> int:
    from app.specs import get_spec
    from reports.export import export_ledger

    if args.ledger == "problems":  # 整改台账 for higher levels: three sheets
        from reports.rectification_xlsx import export_problems

        out = _check_out(args.out, ".xlsx")
        counts = export_problems(db, out, mask_ids=not args.full_ids)
        print(f"已导出整改台账（{'、'.join(f'{k} {v} 行' for k, v in counts.items())}）：{out}")
        return 0
    if args.ledger == "decisions":  # a meeting's 议定事项 with their tasks' state
        from reports.minutes import write_decisions_xlsx

        out = _check_out(args.out, ".xlsx")
        n = write_decisions_xlsx(db, out, args.meeting or "latest")
        print(f"已导出议定事项 {n} 项：{out}")
        return 0
    spec = get_spec(args.ledger)
    out = _check_out(args.out, ".xlsx")
    n = export_ledger(db, spec, out, mask_ids=not args.full_ids)
    print(f"已导出{spec.title} {n} 行：{out}")
    return 0


def _report_options(args) -> dict[str, object]:
    """The report options given on the command line, as the writers' keywords."""
    given = {"--period": args.period, "--issue": args.issue, "--meeting": args.meeting,
             "--full-ids": args.full_ids, "--estate": args.estate, "--grid": args.grid,
             "--community": args.community}
    if args.exempt:
        exempt = {}
        for pair in args.exempt:
            unit, sep, reason = pair.partition("=")
            if not sep or not unit.strip() or not reason.strip():
                raise CliError(f"--exempt 应写成 单位=理由：{pair}")
            exempt[unit.strip()] = reason.strip()
        given["--exempt"] = exempt
    return {k: v for k, v in given.items() if v}


def cmd_report(db, args) -> int:
    from reports.catalog import NAMED, OPTIONS, misplaced

    given = _report_options(args)
    wrong = misplaced(args.ledger, list(given))
    if wrong:
        raise CliError(wrong)
    doc = NAMED.get(args.ledger)
    if doc is None:  # a ledger's own report
        from app.specs import get_spec
        from reports.export import report_ledger

        spec = get_spec(args.ledger)
        n = report_ledger(db, spec, _check_out(args.out, ".pdf"))
        print(f"已生成{spec.title}报表（{n} 行）：{args.out}")
        return 0
    suffix = args.out.suffix.lower()
    if len(doc.suffixes) > 1 and suffix not in doc.suffixes:
        raise CliError(f"输出文件应以 {' 或 '.join(doc.suffixes)} 结尾：{args.out}")
    out = _check_out(args.out, suffix if suffix in doc.suffixes else doc.suffixes[0])
    options = {OPTIONS[k]: (not v if k == "--full-ids" else v) for k, v in given.items()}
    n = doc.write(db, out, options)
    unit = "个工作表" if out.suffix.lower() == ".xlsx" else "页"
    print(f"已生成{doc.title}（{n} {unit}）{'，已发布' if args.issue else ''}：{out}")
    return 0


def cmd_self_test(_db, _args) -> int:
    from reports.selftest import run_self_test

    for line in run_self_test():
        print(line)
    return 0


def _set_values(spec, pairs: list[str]) -> dict[str, str]:
    """--set FIELD=VALUE, FIELD being a field name or its Chinese label."""
    values = {}
    by_label = {f.label: f.name for f in spec.fields} | {f.name: f.name for f in spec.fields}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key.strip() not in by_label:
            raise CliError(f"--set {pair}：应写成 字段=值，字段可用：{'、'.join(f.label for f in spec.fields)}")
        values[by_label[key.strip()]] = value.strip()
    return values


def cmd_import(db, args) -> int:
    from app.importer import cli_import
    from app.specs import get_spec
    from reports.templates import write_rejected_rows

    spec = get_spec(args.ledger)
    if args.errors is not None:
        _check_out(args.errors, ".xlsx")
    if args.mode == "replace" and not args.dry_run and not args.yes:
        if not sys.stdin or not sys.stdin.isatty():
            raise CliError("replace 模式会删除现有的全部记录（可在回收站恢复），请加 --yes 确认")
        answer = input(f"将用文件内容替换整个{spec.title}，确定吗？（输入 是 确认）：")
        if answer.strip() not in ("是", "y", "yes"):
            raise CliError("已取消，未写入任何数据")
    from app.importer import mapping_lines
    from app.importer.refvalues import parse_column_maps, parse_value_maps

    summary = cli_import(db, spec.key, args.file, sheet=args.sheet, mode=args.mode,
                         create_missing=args.create_missing,
                         set_values=_set_values(spec, args.set), accept_valid=args.accept_valid,
                         dry_run=args.dry_run, errors_path=args.errors,
                         write_errors=write_rejected_rows,
                         column_map=parse_column_maps(args.map),
                         value_map=parse_value_maps(args.map_value),
                         use_remembered=not args.no_remembered, header_row=args.header_row,
                         header_rows=args.header_rows)
    for line in summary.lines() + mapping_lines(summary.plan):
        print(line)
    if summary.rejected:
        imported = summary.added + summary.updated
        if summary.written and imported:
            tail = f"，其余 {imported} 行已导入"
        elif summary.written:
            tail = "，没有可导入的行，未写入任何数据"
        else:
            tail = "，未写入任何数据"
        print(f"有 {summary.rejected} 行被拒绝{tail}", file=sys.stderr)
        return 2
    return 0


def cmd_template(db, args) -> int:
    from app.specs import get_spec
    from reports.templates import write_template

    spec = get_spec(args.ledger)
    out = _check_out(args.out, ".xlsx")
    write_template(out, spec, db=db)  # reference columns list this database's names
    print(f"已生成{spec.title}导入模板：{out}")
    return 0


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


def cmd_audit(db, args) -> int:
    from app.audit import entries
    from app.normalize import parse_date
    from reports.audit_xlsx import entry_row, ledger_titles

    try:
        since = parse_date(args.since) if args.since else None
    except ValueError as exc:
        raise CliError(f"--since：{exc}") from None
    # The same words as the GUI's audit page and the Excel export (one shared table).
    titles = ledger_titles()
    for e in entries(db, since=since, user=args.audit_user, limit=args.limit):
        print("  ".join(x for x in entry_row(e, titles) if x))
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


COMMANDS = {
    "demo": cmd_demo,
    "stats": cmd_stats,
    "export": cmd_export,
    "report": cmd_report,
    "self-test": cmd_self_test,
    "import": cmd_import,
    "template": cmd_template,
    "user": cmd_user,
    "audit": cmd_audit,
    "street": cmd_street,
    "backup": cmd_backup,
    "restore": cmd_restore,
}
NO_DB = {"self-test"}
# Commands that run before anyone signs in (they do their own checks).
NEEDS_STDIN = {"user", "restore"}


def _open_database(args):
    """The database the command works on. A --db (or STREETLEDGER_DB) naming a SQLite
    file that does not exist is refused unless --create: a typo must not silently make
    an empty database. The default file in the data folder is made on first use."""
    from app.db import Database

    return Database(_checked_url(args))


def _checked_url(args) -> str:
    import os

    from app.urls import resolve_url  # no SQLAlchemy: the window shows first

    given = getattr(args, "db", None) or os.environ.get("STREETLEDGER_DB")
    url = resolve_url(given)
    if given and url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        if not path.exists() and not getattr(args, "create", False):
            raise CliError(f"找不到数据库文件 {path}；新建请加 --create")
        if not path.parent.is_dir():
            raise CliError(f"数据库所在的文件夹不存在：{path.parent}")
    return url


def _quiet_broken_pipe() -> int:
    """stdout went into a closed pipe (`| head -1`): stop quietly, like a shell tool.
    Pointing stdout at devnull keeps Python's exit flush from printing a second error."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a tool stopped by the pipe


def _internal_error(exc: BaseException) -> int:
    """A bug: one Chinese line saying where the details are; the traceback goes to the log."""
    from app.logs import log_exception, log_file

    log_exception(exc, "命令行")
    print(f"内部错误（{type(exc).__name__}）：操作没有完成，已保存的数据不受影响；"
          f"详细信息已写入日志 {log_file()}，请把它发给维护人员", file=sys.stderr)
    return 1


def run_cli(argv: list[str]) -> int:
    from app.errors import UserError

    try:
        args = build_parser().parse_args(argv)
        db = None if args.command in NO_DB else _open_database(args)
        if db is not None and db.read_only_reason:  # a read-only file or volume: say so
            print(db.read_only_reason, file=sys.stderr)
        stdin_lines: list[str] = []
        try:
            if db is not None:
                sign_in(db, args, stdin_lines)
            if args.command in NEEDS_STDIN:
                return COMMANDS[args.command](db, args, stdin_lines)
            return COMMANDS[args.command](db, args)
        finally:
            if db is not None:
                db.close()
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except (CliError, UserError) as exc:
        print(_one_line(getattr(exc, "message", None) or str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - sorted below into the environment or a bug
        from app.failures import explain

        found = explain(exc)
        if found.is_bug:
            return _internal_error(exc)
        print(_one_line(found.message), file=sys.stderr)
        return 2


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from app.logs import setup_logging

    setup_logging()
    if any(a in COMMANDS for a in argv) or any(a in ("-h", "--help") for a in argv):
        rc = run_cli(argv)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            return _quiet_broken_pipe()
        return rc
    # No sub-command: the desktop app.
    try:
        args = build_parser().parse_args(argv)
        _checked_url(args)  # the window, too, opens no mistyped --db as a new file
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    from ui.app import run_gui

    return run_gui(getattr(args, "db", None))


if __name__ == "__main__":
    sys.exit(main())
