"""Opening untrusted spreadsheet files: sniff the real format from the bytes, refuse
what is too big, encrypted, a zip bomb or not a spreadsheet, then read one sheet with
python-calamine (CSV with the csv module) into a Grid of plain Python values.

Nothing here trusts the file name's extension, and no failure of the reader (including
a Rust panic, which is a BaseException) escapes as anything but a UserError."""

from __future__ import annotations

import contextlib
import csv
import gc
import io
import operator
import zipfile
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from app.errors import UserError
from app.importer import cfb
from app.importer.prescan import (
    MAX_CELLS,
    _too_big,
    scan_ods,
    scan_xls_sheet,
    scan_xlsx_sheet,
    xlsx_sheet_parts,
)

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_ZIP_RATIO = 200  # whole-archive uncompressed/compressed, for archives over 20 MB unpacked

ERROR_TEXTS = frozenset(("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!",
                         "#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!",
                         "#CONNECT!", "#BUSY!", "#UNKNOWN!"))

_EXTENSIONS = {"xlsx": (".xlsx", ".xlsm"), "xls": (".xls",), "ods": (".ods",)}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class SheetInfo:
    name: str
    index: int
    hidden: bool = False


@dataclass
class Grid:
    """One sheet as read: rows[i] is Excel row i+1 (None when the row is blank),
    cells are str / float / int / bool / date / datetime; columns are absolute (A = 0).

    first_row: the number the source gives rows[0] — 1 for a sheet; 0 for a pasted block
    under a heading row the app made up, so problems name the lines as they were pasted."""

    sheet: str
    rows: list[list | None]
    width: int
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    # (row, col) → the error value Excel showed (#N/A …); the reader gives "" there.
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    first_row: int = 1

    def cell(self, r: int, c: int):
        row = self.rows[r] if r < len(self.rows) else None
        if row is None or c >= len(row):
            return ""
        return row[c]

    def preview(self, n: int = 30) -> list[list]:
        """The first n rows, blanks as empty lists, for a wizard's preview table."""
        return [list(r) if r is not None else [] for r in self.rows[:n]]


@contextlib.contextmanager
def paused_gc():
    """The cyclic garbage collector off while 100,000 rows of lists and dicts are
    made: those hold no cycles, and the collector would walk them again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _fail(path: Path, why: str) -> UserError:
    return UserError(f"无法读取文件“{path.name}”：{why}")


class SourceFile:
    """An opened spreadsheet file: which sheets it has, and one sheet at a time read."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.kind = sniff(self.path)  # xlsx | xls | ods | csv
        self._book = None
        self._fh = None
        self._csv_text: str | None = None
        self._sheet_parts: dict[str, str] = {}
        if self.kind == "csv":
            self._csv_text = read_csv_text(self.path)
            self.sheets = [SheetInfo(self.path.stem, 0)]
            return
        import python_calamine as pc

        if self.kind == "ods":
            scan_ods(self.path)  # calamine expands the whole document when it opens it
        if self.path.suffix.lower() in _EXTENSIONS[self.kind]:
            self._book = _guarded(self.path,
                                  lambda: pc.CalamineWorkbook.from_path(str(self.path)))
        else:  # calamine picks the reader by extension; by content from a stream
            self._fh = open(self.path, "rb")  # noqa: SIM115 - closed in close()
            self._book = _guarded(self.path, lambda: pc.CalamineWorkbook.from_filelike(self._fh))
        meta = _guarded(self.path, lambda: self._book.sheets_metadata)
        self.sheets = [SheetInfo(m.name, i, m.visible != pc.SheetVisibleEnum.Visible)
                       for i, m in enumerate(meta) if m.typ == pc.SheetTypeEnum.WorkSheet]
        if self.kind == "xlsx":
            self._sheet_parts = xlsx_sheet_parts(self.path)

        if not self.sheets:
            raise _fail(self.path, "文件中没有工作表")

    def close(self) -> None:
        if self._book is not None:
            try:
                self._book.close()
            except BaseException:  # noqa: BLE001 - closing twice or after a panic
                pass
            self._book = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def read(self, sheet: str | None = None, *, include_hidden: bool = False) -> Grid:
        """One sheet; by default the first visible sheet that holds any data."""
        if sheet is not None:
            if sheet not in self.sheet_names:
                raise UserError(f"文件“{self.path.name}”中没有名为“{sheet}”的工作表"
                                f"（有：{'、'.join(self.sheet_names)}）")
            return self._read(sheet)
        for info in self.sheets:
            if info.hidden and not include_hidden:
                continue
            grid = self._read(info.name)
            if any(r is not None for r in grid.rows):
                return grid
        hidden = [s.name for s in self.sheets if s.hidden]
        extra = f"（隐藏的工作表“{'、'.join(hidden)}”未读取，可指定工作表）" if hidden else ""
        raise _fail(self.path, f"所有工作表都是空的{extra}")

    def _read(self, name: str) -> Grid:
        if self.kind == "csv":
            return _csv_grid(name, self._csv_text or "")
        errors: dict[tuple[int, int], str] = {}
        part = self._sheet_parts.get(name)
        if part:
            errors = scan_xlsx_sheet(self.path, part, name)
        elif self.kind == "xls":
            errors = scan_xls_sheet(self.path, name)
        sheet = _guarded(self.path, lambda: self._book.get_sheet_by_name(name))
        with paused_gc():
            return _guarded(self.path, lambda: _calamine_grid(name, sheet, errors))


