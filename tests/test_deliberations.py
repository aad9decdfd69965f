"""议事协商: a deliberation in a grid names the problems it raised and solved (by their
numbers, on a sheet as one cell), and the ledger counts them."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.writes import save_row
from app.errors import ValidationError
from app.figures import figures
from app.services import get_row, ref_choices
from app.specs.deliberations import DELIBERATIONS
from app.specs.grids import GRIDS
from app.specs.rectification import PROBLEMS
from tests.meetings_helpers import community
from tests.rectification_helpers import problem


def _grid(db) -> int:
    c = community(db)
    row_id, _ = save_row(db, GRIDS, {"name": "白塔一网格", "parent_id": c})
    return row_id


def test_links_to_problems_and_their_figures(db):
    grid = _grid(db)
    a, b = problem(db), problem(db)
    na, nb = (get_row(db, PROBLEMS, i)["number"] for i in (a, b))
    save_row(db, DELIBERATIONS, {"area_id": grid, "held_on": date(2026, 5, 8),
                                 "topic": "小区停车难", "participants": 23, "result": "达成共识",
                                 "problems": f"{na}（提出）；{nb}（解决）"})
    save_row(db, DELIBERATIONS, {"area_id": grid, "held_on": date(2026, 6, 8),
                                 "topic": "加装电梯", "participants": 12,
                                 "problems": [{"problem_id": b, "relation": "解决"}]})
    got = {v.label: v.value for v in figures(db, DELIBERATIONS)}
    assert (got["议事协商"], got["参与人次"], got["提出问题"], got["解决问题"]) == (2, 35, 1, 2)
    assert [n for _i, n in ref_choices(db, DELIBERATIONS.child("problems").field("problem_id"))
            ] == [na, nb]
    with pytest.raises(ValidationError) as e:
        save_row(db, DELIBERATIONS, {"area_id": grid, "held_on": date(2026, 7, 8),
                                     "topic": "垃圾分类", "problems": "ZG-1999-0001"})
    assert "ZG-1999-0001" in str(e.value)
