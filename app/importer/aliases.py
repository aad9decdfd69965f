"""Other names of rows that other rows refer to (ref_alias): a clerk who confirmed in
an import that 综合行政执法队 is the body 综合行政执法办公室 never has to say it again.
Aliases are matched exactly like the row's own name (normalize.name_key)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.db import Database
from app.models import RefAlias
from app.normalize import clean_text, name_key
from app.specs import Field


def alias_index(db: Database, f: Field, ids: set[int] | None = None) -> dict[str, int]:
    """name_key(alias) → row id for a ref field; only rows in `ids` (the rows the field
    may point to, e.g. ref_index's values) when given."""
    if f.ref is None or not f.ref.ledger:
        return {}
    with db.session() as s:
        rows = s.execute(select(RefAlias.alias_key, RefAlias.row_id)
                         .where(RefAlias.ledger == f.ref.ledger)).all()
    return {k: i for k, i in rows if ids is None or i in ids}


def with_aliases(db: Database, f: Field, index: dict[str, int]) -> dict[str, int]:
    """A ref index (name_key → id) extended by the aliases of its rows; names win."""
    return {**alias_index(db, f, set(index.values())), **index}


def add_aliases(uow: UnitOfWork, f: Field, pairs: list[tuple[int, str]]) -> int:
    """Store (row id, alias) pairs for a ref field inside the caller's unit of work,
    permission-checked and audited there. Returns how many were new."""
    db, s = uow.db, uow.session
    uow.allow("import", None)
    ledger = f.ref.ledger
    have = {(i, k) for i, k in s.execute(select(RefAlias.row_id, RefAlias.alias_key)
                                         .where(RefAlias.ledger == ledger))}
    added = 0
    for row_id, alias in pairs:
        text = clean_text(alias)
        key = name_key(text)
        if not key or (row_id, key) in have:
            continue
        item = RefAlias(ledger=ledger, row_id=row_id, alias=text, alias_key=key,
                        created_by=db.actor)
        s.add(item)
        s.flush()
        uow.audit("create", "ref_alias", item.id,
                  f"{f.label}别名：“{text}”即第 {row_id} 号记录（{ledger}）")
        have.add((row_id, key))
        added += 1
    return added


def list_aliases(db: Database) -> list[RefAlias]:
    with db.session() as s:
        rows = list(s.scalars(select(RefAlias).order_by(RefAlias.ledger, RefAlias.alias)))
        s.expunge_all()
    return rows


@write_operation
def delete_aliases(db: Database, ids: list[int]) -> int:
    with UnitOfWork(db) as uow:
        uow.allow("import", None)
        return uow.delete_records(RefAlias, ids, "ref_alias", _described)


def _described(item: RefAlias) -> str:
    return f"删除别名“{item.alias}”（{item.ledger} 第 {item.row_id} 号）"
