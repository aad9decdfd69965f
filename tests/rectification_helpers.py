"""Helpers for the rectification ledger's tests: accounts, a problem, its edits."""

from __future__ import annotations

from datetime import date, timedelta

from app import auth
from app.core.writes import save_row
from app.models import Area
from app.services import get_row, ref_choices
from app.specs.rectification import PROBLEMS, UNITS

PW = "Passw0rd1"
TODAY = date.today()


def accounts(db):
    """A district administrator, the street's admin (boss), two verifiers (checker,
    checker2), an editor (clerk), a viewer (reader)."""
    with db.session() as s:
        district = s.get(Area, db.street_id).parent_id
    auth.create_user(db, "district", PW, "admin", area_id=district)
    auth.login(db, "district", PW)
    for name, role in (("boss", "admin"), ("checker", "verifier"), ("checker2", "verifier"),
                       ("clerk", "editor"), ("reader", "viewer")):
        auth.create_user(db, name, PW, role, area_id=db.street_id)
    auth.logout(db)
    return db


def as_(db, name):
    auth.logout(db)
    auth.login(db, name, PW)
    return db


def bodies(db) -> list[int]:
    """The street's bodies; three are made in an empty database."""
    found = [i for i, _ in ref_choices(db, UNITS.field("body_id"))]
    if not found:
        from app.specs.settings import BODIES

        for name in ("社区治理办公室", "综合行政执法办公室", "综合保障中心"):
            save_row(db, BODIES, {"name": name})
        found = [i for i, _ in ref_choices(db, UNITS.field("body_id"))]
    return found


def problem(db, *, found=None, deadline=None, lead=None, **values) -> int:
    """A problem found 30 days ago, due in 20 days, led by the first body."""
    units = values.pop("units", None)
    if units is None:
        units = [{"body_id": lead or bodies(db)[0], "lead": True}]
    row = {"title": "背街小巷垃圾堆放", "source": "网格上报", "aspect": "治理环境",
           "found_on": found or TODAY - timedelta(days=30),
           "deadline": deadline or TODAY + timedelta(days=20), "units": units, **values}
    row_id, _ = save_row(db, PROBLEMS, row)
    return row_id


def edit(db, row_id: int, **values) -> int:
    row = get_row(db, PROBLEMS, row_id)
    raw = {k: v for k, v in row.items() if k not in ("id", "version", "status")}
    _, version = save_row(db, PROBLEMS, {**raw, **values}, row_id,
                          expected_version=row["version"])
    return version


def status(db, row_id: int) -> str:
    return get_row(db, PROBLEMS, row_id)["status"]
