"""Remembered heading mappings (import_memory): a heading that a person mapped to a
field — in the wizard, or with --map — is mapped the same way in the next file of
that ledger. 设置 lists and deletes them; --no-remembered ignores them."""

from __future__ import annotations

from sqlalchemy import select

from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.db import Database
from app.importer.mapping import heading_key
from app.models import ImportMemory
from app.specs import get_spec


def remembered(db: Database, ledger: str) -> dict[str, str]:
    """heading key → field name for one ledger."""
    with db.session() as s:
        return dict(s.execute(select(ImportMemory.heading_key, ImportMemory.field)
                              .where(ImportMemory.ledger == ledger)).all())


def remember(uow: UnitOfWork, ledger: str, choices: dict[str, str]) -> int:
    """Save heading → field choices inside the caller's unit of work (permission-checked,
    audited there); a heading remembered before takes the new field. Returns changes."""
    if not choices:
        return 0
    db, s = uow.db, uow.session
    uow.allow("import", None)
    spec = get_spec(ledger)
    labels = spec.labels
    have = {m.heading_key: m for m in s.scalars(
        select(ImportMemory).where(ImportMemory.ledger == ledger))}
    changed = 0
    for heading, fname in choices.items():
        key = heading_key(heading)
        if not key or fname not in labels:
            continue
        old = have.get(key)
        if old is not None:
            if old.field == fname:
                continue
            uow.audit("update", "import_memory", old.id,
                      f"{spec.title}导入：列“{heading}”改记为{labels[fname]}",
                      {"field": (old.field, fname)})
            old.field, old.heading = fname, heading[:200]
        else:
            item = ImportMemory(ledger=ledger, heading=heading[:200], heading_key=key[:200],
                                field=fname, created_by=db.actor)
            s.add(item)
            s.flush()
            have[key] = item
            uow.audit("create", "import_memory", item.id,
                      f"{spec.title}导入：记住列“{heading}”即{labels[fname]}")
        changed += 1
    return changed


def list_memory(db: Database) -> list[ImportMemory]:
    with db.session() as s:
        rows = list(s.scalars(select(ImportMemory).order_by(ImportMemory.ledger,
                                                            ImportMemory.heading)))
        s.expunge_all()
    return rows


@write_operation
def forget(db: Database, ids: list[int]) -> int:
    with UnitOfWork(db) as uow:
        uow.allow("import", None)
        return uow.delete_records(ImportMemory, ids, "import_memory", _described)


def _described(item: ImportMemory) -> str:
    return f"不再记住：{item.ledger} 导入时列“{item.heading}”即 {item.field}"


@write_operation
def save_choices(db: Database, ledger: str, columns: dict[str, str],
                 aliases: dict[str, list[tuple[int, str]]]) -> None:
    """After an import was written: the confirmed heading mappings and value mappings
    (field name → [(row id, name as the file wrote it)]), in one audited transaction."""
    from app.importer.aliases import add_aliases

    if not columns and not any(aliases.values()):
        return
    spec = get_spec(ledger)
    with UnitOfWork(db) as uow:
        remember(uow, ledger, columns)
        for fname, pairs in aliases.items():
            if pairs:
                add_aliases(uow, spec.field(fname), pairs)
