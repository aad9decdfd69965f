"""StreetLedger entry point.

No sub-command starts the desktop app (ui/). Sub-commands run the core (app/) and
the writers (reports/) without ever importing Qt, so they start fast and work on a
machine without a display. Exit codes: 0 success, 2 user error (one Chinese line on
stderr), 1 internal error."""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli_accounts import cmd_backup, cmd_restore, cmd_street, cmd_user, sign_in
from app.cli_args import LEDGER_HELP, CliError  # noqa: F401 - LEDGER_HELP: tests read it here
from app.cli_args import build_parser as _build_parser


def build_parser():
    from reports.catalog import help_text

    return _build_parser(help_text())


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
