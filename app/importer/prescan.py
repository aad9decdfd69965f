"""Looking inside a workbook before calamine parses it: the used range it would
allocate (one cell in A1 and one in XFD1048576 make 17 billion), and the error cells
(#N/A, #REF! …) that calamine returns as empty strings."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

from app.errors import UserError
from app.importer import cfb

# calamine allocates the whole rectangle between the first and the last cell, about
# 32 bytes a cell: 10 million cells is some 320 MB.
MAX_CELLS = 10_000_000


def _fail(path: Path, why: str) -> UserError:
    return UserError(f"无法读取文件“{path.name}”：{why}")


# A cell in column AA or beyond, or in row 100000 or beyond: one cheap pass finds
# them (a typical cell "B12" fails after two characters).
_OUTER_CELL = re.compile(rb'<c r="([A-Z](?:[A-Z]+\d+|\d{6,}))"')
_REF_PARTS = re.compile(rb"([A-Z]+)(\d+)")
_CELL_COL = re.compile(rb'<c r="([A-Z]+)')
_CELL_FULL = re.compile(rb'<c r="([A-Z]+)(\d+)"')
_CELL_REF = re.compile(rb' r="([A-Z]+)(\d+)"')
_ERR_VALUE = re.compile(rb"<v>([^<]{1,20})</v>")


def xlsx_sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → part name inside the zip, from workbook.xml and its relationships."""
    import xml.etree.ElementTree as ET

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    try:
        with zipfile.ZipFile(path) as z:
            wb = ET.fromstring(z.read("xl/workbook.xml"))
            rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError):
        return {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for s in wb.iter(f"{ns_main}sheet"):
        target = targets.get(s.get(f"{ns_rel}id"), "")
        if target:
            parts[s.get("name", "")] = (target.lstrip("/") if target.startswith("/")
                                        else "xl/" + target)
    return parts


def _xml_chunks(path: Path, part: str):
    """The decompressed part in large blocks, each cut before its last '<'."""
    with zipfile.ZipFile(path) as z, z.open(part) as f:
        tail = b""
        while True:
            block = f.read(1 << 23)
            if not block:
                break
            buf = tail + block
            cut = buf.rfind(b"<")
            if cut <= 0:
                tail = buf
                continue
            yield buf[:cut]
            tail = buf[cut:]
        if tail:
            yield tail


def scan_xlsx_sheet(path: Path, part: str, sheet: str) -> dict[tuple[int, int], str]:
    """Before calamine parses a sheet: refuse a used range it would blow up into, and
    find the error cells (#N/A, #REF! …), which calamine returns as empty strings.

    Cheap: byte searches over the decompressed XML, no XML parsing. The bound on the
    range is pessimistic (up to 100000 rows × 26 columns is assumed without looking);
    only when it is exceeded are the columns counted exactly."""
    errors: dict[tuple[int, int], str] = {}
    max_row, max_col = 99_999, 25
    try:
        for chunk in _xml_chunks(path, part):
            for ref in set(_OUTER_CELL.findall(chunk)):
                letters, digits = _REF_PARTS.fullmatch(ref).groups()
                max_row = max(max_row, int(digits))
                max_col = max(max_col, col_index(letters.decode()))
            # '#' is rare in sheet XML (text lives in sharedStrings.xml): look closer
            # only where an error value (#N/A, #REF! …) may be.
            if b"#" in chunk and b't="e"' in chunk:
                _find_errors(chunk, errors)
        if max_row * (max_col + 1) > MAX_CELLS:
            # Count exactly, rows too: 2 rows × 101 columns is not 99,999 rows × 101.
            cols, max_row = set(), 0
            for chunk in _xml_chunks(path, part):
                for letters, digits in _CELL_FULL.findall(chunk):
                    cols.add(letters)
                    max_row = max(max_row, int(digits))
            max_col = max((col_index(c.decode()) for c in cols), default=0)
    except KeyError:
        return errors
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        raise _fail(path, f"文件已损坏或不完整（{exc}）") from None
    if max_row * (max_col + 1) > MAX_CELLS or max_row > 1_048_576:
        raise _too_big(sheet, max_row, max_col + 1)
    return errors


def _too_big(sheet: str, rows: int, cols: int) -> UserError:
    sheet = f"工作表“{sheet}”" if sheet else "工作表"
    return UserError(f"{sheet}的范围过大（{rows} 行 × {cols} 列），可能有大量空白格式的"
                     "行或列；请在 Excel/WPS 中删除多余的行列后另存再导入")


def _find_errors(chunk: bytes, errors: dict) -> None:
    pos = chunk.find(b't="e"')
    while pos >= 0:
        start = chunk.rfind(b"<c ", 0, pos)
        end = chunk.find(b"</c>", pos)
        if start >= 0 and end > 0:
            cell = chunk[start:end]
            ref = _CELL_REF.search(cell)
            val = _ERR_VALUE.search(cell)
            if ref:
                key = (int(ref.group(2)) - 1, col_index(ref.group(1).decode()))
                errors[key] = val.group(1).decode("utf-8", "replace") if val else "#错误"
        pos = chunk.find(b't="e"', pos + 5)


_XLS_ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!",
               0x1D: "#NAME?", 0x24: "#NUM!", 0x2A: "#N/A"}
