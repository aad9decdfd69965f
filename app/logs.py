"""The app's log: a rotating file in data_dir()/logs that support staff can ask for.

`setup_logging()` is called once at start (GUI and CLI). It writes a start-up line,
and, through SQLAlchemy events, a line when a database is first opened and one per
committed audit entry of the kinds support asks about (imports, exports, backups,
sign-ins, account changes) — so those parts of the core need no logging code.

Nothing secret reaches the file: `SensitiveFilter` sits on the handler and masks
18-digit resident ID numbers (510502********1234), whatever follows "password=" /
"密码：" and the password in database URLs, in messages and tracebacks alike."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import re
import sys
import weakref
from pathlib import Path

LOGGER = "streetledger"
LOG_NAME = "streetledger.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s [%(name)s/%(threadName)s] %(message)s"

log = logging.getLogger(LOGGER)

# 17 digits + digit/X, not part of a longer run of digits or letters.
_ID = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
# password=…, passwd: …, pwd=…, 密码：… — everything after it on that line.
_SECRET = re.compile(r"(?i)((?:password|passwd|pwd|密码)[\"']?\s*[=:：]\s*)[^\r\n]+")
# scheme://user:secret@host
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]+(@)")
# A password hash anywhere ($argon2id$v=19$m=…$salt$hash, $2b$…, pbkdf2…) and the value
# of a password_hash / hash parameter in a statement dump.
_HASH = re.compile(r"\$(?:argon2(?:id|i|d)|2[aby]|pbkdf2[\w-]*|scrypt)\$[\w$=,+/.-]*")
_HASH_PARAM = re.compile(r"(?i)(['\"]?\w*(?:hash|password|passwd|secret)\w*['\"]?\s*[=:]\s*)"
                         r"(['\"])[^'\"]*\2")
# The operator's name on the command line may be a password typed in the wrong place.
_CLI_USER = re.compile(r"(--user[= ])(\S)\S*")
# Control characters other than the line breaks of a traceback forge log lines.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\x85]")

# Audit actions worth a log line; row edits are left to the audit trail itself.
LOGGED_ACTIONS = {"import", "export", "backup", "restore_db", "purge", "login",
                  "login_failed", "logout", "user"}


def mask(text: str) -> str:
    """The text with ID numbers and secrets masked."""
    text = _ID.sub(r"\1********\2", text)
    text = _HASH_PARAM.sub(r"\1\2***\2", text)
    text = _HASH.sub("$***", text)
    text = _SECRET.sub(r"\1***", text)
    return _URL_PASSWORD.sub(r"\1***\2", text)


def escape_line(text: str) -> str:
    """One log line stays one line: newlines and control characters written as escapes."""
    text = text.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class SensitiveFilter(logging.Filter):
    """Masks ID numbers and passwords in the message, its arguments and the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = escape_line(mask(message)), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def log_dir() -> Path:
    from app.paths import data_dir

    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    return log_dir() / LOG_NAME


_handler: logging.Handler | None = None
_fault_file = None


def setup_logging(level: int = logging.INFO, *, faults: bool = True) -> Path:
    """Log to data_dir()/logs/streetledger.log (1 MB × 6 files); returns the file.

    Safe to call again: a changed data folder (tests) moves the handler there.
    `faults` also sends hard crashes (a crash inside Qt) to logs/faults.log."""
    global _handler
    path = log_file()
    root = logging.getLogger()
    if _handler is not None and Path(getattr(_handler, "baseFilename", "")) == path:
        return path
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(SensitiveFilter())
    root.addHandler(handler)
    if root.level > level or root.level == logging.NOTSET:
        root.setLevel(level)
    _handler = handler
    logging.captureWarnings(True)
    if faults:
        _enable_faulthandler(path.parent / "faults.log")
    # SQLAlchemy's events now if it is loaded; else app.db installs them when the first
    # Database opens (the GUI shows its first frame before importing SQLAlchemy).
    if "sqlalchemy" in sys.modules:
        install_db_events()
    from app import __version__

    frozen = "安装版" if getattr(sys, "frozen", False) else "源码运行"
    log.info("启动 StreetLedger %s（%s，Python %s，%s）命令行参数：%s", __version__, frozen,
             platform.python_version(), platform.platform(),
             _CLI_USER.sub(r"\1\2***", " ".join(sys.argv[1:])) or "无")
    return path


def teardown_logging() -> None:
    """Close the log file (tests, and before the data folder is moved or deleted)."""
    global _handler, _fault_file
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
    if _fault_file is not None:
        import faulthandler

        faulthandler.disable()
        _fault_file.close()
        _fault_file = None


def _enable_faulthandler(path: Path) -> None:
    """A crash in native code (Qt) leaves a Python stack in faults.log instead of nothing."""
    global _fault_file
    import faulthandler

    try:
        fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the process
    except OSError:
        return
    faulthandler.enable(fh)
    if _fault_file is not None:
        _fault_file.close()
    _fault_file = fh


def log_exception(exc: BaseException, where: str = "", tb=None) -> None:
    """Write an uncaught exception (with its traceback) to the log."""
    log.error("未处理的异常%s：%s: %s", f"（{where}）" if where else "", type(exc).__name__, exc,
              exc_info=(type(exc), exc, tb if tb is not None else exc.__traceback__))


_seen_engines: weakref.WeakSet = weakref.WeakSet()
_events_installed = False


def install_db_events() -> None:
    """Log engine connections and flushes (idempotent)."""
    global _events_installed
    if _events_installed:
        return
    from sqlalchemy import event
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

    event.listen(Engine, "engine_connect", _on_engine_connect)
    event.listen(Session, "after_flush", _on_after_flush)
    event.listen(Session, "after_commit", _on_after_commit)
    event.listen(Session, "after_soft_rollback", _on_rollback)
    _events_installed = True


def _on_engine_connect(conn) -> None:
    engine = conn.engine
    if engine in _seen_engines:
        return
    _seen_engines.add(engine)
    log.info("打开数据库：%s", engine.url.render_as_string(hide_password=True))


def _on_after_flush(session, _context) -> None:
    from app.models import AuditEntry

    pending = [e for e in session.new if isinstance(e, AuditEntry) and e.action in LOGGED_ACTIONS]
    if pending:
        session.info.setdefault("streetledger_log", []).extend(
            (e.username, e.action, e.ledger, e.summary) for e in pending)


def _on_after_commit(session) -> None:
    from app.audit import ACTIONS

    for user, action, ledger, summary in session.info.pop("streetledger_log", ()):
        log.info("%s %s%s%s", user, ACTIONS.get(action, action), f" [{ledger}]" if ledger else "",
                 f"：{summary}" if summary else "")


def _on_rollback(session, _previous) -> None:
    session.info.pop("streetledger_log", None)
