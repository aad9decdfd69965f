"""Data checks a ledger declares (核查): a rule and the rows that break it.

A check names its rows either by `where` — field → value over the spec's fields, stored
or computed, as a figure's Count does (EMPTY: the field is empty) — or by `condition`, a
function of the model giving a SQL condition for what no single field says (a grid's
typed households against its buildings). app.checks runs every spec's checks in the
user's area scope; the 核查 page lists them and opens each offending row."""

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
