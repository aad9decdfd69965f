"""A building's households and residents: recorded ones win over typed ones.

Where a building's households (户) or residents (居民) are recorded row by row
(app/specs/households.py), its counts are those rows; else the numbers typed on the
building. Estates and grids sum these, so a household added shows in every level's
figures (楼栋 → 小区 → 网格). SQL expressions over a Building model, for computed
fields and checks, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import and_, case, func, select

from app.models import Household, Resident


def _at(m, b):
    """Rows of Household/Resident naming building b (same grid, estate and 楼栋号)."""
    return and_(m.area_id == b.area_id, m.estate_id.is_not_distinct_from(b.estate_id),
                m.building == b.number, m.deleted_at.is_(None))


def recorded_households(b):
    return select(func.count(Household.id)).where(_at(Household, b)).scalar_subquery()


def recorded_residents(b):
    return select(func.count(Resident.id)).where(_at(Resident, b)).scalar_subquery()


def recorded_members(b):
    """The households' 人数 summed (NULL without households)."""
    return select(func.sum(Household.members)).where(_at(Household, b)).scalar_subquery()


def households(b):
    n = recorded_households(b)
    return case((n > 0, n), else_=b.households)


def residents(b):
    n = recorded_residents(b)
    return case((n > 0, n), else_=func.coalesce(recorded_members(b), b.residents))
