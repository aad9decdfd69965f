"""Per-PC GUI settings (window geometry, column widths) through QSettings.

When STREETLEDGER_HOME is set (portable installs, tests) the settings live in an
INI file there, so they travel with the data folder and tests never touch the
real user's registry or ~/.config."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANISATION = "StreetLedger"
APPLICATION = "StreetLedger"


def qsettings() -> QSettings:
    home = os.environ.get("STREETLEDGER_HOME")
    if home:
        return QSettings(str(Path(home) / "streetledger-ui.ini"), QSettings.IniFormat)
    return QSettings(ORGANISATION, APPLICATION)
