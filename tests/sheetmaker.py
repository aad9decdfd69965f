"""Builders for the odd and hostile spreadsheet files the import tests need, made in
the test's tmp_path: an old .xls (BIFF8 in an OLE2 container, written by hand because
no .xls writer is installed), an encrypted-looking OOXML container, zip bombs, sheets
with error cells and huge used ranges."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

_END, _FREE, _FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def write_cfb(path: Path, streams: dict[str, bytes]) -> None:
    """An OLE2 compound file (512-byte sectors) holding the given streams.

    Streams are padded to 4096 bytes so they live in normal sectors (no mini stream)."""
    sector = 512
    blobs = []
    for name, data in streams.items():
        if len(data) < 4096:
            data = data + b"\x00" * (4096 - len(data))
        blobs.append((name, data))
    # Layout: [FAT sectors][directory sectors][stream sectors...]
    n_entries = 1 + len(blobs)
    dir_sectors = -(-n_entries * 128 // sector)
    stream_sectors = [-(-len(d) // sector) for _, d in blobs]
    data_sectors = dir_sectors + sum(stream_sectors)
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + data_sectors:
        fat_sectors += 1
    fat = [_FATSECT] * fat_sectors
    dir_start = len(fat)
    fat += [dir_start + i + 1 for i in range(dir_sectors - 1)] + [_END]
    starts = []
    for n in stream_sectors:
        s = len(fat)
        starts.append(s)
        fat += [s + i + 1 for i in range(n - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))

    def entry(name: str, kind: int, start: int, size: int, child=_FREE, right=_FREE) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        e = raw.ljust(64, b"\x00")
        e += struct.pack("<HBB", len(raw), kind, 1)  # name length, type, colour black
        e += struct.pack("<III", _FREE, right, child)  # left, right, child
        e += b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16  # clsid, state, times
        e += struct.pack("<IQ", start, size)
        return e

    entries = [entry("Root Entry", 5, _END, 0, child=1 if blobs else _FREE)]
    for i, ((name, data), start) in enumerate(zip(blobs, starts, strict=True)):
        right = i + 2 if i + 1 < len(blobs) else _FREE
        entries.append(entry(name, 2, start, len(data), right=right))
    directory = b"".join(entries).ljust(dir_sectors * sector, b"\x00")

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 0x2C, fat_sectors)
    struct.pack_into("<I", header, 0x30, dir_start)
    struct.pack_into("<I", header, 0x38, 4096)
    struct.pack_into("<II", header, 0x3C, _END, 0)
    struct.pack_into("<II", header, 0x44, _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 0x4C, *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(
        d.ljust(n * sector, b"\x00") for (_, d), n in zip(blobs, stream_sectors, strict=True))
    path.write_bytes(bytes(header) + body)


def _rec(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _bof(dt: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x0600))


def _xfs() -> bytes:
    # 16 style XFs and one cell XF: enough for readers that look formats up.
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    return b"".join(_rec(0x00E0, xf) for _ in range(16)) + _rec(0x00E0, cell)


_ERROR_CODES = {"#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17,
                "#NAME?": 0x1D, "#NUM!": 0x24, "#N/A": 0x2A}


def _cells(rows: list[list]) -> bytes:
    out = []
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            if isinstance(v, str) and v in _ERROR_CODES:
                out.append(_rec(0x0205, struct.pack("<HHHBB", r, c, 16, _ERROR_CODES[v], 1)))
            elif isinstance(v, str):
                text = v.encode("utf-16-le")
                out.append(_rec(0x0204, struct.pack("<HHHHB", r, c, 16, len(v), 1) + text))
            else:
                out.append(_rec(0x0203, struct.pack("<HHHd", r, c, 16, float(v))))
    return b"".join(out)


def xls_bytes(sheets: dict[str, list[list]], *, encrypted: bool = False) -> bytes:
    """A BIFF8 workbook stream: strings as LABEL, numbers as NUMBER, '#N/A' … as errors."""
    names = list(sheets)
    bodies = []
    for name in names:
        rows = sheets[name]
        width = max((len(r) for r in rows), default=0)
        dims = _rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
        bodies.append(_bof(0x0010) + dims + _cells(rows) + _rec(0x000A, b""))

    def globals_(offsets: list[int]) -> bytes:
        g = _bof(0x0005)
        if encrypted:  # RC4 FILEPASS: what Excel writes for a password to open
            g += _rec(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x11" * 48)
        g += _rec(0x0042, struct.pack("<H", 1200)) + _rec(0x0022, struct.pack("<H", 0))
        g += _xfs()
        for name, off in zip(names, offsets, strict=True):
            raw = name.encode("utf-16-le")
            g += _rec(0x0085, struct.pack("<IBBBB", off, 0, 0, len(name), 1) + raw)
        return g + _rec(0x000A, b"")

    size = len(globals_([0] * len(names)))
    offsets = []
    for body in bodies:
        offsets.append(size)
        size += len(body)
    return globals_(offsets) + b"".join(bodies)


def write_xls(path: Path, sheets: dict[str, list[list]], *, encrypted: bool = False) -> Path:
    write_cfb(path, {"Workbook": xls_bytes(sheets, encrypted=encrypted)})
    return path


def write_encrypted_ooxml(path: Path) -> Path:
    """What Excel saves for a workbook with a password to open: an OLE2 container with
    EncryptionInfo and EncryptedPackage streams (contents random here)."""
    write_cfb(path, {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\x00" * 64,
                     "EncryptedPackage": b"\x00" * 5000})
    return path


def write_zip_bomb(path: Path, *, megabytes: int = 1100) -> Path:
    """A valid-looking .xlsx whose sheet inflates to over a gigabyte of zeros.

    The zeros are compressed in one streaming pass so the test stays cheap."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b"\x00" * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
    return path