def _guarded(path: Path, fn):
    """Run a calamine call; every failure, Rust panics included, becomes a UserError."""
    try:
        return fn()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except UserError:
        raise
    except BaseException as exc:  # noqa: BLE001 - pyo3 PanicException is a BaseException
        name = type(exc).__name__
        if name == "PasswordError" or "password" in str(exc).lower():
            raise _fail(path, "文件设置了密码保护，请在 Excel/WPS 中取消密码后另存再导入") from None
        detail = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else name
        raise _fail(path, f"文件已损坏或不是可识别的表格文件（{detail}）。"
                          "请用 Excel/WPS 打开后另存为 .xlsx 再导入") from None


def _calamine_grid(name: str, sheet, errors) -> Grid:
    start = sheet.start
    if start is None:
        return Grid(name, [], 0, [], errors)
    (r0, c0), (r1, c1) = start, sheet.end
    if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_CELLS:
        raise _too_big(name, r1 + 1, c1 + 1)
    rows: list[list | None] = list(sheet.iter_rows())
    # blank rows (every cell ""), found at C speed: one flag byte per row
    blank = bytes(map(operator.eq, map(list.count, rows, repeat("")), map(len, rows)))
    i = blank.find(1)
    while i >= 0:
        rows[i] = None
        i = blank.find(1, i + 1)
    if c0:
        pad = [""] * c0
        rows = [None if r is None else pad + r for r in rows]
    # python-calamine yields rows from the sheet's first row (A1) on; older versions
    # started at the first used row. Either way row i must be Excel row i+1.
    if len(rows) == r1 - r0 + 1 and r0:
        rows[:0] = [None] * r0
    while rows and rows[-1] is None:
        rows.pop()
    merged = list(sheet.merged_cell_ranges or [])
    return Grid(name, rows, c1 + 1, merged, errors)


