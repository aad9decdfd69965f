"""Pages in the navigation that are not a ledger's table (编制总览 …), placed among the
ledgers' pages by group and order like a spec (app.specs.LedgerSpec.group/order)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class NavPage:
    key: str
    title: str
    group: str
    order: int
    build: Callable[[object], QWidget]  # (main window) → the page, built when first shown


def _staffing_overview(window) -> QWidget:
    from ui.rows_dialog import RowsDialog
    from ui.staffing_page import StaffingPage

    page = StaffingPage(window.db)
    def show_people(where: dict, what: str) -> None:
        window.show_where("staff", where)
        window.show_message(f"{what}（点“清除筛选”显示全部人员）")

    page.people_wanted.connect(show_people)

    def open_check(check):
        window.rows_dialog = RowsDialog(window.db, check, window)
        window.rows_dialog.open()

    page.check_opened.connect(open_check)
    return page


def nav_pages() -> list[NavPage]:
    return [NavPage("staffing", "编制总览", "机构编制", 19, _staffing_overview)]
