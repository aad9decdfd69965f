"""The powers list (权责清单) as a printed report: the generic ledger report, whose
summary is the list's declared figures counted over the rows printed."""

from __future__ import annotations

import os
from datetime import date

from app.specs.powers import POWERS
from reports.pdf import report_sections, write_report_pdf


def powers_sections(db, *, year: int | None = None, rowset=None,
                    report_date: date | None = None, subtitle: str | None = None) -> list:
    return report_sections(db, POWERS, rowset=rowset, year=year, report_date=report_date,
                           subtitle=subtitle)


def write_powers_pdf(db, path: str | os.PathLike, *, year: int | None = None, rowset=None,
                     report_date: date | None = None, subtitle: str | None = None,
                     progress=None, cancel=None) -> int:
    return write_report_pdf(db, POWERS, path, rowset=rowset, year=year,
                            report_date=report_date, subtitle=subtitle, progress=progress,
                            cancel=cancel)
