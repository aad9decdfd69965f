"""Alembic migrations shipped inside the package and applied at start-up.

HEAD and REVISIONS are kept here so an up-to-date database opens without
importing Alembic; a test checks them against the scripts in versions/."""

from __future__ import annotations

from pathlib import Path

REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010",
             "0011", "0012", "0013", "0014")
HEAD = REVISIONS[-1]

_HERE = Path(__file__).resolve().parent


def known_revisions() -> tuple[str, ...]:
    return REVISIONS


def alembic_config(connection=None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_HERE))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(engine, revision: str = "head") -> None:
    from alembic import command

    from app.core.uow import INFO_KEY

    with engine.begin() as conn:
        conn.info[INFO_KEY] = "migration"  # migrations may rewrite ledger tables
        try:
            command.upgrade(alembic_config(conn), revision)
        finally:
            conn.info.pop(INFO_KEY, None)
