"""Data checks a ledger declares (核查): a rule and the rows that break it. This is the
one kind of check: the 核查 page lists every spec's, the 编制总览 page and the 机构编制
report those of the 机构编制 specs.

A check names its rows by `where` — field → value over the spec's fields, stored or
computed, as a figure's Count does (EMPTY: the field is empty) — and/or by `condition`, a
function of the model giving a SQL condition for what no single field says (a grid's
typed households against its buildings). What SQL cannot say (an ID number's area code
against the code table) is `note`: a function of the row's values of `reads` giving why
the row is listed ('' when it passes), run over the rows the SQL part leaves. app.checks
runs them in the user's area scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Check:
    key: str
    label: str  # 无楼栋长的楼栋
    where: dict[str, Any] = field(default_factory=dict)
    condition: Callable[[Any], Any] | None = None  # model → SQL condition
    hint: str = ""  # what the rule is and how to fix it
    note: Callable[[dict], str] | None = None  # {field: value} of `reads` → why ('' = fine)
    reads: tuple[str, ...] = ()

    def __post_init__(self):
        assert (self.note is None) == (not self.reads), self.key
