"""PySide6 GUI of StreetLedger: windows, pages, table models, dialogs, workers.

The Qt-free core is imported here, before any PySide6 module: once PySide6 is
loaded, its signature-support import hook runs on every later import, which made
importing SQLAlchemy and the core noticeably slower at start-up."""

import app.services as _core  # noqa: F401 - import order only (binds no name "app" here)