def patch_sheet_xml(src: Path, dst: Path, sheet_data: str, *, part="xl/worksheets/sheet1.xml",
                    workbook_pr: str | None = None) -> Path:
    """Copy an openpyxl-made .xlsx, replacing the sheet's <sheetData> with raw XML."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                text = data.decode()
                a = text.index("<sheetData")
                b = text.index("</sheetData>") + len("</sheetData>") if "</sheetData>" in text \
                    else text.index("/>", a) + 2
                text = text[:a] + sheet_data + text[b:]
                data = text.encode()
            if info.filename == "xl/workbook.xml" and workbook_pr is not None:
                data = data.replace(b"<workbookPr", workbook_pr.encode(), 1)
            zout.writestr(info.filename, data)
    return dst


def write_ods(path: Path, rows: list[list], *, repeat_last: int = 1, repeat_cols: int = 1) -> Path:
    """A minimal OpenDocument spreadsheet; repeat_last/repeat_cols compress the last row
    the way LibreOffice does (a few bytes that expand into many cells)."""
    from xml.sax.saxutils import escape

    def cell(v, cols=1) -> str:
        rep = f' table:number-columns-repeated="{cols}"' if cols > 1 else ""
        if isinstance(v, (int, float)):
            return (f'<table:table-cell{rep} office:value-type="float" office:value="{v}">'
                    f"<text:p>{v}</text:p></table:table-cell>")
        return (f'<table:table-cell{rep} office:value-type="string"><text:p>{escape(str(v))}'
                "</text:p></table:table-cell>")

    body = []
    for i, r in enumerate(rows):
        last = i == len(rows) - 1
        rep = f' table:number-rows-repeated="{repeat_last}"' if last and repeat_last > 1 else ""
        cells = "".join(cell(v, repeat_cols if last else 1) for v in r)
        body.append(f"<table:table-row{rep}>{cells}</table:table-row>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="表1">'
        + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                   '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                   '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    return path
