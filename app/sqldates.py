"""Date arithmetic in SQL that reads the same on SQLite and PostgreSQL.

SQLite keeps dates as ISO text and subtracts them through julianday(); PostgreSQL
subtracts two dates to an integer number of days. `days_between(a, b)` is a - b in
whole days on both, NULL when either side is NULL. `today()` is the PC's local date,
passed as a parameter (SQLite's 'now' would be UTC, a day off in the evening in China)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Integer, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):  # noqa: N801 - reads as a SQL function
    """Whole days from b to a (a - b)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_default(element, compiler, **kw):  # PostgreSQL and others: date - date
    a, b = list(element.clauses)
    return f"(CAST({compiler.process(a, **kw)} AS DATE) - CAST({compiler.process(b, **kw)} AS DATE))"


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    a, b = list(element.clauses)
    return (f"CAST(julianday({compiler.process(a, **kw)}) - "
            f"julianday({compiler.process(b, **kw)}) AS INTEGER)")


def today() -> date:
    return date.today()


def today_param():
    """Today as a bound date: evaluated each time a query is built, so a table reloaded
    after midnight counts from the new day."""
    return literal(today(), Date)
