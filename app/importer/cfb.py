"""A minimal reader for OLE2 compound files (the container of .xls, and of encrypted
.xlsx files): just enough to list the stream names and read one stream, so the
importer can tell an old workbook from a password-protected new one before any
parser touches it. Every chain walk is bounded: a hostile file cannot loop."""

from __future__ import annotations

import struct
from pathlib import Path

_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_SPECIAL = 0xFFFFFFFA


class _File:
    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(_MAGIC):
            raise ValueError("不是完整的 OLE2 文件")
        self.data = data
        shift = struct.unpack_from("<H", data, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("扇区大小无效")
        self.size = 1 << shift
        self.mini_size = 1 << struct.unpack_from("<H", data, 0x20)[0]
        self.cutoff = struct.unpack_from("<I", data, 0x38)[0]
        self.nsectors = max(0, (len(data) - self.size) // self.size)
        difat = list(struct.unpack_from("<109I", data, 0x4C))
        nxt, count = struct.unpack_from("<II", data, 0x44)
        per = self.size // 4 - 1
        for _ in range(min(count, self.nsectors)):
            if nxt >= _SPECIAL:
                break
            sector = self._sector(nxt)
            vals = struct.unpack_from(f"<{per + 1}I", sector)
            difat.extend(vals[:per])
            nxt = vals[per]
        fat: list[int] = []
        for s in difat:
            if s >= _SPECIAL:
                continue
            fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(s)))
        self.fat = fat
        first_dir = struct.unpack_from("<I", data, 0x30)[0]
        self.dir_bytes = self._chain(first_dir, self.fat, self._sector)
        self.entries = []
        for off in range(0, len(self.dir_bytes) - 127, 128):
            e = self.dir_bytes[off:off + 128]
            nlen = min(struct.unpack_from("<H", e, 0x40)[0], 64)
            kind = e[0x42]
            if kind == 0:
                continue
            name = e[:max(0, nlen - 2)].decode("utf-16-le", "replace")
            start = struct.unpack_from("<I", e, 0x74)[0]
            size = struct.unpack_from("<Q", e, 0x78)[0]
            if self.size == 512:
                size &= 0xFFFFFFFF
            self.entries.append((name, kind, start, size))

    def _sector(self, n: int) -> bytes:
        off = (n + 1) * self.size
        if n >= self.nsectors or off + self.size > len(self.data):
            raise ValueError("扇区编号超出文件范围（文件不完整）")
        return self.data[off:off + self.size]

    def _chain(self, start: int, fat: list[int], read, limit: int | None = None) -> bytes:
        out, seen, n = [], 0, start
        limit = limit if limit is not None else len(fat)
        while n < _SPECIAL:
            if n >= len(fat) or seen > limit:
                raise ValueError("扇区链损坏")
            out.append(read(n))
            n = fat[n]
            seen += 1
        return b"".join(out)

    def stream(self, name: str, max_bytes: int | None = None) -> bytes:
        for ename, kind, start, size in self.entries:
            if kind == 2 and ename.lower() == name.lower():
                if size < self.cutoff:
                    return self._mini(start, size)
                data = self._chain(start, self.fat, self._sector)
                return data[:size if max_bytes is None else min(size, max_bytes)]
        raise KeyError(name)

    def _mini(self, start: int, size: int) -> bytes:
        root = next((e for e in self.entries if e[1] == 5), None)
        if root is None:
            raise ValueError("缺少根目录")
        ministream = self._chain(root[2], self.fat, self._sector)
        first_minifat = struct.unpack_from("<I", self.data, 0x3C)[0]
        raw = self._chain(first_minifat, self.fat, self._sector) if first_minifat < _SPECIAL \
            else b""
        minifat = list(struct.unpack_from(f"<{len(raw) // 4}I", raw))

        def read(n: int) -> bytes:
            off = n * self.mini_size
            if off + self.mini_size > len(ministream):
                raise ValueError("小扇区编号超出范围")
            return ministream[off:off + self.mini_size]

        return self._chain(start, minifat, read)[:size]


def open_cfb(path: Path) -> _File:
    return _File(Path(path).read_bytes())


def stream_names(path: Path) -> list[str]:
    """Names of the streams and storages in a compound file; ValueError if damaged."""
    try:
        return [e[0] for e in open_cfb(path).entries]
    except struct.error:
        raise ValueError("文件结构损坏") from None
