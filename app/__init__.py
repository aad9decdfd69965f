"""StreetLedger core: Qt-free models, database, ledger specs and services."""

__version__ = "0.1.0"
APP_NAME = "StreetLedger"
APP_TITLE = "街道治理台账"
