"""Figures a ledger declares: its statistics as objects, not label strings.

`stats`, the page's summary strip, the PDF summary and the dashboard all read the same
computed `FigureValue`s; each carries the filter that produces the rows behind it, so a
click on a figure opens exactly those rows (app.figures computes them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# A filter value meaning "the field is empty" (a count not reported: 未填报).
EMPTY = "\x00empty"


@dataclass(frozen=True)
class Count:
    """The rows matching `where` (field → value; {} = every row)."""

    key: str
    label: str | Callable[[int], str]  # a function of the year: 零办件事项（2026年）
    where: dict[str, Any] = field(default_factory=dict)
    group: str = "总体情况"  # the band the figure is shown and printed in
    tone: str = ""  # "warn": shown in red (overdue, zero cases, over strength)
    hint: str = ""
    strip: bool = True  # shown on the page's summary strip (else: stats and PDF only)
    # Count distinct values of this field among the rows (bodies over strength), not rows.
    distinct: str | None = None
    # Counted over another ledger's rows (its spec key), in the same area scope: a
    # summary that spans two ledgers (people and the positions they fill). Never on the
    # strip, whose click filters this ledger's rows.
    ledger: str | None = None


@dataclass(frozen=True)
class Sum:
    """The total of a numeric field over the rows matching `where` (核定编制 = the sum of
    every authorisation's count); `ledger` as for Count."""

    key: str
    label: str | Callable[[int], str]
    field: str
    where: dict[str, Any] = field(default_factory=dict)
    group: str = "总体情况"
    tone: str = ""
    hint: str = ""
    strip: bool = True
    ledger: str | None = None
    decimals: int | None = None  # money: 2 (the sum rounded, as a number)


@dataclass(frozen=True)
class PerValue:
    """One figure per value of a field: a choice field's choices in their order (zeros
    included), a reference's rows in the referred ledger's order (binned ones marked
    已删除), then the rows with no value under `blank`."""

    field: str
    group: str
    blank: str | None = None  # label of rows with no value (None: not shown)
    hide_zero: bool = False  # the strip leaves out values with no rows
    # Values always listed even at 0 (e.g. the three list kinds), when hide_zero.
    keep: tuple[str, ...] = ()
    strip: bool = True


@dataclass(frozen=True)
class Rate:
    """A percentage: the rows matching `where` among the rows matching `of` ({} = every
    row), with `decimals` places (746 of 792 → 94.2); 0 when there are no rows `of`.
    Its filter is `where` (click → the rows counted above the line)."""

    key: str
    label: str
    where: dict[str, Any]
    of: dict[str, Any] = field(default_factory=dict)
    group: str = "总体情况"
    decimals: int = 1
    tone: str = ""
    hint: str = ""
    strip: bool = True


@dataclass(frozen=True)
class Total:
    """The number of rows, as 合计."""

    key: str = "total"
    label: str = "合计"
    group: str = "总体情况"


@dataclass(frozen=True)
class FigureValue:
    key: str
    label: str
    value: int | float  # a Rate's percentage and a Sum are floats
    where: dict[str, Any]  # the filter behind the figure: click → these rows
    group: str
    tone: str = ""
    hint: str = ""
    optional: bool = False  # may be left out of a narrow strip when 0
    strip: bool = True
    unit: str = ""  # "%" for a Rate, "元" for money: how `text` shows the value
    ledger: str = ""  # the other ledger whose rows `where` filters (Count(ledger=…))

    @property
    def line(self) -> str:
        return f"{self.label}: {self.value}"

    @property
    def text(self) -> str:
        """The value as printed and shown: 94.2%, 2,800,000.00 (stats keeps the bare number)."""
        if self.unit == "%":
            return f"{self.value}%"
        if self.unit == "元":
            return f"{self.value:,.2f}"
        return str(self.value)


@dataclass(frozen=True)
class Derived:
    """A number no row filter gives — computed by the ledger's own rules from the
    database (communities behind on their monthly meeting): compute(db, rowset, year).
    No filter behind it, so never on the strip unless asked."""

    key: str
    label: str
    compute: Callable[[Any, Any, int], int | float]
    group: str = "总体情况"
    tone: str = ""
    hint: str = ""
    strip: bool = False
