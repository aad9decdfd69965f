"""Database URLs from what a user gives (--db, STREETLEDGER_DB, a bare file path),
without SQLAlchemy: the desktop app checks --db before its first frame shows, and the
data layer is imported only after that."""

from __future__ import annotations

import os
from pathlib import Path


def normalize_url(url: str) -> str:
    """A bare file path means a SQLite file; postgresql:// uses psycopg 3."""
    url = url.strip()
    if "://" not in url:
        return "sqlite:///" + Path(url).expanduser().resolve().as_posix()
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def resolve_url(cli_url: str | None) -> str:
    if cli_url:
        return normalize_url(cli_url)
    env = os.environ.get("STREETLEDGER_DB")
    if env:
        return normalize_url(env)
    from app.paths import default_db_url

    return default_db_url()
