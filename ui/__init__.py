"""PySide6 GUI of StreetLedger: windows, pages, table models, dialogs, workers.

Once PySide6 is loaded, its feature import hook (builtins.__import__) runs on every
later import, which makes importing SQLAlchemy and the core noticeably slower. The
start-up shows its first frame before the core is imported (ui.app), then imports
the core with Python's own import function (import_core): the core is Qt-free and
never uses PySide6's __feature__ switches, the only thing that hook is for."""

import builtins
import contextlib
import sys

# Taken before any PySide6 module replaces it (ui is imported before ui.* modules).
_PYTHON_IMPORT = builtins.__import__ if "PySide6" not in sys.modules else None

CORE_MODULES = ("app.services", "app.db", "app.auth", "app.models", "app.audit", "app.specs",
                "app.backup", "app.lock", "app.powers")


@contextlib.contextmanager
def _plain_import():
    hooked = builtins.__import__
    if _PYTHON_IMPORT is not None and hooked is not _PYTHON_IMPORT:
        builtins.__import__ = _PYTHON_IMPORT
    try:
        yield
    finally:
        builtins.__import__ = hooked


def import_core() -> None:
    """Import the data layer without PySide6's import hook in the way."""
    import importlib

    with _plain_import():
        for name in CORE_MODULES:
            importlib.import_module(name)
