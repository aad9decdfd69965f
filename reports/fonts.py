"""CJK fonts for printed reports (ReportLab) and, through `font_files()`, for Qt.

The bundled WenQuanYi Micro Hei (TrueType outlines, Apache-2.0) always works. On
Windows the official-document faces are preferred when installed: 仿宋 for body
text, 黑体 for titles, 宋体 for table cells. ReportLab embeds only TrueType
(glyf) outlines, so every candidate file is checked before it is used; a CFF
("OTTO") font would fail at embedding time and is skipped.

Registration happens once, lazily, on first use, and is thread-safe because
reports are written on worker threads."""

from __future__ import annotations

import os
import struct
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from app.paths import resource

BUNDLED_FILE = ("fonts", "wqy-microhei.ttc")
BUNDLED_LICENCE = ("fonts", "LICENSE-wqy-microhei.txt")
BUNDLED_NAME = "WQYMicroHei"  # ReportLab font name
BUNDLED_FAMILY = "WenQuanYi Micro Hei"  # the family Qt sees after registering the file

# role → candidate system files, best first: (file name, ReportLab name, subfont index).
WINDOWS_CANDIDATES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "body": (("simfang.ttf", "FangSong", 0), ("simsun.ttc", "SimSun", 0)),
    "title": (("simhei.ttf", "SimHei", 0),),
    "table": (("simsun.ttc", "SimSun", 0), ("simfang.ttf", "FangSong", 0)),
}
ROLES = tuple(WINDOWS_CANDIDATES)


@dataclass(frozen=True)
class FontLicence:
    """What an About dialog shows for a font the app ships."""

    name: str
    licence: str
    licence_file: Path


@dataclass
class _State:
    names: dict[str, str]  # role → registered ReportLab font name
    files: list[Path]  # files in use, bundled first


_lock = threading.Lock()
_state: _State | None = None


def system_font_dirs() -> list[Path]:
    """Folders searched for the official faces: only on Windows (machine and per-user fonts)."""
    if sys.platform != "win32":
        return []
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def has_truetype_outlines(path: Path, index: int = 0) -> bool:
    """True if the (sub)font at `index` of a .ttf/.ttc has a glyf table, i.e. TrueType
    outlines that ReportLab can subset and embed. False for CFF fonts and junk."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if index >= count:
                    return False
                fh.seek(12 + 4 * index)
                offset = struct.unpack(">I", fh.read(4))[0]
                fh.seek(offset)
                head = fh.read(12)
            if head[:4] not in (b"\x00\x01\x00\x00", b"true"):
                return False  # "OTTO" = CFF outlines
            num_tables = struct.unpack(">H", head[4:6])[0]
            directory = fh.read(16 * num_tables)
    except (OSError, struct.error):
        return False
    tags = {directory[i:i + 4] for i in range(0, len(directory), 16)}
    return b"glyf" in tags and b"cmap" in tags


def _register(name: str, path: Path, index: int) -> bool:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if name in pdfmetrics.getRegisteredFontNames():
        return True
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
    except (TTFError, OSError, ValueError):
        return False  # unreadable or not embeddable (licence bits): use the next candidate
    return True


def _setup() -> _State:
    bundled = resource(*BUNDLED_FILE)
    if not _register(BUNDLED_NAME, bundled, 0):
        raise RuntimeError(f"无法加载内置字体：{bundled}")
    names = dict.fromkeys(ROLES, BUNDLED_NAME)
    files = [bundled]
    dirs = system_font_dirs()
    for role, candidates in WINDOWS_CANDIDATES.items():
        for filename, rl_name, index in candidates:
            path = next((d / filename for d in dirs if (d / filename).is_file()), None)
            if path is None or not has_truetype_outlines(path, index):
                continue
            if _register(rl_name, path, index):
                names[role] = rl_name
                if path not in files:
                    files.append(path)
                break
    return _State(names, files)


def _get() -> _State:
    global _state
    with _lock:
        if _state is None:
            _state = _setup()
        return _state


def pdf_fonts() -> tuple[str, str]:
    """(body font, title font) as registered ReportLab font names."""
    names = _get().names
    return names["body"], names["title"]


def table_font() -> str:
    """The ReportLab font for table cells (宋体 on Windows when present)."""
    return _get().names["table"]


def font_files() -> list[Path]:
    """Font files the reports use, for QFontDatabase.addApplicationFont.

    The first is always the bundled WenQuanYi Micro Hei (family BUNDLED_FAMILY),
    the face to fall back on for screen text; system faces follow when used."""
    return list(_get().files)


def font_licences() -> list[FontLicence]:
    """Licences of the fonts shipped with the app (system fonts come with Windows)."""
    return [FontLicence(
        name="文泉驿微米黑（WenQuanYi Micro Hei）",
        licence="Apache License 2.0 或 GPLv3（附字体例外条款）",
        licence_file=resource(*BUNDLED_LICENCE),
    )]


def reset() -> None:
    """Forget the chosen fonts so the next call chooses again (tests)."""
    global _state
    with _lock:
        _state = None
