"""Where things live: bundled resources and the user's data folder.

One helper for resources so the same code works from a source checkout and from
a PyInstaller bundle (sys._MEIPASS)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from app import APP_NAME


def resource_root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder: %APPDATA%\\StreetLedger on Windows.

    STREETLEDGER_HOME overrides it (tests and portable installs)."""
    override = os.environ.get("STREETLEDGER_HOME")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False, roaming=True))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "streetledger.sqlite3"


def default_db_url() -> str:
    return "sqlite:///" + default_db_path().as_posix()