# BOOLERR with fError=1, and FORMULA whose cached result is an error (FormulaValue
# byte 0 = 2, bytes 6-7 = FFFF). Found by pattern over the sheet's own records; a
# candidate counts only where the reader saw an empty cell, so a look-alike inside
# another record cannot invent an error.
_XLS_BOOLERR = re.compile(rb"\x05\x02\x08\x00(..)(..)..(.)\x01", re.DOTALL)
_XLS_FORMULA_ERR = re.compile(rb"\x06\x00..(..)(..)..\x02.(.)...\xff\xff", re.DOTALL)


def scan_xls_sheet(path: Path, sheet: str) -> dict[tuple[int, int], str]:
    """Error cells of an .xls sheet (calamine reads them as empty strings)."""
    try:
        stream = cfb.open_cfb(path).stream("Workbook")
    except (KeyError, ValueError, struct.error):
        try:
            stream = cfb.open_cfb(path).stream("Book")
        except (KeyError, ValueError, struct.error):
            return {}
    offsets, pos = {}, 0
    while pos + 4 <= len(stream):  # the globals substream: find the sheets' offsets
        kind, size = struct.unpack_from("<HH", stream, pos)
        if kind == 0x0085 and size >= 8:
            off, _state, _dt, cch, high = struct.unpack_from("<IBBBB", stream, pos + 4)
            raw = stream[pos + 12: pos + 12 + (cch * 2 if high & 1 else cch)]
            name = raw.decode("utf-16-le" if high & 1 else "latin-1", "replace")
            offsets[name] = off
        pos += 4 + size
        if kind == 0x000A:
            break
    if sheet not in offsets:
        return {}
    start = offsets[sheet]
    later = [o for o in offsets.values() if o > start]
    body = stream[start:min(later) if later else len(stream)]
    errors = {}
    for pattern in (_XLS_BOOLERR, _XLS_FORMULA_ERR):
        for m in pattern.finditer(body):
            r, c = struct.unpack("<H", m.group(1))[0], struct.unpack("<H", m.group(2))[0]
            errors[(r, c)] = _XLS_ERRORS.get(m.group(3)[0], "#错误")
    return errors


def col_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letter(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/>|>(.*?)</table:table-row>)", re.DOTALL)
_ODS_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d+)"')
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)>")
_ODS_COLS_REPEATED = re.compile(rb'number-columns-repeated="(\d+)"')


def scan_ods(path: Path) -> None:
    """ODS compresses repetition into attributes: a row of one value repeated a million
    times over a thousand columns is a few hundred bytes that calamine expands into a
    billion cells. Add up what the filled rows would expand to, before calamine does."""
    rows = width = 0
    tail = b""
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
            while True:
                block = f.read(1 << 23)
                buf = tail + block
                end = buf.rfind(b"</table:table-row>") if block else len(buf)
                if end < 0 and block:
                    tail = buf
                    continue
                end = end + len(b"</table:table-row>") if block else end
                chunk, tail = buf[:end], buf[end:]
                for m in _ODS_ROW.finditer(chunk):
                    rep = _ODS_ROWS_REPEATED.search(m.group(1))
                    repeat = int(rep.group(1)) if rep else 1
                    body = m.group(3) or b""
                    if b"office:value-type" not in body and b"<text:p" not in body:
                        rows += repeat if rows else 0  # blank rows count once data began
                        continue
                    cells = 0
                    for cell in _ODS_CELL.finditer(body):
                        crep = _ODS_COLS_REPEATED.search(cell.group(1))
                        cells += int(crep.group(1)) if crep else 1
                    rows += repeat
                    width = max(width, cells)
                    if rows * width > MAX_CELLS:
                        raise _too_big("", rows, width)
                if not block:
                    break
    except KeyError:
        return
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        raise _fail(path, f"文件已损坏或不完整（{exc}）") from None
