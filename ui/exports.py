"""Excel export of the current view and PDF reports, run through ui.workers.

Each asks where to save (the folder is remembered), proposes a file name that says
what is inside (ledger, filter, date), writes the filter into the file, and then
offers 打开文件 / 打开所在文件夹. reports/ (reportlab, openpyxl) is imported when
first used, so start-up never pays for it."""

from __future__ import annotations

import atexit
import contextlib
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.services import RowSet
from ui.filter_bar import EMPTY_LABEL
from ui.row_view import EMPTY
from ui.settings import qsettings
from ui.workers import run_task


def _writers():
    """reports.export with its writers, imported here on the main thread: an import on a
    pool thread runs PySide6's import hook there, which crashed (segfault) in tests."""
    import reports.export
    import reports.pdf  # noqa: F401 - reportlab, for report_ledger
    import reports.powers  # noqa: F401
    import reports.xlsx  # noqa: F401 - openpyxl, for export_ledger

    return reports.export


def visible_rowset(page, drop_hidden: bool = True) -> RowSet:
    """What the user sees — filtered and in the order shown — as a RowSet; all of it,
    should the page still be reading its rows (ui.page_loader)."""
    loader = getattr(page, "loader", None)
    if loader is not None:
        loader.wait()
    ids, versions, rows = page.model.visible_rows()
    hidden = getattr(page, "filter_only", ()) if drop_hidden else ()
    if hidden:  # read only to filter by: not a column of the export or the print
        keep = [i for i, f in enumerate(page.fields) if f not in hidden]
        return RowSet(tuple(page.fields[i] for i in keep), ids, versions,
                      [tuple(r[i] for i in keep) for r in rows])
    return RowSet(page.fields, ids, versions, rows)


def filter_description(page) -> str:
    """'筛选条件：清单类别为“下放行政权力”；关键字“处罚”' or '' when nothing is filtered."""
    parts = []
    for name, value in page.filter_bar.filters().items():
        label = next(f.label for f in page.fields if f.name == name)
        parts.append(f"{label}为“{EMPTY_LABEL if value == EMPTY else value}”")
    for column, flt in sorted(getattr(page, "column_filters", {}).items()):
        parts.append(f"{page.fields[column].label}为“{flt.label}”")
    query = page.model.view.query.strip()
    if query:
        parts.append(f"关键字“{query}”")
    return ("筛选条件：" + "；".join(parts)) if parts else ""


# Characters Windows refuses in a file name, and control characters.
_NOT_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_file_part(text: str, limit: int = 60) -> str:
    return _NOT_IN_NAMES.sub("-", text).strip(" .-")[:limit].strip(" .-")


def filter_words(page) -> str:
    """The filter as a file-name part: '属地管理事项_含处罚', '' when nothing is filtered."""
    parts = [EMPTY_LABEL if v is EMPTY else str(v) for v in page.filter_bar.filters().values()]
    parts += [flt.label for _c, flt in sorted(getattr(page, "column_filters", {}).items())]
    query = page.model.view.query.strip()
    if query:
        parts.append(f"含{query}")
    return safe_file_part("_".join(parts))


def default_name(page, suffix: str) -> str:
    """'南城街道权责清单_属地管理事项_20261202.xlsx': a filtered and an unfiltered export
    of the same day get different names."""
    title = safe_file_part(f"{page.db.street_name()}{page.spec.title}")
    parts = (title, filter_words(page), f"{date.today():%Y%m%d}")
    return "_".join(p for p in parts if p) + suffix


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
    path = ask_save_path(page, "导出Excel", default_name(page, ".xlsx"),
                         "Excel 工作簿 (*.xlsx)", ".xlsx")
    if path is None:
        return
    rowset = visible_rowset(page)
    export_ledger = _writers().export_ledger
    note = filter_description(page)

    def job(task):
        return export_ledger(page.db, spec, path, rowset=rowset, fields=list(rowset.fields),
                             subtitle=note or None, progress=task.progress,
                             cancel=lambda: task.cancelled)

    def done(n):
        page.last_export = path
        text = f"已导出{spec.title} {n} 行{f'（{note}）' if note else ''}"
        page.message.emit(f"{text}：{path}")
        page.output_offer = offer_open(page, path, text, page.message.emit)

    page.export_task = run_task(page, job, label=f"正在导出{spec.title}…", on_done=done)


def open_folder(path: Path, on_fail=None) -> bool:
    """Show the folder holding `path` (on Windows with the file selected)."""
    if sys.platform == "win32":
        import subprocess

        subprocess.Popen(["explorer", f"/select,{path}"])  # noqa: S603, S607 - Explorer itself
        return True
    return open_file(path.parent, on_fail=on_fail)


def offer_open(parent, path: Path, text: str, say=None) -> QMessageBox:
    """After an export or report: 打开文件 (the default, one Enter away) / 打开所在文件夹 /
    关闭. Window-modal but not blocking; returned so a test can press its buttons."""
    box = QMessageBox(QMessageBox.Information, "已完成", f"{text}。\n\n保存位置：{path}",
                      QMessageBox.NoButton, parent)
    box.open_button = box.addButton("打开文件", QMessageBox.AcceptRole)
    box.folder_button = box.addButton("打开所在文件夹", QMessageBox.ActionRole)
    box.addButton("关闭", QMessageBox.RejectRole)
    box.setDefaultButton(box.open_button)

    def failed(what: str):
        message = f"无法自动打开{what}，请手动打开：{path if what == '文件' else path.parent}"
        return lambda: say(message) if say else None

    def clicked(button) -> None:
        if button is box.open_button and not open_file(path, on_fail=failed("文件")):
            failed("文件")()
        elif button is box.folder_button and not open_folder(path, on_fail=failed("文件夹")):
            failed("文件夹")()

    box.buttonClicked.connect(clicked)
    box.finished.connect(box.deleteLater)
    box.open()
    return box


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
    """Print the current view as the ledger's PDF report, saved where the user chooses;
    then its print preview (打印…, or open it in the system viewer, or its folder)."""
    path = ask_save_path(page, "打印/导出PDF", default_name(page, ".pdf"), "PDF 文件 (*.pdf)",
                         ".pdf")
    if path is not None:
        _write_report(page, path)


