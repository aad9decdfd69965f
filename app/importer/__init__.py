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
from app.importer.plan import MODES, Cancel, ImportCancelled, ImportPlan, Problem, Progress
from app.importer.rows import prepare_import
from app.specs import LedgerSpec, get_spec

__all__ = [
    "MODES", "Cancel", "Column", "Grid", "ImportCancelled", "ImportPlan", "ImportSummary",
    "Layout", "Mapping", "Problem", "Progress", "SheetInfo", "SourceFile", "auto_map",
    "commit_import", "detect_layout", "open_source", "prepare_import", "run_import",
    "summarize", "cli_import", "parse_set_values", "map_columns", "mapping_lines",
    "remember_plan",
]


def map_columns(db: Database | None, spec: LedgerSpec, grid: Grid, layout: Layout, *,
                column_map: dict[str, str] | None = None, use_remembered: bool = True,
                take_ambiguous: bool = False) -> Mapping:
    """auto_map with what the database knows: remembered headings and the names the
    ref columns' values may be (see evidence)."""
    from app.importer.evidence import column_evidence
    from app.importer.memory import remembered

    memory = remembered(db, spec.key) if db is not None and use_remembered else {}
    return auto_map(spec, layout.columns, overrides=column_map, remembered=memory,
                    evidence=column_evidence(db, spec, grid, layout),
                    take_ambiguous=take_ambiguous)


def run_import(db: Database, spec: LedgerSpec | str, path: str | Path, *,
               sheet: str | None = None, mode: str = "append", create_missing: bool = False,
               set_values: dict[str, object] | None = None, accept_valid: bool = False,
               dry_run: bool = False, progress: Progress | None = None,
               cancel: Cancel | None = None, column_map: dict[str, str] | None = None,
               value_map: dict[str, dict[str, str | None]] | None = None,
               use_remembered: bool = True, header_row: int | None = None,
               header_rows: int | None = None) -> ImportSummary:
    """Read, check and (unless dry_run, or rows were rejected without accept_valid)
    write a file in one transaction. Raises UserError when the file cannot be read or
    lacks a required column; row problems are in the summary.

    column_map (heading → field, --map) and value_map (--map-value) are remembered
    once the import is written: the headings for the next file, the names as aliases."""
    if isinstance(spec, str):
        spec = get_spec(spec)
    path = Path(path)
    if progress is not None:
        progress(0, 1, "读取文件")
    with open_source(path) as src:
        grid = src.read(sheet)
    layout = detect_layout(grid, spec, header_row=header_row, header_rows=header_rows)
    mapping = map_columns(db, spec, grid, layout, column_map=column_map,
                          use_remembered=use_remembered)
    plan = prepare_import(db, spec, grid, layout, mapping, mode=mode, set_values=set_values,
                          create_missing=create_missing, value_map=value_map,
                          progress=progress, cancel=cancel)
    summary = commit_import(db, plan, file=path.name, accept_valid=accept_valid,
                            dry_run=dry_run, progress=progress, cancel=cancel)
    if summary.written:
        remember_plan(db, plan, only_manual=True)
    return summary


def remember_plan(db: Database, plan: ImportPlan, *, only_manual: bool = False) -> None:
    """Keep what a person decided for this file: columns they mapped (and, from a
    wizard, similar ones they confirmed), names they mapped to existing rows."""
    from app.importer.mapping import MANUAL
    from app.importer.memory import save_choices

    m = plan.mapping
    columns = ({m.column(i).heading: f for i, f in m.assigned.items() if m.how.get(i) == MANUAL}
               if only_manual else m.confirmed())
    save_choices(db, plan.spec.key, columns, plan.value_aliases)


def mapping_lines(plan: ImportPlan | None) -> list[str]:
    """Which heading went to which field, for the summary."""
    if plan is None:
        return []
    return ["列的对应：" + "；".join(plan.mapping.describe())]


def cli_import(db: Database, ledger_key: str, path: str | Path, *, sheet: str | None = None,
               mode: str = "append", create_missing: bool = False,
               set_values: dict[str, object] | None = None, accept_valid: bool = False,
               dry_run: bool = False, errors_path: str | Path | None = None,
               write_errors=None, column_map: dict[str, str] | None = None,
               value_map: dict[str, dict[str, str | None]] | None = None,
               use_remembered: bool = True, header_row: int | None = None,
               header_rows: int | None = None) -> ImportSummary:
    """Everything `main.py import` needs but parsing and printing.

    errors_path: where rejected rows go as .xlsx. app/ cannot import reports/, so the
    writer is passed in: main.py gives reports.templates.write_rejected_rows."""
    if errors_path:  # checked before anything is read or written: never over the input
        from app.outputs import check_output

        check_output(errors_path, path)
    summary = run_import(db, ledger_key, path, sheet=sheet, mode=mode,
                         create_missing=create_missing, set_values=set_values,
                         accept_valid=accept_valid, dry_run=dry_run, column_map=column_map,
                         value_map=value_map, use_remembered=use_remembered,
                         header_row=header_row, header_rows=header_rows)
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