# -- sniffing -------------------------------------------------------------------------
def sniff(path: Path) -> str:
    """The real format of the file from its first bytes: xlsx, xls, ods or csv."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(4096)
    except FileNotFoundError:
        raise UserError(f"找不到文件“{path}”") from None
    except OSError as exc:
        raise _fail(path, f"无法打开（{exc.strerror or exc}）") from None
    if size == 0:
        raise _fail(path, "文件是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise _fail(path, f"文件太大（{size / 1024 / 1024:.0f} MB），"
                          f"最多可导入 {MAX_FILE_BYTES // 1024 // 1024} MB 的文件；请分成几个文件导入")
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path)
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<table", b"<meta")):
        raise _fail(path, "这是网页（HTML）格式的文件，只是扩展名像 Excel；"
                          "请用 Excel/WPS 打开后另存为 .xlsx 再导入")
    if lowered.startswith(b"<?xml"):
        raise _fail(path, "这是 XML 格式的表格（Excel 2003 XML 等），请用 Excel/WPS 打开后另存为 .xlsx 再导入")
    if head.startswith(b"%PDF"):
        raise _fail(path, "这是 PDF 文件，不是表格")
    if _looks_like_text(head):
        return "csv"
    raise _fail(path, "不是可识别的表格格式（支持 .xlsx、.xlsm、.xls、.ods、.csv）")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with BOM: Excel's "Unicode 文本"
        return True  # read_csv_text decodes it whole, or says it cannot
    if head.count(b"\x00") > max(8, len(head) // 100):  # binary; a stray NUL in a cell is dropped later
        return False
    head = head.replace(b"\x00", b"")
    mixed = False
    for enc in ("utf-8", "gb18030"):
        try:
            head.decode(enc)
            return True
        except UnicodeDecodeError as exc:
            if enc == "utf-8" and exc.start >= len(head) - 3:  # a character cut at 4096
                return True
            if enc == "utf-8" and not head[:exc.start].isascii():
                mixed = True  # UTF-8 Chinese, then another encoding: said when read
    return mixed


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _fail(path, f"文件已损坏或不完整（{exc}）。请重新下载或用 Excel/WPS 打开后另存") from None
    names = {i.filename for i in infos}
    if any(i.flag_bits & 0x1 for i in infos):
        raise _fail(path, "文件设置了密码保护，请在 Excel/WPS 中取消密码后另存再导入")
    total = sum(i.file_size for i in infos)
    packed = max(1, path.stat().st_size)
    if total > MAX_UNZIPPED_BYTES or (total > 20 * 1024 * 1024 and total / packed > MAX_ZIP_RATIO):
        raise _fail(path, f"解压后的内容异常庞大（约 {total / 1024 / 1024:.0f} MB，"
                          f"压缩比 {total / packed:.0f} 倍），可能是恶意构造的文件，已拒绝")
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise _fail(path, "这是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 再导入")
    if "content.xml" in names and ("mimetype" not in names or _zip_mimetype(path).endswith(
            "spreadsheet")):
        return "ods"
    if "word/document.xml" in names or "content.xml" in names:
        raise _fail(path, "这是文字处理文档，不是表格")
    raise _fail(path, "压缩包中没有工作簿，不是可识别的表格文件")


def _zip_mimetype(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("mimetype")[:100].decode("ascii", "replace").strip()


def _sniff_ole(path: Path) -> str:
    try:
        names = cfb.stream_names(path)
    except ValueError as exc:
        raise _fail(path, f"文件已损坏或不完整（{exc}）") from None
    lowered = {n.lower() for n in names}
    if "encryptedpackage" in lowered or "encryptioninfo" in lowered:
        raise _fail(path, "文件设置了打开密码（已加密），请在 Excel/WPS 中取消密码后另存再导入")
    if "workbook" in lowered or "book" in lowered:
        return "xls"
    if "worddocument" in lowered:
        raise _fail(path, "这是 Word 文档，不是表格")
    raise _fail(path, "不是可识别的表格格式（旧式 Office 文件中没有工作簿）")


# -- CSV --------------------------------------------------------------------------------
def read_csv_text(path: Path) -> str:
    """UTF-8 (with or without BOM) or GBK/GB18030, detected; never asked."""
    data = path.read_bytes()
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        if not before.isascii():  # UTF-8 Chinese first, then something else: mixed
            line = before.count(b"\n") + 1
            raise _fail(path, f"文件混用了不同的文本编码：前面是 UTF-8，从第 {line} 行起不是"
                              "（可能是把 GBK 和 UTF-8 的内容拼在了一起）；请在 Excel/WPS 中"
                              "统一另存为 .xlsx 或 UTF-8 CSV 再导入") from None
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    raise _fail(path, "无法识别文本编码（支持 UTF-8 和 GBK/GB18030），请在 Excel 中另存为 .xlsx 再导入")


def _csv_grid(name: str, text: str) -> Grid:
    sample = text[:8192]
    first = sample.split("\n", 1)[0]
    delimiter = max((",", "\t", ";", "|"), key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    rows: list[list | None] = []
    width = 0
    for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        if not any(c.strip() for c in r):
            rows.append(None)
            continue
        rows.append(r)
        width = max(width, len(r))
    while rows and rows[-1] is None:
        rows.pop()
    return Grid(name, rows, width)


def open_source(path: str | Path) -> SourceFile:
    """Sniff, check and open a file for import; raises UserError with a Chinese message."""
    return SourceFile(path)
