"""Grid rosters: grid workers, estates, buildings, key persons."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
)

from app.models.base import Base, LedgerRow, live_unique


class GridWorker(LedgerRow, Base):
    """网格员: a person serving one or more grids (GridAssignment), one of them primary."""

    __tablename__ = "grid_worker"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(4), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    employment: Mapped[str] = mapped_column(String(8), default="")
    role: Mapped[str] = mapped_column(String(16), default="")
    duties: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="在岗")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_grid_worker_natural_live", "area_id", "name", "id_number"),)


class GridAssignment(Base):
    """A grid a worker serves (many-to-many with an attribute: the primary grid)."""

    __tablename__ = "grid_assignment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("grid_worker.id", ondelete="CASCADE"),
                                           index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("worker_id", "grid_id"),)


class Estate(LedgerRow, Base):
    """小区 / 院落 in a grid, with its management and party organisation."""

    __tablename__ = "estate"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    year_built: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="")
    management: Mapped[str] = mapped_column(String(16), default="")
    property_company: Mapped[str] = mapped_column(String(100), default="")
    property_code: Mapped[str] = mapped_column(String(18), default="")
    red_stars: Mapped[int | None] = mapped_column(Integer)
    committee: Mapped[str] = mapped_column(String(100), default="")
    party_org_kind: Mapped[str] = mapped_column(String(16), default="")
    party_org_name: Mapped[str] = mapped_column(String(100), default="")
    party_secretary: Mapped[str] = mapped_column(String(50), default="")
    party_members: Mapped[int | None] = mapped_column(Integer)
    shared_space: Mapped[bool | None] = mapped_column(Boolean)
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_estate_natural_live", "area_id", "name"),)


class Building(LedgerRow, Base):
    """楼栋 of an estate (or hung directly on a grid), with its 楼栋长."""

    __tablename__ = "building"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    units: Mapped[int | None] = mapped_column(Integer)
    floors: Mapped[int | None] = mapped_column(Integer)
    lift: Mapped[bool | None] = mapped_column(Boolean)
    households: Mapped[int | None] = mapped_column(Integer)
    residents: Mapped[int | None] = mapped_column(Integer)
    head_name: Mapped[str] = mapped_column(String(50), default="")
    head_phone: Mapped[str] = mapped_column(String(60), default="")
    head_party: Mapped[bool | None] = mapped_column(Boolean)
    teams: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_building_natural_live", "area_id", "estate_id", "number"),)


class KeyPerson(LedgerRow, Base):
    """重点人员: sensitive personal information (IDs and phones masked, views audited)."""

    __tablename__ = "key_person"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    name: Mapped[str] = mapped_column(String(50))
    # Indexed on its own: a person is listed once in a street, checked across its grids.
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    gender: Mapped[str] = mapped_column(String(4), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    building: Mapped[str] = mapped_column(String(50), default="")
    room: Mapped[str] = mapped_column(String(50), default="")
    categories: Mapped[str] = mapped_column(Text, default="")
    risk_level: Mapped[str] = mapped_column(String(4), default="")
    controller: Mapped[str] = mapped_column(String(50), default="")
    helper: Mapped[str] = mapped_column(String(50), default="")
    listed_date: Mapped[date | None] = mapped_column(Date)
    released_date: Mapped[date | None] = mapped_column(Date)
    release_reason: Mapped[str] = mapped_column(String(200), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_key_person_natural_live", "area_id", "id_number"),)


class KeyPersonVisit(Base):
    """走访: one visit to a key person."""

    __tablename__ = "key_person_visit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("key_person.id", ondelete="CASCADE"),
                                           index=True)
    day: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(String(500), default="")


class Household(LedgerRow, Base):
    """户: one household of a building, named as key persons name theirs (estate + 楼栋号),
    so a grid's 1栋 of two estates stay apart; residents name it by its 门牌号."""

    __tablename__ = "household"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    building: Mapped[str] = mapped_column(String(50))
    door: Mapped[str] = mapped_column(String(50))
    head_name: Mapped[str] = mapped_column(String(50), default="")
    members: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str] = mapped_column(String(60), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_household_natural_live", "area_id", "estate_id",
                                  "building", "door"),)


class Resident(LedgerRow, Base):
    """居民: a person of a household (estate + 楼栋号 + 门牌号); the ID masked like every ID."""

    __tablename__ = "resident"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    building: Mapped[str] = mapped_column(String(50))
    door: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18), default="")
    gender: Mapped[str] = mapped_column(String(4), default="")
    relation: Mapped[str] = mapped_column(String(16), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_resident_natural_live", "area_id", "estate_id",
                                  "building", "door", "name"),)


# -- 整改台账: rectification (app/specs/rectification.py) ---------------------------------
