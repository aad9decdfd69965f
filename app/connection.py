"""Choosing the database: the embedded SQLite file or a shared PostgreSQL server.

`test_connection` turns the driver's failures into the precise Chinese reason a user
can act on (host unreachable, wrong password, database missing, server too old)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from app.errors import UserError

MIN_SERVER_VERSION = 120000  # PostgreSQL 12
KEYRING_SERVICE = "StreetLedger"


@dataclass
class ConnectionSettings:
    kind: str = "sqlite"  # sqlite | postgresql
    path: str = ""  # SQLite file; empty = the default in the user's data folder
    host: str = "127.0.0.1"
    port: int = 5432
    database: str = "streetledger"
    user: str = "postgres"
    password: str = ""

    def url(self) -> str:
        if self.kind == "sqlite":
            if self.path:
                from app.db import normalize_url

                return normalize_url(self.path)
            from app.paths import default_db_url

            return default_db_url()
        auth = quote(self.user, safe="")
        if self.password:
            auth += ":" + quote(self.password, safe="")
        return f"postgresql+psycopg://{auth}@{self.host}:{int(self.port)}/{quote(self.database, safe='')}"

    def describe(self) -> str:
        if self.kind == "sqlite":
            return f"本机数据库（SQLite）{self.path or '默认位置'}"
        return f"共享数据库（PostgreSQL）{self.user}@{self.host}:{self.port}/{self.database}"


def explain(exc: BaseException, settings: ConnectionSettings | None = None) -> str:
    """A driver error → what went wrong, in words an office user can pass on to IT."""
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    where = f"{settings.host}:{settings.port}" if settings else "服务器"
    if "password authentication failed" in low or "no password supplied" in low:
        return f"用户名或密码错误（用户 {settings.user if settings else ''}）"
    if "does not exist" in low and "database" in low:
        return f"数据库“{settings.database if settings else ''}”不存在，请让管理员先创建"
    if "could not translate host name" in low or "name or service not known" in low \
            or "nodename nor servname" in low or "getaddrinfo" in low:
        return f"找不到服务器“{settings.host if settings else ''}”，请检查服务器地址"
    if "connection refused" in low or "timeout" in low or "timed out" in low \
            or "no route to host" in low or "network is unreachable" in low:
        return f"无法连接到服务器 {where}（服务器未启动、端口不对或被防火墙阻挡）"
    if "role" in low and "does not exist" in low:
        return f"数据库用户“{settings.user if settings else ''}”不存在"
    if "permission denied" in low:
        return "该用户没有访问此数据库的权限"
    if "terminating connection" in low or "server closed the connection" in low \
            or "connection is closed" in low or "consuming input failed" in low:
        return "与数据库服务器的连接中断"
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"连接失败：{first[:200]}"


def check_connection(settings: ConnectionSettings) -> tuple[bool, str]:
    """Try to connect (without migrating); (ok, Chinese message)."""
    if settings.kind == "sqlite":
        try:
            from app.db import Database

            Database(settings.url(), migrate_schema=False).close()
        except Exception as exc:  # noqa: BLE001 - reported to the user
            return False, f"无法打开本机数据库：{exc}"
        return True, "本机数据库可以使用"
    import psycopg

    try:
        with psycopg.connect(host=settings.host, port=int(settings.port),
                             dbname=settings.database, user=settings.user,
                             password=settings.password or None, connect_timeout=5) as conn:
            version = conn.info.server_version
    except psycopg.Error as exc:
        return False, explain(exc, settings)
    except OSError as exc:
        return False, explain(exc, settings)
    if version < MIN_SERVER_VERSION:
        return False, (f"服务器版本过旧（PostgreSQL {version // 10000}），"
                       f"需要 PostgreSQL {MIN_SERVER_VERSION // 10000} 或更新版本")
    return True, f"连接成功（PostgreSQL {version // 10000}.{version % 10000}）"


def is_connection_error(exc: BaseException) -> bool:
    """True for a lost or refused database connection (retrying later may help)."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        import psycopg

        return isinstance(exc.orig, psycopg.OperationalError)
    return False


# -- the password is never written in plain text to the settings file --------------------

def store_password(settings: ConnectionSettings) -> bool:
    """Keep the password in the OS keyring when one is available; False = ask each time."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, _account(settings), settings.password)
        return True
    except Exception:  # noqa: BLE001 - no keyring on this machine
        return False


def load_password(settings: ConnectionSettings) -> str:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, _account(settings)) or ""
    except Exception:  # noqa: BLE001
        return ""


def forget_password(settings: ConnectionSettings) -> None:
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, _account(settings))
    except Exception:  # noqa: BLE001 - nothing stored, or no keyring
        pass


def _account(settings: ConnectionSettings) -> str:
    return f"{settings.user}@{settings.host}:{settings.port}/{settings.database}"


def require_postgres_url(url: str) -> None:
    if not url.startswith("postgresql"):
        raise UserError("此操作只适用于共享数据库（PostgreSQL）")
