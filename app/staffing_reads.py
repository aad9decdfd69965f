"""Reads over the staffing ledgers for the 机构编制 matrix, its reports and its page:
bodies × 编制类型 with 核定 / 实有 / 空编 / 超编, and the people behind one cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.db import Database
from app.staffing import EST_TYPES, ON_BOOKS

MEASURES = ("核定", "实有", "空编", "超编")


@dataclass
class Cell:
    """One body × type, or a total of such cells: 空编 and 超编 are summed cell by cell,
    so a body's vacancy in one type never offsets its over-strength in another."""

    authorised: int = 0
    actual: int = 0
    vacant: int = 0
    over: int = 0
    chief: int = 0  # 正职领导职数 authorised, and the people filling them
    deputy: int = 0
    chief_actual: int = 0
    deputy_actual: int = 0

    @classmethod
    def of(cls, authorised: int, actual: int, **leaders) -> Cell:
        return cls(authorised, actual, max(authorised - actual, 0),
                   max(actual - authorised, 0), **leaders)

    def values(self) -> tuple[int, int, int, int]:
        return self.authorised, self.actual, self.vacant, self.over

    def add(self, other: Cell) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Matrix:
    """Authorised positions of the street's bodies by 编制类型, with totals by body, by
    type and overall."""

    bodies: list[tuple[int, str]]  # (id, name) in the bodies' own order
    types: list[str]  # the 编制类型 that have an authorisation
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)

    def cell(self, body_id: int, est_type: str) -> Cell:
        return self.cells.get((body_id, est_type), Cell())

    def body_total(self, body_id: int) -> Cell:
        return self._sum(c for (b, _t), c in self.cells.items() if b == body_id)

    def type_total(self, est_type: str) -> Cell:
        return self._sum(c for (_b, t), c in self.cells.items() if t == est_type)

    def total(self) -> Cell:
        return self._sum(self.cells.values())

    def over_bodies(self) -> list[str]:
        return [name for b, name in self.bodies
                if any(c.over for (bb, _t), c in self.cells.items() if bb == b)]

    @staticmethod
    def _sum(cells) -> Cell:
        out = Cell()
        for c in cells:
            out.add(c)
        return out


def establishment_matrix(db: Database) -> Matrix:
    """The matrix over the authorisations the session can see (their computed 实有)."""
    from app.services import list_rows, ref_choices
    from app.specs.staffing import AUTHORISATIONS as A

    bodies = ref_choices(db, A.field("body_id"))
    ids = {name: i for i, name in bodies}
    fields = tuple(A.field(n) for n in ("body_id", "est_type", "authorised", "leader_chief",
                                        "leader_deputy", "actual", "chief_actual",
                                        "deputy_actual"))
    rows = list_rows(db, A, fields)
    m = Matrix(bodies, [])
    for body, est, n, chief, deputy, actual, chief_actual, deputy_actual in rows.rows:
        body_id = ids.get(body)
        if body_id is None:  # a body in the recycle bin: listed after the live ones
            body_id = -len(m.bodies) - 1
            m.bodies.append((body_id, body))
            ids[body] = body_id
        m.cells[(body_id, est)] = Cell.of(n or 0, actual or 0, chief=chief or 0,
                                          deputy=deputy or 0, chief_actual=chief_actual or 0,
                                          deputy_actual=deputy_actual or 0)
    used = {t for _b, t in m.cells}
    m.types = [t for t in EST_TYPES if t in used]
    return m


def people_in(db: Database, body: str, est_type: str | None = None):
    """The roster's rows behind one matrix cell (body name, type; None = every type):
    people on the books holding that body's 编制."""
    from app.services import RowSet, list_rows
    from app.specs.staff import STAFF

    rs = list_rows(db, STAFF)
    names = [f.name for f in rs.fields]
    b, t, s = names.index("est_body_id"), names.index("est_type"), names.index("status")
    keep = [k for k, r in enumerate(rs.rows)
            if r[b] == body and (est_type is None or r[t] == est_type) and r[s] in ON_BOOKS]
    return RowSet(rs.fields, [rs.ids[k] for k in keep], [rs.versions[k] for k in keep],
                  [rs.rows[k] for k in keep])
