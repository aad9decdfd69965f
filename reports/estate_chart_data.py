"""What 一小区一图示 draws, read in a few queries for a whole batch (a community's 200
estates): each estate with its buildings in natural order, the key persons counted by
building and category, the three teams, the grid's workers and the completeness
figures. Drawing is reports.estate_chart; nothing here knows about pages."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from app.collation import sort_key
from app.db import Database
from app.errors import UserError
from app.models import Area, Building, Estate, GridAssignment, GridWorker, KeyPerson
from app.services import scope_clause
from app.specs import building_counts as counts
from app.specs.estates import BUILDINGS, ESTATES
from app.specs.grids import GRID_WORKERS
from app.specs.key_persons import CATEGORIES, KEY_PERSONS

# The three teams (三支队伍) in the order the chart lists them; a building's 三支队伍
# text names others too ("党组织：张三 139…；业委会或自管委：李四；物业服务：王五").
TEAM_TYPES = ("党组织", "业委会或自管委", "物业服务")
_TAG_SPLIT = re.compile(r"[、，,；;\s]+")


@dataclass
class BuildingBox:
    number: str
    head_name: str = ""
    head_phone: str = ""
    head_party: bool | None = None
    units: int | None = None
    floors: int | None = None
    lift: bool | None = None
    households: int | None = None
    residents: int | None = None
    categories: Counter = field(default_factory=Counter)  # key persons by category
    persons: int = 0  # key persons living here (a person of two categories counts once)


@dataclass
class Worker:
    name: str
    role: str
    employment: str
    phone: str


@dataclass
class EstateChart:
    id: int
    name: str
    grid: str
    community: str
    address: str = ""
    kind: str = ""
    year_built: int | None = None
    management: str = ""
    property_company: str = ""
    property_code: str = ""
    red_stars: int | None = None
    committee: str = ""
    party_org_kind: str = ""
    party_org_name: str = ""
    party_secretary: str = ""
    party_members: int | None = None
    grid_head: str = ""
    grid_head_phone: str = ""
    grid_party_org: str = ""
    buildings: list[BuildingBox] = field(default_factory=list)
    unplaced: Counter = field(default_factory=Counter)  # key persons of no recorded building
    persons: int = 0
    persons_with_controller: int = 0
    teams: dict[str, list[str]] = field(default_factory=dict)
    workers: list[Worker] = field(default_factory=list)
    updated: date | None = None  # the newest change among the rows drawn: the data date

    @property
    def households(self) -> int:
        return sum(b.households or 0 for b in self.buildings)

    @property
    def residents(self) -> int:
        return sum(b.residents or 0 for b in self.buildings)

    @property
    def heads(self) -> int:
        return sum(1 for b in self.buildings if b.head_name)

    def categories(self) -> list[str]:
        """The key-person categories present, in the list's order (the legend)."""
        got = Counter()
        for b in self.buildings:
            got.update(b.categories)
        got.update(self.unplaced)
        return category_order([c for c, n in got.items() if n])


def category_order(names) -> list[str]:
    rank = {c: i for i, c in enumerate(CATEGORIES)}
    return sorted(set(names), key=lambda c: (rank.get(c, len(rank)), sort_key(c)))


