"""The printed documents a ledger offers beyond its table report (机构编制情况, 整改调度报告,
红黑榜), so the GUI lists them on the ledger's page without knowing each writer. A ledger
added later registers its documents here (one line each)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    key: str  # the `report` sub-command's name (main.py)
    ledgers: tuple[str, ...]  # the pages that offer it
    title: str
    module: str
    function: str  # write(db, path[, period=]) -> pages
    period: bool = False  # takes period="2026Q4" / "2026-11" / "2026" (None: this quarter)

    def write(self, db, path, *, period: str | None = None) -> int:
        write = getattr(importlib.import_module(self.module), self.function)
        return write(db, path, period=period) if self.period else write(db, path)


DOCUMENTS: tuple[Document, ...] = (
    Document("staffing", ("authorisations", "staff"), "机构编制情况", "reports.staffing",
             "write_staffing_pdf"),
    Document("dispatch", ("rectification",), "整改调度报告", "reports.rectification",
             "write_rectification_pdf", period=True),
    Document("red-black", ("rectification",), "红黑榜", "reports.rectification",
             "write_red_black_pdf", period=True),
)


def documents_of(ledger: str) -> list[Document]:
    return [d for d in DOCUMENTS if ledger in d.ledgers]
