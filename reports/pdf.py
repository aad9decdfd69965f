"""Printed ledger reports: one generic table report driven by a ledger spec, composed of
reports.sections (title block, optional summary, the table), so a meeting pack can take
the same sections from `ledger_sections` and put them beside others'."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date

from app.specs import Field, LedgerSpec
from reports import Cancel, Progress
from reports.pdf_table import Summary, _allocate  # noqa: F401 - _allocate: tested here
from reports.sections import Document, Figures, Heading, LedgerTable, Masthead, build_pdf


def ledger_sections(spec: LedgerSpec, rowset, *, title: str, street_name: str,
                    subtitle: str | None = None, summary: Summary | None = None,
                    report_date: date | None = None, fields: Sequence[Field] | None = None,
                    mask_ids: bool = True) -> list:
    """The report's sections: title block (共N条 counts the rows printed), then — with a
    summary — 一、汇总情况 and 二、…明细 headings around the figures and the table."""
    out: list = [Masthead(title, street_name, subtitle or "", report_date, len(rowset.rows))]
    if summary:
        out += [Heading("汇总情况"), Figures(summary), Heading(f"{spec.title}明细")]
    return out + [LedgerTable(spec, rowset, fields, mask_ids)]


def write_ledger_pdf(path: str | os.PathLike, spec: LedgerSpec, rowset, *, title: str,
                     street_name: str, subtitle: str | None = None,
                     summary: Summary | None = None,
                     report_date: date | None = None, fields: Sequence[Field] | None = None,
                     mask_ids: bool = True, progress: Progress | None = None,
                     cancel: Cancel | None = None) -> int:
    """Write `rowset` (app.services.RowSet) as a printed table report; returns the page count.

    Columns are `fields` or spec.pdf_fields, picked by name out of rowset.fields
    (fields the rowset lacks are skipped). `summary` — (label, number) pairs, or
    (group title, pairs) groups — is shown as a compact table above the rows.
    `progress(done, total)` is called per page; `cancel()` returning True stops
    with reports.Cancelled and leaves no file."""
    sections = ledger_sections(spec, rowset, title=title, street_name=street_name,
                               subtitle=subtitle, summary=summary, report_date=report_date,
                               fields=fields, mask_ids=mask_ids)
    doc = Document(sections, title=title, author=street_name, subject=spec.title,
                   landscape=spec.pdf_landscape)
    return build_pdf(path, doc, progress=progress, cancel=cancel)


def report_sections(db, spec: LedgerSpec, *, rowset=None, year: int | None = None,
                    report_date: date | None = None, subtitle: str | None = None) -> list:
    """A ledger's printed report for a meeting pack to compose: the title block, the
    spec's figures counted over the rows printed (一、汇总情况) and the table."""
    from app.figures import figures, grouped
    from app.services import list_rows

    street = db.street_name()
    rows = rowset if rowset is not None else list_rows(db, spec, spec.pdf_fields, year=year)
    summary = grouped(figures(db, spec, year, rows)) if spec.figures else None
    return ledger_sections(spec, rows, title=f"{street}{spec.title}", street_name=street,
                           subtitle=subtitle, summary=summary, report_date=report_date)


def write_report_pdf(db, spec: LedgerSpec, path: str | os.PathLike, *, rowset=None,
                     year: int | None = None, report_date: date | None = None,
                     subtitle: str | None = None, progress: Progress | None = None,
                     cancel: Cancel | None = None) -> int:
    """The street's ledger as a PDF; `rowset` (e.g. the GUI's filtered view) defaults to
    every live row. Returns the page count."""
    street = db.street_name()
    sections = report_sections(db, spec, rowset=rowset, year=year, report_date=report_date,
                               subtitle=subtitle)
    doc = Document(sections, title=f"{street}{spec.title}", author=street, subject=spec.title,
                   landscape=spec.pdf_landscape)
    return build_pdf(path, doc, progress=progress, cancel=cancel)
