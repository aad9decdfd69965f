"""What went wrong, in words an office user can act on (Qt-free, so the CLI can use it too).

`explain(exc)` looks through the exception and its causes (SQLAlchemy keeps the
driver's error in `.orig`, `raise … from` in `__cause__`) for failures people meet
on office PCs: a full disk, a database another program is writing, a file open in
Excel, a folder without write permission. Anything else is a bug and says so."""

from __future__ import annotations

import errno
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from app.errors import UserError

# Windows system error codes (winerror) that Python does not map to a distinct errno.
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
ERROR_DISK_FULL = 112
ERROR_HANDLE_DISK_FULL = 39

SPREADSHEETS = {".xlsx", ".xlsm", ".xls", ".csv", ".et", ".ods"}


@dataclass(frozen=True)
class Explanation:
    title: str
    message: str
    kind: str  # "user" (a refused action), "known" (the environment), "bug"

    @property
    def is_bug(self) -> bool:
        return self.kind == "bug"


def causes(exc: BaseException):
    """The exception, then what caused it, outermost first (cycles stopped)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        e = todo.pop(0)
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]


def _name(filename) -> str:
    # PureWindowsPath splits on both / and \\, whatever this machine is.
    return f"“{PureWindowsPath(str(filename)).name}”" if filename else ""


def _in_use(filename) -> str:
    suffix = Path(str(filename or "")).suffix.lower()
    if suffix in SPREADSHEETS:
        return "请先在Excel中关闭该文件（WPS 表格同样需要关闭），然后重试。"
    if suffix == ".pdf":
        return "请先在PDF阅读器中关闭该文件，然后重试。"
    return "请先关闭正在使用该文件的程序，然后重试。"


def explain(exc: BaseException, *, windows: bool | None = None) -> Explanation:
    """The plain-words explanation of `exc`; `windows` defaults to this machine."""
    windows = sys.platform == "win32" if windows is None else windows
    chain = list(causes(exc))
    for e in chain:
        if isinstance(e, UserError):
            return Explanation("操作未完成", e.message, "user")
    for e in chain:
        said = explain_driver(e)
        if said:
            shared = type(e).__module__.startswith("psycopg")
            return Explanation("无法连接共享数据库" if shared else "无法打开数据库", said, "known")
    for e in chain:
        found = _known(e, windows)
        if found:
            return Explanation(*found, "known")
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return Explanation(
        "程序出错",
        f"程序遇到了一个意外错误（{type(exc).__name__}{'：' + text if text else ''}），"
        "刚才的操作没有完成，已保存的数据不受影响。\n"
        "如果问题反复出现，请点击“复制错误信息”，把内容连同日志文件发给维护人员。",
        "bug")


def _known(e: BaseException, windows: bool) -> tuple[str, str] | None:
    low = str(e).lower()
    if isinstance(e, MemoryError):
        return "内存不足", "电脑内存不足，操作没有完成。请关闭其他程序后重试。"
    if isinstance(e, OSError):
        name = _name(e.filename)
        winerror = getattr(e, "winerror", None)
        if e.errno == errno.ENOSPC or winerror in (ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL):
            return ("磁盘空间不足",
                    f"磁盘已满，无法写入{name or '文件'}。请删除不需要的文件或清空回收站，"
                    "或换一个磁盘保存，然后重试。")
        if winerror in (ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION):
            return "文件正在使用中", f"文件{name}正被其他程序打开。{_in_use(e.filename)}"
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            suffix = Path(str(e.filename or "")).suffix.lower()
            # On Windows, open() reports a file Excel holds as plain "permission denied".
            if windows and isinstance(e, PermissionError) and (suffix in SPREADSHEETS
                                                               or suffix == ".pdf"):
                return ("文件正在使用中",
                        f"无法写入文件{name}，它可能正在Excel、WPS或其他程序中打开。"
                        f"{_in_use(e.filename)}")
            where = f"：{e.filename}" if e.filename else ""
            return ("没有写入权限",
                    f"没有权限写入{where or '该位置'}。请换一个文件夹保存（例如“文档”或桌面），"
                    "或请电脑管理员开放该文件夹的写入权限。")
    if type(e).__module__.startswith("sqlite3"):
        if "database is locked" in low or "database table is locked" in low:
            return ("数据库正忙",
                    "数据库正被其他程序占用（可能另一个窗口或另一台电脑正在写入），"
                    "刚才的修改没有保存。请稍等片刻后重试；如果一直如此，请关闭其他正在使用"
                    "该数据库的街道治理台账窗口。")
        if "disk is full" in low or "database or disk is full" in low:
            return "磁盘空间不足", "磁盘已满，数据库无法写入。请清理磁盘空间后重试。"
        if "readonly database" in low or "unable to open database file" in low:
            return ("没有写入权限",
                    "无法写入数据库文件：该文件或所在文件夹是只读的，或没有访问权限。"
                    "请检查数据文件夹的权限，或在“关于”中查看数据库位置。")
    if type(e).__module__.startswith("psycopg") and type(e).__name__ == "OperationalError":
        from app.connection import explain as explain_pg

        return "无法连接共享数据库", f"{explain_pg(e)}。请检查网络或联系管理员后重试。"
    return None


# -- the database driver's words at connect time (issue 17; kept apart from _known) ---------

_PG_WHERE = re.compile(r'server at "([^"]*)"(?:\s*\([^)]*\))?,\s*port (\d+)')
_PG_NAMED = re.compile(r'(database|role) "([^"]*)" does not exist')


def explain_driver(e: BaseException) -> str | None:
    """What to do about a database that cannot be opened: the server refuses or is
    missing, the database or user does not exist, the file is not a database. The
    driver's English stays in the log; the user reads what to change."""
    if type(e).__module__.startswith("sqlite3"):
        low = str(e).lower()
        if "file is not a database" in low:
            return ("该文件不是街道治理台账的数据库（可能是其他文件，或已损坏/加密）；"
                    "请检查 --db 给出的路径，或从备份恢复")
        return None
    if not type(e).__module__.startswith("psycopg"):
        return None
    text = str(e)
    low = text.lower()
    m = _PG_WHERE.search(text)
    where = f"{m.group(1)}:{m.group(2)}" if m else "服务器"
    named = _PG_NAMED.search(text)
    if named and named.group(1) == "database":
        return (f"服务器 {where} 上没有名为“{named.group(2)}”的数据库；请检查地址中的数据库名，"
                f"或请管理员先创建它（createdb {named.group(2)}）")
    if named:
        return f"服务器 {where} 上没有数据库用户“{named.group(2)}”；请检查地址中的用户名"
    if "password authentication failed" in low or "no password supplied" in low:
        return "数据库用户名或密码错误；请检查地址中的用户名，密码可写在地址中或在设置中保存"
    if "connection refused" in low:
        return (f"无法连接到服务器 {where}：服务器没有启动、端口不对或被防火墙阻挡；"
                "请确认 PostgreSQL 已启动并检查地址和端口")
    if "could not translate host name" in low or "name or service not known" in low \
            or "nodename nor servname" in low:
        return "找不到数据库服务器；请检查地址中的主机名"
    if "timeout" in low or "timed out" in low or "no route to host" in low \
            or "network is unreachable" in low:
        return f"连接服务器 {where} 超时；请检查网络，或确认服务器地址正确"
    return None
