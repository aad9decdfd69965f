"""Shared by the grid-roster tests (test_grids.py, test_key_persons.py): valid ID
numbers and look-ups of a row, a community and a figure by name."""

from __future__ import annotations

from app.figures import figures
from app.services import list_rows
from app.specs.settings import COMMUNITIES

ID_A, ID_B = "110101199003074477", "510502198001011235"  # valid GB 11643 numbers


def _id(db, spec, field, value):
    rows = list_rows(db, spec)
    return rows.ids[rows.column(field).index(value)]


def _community(db, name="白塔社区"):
    return _id(db, COMMUNITIES, "name", name)


def _figure(db, spec, key):
    return next(v.value for v in figures(db, spec) if v.key == key)
