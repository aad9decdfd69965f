"""Grid rosters beyond the specs: the checks (核查) that need more than one row — each
check names the rows that break it, so a click can open them. (`main.py stats grids`,
the overview of the five grid ledgers, is the grids spec's own figures.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import Database
from app.models import Area, Building, Estate, KeyPerson
from app.services import scope_clause
from app.specs.estates import BUILDINGS, ESTATES, KEY_PERSONS
from app.specs.grids import GRIDS


@dataclass(frozen=True)
class Check:
    """One line of the 核查 list: a rule, the ledger its rows are in and those rows."""

    key: str
    label: str
    ledger: str
    ids: tuple[int, ...]
    hint: str = ""

    @property
    def line(self) -> str:
        return f"{self.label}: {len(self.ids)}"


def _ids_where(db: Database, spec, *conditions) -> tuple[int, ...]:
    m = spec.model
    with db.session() as s:
        return tuple(s.execute(select(m.id).where(scope_clause(db, spec), *conditions)
                               .order_by(m.id)).scalars())


def _by_figure(db: Database, spec, key: str) -> tuple[int, ...]:
    """Rows behind one of a spec's Count figures (its `where` over the listed rows)."""
    from app.figures import ledger_rows, matches

    rows = ledger_rows(db, spec)
    fig = next(f for f in spec.figures if getattr(f, "key", None) == key)
    cols = [(rows.fields.index(spec.field(k)), v) for k, v in fig.where.items()]
    return tuple(i for i, r in zip(rows.ids, rows.rows, strict=True)
                 if all(matches(r[c], v) for c, v in cols))


def checks(db: Database) -> list[Check]:
    """The issue's checks, each with the offending rows."""
    out = [
        Check("grid_workers", "专职网格员不是1—2名的网格", GRIDS.key,
              _by_figure(db, GRIDS, "noncompliant"), "每个网格应配备 1—2 名在岗专职网格员"),
        Check("estate_party", "未建党组织的小区", ESTATES.key,
              _ids_where(db, ESTATES, Estate.party_org_kind == "")),
        Check("building_head", "无楼栋长的楼栋", BUILDINGS.key,
              _ids_where(db, BUILDINGS, Building.head_name == "")),
        Check("controller", "无管控人的重点人员", KEY_PERSONS.key,
              _ids_where(db, KEY_PERSONS, KeyPerson.controller == "",
                         KeyPerson.released_date.is_(None))),
        Check("visits", "走访逾期的重点人员", KEY_PERSONS.key,
              _by_figure(db, KEY_PERSONS, "overdue"),
              "红色 7 天、橙色 15 天、黄色 30 天、绿色 90 天内未走访"),
        Check("households", "户数与楼栋汇总不符的网格", GRIDS.key, _household_mismatch(db),
              "网格填报的户数与其楼栋户数合计不一致"),
        Check("building_estate", "所属小区不在本网格的楼栋", BUILDINGS.key,
              _elsewhere(db, BUILDINGS), "楼栋的所属网格与其小区的网格不一致"),
        Check("person_estate", "所在小区不在本网格的重点人员", KEY_PERSONS.key,
              _elsewhere(db, KEY_PERSONS), "重点人员的所属网格与其小区的网格不一致"),
    ]
    return out


def _household_mismatch(db: Database) -> tuple[int, ...]:
    """Grids whose typed household count disagrees with the sum over their buildings."""
    total = (select(func.sum(Building.households)).where(Building.area_id == Area.id,
                                                         Building.deleted_at.is_(None))
             .scalar_subquery())
    return _ids_where(db, GRIDS, Area.households.is_not(None), total.is_not(None),
                      total != Area.households)


def _elsewhere(db: Database, spec) -> tuple[int, ...]:
    """Rows whose estate lies in another grid than the row's own (kept, then listed:
    a clerk moving a building between grids types one field at a time)."""
    m = spec.model
    other = select(Estate.area_id).where(Estate.id == m.estate_id).scalar_subquery()
    return _ids_where(db, spec, m.estate_id.is_not(None), other != m.area_id)
