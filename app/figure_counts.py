"""The two ways app.figures counts: over rows already read (a filtered table, a print)
or by the database over a whole ledger in the session's scope (首页, `stats`).

Both answer the same questions — how many rows, how many matching a filter, a sum,
how many per value — so one piece of code (app.figures) turns the answers into
figures. The database way reads no rows: 首页 over a 100,000-row ledger costs a few
aggregate queries instead of reading every row into Python."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import String, and_, case, cast, distinct, func, or_, select

from app.db import Database
from app.services import RowSet, field_column, list_rows, scope_clause
from app.specs import LedgerSpec
from app.specs.figures import EMPTY, Count, Rate, Sum, Total

Pairs = tuple[tuple[str, object], ...]  # (field, wanted value): every one must match


def matches(value, wanted) -> bool:
    if wanted == EMPTY:
        return value is None or value == ""
    return value == wanted


class RowCounts:
    """Counting over a RowSet; a figure whose columns the rows lack is left out."""

    def __init__(self, rowset: RowSet):
        self.rowset = rowset
        self.names = [f.name for f in rowset.fields]

    def able(self, names) -> RowCounts | None:
        return self if all(n in self.names for n in names) else None

    def total(self) -> int:
        return len(self.rowset.rows)

    def _picked(self, pairs: Pairs):
        cols = [(self.names.index(k), v) for k, v in pairs]
        return (r for r in self.rowset.rows if all(matches(r[c], v) for c, v in cols))

    def count(self, pairs: Pairs, distinct_of: str | None = None) -> int:
        if distinct_of:
            k = self.names.index(distinct_of)
            return len({r[k] for r in self._picked(pairs) if r[k] not in (None, "")})
        return sum(1 for _r in self._picked(pairs))

    def sum(self, name: str, pairs: Pairs):
        k = self.names.index(name)
        return sum(r[k] or 0 for r in self._picked(pairs))

    def per_value(self, name: str) -> Counter:
        """Rows per value; an empty value (None or "") counted under None."""
        return Counter(v if v not in (None, "") else None for v in self.rowset.column(name))


class SqlCounts:
    """Counting by aggregate queries over the spec's live rows in the session's scope,
    with each field's value as list_rows reads it (computed columns for `year`,
    references as their labels). A figure over a child collection, which has no SQL
    value, is counted over rows read for it."""

    def __init__(self, db: Database, spec: LedgerSpec, year: int):
        self.db, self.spec, self.year = db, spec, year
        self._rows: dict[tuple, RowCounts] = {}
        self._known: dict[tuple, object] = {}  # answers prepare() read in advance

    def prepare(self, figs) -> None:
        """Answer every count and sum of `figs` (Total, Count, Sum, Rate) in one query,
        a CASE per figure: one statement to compile and one pass over the rows."""
        asks: dict[tuple, None] = {}
        for fig in figs:
            for ask in _asks(fig):
                if self.able(_names(ask)) is self:
                    asks[ask] = None
        if not asks:
            return
        names = {n for ask in asks for n in _names(ask)}

        def aggregates(e):
            out = []
            for ask in asks:
                if ask[0] == "total":
                    out.append(func.count())
                    continue
                conds = [_condition(e[k], v) for k, v in ask[2]]
                if ask[0] == "sum":
                    out.append(func.sum(case((and_(*conds), e[ask[1]]), else_=None))
                               if conds else func.sum(e[ask[1]]))
                elif ask[1]:  # distinct values of a field among the matching rows
                    conds.append(_condition(e[ask[1]], _FILLED))
                    out.append(func.count(distinct(case((and_(*conds), e[ask[1]]),
                                                        else_=None))))
                else:
                    out.append(func.coalesce(func.sum(case((and_(*conds), 1), else_=0)), 0)
                               if conds else func.count())
            return out

        row = self._query(aggregates, names)[0]
        self._known.update(zip(asks, row, strict=True))

    def able(self, names) -> SqlCounts | RowCounts:
        fields = [self.spec.field(n) for n in names]
        if all(f.collection is None for f in fields):
            return self
        from app.figures import needed_fields

        wanted = tuple({f.name: f for f in (*needed_fields(self.spec), *fields)}.values())
        if wanted not in self._rows:
            self._rows[wanted] = RowCounts(list_rows(self.db, self.spec, wanted, year=self.year))
        return self._rows[wanted]

    @property
    def rowset(self) -> RowSet:
        """The whole ledger's rows, for a figure computed by the ledger's own rules."""
        from app.figures import ledger_rows

        return ledger_rows(self.db, self.spec, self.year)

    def _query(self, what, names, group_by: str | None = None):
        exprs, joins = {}, []
        for n in names:
            exprs[n], join = field_column(self.spec, self.spec.field(n), self.year)
            if join is not None:
                joins.append(join)
        stmt = select(*what(exprs)).select_from(self.spec.model)
        for target, on in joins:
            stmt = stmt.outerjoin(target, on)
        stmt = stmt.where(scope_clause(self.db, self.spec))
        if group_by is not None:
            stmt = stmt.group_by(exprs[group_by])
        with self.db.session() as s:
            return s.execute(stmt).all()

    def _answer(self, ask: tuple):
        """What prepare() read for `ask`: every count and sum is asked in advance, so
        that a page's figures cost one query, not one each."""
        if ask not in self._known:
            raise LookupError(f"{self.spec.key}: {ask!r} was not prepared")
        return self._known[ask]

    def total(self) -> int:
        return self._answer(("total",))

    def count(self, pairs: Pairs, distinct_of: str | None = None) -> int:
        return self._answer(("count", distinct_of, pairs))

    def sum(self, name: str, pairs: Pairs):
        return self._answer(("sum", name, pairs)) or 0

    def per_value(self, name: str) -> Counter:
        got: Counter = Counter()
        for value, n in self._query(lambda e: [e[name], func.count()], (name,),
                                    group_by=name):
            got[value if value not in (None, "") else None] += n
        return got


def _asks(fig) -> list[tuple]:
    """What a figure asks: ("total",), ("count", distinct field or None, pairs) or
    ("sum", field, pairs), as SqlCounts.prepare reads them in advance."""
    if isinstance(fig, Total):
        return [("total",)]
    if isinstance(fig, Sum):
        return [("sum", fig.field, tuple(fig.where.items()))]
    if isinstance(fig, Count):
        return [("count", fig.distinct, tuple(fig.where.items()))]
    if isinstance(fig, Rate):
        of = tuple(fig.of.items())
        return [("count", None, of), ("count", None, (*of, *fig.where.items()))]
    return []


def _names(ask: tuple) -> list[str]:
    if ask[0] == "total":
        return []
    return [*(k for k, _v in ask[2]), *((ask[1],) if ask[1] else ())]


_FILLED = object()  # the pair's field holds a value (not None, not "")


def _condition(expr, wanted):
    """SQL for matches(value, wanted) (and for _FILLED, its opposite of EMPTY). "" only
    equals a text value: cast, so that PostgreSQL compares a number with it too."""
    if wanted is _FILLED:
        return and_(expr.is_not(None), cast(expr, String) != "")
    if wanted == EMPTY:
        return or_(expr.is_(None), cast(expr, String) == "")
    return expr == wanted