def preview_pdf(page) -> None:
    """打印预览: the same report straight into its preview, asking for no file name: it is
    written to a temporary folder and deleted when the preview closes (另存为… keeps it)."""
    _write_report(page, preview_folder() / default_name(page, ".pdf"), temporary=True)


PREVIEW_PREFIX = "streetledger-preview-"
STALE_PREVIEW_SECONDS = 24 * 3600  # no preview stays open a day: older ones are left-overs
_PREVIEW_FOLDERS: set[Path] = set()  # this process's, not yet removed


def preview_folder() -> Path:
    """A new folder for one preview's PDF. The folders of previews still open when the app
    quits go at exit; those an earlier run could not remove (a crash, or a viewer still
    holding the file on Windows) are swept here, once a day old."""
    sweep_stale_previews(Path(tempfile.gettempdir()))
    if not _PREVIEW_FOLDERS:
        atexit.unregister(drop_previews)  # registered once however many previews come
        atexit.register(drop_previews)
    folder = Path(tempfile.mkdtemp(prefix=PREVIEW_PREFIX))
    _PREVIEW_FOLDERS.add(folder)
    return folder


def drop_previews() -> None:
    for folder in list(_PREVIEW_FOLDERS):
        shutil.rmtree(folder, ignore_errors=True)
        _PREVIEW_FOLDERS.discard(folder)


def sweep_stale_previews(where: Path, now: float | None = None) -> None:
    limit = (time.time() if now is None else now) - STALE_PREVIEW_SECONDS
    with contextlib.suppress(OSError):
        for folder in where.glob(PREVIEW_PREFIX + "*"):
            with contextlib.suppress(OSError):
                if folder.is_dir() and folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)


def _write_report(page, path: Path, *, temporary: bool = False) -> None:
    spec = page.spec
    rowset = visible_rowset(page)
    report_ledger = _writers().report_ledger
    subtitle = filter_description(page) or None  # a filtered print says which rows it holds

    def job(task):
        try:
            n = report_ledger(page.db, spec, path, rowset=rowset, subtitle=subtitle,
                              progress=task.progress, cancel=lambda: task.cancelled)
        except BaseException:
            if temporary:
                remove_temporary(path)
            raise
        if temporary and task.cancelled:
            remove_temporary(path)
        return n

    def describe(n):
        return f"已生成{spec.title}报表，共 {n} 条{f'（{subtitle}）' if subtitle else ''}"

    if not temporary:
        print_pdf(page, path, f"{spec.title}报表", job, describe)
        return

    def done(n):
        page.last_preview = path
        page.output_offer = preview_or_offer(page, path, describe(n), page.message.emit,
                                             title=f"{spec.title}报表", temporary=True)

    page.export_task = run_task(page, job, label=f"正在生成{spec.title}报表…", on_done=done)


def remove_temporary(path: Path) -> None:
    """A preview's temporary PDF and the folder made for it (nothing else is in there)."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()
        _PREVIEW_FOLDERS.discard(path.parent)


def preview_or_offer(parent, path: Path, text: str, say=None, *, title: str | None = None,
                     temporary: bool = False):
    """After a PDF is written: its print preview (打印… / 另存为… / 打开文件 / 打开所在文件夹),
    or — should QtPdf fail to read it — the plain 打开文件 / 打开所在文件夹 offer."""
    from app.errors import UserError
    from ui.pdf_preview import show_pdf

    try:
        return show_pdf(parent, path, title=title, say=say, note=text, temporary=temporary)
    except UserError as exc:
        if not temporary:
            return offer_open(parent, path, text, say)
        remove_temporary(path)  # nothing to offer: the file was only for the preview
        from ui.dialogs import show_error

        show_error(parent, exc)
        return None


def print_pdf(page, path: Path, title: str, job, describe) -> None:
    """Write a PDF off the GUI thread — job(task) writes `path` and returns a count —
    then say describe(count) and show its print preview. Every document a page prints
    goes through here."""
    def done(n):
        page.last_pdf = path
        text = describe(n)
        page.message.emit(f"{text}：{path}")
        page.output_offer = preview_or_offer(page, path, text, page.message.emit, title=title)

    page.export_task = run_task(page, job, label=f"正在生成{title}…", on_done=done)


def staffing_document(page) -> None:
    """机构编制情况 (reports.staffing): the staffing documents of the street as one PDF, saved
    where the user chooses, then its print preview (the 机构编制 pages' toolbar action)."""
    title = "机构编制情况"
    name = f"{safe_file_part(page.db.street_name() + title)}_{date.today():%Y%m%d}.pdf"
    path = ask_save_path(page, title, name, "PDF 文件 (*.pdf)", ".pdf")
    if path is None:
        return
    from reports.staffing import write_staffing_pdf  # on the main thread (see _writers)

    print_pdf(page, path, title,
              lambda task: write_staffing_pdf(page.db, path, progress=task.progress,
                                              cancel=lambda: task.cancelled),
              lambda pages: f"已生成{title}，共 {pages} 页")
