"""Export and print a ledger on behalf of a user: permission, the writer, the audit entry.

The GUI and the CLI both come here, so every export leaves a trace (留痕)."""

from __future__ import annotations

import os
from pathlib import Path

from app.audit import record
from app.auth import authorize
from app.db import Database
from app.services import RowSet, list_rows
from app.specs import LedgerSpec
from reports import Cancel, Progress


def _audit(db: Database, spec: LedgerSpec, what: str, n: int, path: Path,
           reveal: str = "") -> None:
    audit_output(db, spec.key, f"{what}{spec.title} {n} 行：{path.name}", reveal=reveal)


def audit_output(db: Database, ledger: str, summary: str, *, reveal: str = "") -> None:
    """The audit entry of a document written from the ledgers (a meeting pack, minutes,
    an estate chart); with `reveal`, a 查看 entry before it saying what was shown whole.
    Every output's trace is written here (reports/ commits nowhere else)."""
    with db.session() as s:
        if reveal:
            record(s, db.actor, "reveal", ledger, summary=reveal)
        record(s, db.actor, "export", ledger, summary=summary)
        s.commit()


def export_ledger(db: Database, spec: LedgerSpec, path: str | os.PathLike, *,
                  rowset: RowSet | None = None, fields=None, mask_ids: bool = True,
                  subtitle: str | None = None,
                  progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Write `rowset` (default: every live row, spec order) to .xlsx; returns the row count.
    `subtitle` says what the rows are when they are not all (e.g. the filter used).

    `fields` (default: the spec's export fields) may include columns a page adds, such
    as this year's case counts."""
    from reports.xlsx import write_ledger_xlsx

    authorize(db, "export")
    if not mask_ids:  # whole ID numbers and phones: a user who may see them (not a viewer)
        authorize(db, "reveal")
    path = Path(path)
    rows = rowset if rowset is not None else list_rows(db, spec, spec.export_fields)
    street = db.street_name()
    write_ledger_xlsx(path, spec, rows, title=f"{street}{spec.title}", street_name=street,
                      fields=fields, mask_ids=mask_ids, subtitle=subtitle,
                      progress=progress, cancel=cancel)
    reveal = "" if mask_ids else f"导出{spec.title} {len(rows)} 行的完整身份证号和电话：{path.name}"
    _audit(db, spec, "导出Excel：" if mask_ids else "导出Excel（完整证件号码）：", len(rows), path,
           reveal)
    return len(rows)


def report_ledger(db: Database, spec: LedgerSpec, path: str | os.PathLike, *,
                  rowset: RowSet | None = None, subtitle: str | None = None,
                  progress: Progress | None = None, cancel: Cancel | None = None) -> int:
    """Print `rowset` (default: every live row) as a PDF report; returns the row count.

    `subtitle` says what the rows are when they are not all (e.g. the filter used)."""
    authorize(db, "export")
    path = Path(path)
    from reports.pdf import write_report_pdf

    rows = rowset if rowset is not None else list_rows(db, spec)
    write_report_pdf(db, spec, path, rowset=rows, subtitle=subtitle, progress=progress,
                     cancel=cancel)
    _audit(db, spec, "打印PDF：", len(rows), path)
    return len(rows)
