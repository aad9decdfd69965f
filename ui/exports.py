"""Excel export of the current view and PDF reports, run through ui.workers.

reports/ (reportlab, openpyxl) is imported inside the worker functions only, so
start-up never pays for it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from app.paths import data_dir
from app.services import RowSet
from ui.filter_bar import EMPTY_LABEL
from ui.settings import qsettings
from ui.table_model import EMPTY
from ui.workers import run_task


def _writers():
    """reports.export with its writers, imported here on the main thread: an import on a
    pool thread runs PySide6's import hook there, which crashed (segfault) in tests."""
    import reports.export
    import reports.pdf  # noqa: F401 - reportlab, for report_ledger
    import reports.powers  # noqa: F401
    import reports.xlsx  # noqa: F401 - openpyxl, for export_ledger

    return reports.export


def visible_rowset(page) -> RowSet:
    """What the user sees — filtered and in the order shown — as a RowSet; all of it,
    should the page still be reading its rows (ui.page_loader)."""
    loader = getattr(page, "loader", None)
    if loader is not None:
        loader.wait()
    ids, versions, rows = page.model.visible_rows()
    return RowSet(page.fields, ids, versions, rows)


def filter_description(page) -> str:
    """'筛选条件：清单类别为“下放行政权力”；关键字“处罚”' or '' when nothing is filtered."""
    parts = []
    for name, value in page.filter_bar.filters().items():
        label = next(f.label for f in page.fields if f.name == name)
        parts.append(f"{label}为“{EMPTY_LABEL if value == EMPTY else value}”")
    query = page.model.view.query.strip()
    if query:
        parts.append(f"关键字“{query}”")
    return ("筛选条件：" + "；".join(parts)) if parts else ""


def _export_dir() -> Path:
    saved = qsettings().value("export/dir", "")
    if saved and Path(saved).is_dir():
        return Path(saved)
    docs = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


def ask_save_path(page, title: str, name: str, pattern: str, suffix: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(page, title, str(_export_dir() / name), pattern)
    if not path:
        return None
    path = Path(path)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    qsettings().setValue("export/dir", str(path.parent))
    return path


def export_view_xlsx(page) -> None:
    """Ask for a file name and write the current view (filtered, sorted) to .xlsx."""
    spec = page.spec
    path = ask_save_path(page, "导出Excel", f"{spec.title}_{date.today():%Y%m%d}.xlsx",
                         "Excel 工作簿 (*.xlsx)", ".xlsx")
    if path is None:
        return
    rowset = visible_rowset(page)
    export_ledger = _writers().export_ledger

    def job(task):
        return export_ledger(page.db, spec, path, rowset=rowset, fields=list(rowset.fields),
                             progress=task.progress, cancel=lambda: task.cancelled)

    note = filter_description(page)

    def done(n):
        page.last_export = path
        page.message.emit(f"已导出{spec.title} {n} 行{f'（{note}）' if note else ''}：{path}")

    page.export_task = run_task(page, job, label=f"正在导出{spec.title}…", on_done=done)


def report_path(title: str) -> Path:
    folder = data_dir() / "报表"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{title}_{datetime.now():%Y%m%d_%H%M%S}.pdf"


_OPENERS: set = set()  # running xdg-open processes, kept alive until they finish


def open_file(path: Path, on_fail=None) -> bool:
    """Open `path` in the system's viewer; False (or on_fail() later) when it cannot.

    On Linux Qt's openUrl reports success as soon as xdg-open starts, even when no
    program can show the file (xdg-open then exits 3 or 4): run it ourselves and
    watch its exit code, without blocking the window."""
    import shutil
    import sys

    if sys.platform in ("win32", "darwin"):
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    opener = shutil.which("xdg-open")
    if not opener:
        return False
    from PySide6.QtCore import QProcess

    proc = QProcess()
    _OPENERS.add(proc)

    def finished(code=0, _status=None):
        _OPENERS.discard(proc)
        if code != 0 and on_fail is not None:
            on_fail()

    def failed(_error):
        if proc in _OPENERS:
            _OPENERS.discard(proc)
            if on_fail is not None:
                on_fail()

    proc.finished.connect(finished)
    proc.errorOccurred.connect(failed)
    proc.start(opener, [str(path)])
    return True


def export_pdf(page) -> None:
    """Print the current view as the ledger's PDF report (in the data folder's 报表
    folder) and open it in the system viewer, where it can be printed or saved."""
    spec = page.spec
    path = report_path(spec.title)
    rowset = visible_rowset(page)
    report_ledger = _writers().report_ledger
    subtitle = filter_description(page) or None  # a filtered print says which rows it holds

    def job(task):
        return report_ledger(page.db, spec, path, rowset=rowset, subtitle=subtitle,
                             progress=task.progress, cancel=lambda: task.cancelled)

    def done(_n):
        page.last_pdf = path
        fallback = f"已生成报表，但无法自动打开，请手动打开：{path}"
        if open_file(path, on_fail=lambda: page.message.emit(fallback)):
            page.message.emit(f"已生成报表：{path}")
        else:
            page.message.emit(fallback)

    page.export_task = run_task(page, job, label=f"正在生成{spec.title}报表…", on_done=done)
