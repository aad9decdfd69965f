"""The named documents `main.py report NAME OUT` prints besides a ledger's own report:
one list, so the command's help, its option checks and its dispatch read the same
entries. A writer is "module:function" (imported when used: start-up stays light),
called as writer(db, path=OUT, **fixed, **options) and returning its page (or, for a
workbook, sheet) count."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Command-line option → the writer's keyword it becomes.
OPTIONS = {"--period": "period", "--issue": "issue", "--exempt": "exempt",
           "--meeting": "meeting", "--full-ids": "mask_ids", "--estate": "estate",
           "--grid": "grid", "--community": "community"}


@dataclass(frozen=True)
class Named:
    name: str  # on the command line: red-black
    title: str  # 红黑榜
    group: str  # how the help lists it: 整改文书
    writer: str
    options: tuple[str, ...] = ()  # the OPTIONS it takes
    fixed: dict[str, Any] = field(default_factory=dict)
    suffixes: tuple[str, ...] = (".pdf",)

    def write(self, db, out, options: dict[str, Any]) -> int:
        import importlib

        module, _sep, func = self.writer.partition(":")
        return getattr(importlib.import_module(module), func)(
            db, path=out, **self.fixed, **options)


def _grid(name: str, title: str) -> Named:
    return Named(name, title, "网格文书（.pdf 或 .xlsx）", "reports.grids:write_grid_document",
                 ("--full-ids",), {"key": name}, (".pdf", ".xlsx"))


_RECT = "整改文书"
NAMED = {n.name: n for n in (
    Named("staffing", "机构编制情况", "机构编制", "reports.staffing:write_staffing_pdf"),
    Named("bulletin", "整改工作月通报", _RECT, "reports.rectification_docs:write_bulletin_pdf",
          ("--period", "--issue")),
    Named("dispatch", "整改工作季度调度报告", _RECT,
          "reports.rectification_docs:write_dispatch_pdf", ("--period", "--exempt")),
    Named("annual", "整改工作年度总结", _RECT, "reports.rectification_docs:write_annual_pdf",
          ("--period",)),
    Named("red-black", "红黑榜", _RECT, "reports.rectification_docs:write_red_black_pdf",
          ("--period", "--issue", "--exempt")),
    Named("meeting-pack", "会议材料包", "会议文书", "reports.meeting_pack:write_meeting_pack",
          ("--meeting",)),
    Named("minutes", "会议纪要", "会议文书", "reports.minutes:write_minutes", ("--meeting",)),
    Named("estate-chart", "一小区一图示", "网格文书", "reports.estate_chart:write_estate_charts",
          ("--estate", "--grid", "--community")),
    _grid("grid-roster", "网格员花名册"),
    _grid("grid-info", "网格基础信息表"),
    _grid("party-coverage", "小区党组织覆盖情况"),
    _grid("key-person-ledger", "重点人员台账"),
)}


def help_text() -> str:
    """The named documents by group, for the command's help: 整改文书：bulletin 整改工作月通报 / …"""
    groups: dict[str, list[str]] = {}
    for n in NAMED.values():
        groups.setdefault(n.group, []).append(f"{n.name} {n.title}")
    return "；".join(f"{g}：{' / '.join(items)}" for g, items in groups.items())


def misplaced(name: str, given: list[str]) -> str | None:
    """The message for the first option in `given` that document `name` (a named one,
    or a ledger's report) does not take, naming the documents that do; None if all fit."""
    takes = NAMED[name].options if name in NAMED else ()
    for option in given:
        if option not in takes:
            users = "、".join(f"{n.name}（{n.title}）" for n in NAMED.values()
                             if option in n.options)
            return f"{option} 只用于 {users}"
    return None