def parse_teams(text: str) -> dict[str, list[str]]:
    """“党组织：张三 139…；物业服务：王五” → {type: [member, …]}; a part without a type
    goes under 其他."""
    out: dict[str, list[str]] = {}
    for part in re.split(r"[；;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.fullmatch(r"([^：:]{1,20})[：:](.*)", part, flags=re.S)
        kind, members = (m.group(1).strip(), m.group(2)) if m else ("其他", part)
        for member in re.split(r"[、，,]+", members):
            if member.strip():
                out.setdefault(kind or "其他", []).append(member.strip())
    return out


def _day(stamp: datetime | date | None) -> date | None:
    return stamp.date() if isinstance(stamp, datetime) else stamp


def _area_named(db: Database, s, name: str, level: str, what: str) -> list[int]:
    ids = list(s.execute(select(Area.id).where(
        Area.name == name.strip(), Area.level == level, Area.deleted_at.is_(None),
        Area.path.startswith(db.scope_path, autoescape=True))).scalars())
    if not ids:
        raise UserError(f"找不到{what}“{name}”（或不在您的管辖范围内）")
    return ids


def select_estates(db: Database, *, estate: str | None = None, grid: str | None = None,
                   community: str | None = None, ids: list[int] | None = None) -> list[int]:
    """Estate ids to chart, in print order (community, grid, estate name naturally):
    one estate by name (every estate of that name in scope), a grid's, a community's,
    or — with nothing given — every estate in scope."""
    with db.session() as s:
        q = (select(Estate.id, Estate.name, Area.sort_order, Area.name, Area.parent_id)
             .join(Area, Area.id == Estate.area_id).where(scope_clause(db, ESTATES)))
        if ids is not None:
            q = q.where(Estate.id.in_(ids))
        if estate:
            q = q.where(Estate.name == estate.strip())
        if grid:
            q = q.where(Estate.area_id.in_(_area_named(db, s, grid, "grid", "网格")))
        if community:
            q = q.where(Area.parent_id.in_(_area_named(db, s, community, "community", "社区")))
        rows = s.execute(q).all()
        if not rows and estate:
            raise UserError(f"找不到小区“{estate}”（或不在您的管辖范围内）")
        parents = {i: (o, n) for i, o, n in s.execute(
            select(Area.id, Area.sort_order, Area.name).where(Area.level == "community"))}
    rows.sort(key=lambda r: (parents.get(r[4], (0, ""))[0], sort_key(parents.get(r[4], (0, ""))[1]),
                             r[2], sort_key(r[3]), sort_key(r[1])))
    return [r[0] for r in rows]


def _chunks(ids: list[int], n: int = 500):
    for k in range(0, len(ids), n):
        yield ids[k:k + n]


def read_charts(db: Database, estate_ids: list[int]) -> list[EstateChart]:
    """The charts of these estates, in the order given."""
    charts: dict[int, EstateChart] = {}
    grid_of: dict[int, int] = {}
    with db.session() as s:
        areas = {a.id: a for a in s.execute(select(Area).where(
            Area.level.in_(("community", "grid")))).scalars()}
        for part in _chunks(estate_ids):
            for e in s.execute(select(Estate).where(Estate.id.in_(part),
                                                    scope_clause(db, ESTATES))).scalars():
                g = areas.get(e.area_id)
                c = areas.get(g.parent_id) if g is not None else None
                charts[e.id] = EstateChart(
                    e.id, e.name, g.name if g else "", c.name if c else "", e.address, e.kind,
                    e.year_built, e.management, e.property_company, e.property_code,
                    e.red_stars, e.committee, e.party_org_kind, e.party_org_name,
                    e.party_secretary, e.party_members,
                    grid_head=g.contact if g else "", grid_head_phone=g.phone if g else "",
                    grid_party_org=g.party_org if g else "", updated=_day(e.updated_at))
                grid_of[e.id] = e.area_id
        ids = list(charts)
        boxes: dict[tuple[int, str], BuildingBox] = {}
        for part in _chunks(ids):
            # Counts as the ledgers sum them: recorded households/residents where any.
            for b, hh, res in s.execute(
                    select(Building, counts.households(Building), counts.residents(Building))
                    .where(Building.estate_id.in_(part), scope_clause(db, BUILDINGS))):
                ch = charts[b.estate_id]
                box = BuildingBox(b.number, b.head_name, b.head_phone, b.head_party, b.units,
                                  b.floors, b.lift, hh, res)
                ch.buildings.append(box)
                boxes[(b.estate_id, b.number.strip())] = box
                for kind, members in parse_teams(b.teams).items():
                    listed = ch.teams.setdefault(kind, [])
                    listed += [m for m in members if m not in listed]
                ch.updated = max(filter(None, (ch.updated, _day(b.updated_at))), default=None)
            for p in s.execute(select(KeyPerson.estate_id, KeyPerson.building,
                                      KeyPerson.categories, KeyPerson.controller,
                                      KeyPerson.updated_at)
                               .where(KeyPerson.estate_id.in_(part), KeyPerson.released_date.is_(None),
                                      scope_clause(db, KEY_PERSONS))):
                ch = charts[p.estate_id]
                cats = [c for c in _TAG_SPLIT.split(p.categories or "") if c] or ["未分类"]
                box = boxes.get((p.estate_id, (p.building or "").strip()))
                if box is not None:
                    box.categories.update(cats)
                    box.persons += 1
                else:
                    ch.unplaced.update(cats)
                ch.persons += 1
                ch.persons_with_controller += bool(p.controller)
                ch.updated = max(filter(None, (ch.updated, _day(p.updated_at))), default=None)
        workers: dict[int, list[Worker]] = defaultdict(list)
        grids = sorted(set(grid_of.values()))
        for part in _chunks(grids):
            for gid, w in s.execute(
                    select(GridAssignment.grid_id, GridWorker)
                    .join(GridWorker, GridWorker.id == GridAssignment.worker_id)
                    .where(GridAssignment.grid_id.in_(part), GridWorker.status == "在岗",
                           scope_clause(db, GRID_WORKERS))
                    .order_by(GridAssignment.is_primary.desc(), GridWorker.id)):
                workers[gid].append(Worker(w.name, w.role, w.employment, w.phone))
    role_rank = {"网格长": 0, "网格员": 1, "网格指导员": 2, "微网格员": 3}
    out = []
    for i in estate_ids:
        ch = charts.get(i)
        if ch is None:
            continue
        ch.buildings.sort(key=lambda b: sort_key(b.number))
        ch.workers = sorted(workers.get(grid_of[i], []),
                            key=lambda w: (w.employment != "专职", role_rank.get(w.role, 9)))
        out.append(ch)
    return out
