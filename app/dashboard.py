"""What the home page (首页) shows, read without Qt: a card per ledger with the same
figures `main.py stats` prints, the rectification charts, and the to-do list of the
signed-in role. Generic over the registered specs: a ledger added later gets its card
(and its warnings on the to-do list) without code here."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from app.db import Database
from app.figures import figures, ledger_of
from app.services import list_rows
from app.specs import LedgerSpec, all_specs
from app.specs.figures import FigureValue

HEADLINE = 8  # figures on a card; the rest are one click away on the page
SMALL_BAND = 4  # a per-value band this short (the three list kinds) is a headline too


@dataclass(frozen=True)
class Card:
    spec: LedgerSpec
    values: list[FigureValue]  # every stats line, in its order
    headline: list[FigureValue] = field(default_factory=list)  # what the card shows

    def ledger_of(self, value: FigureValue) -> str:
        return ledger_of(value, self.spec)


def page_specs() -> list[LedgerSpec]:
    """The ledgers with a page of their own, in navigation order."""
    return sorted((s for s in all_specs() if s.group), key=lambda s: (s.order, s.key))


def headline(values: list[FigureValue]) -> list[FigureValue]:
    """The card's figures: the single ones (合计, 逾期, 完成率 …), then the values of short
    per-value bands (下放行政权力 159 / 法定权力事项 118 / 属地管理事项 117), in order."""
    bands = Counter(v.key.split("=", 1)[0] for v in values if "=" in v.key)
    picked = [v for v in values
              if "=" not in v.key or bands[v.key.split("=", 1)[0]] <= SMALL_BAND]
    return picked[:HEADLINE]


def cards(db: Database, year: int | None = None) -> list[Card]:
    out = []
    for spec in page_specs():
        values = figures(db, spec, year)
        out.append(Card(spec, values, headline(values)))
    return out


# -- charts (the rectification ledger, when registered) -------------------------------------

def _rectification() -> LedgerSpec | None:
    return next((s for s in all_specs() if s.key == "rectification"), None)


def _rows(db: Database, spec: LedgerSpec, names: tuple[str, ...]):
    fields = tuple(spec.field(n) for n in names)
    return list_rows(db, spec, fields).rows


def completion_by_community(db: Database) -> list[tuple[str, int, int]]:
    """(community, problems, fixed) per community in the area list's order."""
    spec = _rectification()
    if spec is None:
        return []
    total, fixed = Counter(), Counter()
    for community, is_fixed in _rows(db, spec, ("community_id", "fixed")):
        name = community or "未指定社区"
        total[name] += 1
        fixed[name] += bool(is_fixed)
    return [(name, total[name], fixed[name]) for name in total]


def problems_by_aspect(db: Database, found: list[Card] | None = None) -> list[tuple[str, int]]:
    """(aspect, problems): the 按问题类别 band of the ledger's figures (those of its card
    in `found`, already counted, else counted here)."""
    spec = _rectification()
    if spec is None:
        return []
    card = next((c for c in found or () if c.spec.key == spec.key), None)
    values = card.values if card is not None else figures(db, spec)
    return [(v.label, v.value) for v in values if v.key.startswith("aspect=")]


def monthly_trend(db: Database, months: int = 12, today: date | None = None
                  ) -> list[tuple[str, int, int]]:
    """(month "2026-11", problems found, problems closed (销号)) for the last `months`
    months up to today's, oldest first."""
    spec = _rectification()
    if spec is None:
        return []
    today = today or date.today()
    keys = []
    y, m = today.year, today.month
    for _ in range(months):
        keys.append(f"{y}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    keys.reverse()
    found, closed = Counter(), Counter()
    for found_on, closed_on in _rows(db, spec, ("found_on", "closed_on")):
        if found_on:
            found[f"{found_on:%Y-%m}"] += 1
        if closed_on:
            closed[f"{closed_on:%Y-%m}"] += 1
    return [(k, found[k], closed[k]) for k in keys]


# -- to-do list ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Todo:
    ledger: str  # the page that shows the rows
    title: str  # the ledger's title
    label: str  # 逾期 / 待验收 / 走访逾期 …
    count: int
    where: dict
    hint: str = ""


def todos(db: Database, found: list[Card] | None = None) -> list[Todo]:
    """Work waiting for the signed-in role: every warning figure that is not 0 (overdue
    problems, visits overdue, certificates lapsing, meetings due …), and — for a role
    that may move rows on — the rows of each workflow state that waits for someone (a
    state named 待…: 待验收)."""
    found = found if found is not None else cards(db)
    may_move = db.user is None or db.user.can("transition")
    out, seen = [], set()
    for card in found:
        for v in card.values:
            ledger = card.ledger_of(v)
            if v.tone != "warn" or not v.value or v.label in seen:
                continue  # 超编机构 is counted by both staffing ledgers: listed once
            seen.add(v.label)
            title = next(s.title for s in all_specs() if s.key == ledger)
            out.append(Todo(ledger, title, v.label, v.value, dict(v.where), v.hint))
        spec = card.spec
        if may_move and spec.workflow is not None:
            status = spec.workflow.field
            counts = Counter(r[0] for r in _rows(db, spec, (status,)))
            for state in spec.workflow.states:
                if state.name.startswith("待") and counts.get(state.name):
                    out.append(Todo(spec.key, spec.title, state.name, counts[state.name],
                                    {status: state.name}, f"{state.name}的{spec.title}记录"))
    return sorted(out, key=_urgency)


def _urgency(todo: Todo) -> int:
    """Overdue first, then what waits for this role, then what lapses soon, then the rest
    (a stable sort keeps the ledgers' order within each)."""
    for rank, word in enumerate(("逾期", "待", "到期", "督办")):
        if word in todo.label:
            return rank
    return 9
