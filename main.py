"""StreetLedger entry point.

No sub-command starts the desktop app (ui/). Sub-commands run the core (app/) and
the writers (reports/) without ever importing Qt, so they start fast and work on a
machine without a display. Exit codes: 0 success, 2 user error (one Chinese line on
stderr), 1 internal error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# argparse's own words, in Chinese (it looks them up through its module-level `_`).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",
}
argparse._ = lambda s: _ARGPARSE_ZH.get(s, s)  # type: ignore[attr-defined]


class CliError(Exception):
    """A user error detected by the command line itself (exit code 2)."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CliError(f"参数错误：{message}（运行 python main.py -h 查看用法）")


def _ledger_key(value: str) -> str:
    return value.strip()


def build_parser() -> Parser:
    common = Parser(add_help=False)
    # default=SUPPRESS lets --db stand before or after the sub-command's name.
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="URL",
                        help="数据库：SQLite 文件路径或 postgresql://… 地址")
    p = Parser(prog="main.py", description="街道治理台账 StreetLedger", parents=[common])
    sub = p.add_subparsers(dest="command", metavar="命令", parser_class=Parser)

    c = sub.add_parser("demo", parents=[common], help="向空数据库载入演示数据")
    c.add_argument("--reset", action="store_true", help="先清空已有台账数据再载入")

    c = sub.add_parser("stats", parents=[common], help="打印台账统计")
    c.add_argument("ledger", type=_ledger_key, help="台账，如 powers")
    c.add_argument("--year", type=int, help="零办件统计的年份（默认今年）")

    c = sub.add_parser("export", parents=[common], help="导出台账为 Excel")
    c.add_argument("ledger", type=_ledger_key)
    c.add_argument("out", type=Path, metavar="OUT.xlsx")
    c.add_argument("--full-ids", action="store_true", help="导出完整身份证号（默认打码）")

    c = sub.add_parser("report", parents=[common], help="打印台账为 PDF 报表")
    c.add_argument("ledger", type=_ledger_key)
    c.add_argument("out", type=Path, metavar="OUT.pdf")

    sub.add_parser("self-test", parents=[common], help="自检：临时数据库、演示数据、PDF 与 Excel")
    return p


def cmd_demo(db, args) -> int:
    from app.demo import load_demo

    counts = load_demo(db, reset=args.reset)
    print(f"已载入演示数据：社区 {counts['communities']} 个，职能机构 {counts['bodies']} 个，"
          f"权责事项 {counts['powers']} 项")
    return 0


def cmd_stats(db, args) -> int:
    from app.specs import get_spec

    spec = get_spec(args.ledger)
    if spec.key == "powers":
        from app.powers import stats

        lines = stats(db, args.year)
    else:
        from app.services import list_rows

        lines = [("合计", len(list_rows(db, spec)))]
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

    spec = get_spec(args.ledger)
    out = _check_out(args.out, ".xlsx")
    n = export_ledger(db, spec, out, mask_ids=not args.full_ids)
    print(f"已导出{spec.title} {n} 行：{out}")
    return 0


def cmd_report(db, args) -> int:
    from app.specs import get_spec
    from reports.export import report_ledger

    spec = get_spec(args.ledger)
    out = _check_out(args.out, ".pdf")
    n = report_ledger(db, spec, out)
    print(f"已生成{spec.title}报表（{n} 行）：{out}")
    return 0


def cmd_self_test(_db, _args) -> int:
    from reports.selftest import run_self_test

    for line in run_self_test():
        print(line)
    return 0


COMMANDS = {
    "demo": cmd_demo,
    "stats": cmd_stats,
    "export": cmd_export,
    "report": cmd_report,
    "self-test": cmd_self_test,
}
NO_DB = {"self-test"}


def run_cli(argv: list[str]) -> int:
    from app.errors import UserError

    try:
        args = build_parser().parse_args(argv)
        db = None
        if args.command not in NO_DB:
            from app.db import Database, resolve_url

            db = Database(resolve_url(getattr(args, "db", None)))
        try:
            return COMMANDS[args.command](db, args)
        finally:
            if db is not None:
                db.close()
    except (CliError, UserError) as exc:
        print(getattr(exc, "message", None) or str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"文件操作失败：{exc.strerror or exc}（{exc.filename or ''}）", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug: say so plainly, keep the traceback for the log
        import traceback

        traceback.print_exc(file=sys.stderr)
        print(f"内部错误：{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(a in COMMANDS for a in argv) or any(a in ("-h", "--help") for a in argv):
        return run_cli(argv)
    # No sub-command: the desktop app.
    try:
        args = build_parser().parse_args(argv)
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    from ui.app import run_gui

    return run_gui(getattr(args, "db", None))


if __name__ == "__main__":
    sys.exit(main())
