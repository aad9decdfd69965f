"""SQLAlchemy 2.0 models.

Every ledger row carries who/when it was created and updated, a version column
used for optimistic locking (a stale save raises StaleDataError), soft delete,
and the area (street/community/grid) it belongs to, so one database can hold
several streets and users can be scoped to a subtree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


class LedgerRow:
    """Columns every ledger row has."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now, onupdate=now)
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    deleted_by: Mapped[str | None] = mapped_column(String(64), default=None)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - SQLAlchemy declared_attr signature
        return {"version_id_col": cls.__table__.c.version}


# Unique among live rows (deleted_at IS NULL), on both backends. The PostgreSQL form
# is added when a PostgreSQL engine is made (postgresql_options): naming it here would
# import SQLAlchemy's PostgreSQL dialect into every start-up on SQLite (~80 ms).
_LIVE_UNIQUE: list[tuple[Index, str]] = []


def live_unique(name: str, *columns: str, where: str = "deleted_at IS NULL") -> Index:
    index = Index(name, *columns, unique=True, sqlite_where=text(where))
    _LIVE_UNIQUE.append((index, where))
    return index


def postgresql_options() -> None:
    """The PostgreSQL partial-index clauses; idempotent (app.db, migrations' env)."""
    for index, where in _LIVE_UNIQUE:
        if index.dialect_options["postgresql"]["where"] is None:
            index.dialect_options["postgresql"]["where"] = text(where)
