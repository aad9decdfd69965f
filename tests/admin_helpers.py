"""Helpers shared by the administration GUI tests."""

from __future__ import annotations

from app import auth
from app.services import get_row, list_rows, save_row
from app.specs.powers import POWERS
from ui.app import create_application

PW = "Passw0rd1"


def make_admin(db):
    """The QApplication, and an administrator signed in on `db`."""
    create_application()
    auth.create_user(db, "admin", PW, "admin", display_name="王管理")
    auth.login(db, "admin", PW)
    return db


def edit_power(db, n: int, remarks: str) -> int:
    row_id = list_rows(db, POWERS).ids[n]
    row = get_row(db, POWERS, row_id)
    save_row(db, POWERS, {**row, "remarks": remarks}, row_id, row["version"])
    return row_id


def submit_with(values: dict):
    """A fake exec: fill the dialog's line edits, press its OK button, return the result."""
    def fake(dlg):
        for name, value in values.items():
            widget = getattr(dlg, name)
            if hasattr(widget, "setText"):
                widget.setText(value)
            else:
                widget.setCurrentIndex(widget.findText(value))
        dlg.ok_button.click()
        return dlg.result()
    return fake
