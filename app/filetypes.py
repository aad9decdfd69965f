"""What an attached file is, judged by its bytes (not its name alone), and a file name
that is safe to write on Windows and Linux.

A renamed program (x.exe → x.jpg) or a zip posing as a Word file is refused: the
extension must be one we accept, and the content must be what that extension says."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from app.errors import UserError

MAX_BYTES = 20 * 1024 * 1024  # one file; a phone photo is 3–8 MB, a scanned PDF 1–10 MB

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003, Excel 97–2003, WPS, ET

# extension → (family, MIME type stored with the file)
TYPES: dict[str, tuple[str, str]] = {
    "jpg": ("jpeg", "image/jpeg"), "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"), "gif": ("gif", "image/gif"), "bmp": ("bmp", "image/bmp"),
    "webp": ("webp", "image/webp"), "pdf": ("pdf", "application/pdf"),
    "doc": ("ole", "application/msword"),
    "xls": ("ole", "application/vnd.ms-excel"),
    "wps": ("ole|docx", "application/vnd.ms-works"),
    "et": ("ole|xlsx", "application/vnd.ms-excel"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "txt": ("text", "text/plain"),
}
IMAGE_MIMES = {"image/jpeg", "image/png", "image/gif", "image/bmp", "image/webp"}
ACCEPTED_TEXT = "图片（jpg、png、gif、bmp、webp）、PDF、Word/Excel/WPS 文档（doc、docx、xls、xlsx、wps、et）和文本（txt）"
# For the file dialog's filter.
PATTERNS = " ".join(f"*.{e}" for e in TYPES)


def human_size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} 字节"


def extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _families(data: bytes) -> set[str]:
    """Every family the bytes could be."""
    head = data[:16]
    found = set()
    if head.startswith(b"\xff\xd8\xff"):
        found.add("jpeg")
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        found.add("png")
    if head[:6] in (b"GIF87a", b"GIF89a"):
        found.add("gif")
    if head.startswith(b"BM") and len(data) > 26:
        found.add("bmp")
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        found.add("webp")
    if b"%PDF-" in data[:1024]:  # the header may follow a few junk bytes (PDF 1.7 §7.5.2)
        found.add("pdf")
    if head.startswith(_OLE):
        found.add("ole")
    if head.startswith(b"PK\x03\x04"):
        found |= _office_zip(data)
    if _is_text(data):
        found.add("text")
    return found


def _office_zip(data: bytes) -> set[str]:
    """docx / xlsx by the parts the zip's directory names (nothing is decompressed)."""
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()
    if "[Content_Types].xml" not in names:
        return set()
    out = set()
    if any(n.startswith("word/") for n in names):
        out.add("docx")
    if any(n.startswith("xl/") for n in names):
        out.add("xlsx")
    return out


def _is_text(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            sample.decode("utf-16")
            return True
        except UnicodeDecodeError:
            return False
    if b"\x00" in sample:
        return False
    for enc in ("utf-8", "gb18030"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError as exc:
            # A multi-byte character cut by the sample's end is still text.
            if len(data) > len(sample) and exc.start >= len(sample) - 4:
                text = sample[:exc.start].decode(enc)
            else:
                continue
        controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
        return controls <= len(text) // 100
    return False


def check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise UserError(f"文件“{name}”大小为 {human_size(size)}，超过单个附件 "
                        f"{human_size(MAX_BYTES)} 的上限，未添加；请压缩图片或拆分文件后再试")
    if size == 0:
        raise UserError(f"文件“{name}”是空文件（0 字节），未添加")


def check_file(name: str, data: bytes) -> str:
    """The MIME type to store for this file, or a UserError in Chinese naming the file."""
    check_size(name, len(data))
    ext = extension(name)
    if ext not in TYPES:
        what = f"“.{ext}”类型的文件" if ext else "没有扩展名的文件"
        raise UserError(f"不能添加“{name}”：不支持{what}。可添加的有{ACCEPTED_TEXT}")
    family, mime = TYPES[ext]
    if not set(family.split("|")) & _families(data):
        raise UserError(f"不能添加“{name}”：文件内容不是扩展名所说的 .{ext} 格式"
                        "（可能已损坏或被改了扩展名），未添加")
    return mime


def is_image(mime: str) -> bool:
    return mime in IMAGE_MIMES


# -- names on disk ------------------------------------------------------------------

_BAD = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$",
             *(f"com{i}" for i in "123456789¹²³"), *(f"lpt{i}" for i in "123456789¹²³")}
_MIME_EXT = {mime: ext for ext, (_f, mime) in reversed(TYPES.items())}


def display_name(name: str) -> str:
    """The name shown and stored: the last part of a path, at most 255 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return (base or "附件")[-255:]


def safe_filename(name: str, mime: str = "") -> str:
    """A name to write into our own folder on any system: no folders, no characters
    Windows refuses, no reserved device name (CON, NUL, COM1 …), not hidden, not too
    long, and ending in the extension its content has, so the viewer that opens it is
    the one for that type whatever the stored name says."""
    base = unicodedata.normalize("NFC", display_name(name))
    base = _BAD.sub("_", base).strip(" .")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    wanted = _MIME_EXT.get(mime) or (ext.lower() if ext.lower() in TYPES else "bin")
    if not (ext.lower() in TYPES and TYPES[ext.lower()][1] == (mime or TYPES[ext.lower()][1])):
        # The name's extension is not the content's: kept, harmless, inside the stem.
        stem, ext = (f"{stem}_{ext}" if ext else stem), wanted
    stem = stem.strip(" .") or "附件"
    if stem.split(".")[0].strip().lower() in _RESERVED:
        stem = "_" + stem
    return f"{stem[:100]}.{ext}"
