"""核查: rules that need more than one row, each naming the rows that break it, so a
click can open them. Every ledger family lists its own (app.grids, app.staffing_checks);
this is the shape they share."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Check:
    """One line of a 核查 list: a rule, the ledger its rows are in and those rows."""

    key: str
    label: str
    ledger: str
    ids: tuple[int, ...]
    hint: str = ""
    notes: dict[int, str] = field(default_factory=dict, compare=False)  # row id → why

    @property
    def line(self) -> str:
        return f"{self.label}: {len(self.ids)}"
