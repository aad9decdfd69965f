"""The command line's arguments: argparse in Chinese and the sub-commands' options.

Building the parser imports no models or writers (the desktop start parses its
arguments too); main.py passes in the named reports' help line."""

from __future__ import annotations

import argparse
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


def build_parser(report_help: str = "") -> Parser:
    """report_help: the named documents `report` also writes (main.py: reports.catalog)."""
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
                   help=f"{LEDGER_HELP}；{report_help}" if report_help else LEDGER_HELP)
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
