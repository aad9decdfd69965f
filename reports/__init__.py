"""Qt-free output: PDF reports (reports.pdf) and Excel workbooks (reports.xlsx).

Writers take a ledger spec and an app.services.RowSet, so every ledger prints and
exports through the same code. Long writers accept `progress(done, total)` and
`cancel() -> bool` callables; a cancelled or failed write leaves no partial file
behind and never clobbers an existing file (see `atomic_output`).

This module stays light: reportlab and openpyxl are imported by the submodules."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from app.errors import UserError
from app.ids import mask_id  # noqa: F401 - re-exported: one masking rule app-wide

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]


class Cancelled(UserError):
    """The user cancelled a long write; nothing was written."""

    def __init__(self, message: str = "已取消，未生成文件"):
        super().__init__(message)


def is_masked_field(field) -> bool:
    """Fields shown masked unless the user may see them whole: ID numbers (kind
    idcard, or a name like *id_number*), or a field that says `sensitive=True`."""
    return field.masked or "id_number" in field.name


def pick_columns(rowset, fields, title: str, what: str, mask_ids: bool):
    """The `fields` the rowset has, their positions in its rows, and which of them
    (by position in `fields`) are shown masked. Shared by the PDF and Excel writers."""
    names = [f.name for f in rowset.fields]
    wanted = [f for f in fields if f.name in names]
    if not wanted:
        raise ValueError(f"{title}没有可{what}的列")
    columns = [names.index(f.name) for f in wanted]
    masked = {i for i, f in enumerate(wanted) if mask_ids and is_masked_field(f)}
    return wanted, columns, masked


def check_cancel(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path`.

    On any exception (including Cancelled) the temporary file is deleted, so a
    half-written report never exists and an older file of that name survives.
    The file gets the permissions a plain save would give (the umask, or the old
    file's mode); a read-only file is not replaced. Errors name `path`, never the
    temporary file."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"“{path}”是一个文件夹，请在它后面加上文件名，如 {path / ('台账' + (suffix or '.xlsx'))}")
    if not path.parent.is_dir():
        raise UserError(f"保存位置的文件夹不存在：{path.parent}")
    if path.exists() and not path.stat().st_mode & stat.S_IWUSR:  # even for root
        raise UserError(f"“{path}”是只读文件，未覆盖；请换一个文件名，或先取消该文件的只读属性")
    mode = (path.stat().st_mode & 0o777) if path.exists() else (0o666 & ~_umask())
    tmp: Path | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".~" + path.stem[:40] + "-",
                                        suffix=suffix or path.suffix, dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        yield tmp
        with contextlib.suppress(OSError):  # Windows has only the read-only bit
            os.chmod(tmp, mode)
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise UserError(f"无法写入“{path.name}”：文件可能正在被 Excel、WPS 或 PDF 阅读器打开，"
                            "请关闭后重试") from exc
    except OSError as exc:
        # mkstemp and the writers report the temporary name: the user knows only `path`.
        if exc.filename is not None and (tmp is None or str(exc.filename) == str(tmp)
                                         or Path(str(exc.filename)).name.startswith(".~")):
            exc.filename = str(path)
        raise
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
