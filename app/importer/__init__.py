"""Spec-driven import of Excel/WPS/CSV files into any ledger (Qt-free).

Step by step, as a wizard uses it:

    src = open_source(path)                      # sniff, size/zip-bomb/password checks
    src.sheets                                   # [SheetInfo(name, index, hidden)]
    grid = src.read(sheet_name_or_None)          # Grid; grid.preview(30)
    layout = detect_layout(grid, spec)           # header rows, columns, first data row
    mapping = auto_map(spec, layout.columns)     # mapping.assign(col, field or None)
    plan = prepare_import(db, spec, grid, layout, mapping, mode=..., set_values=...,
                          create_missing=..., progress=..., cancel=...)
    plan.problems / plan.unknown_refs / len(plan.new_rows) / len(plan.updates) …
    summary = commit_import(db, plan, file=..., accept_valid=..., progress=..., cancel=...)

or in one call: run_import(db, spec, path, ...). Nothing is written before
commit_import, and commit_import writes everything in one transaction or nothing."""

from __future__ import annotations

from pathlib import Path

from app.db import Database
from app.importer.commit import ImportSummary, commit_import, summarize
from app.importer.files import Grid, SheetInfo, SourceFile, open_source
from app.importer.header import Layout, detect_layout
from app.importer.mapping import Column, FieldIndex, Mapping, auto_map
from app.importer.rows import (
    MODES,
    Cancel,
    ImportCancelled,
    ImportPlan,
    Problem,
    Progress,
    prepare_import,
)
from app.specs import LedgerSpec, get_spec

__all__ = [
    "MODES", "Cancel", "Column", "Grid", "ImportCancelled", "ImportPlan", "ImportSummary",
    "Layout", "Mapping", "Problem", "Progress", "SheetInfo", "SourceFile", "auto_map",
    "commit_import", "detect_layout", "open_source", "prepare_import", "run_import",
    "summarize", "cli_import", "parse_set_values",
]


def run_import(db: Database, spec: LedgerSpec | str, path: str | Path, *,
               sheet: str | None = None, mode: str = "append", create_missing: bool = False,
               set_values: dict[str, object] | None = None, accept_valid: bool = False,
               dry_run: bool = False, progress: Progress | None = None,
               cancel: Cancel | None = None) -> ImportSummary:
    """Read, check and (unless dry_run, or rows were rejected without accept_valid)
    write a file in one transaction. Raises UserError when the file cannot be read or
    lacks a required column; row problems are in the summary."""
    if isinstance(spec, str):
        spec = get_spec(spec)
    path = Path(path)
    if progress is not None:
        progress(0, 1, "读取文件")
    with open_source(path) as src:
        grid = src.read(sheet)
    layout = detect_layout(grid, spec)
    mapping = auto_map(spec, layout.columns)
    plan = prepare_import(db, spec, grid, layout, mapping, mode=mode, set_values=set_values,
                          create_missing=create_missing, progress=progress, cancel=cancel)
    return commit_import(db, plan, file=path.name, accept_valid=accept_valid, dry_run=dry_run,
                         progress=progress, cancel=cancel)


def cli_import(db: Database, ledger_key: str, path: str | Path, *, sheet: str | None = None,
               mode: str = "append", create_missing: bool = False,
               set_values: dict[str, object] | None = None, accept_valid: bool = False,
               dry_run: bool = False, errors_path: str | Path | None = None,
               write_errors=None) -> ImportSummary:
    """Everything `main.py import` needs but parsing and printing.

    errors_path: where rejected rows go as .xlsx. app/ cannot import reports/, so the
    writer is passed in: main.py gives reports.templates.write_rejected_rows."""
    if errors_path:  # checked before anything is read or written: never over the input
        from app.outputs import check_output

        check_output(errors_path, path)
    summary = run_import(db, ledger_key, path, sheet=sheet, mode=mode,
                         create_missing=create_missing, set_values=set_values,
                         accept_valid=accept_valid, dry_run=dry_run)
    if errors_path and summary.rejected and summary.plan is not None:
        if write_errors is None:
            from app.errors import UserError

            raise UserError("未提供错误清单的写出程序")
        write_errors(summary.plan, errors_path)
        summary.errors_file = str(errors_path)
    return summary


def parse_set_values(items: list[str] | None) -> dict[str, str]:
    """CLI `--set FIELD=VALUE` items → {FIELD: VALUE} (FIELD as name or label)."""
    out = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            from app.errors import UserError

            raise UserError(f"--set 的格式应为 字段=值（如 --set 清单类别=下放行政权力），收到“{item}”")
        out[name.strip()] = value.strip()
    return out


_ = (Column, FieldIndex, Grid, Layout, Mapping, SheetInfo, SourceFile)
