"""One SQLite file, one writer: a lock record of who has the file open.

Like GnuCash's gnclock table: each process that opens the file for writing adds a
row with its host and process id and removes it on close. A row left by a process
that died on this host is stale and is cleared; a live holder elsewhere means the
user chooses "open read-only" or "open anyway" (warned). SQLite on a network share
is not safe at all: say so and point to the PostgreSQL mode."""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from app.models import OpenLock, now

NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "sshfs", "9p", "afs",
              "fuse.gvfsd-fuse", "davfs", "ncpfs"}
SHARE_WARNING = ("数据库文件位于网络共享文件夹，多台电脑同时使用 SQLite 文件可能损坏数据。"
                 "多人共用请改用“共享数据库（PostgreSQL）”")


@dataclass(frozen=True)
class Holder:
    hostname: str
    pid: int
    username: str
    opened_at: object

    def describe(self) -> str:
        return f"{self.username or '未知用户'}（电脑 {self.hostname}，进程 {self.pid}，" \
               f"{self.opened_at:%Y-%m-%d %H:%M} 打开）"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFO
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holders(db) -> list[Holder]:
    """Other live processes that have this database open; stale local rows are removed."""
    if db.backend != "sqlite":
        return []
    host, me = socket.gethostname(), os.getpid()
    found = []
    with db.session() as s:
        for row in s.execute(select(OpenLock)).scalars():
            if row.hostname == host and (row.pid == me or not _alive(row.pid)):
                if row.pid != me:
                    s.delete(row)  # left by a process that died (crash, power cut)
                continue
            found.append(Holder(row.hostname, row.pid, row.username, row.opened_at))
        s.commit()
    return found


def acquire(db) -> int | None:
    if db.backend != "sqlite":
        return None
    with db.session() as s:
        row = OpenLock(hostname=socket.gethostname(), pid=os.getpid(), username=db.actor,
                       opened_at=now())
        s.add(row)
        s.commit()
        return row.id


def release(db) -> None:
    if db.backend != "sqlite":
        return
    with db.session() as s:
        s.execute(delete(OpenLock).where(OpenLock.hostname == socket.gethostname(),
                                         OpenLock.pid == os.getpid()))
        s.commit()


def on_network_share(path: Path) -> bool:
    path = Path(path).resolve()
    text = str(path)
    if sys.platform == "win32":
        if text.startswith("\\\\"):
            return True
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(f"{path.drive}\\") == 4  # DRIVE_REMOTE
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    best, fstype = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            point = parts[1].replace("\\040", " ")
            if (text == point or text.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
                best, fstype = point, parts[2]
    return fstype in NETWORK_FS
