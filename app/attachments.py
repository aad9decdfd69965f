"""Attachments (附件): photos and documents kept inside the database, on any ledger row.

A file's bytes are stored once per content (`Blob`, by sha256) however many rows attach
it; an `Attachment` names the row (ledger key, row id, field), the file name and the
blob. Adding or removing one is a change of the parent row: its version moves and the
change is audited under it, so a form that is open on the row sees the conflict. The
bytes leave the database only as a copy under the data folder, for the system viewer."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError

from app.core.uow import UnitOfWork, write_operation
from app.core.writes import load_for_change, touch
from app.errors import ConflictError, PermissionDenied, UserError
from app.filetypes import (
    MAX_BYTES,
    check_file,
    check_size,
    display_name,
    human_size,
    is_image,
    safe_filename,
)
from app.models import Attachment, Blob
from app.services import row_label, scope_clause
from app.specs import LedgerSpec, get_spec

LEDGER = "attachments"  # the key changes and audit entries of attachments carry
OPEN_DIR = "attachments-open"
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    ledger: str
    row_id: int
    field: str
    filename: str
    size: int
    mime: str
    sha256: str
    created_at: datetime
    created_by: str
    version: int

    @property
    def is_image(self) -> bool:
        return is_image(self.mime)

    @property
    def size_text(self) -> str:
        return human_size(self.size)


_INFO_COLUMNS = (Attachment.id, Attachment.ledger, Attachment.row_id, Attachment.field,
                 Attachment.filename, Attachment.size, Attachment.mime, Blob.sha256,
                 Attachment.created_at, Attachment.created_by, Attachment.version)


def _spec(ledger: str | LedgerSpec) -> LedgerSpec:
    return ledger if isinstance(ledger, LedgerSpec) else get_spec(ledger)


def _read(path_or_bytes, filename: str | None) -> tuple[bytes, str]:
    """The file's bytes and the name to store; a file too big is refused before it is read."""
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        if not filename:
            raise UserError("添加附件需要文件名")
        return bytes(path_or_bytes), display_name(filename)
    path = Path(path_or_bytes)
    name = display_name(filename or path.name)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            check_size(name, size)
        return path.read_bytes(), name
    except OSError as exc:
        from app.failures import explain

        raise UserError(f"无法读取文件“{name}”：{explain(exc).message}") from exc


def _field_label(spec: LedgerSpec, field: str) -> str:
    try:
        return spec.field(field).label
    except KeyError:
        return "附件"


def _names(s, ledger: str, row_id: int, field: str) -> list[str]:
    return list(s.scalars(select(Attachment.filename).where(
        Attachment.ledger == ledger, Attachment.row_id == row_id, Attachment.field == field,
        Attachment.deleted_at.is_(None)).order_by(Attachment.id)))


def _find_blob(s, digest: str) -> int | None:
    return s.scalar(select(Blob.id).where(Blob.sha256 == digest))


def _blob_id(uow: UnitOfWork, digest: str, data: bytes, mime: str) -> int:
    """The blob with this content, stored now if no row has it yet."""
    s = uow.session
    found = _find_blob(s, digest)
    if found is not None:
        return found
    blob = Blob(sha256=digest, size=len(data), mime=mime, data=data, created_at=uow.stamp)
    if s.bind.dialect.name != "postgresql":
        s.add(blob)  # SQLite writes one at a time: nobody can store the same bytes meanwhile
        s.flush()
        return blob.id
    # Another client may store the same bytes at this moment: theirs is as good as ours.
    try:
        with s.begin_nested():
            s.add(blob)
        return blob.id
    except IntegrityError:
        return _find_blob(s, digest)


@write_operation
def add_attachment(db, spec: LedgerSpec, row_id: int, field: str, path_or_bytes,
                   filename: str | None = None, *, expected_version: int | None = None) -> int:
    """Attach a file (a path, or bytes with `filename`) to a row's field; returns the
    attachment's id. Needs permission to change the row; checks size and type first."""
    return add_attachments(db, spec, row_id, field, [(path_or_bytes, filename)],
                           expected_version=expected_version)[0][0]


@write_operation
def add_attachments(db, spec: LedgerSpec, row_id: int, field: str, files: list,
                    *, expected_version: int | None = None) -> tuple[list[int], int]:
    """Several files at once (a path, or (path or bytes, filename), each): all or none —
    every file is read and checked before anything is written. One change of the row,
    audited once. Returns (the attachments' ids, the row's new version)."""
    if not _FIELD.match(field or ""):
        raise UserError(f"附件字段名“{field}”不正确")
    checked = []
    for f in files:
        data, name = _read(*(f if isinstance(f, tuple) else (f, None)))
        checked.append((data, name, check_file(name, data)))
    if not checked:
        raise UserError("没有选择要添加的文件")
    with UnitOfWork(db) as uow:
        s = uow.session
        parent = load_for_change(uow, spec, row_id, expected_version)
        old = _names(s, spec.key, row_id, field)
        added = []
        for data, name, mime in checked:
            digest = hashlib.sha256(data).hexdigest()
            att = Attachment(ledger=spec.key, row_id=row_id, field=field,
                             blob_id=_blob_id(uow, digest, data, mime), filename=name,
                             size=len(data), mime=mime, created_at=uow.stamp, created_by=db.actor)
            s.add(att)
            added.append(att)
        s.flush()
        what = "、".join(f"“{n}”（{human_size(len(d))}）" for d, n, _m in checked)
        touch(uow, spec, parent,
              {field: ("、".join(old), "、".join([*old, *(n for _d, n, _m in checked)]))},
              f"{row_label(spec, parent)}：添加{_field_label(spec, field)}{what}")
        uow.changes.add(LEDGER, [a.id for a in added])
    return [a.id for a in added], parent.version


@write_operation
def remove_attachment(db, attachment_id: int, expected_version: int | None = None) -> int:
    """Take an attachment off its row (soft delete: the bytes stay until the row is purged);
    returns the row's new version."""
    with UnitOfWork(db) as uow:
        s = uow.session
        att = s.get(Attachment, attachment_id)
        if att is None or att.deleted_at is not None:
            raise ConflictError(f"该附件已被他人删除或不存在（编号 {attachment_id}）")
        spec = get_spec(att.ledger)
        parent = load_for_change(uow, spec, att.row_id, None)
        if expected_version is not None and att.version != expected_version:
            raise ConflictError(f"附件“{att.filename}”刚被他人修改，请刷新后再操作")
        old = _names(s, att.ledger, att.row_id, att.field)
        att.deleted_at, att.deleted_by = uow.stamp, db.actor
        with uow.converting("附件"):
            s.flush()
        new = _names(s, att.ledger, att.row_id, att.field)
        touch(uow, spec, parent, {att.field: ("、".join(old), "、".join(new))},
              f"{row_label(spec, parent)}：删除{_field_label(spec, att.field)}“{att.filename}”")
        uow.changes.add(LEDGER, [att.id])
    return parent.version


def purge_attachments(uow: UnitOfWork, ledger: str, row_ids: list[int]) -> int:
    """Inside the purge of rows: their attachments go for good, and every blob no other
    attachment uses any more. The row's purge entry is the audit; returns how many went."""
    s = uow.session
    rows = s.execute(select(Attachment.id, Attachment.blob_id).where(
        Attachment.ledger == ledger, Attachment.row_id.in_(row_ids))).all()
    if not rows:
        return 0
    s.execute(delete(Attachment).where(Attachment.id.in_([r[0] for r in rows])))
    used = exists().where(Attachment.blob_id == Blob.id)
    s.execute(delete(Blob).where(Blob.id.in_({r[1] for r in rows}), ~used))
    uow.changes.add(LEDGER, [r[0] for r in rows])
    return len(rows)


# -- reading -----------------------------------------------------------------------------

def _visible(s, db, spec: LedgerSpec, row_id: int) -> None:
    """The row is in the user's area (live or in the recycle bin), else refused."""
    m = spec.model
    ok = s.scalar(select(m.id).where(m.id == row_id, or_(scope_clause(db, spec),
                                                         scope_clause(db, spec, deleted=True))))
    if ok is None:
        raise PermissionDenied(f"该{spec.title}记录不存在或不在您负责的区域内（编号 {row_id}）")


def list_attachments(db, ledger: str | LedgerSpec, row_id: int | None,
                     field: str | None = None) -> list[AttachmentInfo]:
    """A row's attachments (of one field, or all), oldest first; never their bytes."""
    if row_id is None:
        return []
    spec = _spec(ledger)
    with db.session() as s:
        _visible(s, db, spec, row_id)
        stmt = (select(*_INFO_COLUMNS).join(Blob, Blob.id == Attachment.blob_id)
                .where(Attachment.ledger == spec.key, Attachment.row_id == row_id,
                       Attachment.deleted_at.is_(None)).order_by(Attachment.id))
        if field is not None:
            stmt = stmt.where(Attachment.field == field)
        return [AttachmentInfo(*r) for r in s.execute(stmt)]


def _load(s, db, attachment_id: int) -> Attachment:
    att = s.get(Attachment, attachment_id)
    if att is None or att.deleted_at is not None:
        raise ConflictError(f"该附件已被他人删除或不存在（编号 {attachment_id}）")
    _visible(s, db, get_spec(att.ledger), att.row_id)
    return att


def attachment_info(db, attachment_id: int) -> AttachmentInfo:
    with db.session() as s:
        _load(s, db, attachment_id)
        row = s.execute(select(*_INFO_COLUMNS).join(Blob, Blob.id == Attachment.blob_id)
                        .where(Attachment.id == attachment_id)).one()
        return AttachmentInfo(*row)


def read_blob(db, attachment_id: int) -> bytes:
    """The attached file's bytes (checked against their hash: a damaged copy is refused)."""
    with db.session() as s:
        att = _load(s, db, attachment_id)
        digest, data = s.execute(select(Blob.sha256, Blob.data)
                                 .where(Blob.id == att.blob_id)).one()
        if hashlib.sha256(data).hexdigest() != digest:
            raise UserError(f"附件“{att.filename}”在数据库中的内容已损坏（校验值不符），无法打开")
        return bytes(data)


def parent_version(db, spec: LedgerSpec, row_id: int) -> int:
    with db.session() as s:
        m = spec.model
        version = s.scalar(select(m.version).where(m.id == row_id))
    if version is None:
        raise ConflictError(f"该{spec.title}记录已被他人删除或不存在（编号 {row_id}）")
    return version


def open_dir() -> Path:
    from app.paths import data_dir

    return data_dir() / OPEN_DIR


def open_copy(db, attachment_id: int) -> Path:
    """A copy of the file to open in the system viewer, written only under the data folder
    (<data>/attachments-open/<hash>/<safe name>), whatever name the database holds."""
    info = attachment_info(db, attachment_id)
    root = open_dir().resolve()
    folder = root / info.sha256[:32]
    target = (folder / safe_filename(info.filename, info.mime)).resolve()
    if target.parent != folder.resolve() or not target.is_relative_to(root):
        raise UserError(f"附件文件名“{info.filename}”不安全，无法打开")  # never reached: a safeguard
    if target.is_file() and target.stat().st_size == info.size:
        return target  # opened before: the same content under the same name
    data = read_blob(db, attachment_id)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{os.getpid()}.part")
        tmp.write_bytes(data)
        tmp.replace(target)
    except OSError as exc:
        from app.failures import explain

        raise UserError(f"无法把附件“{info.filename}”写到数据文件夹：{explain(exc).message}") from exc
    return target


def count_column(spec: LedgerSpec, f):
    """The table's value of an attachment field: how many live files the row has."""
    from sqlalchemy import func, select

    m = spec.model
    return (select(func.count(Attachment.id))
            .where(Attachment.ledger == spec.key, Attachment.row_id == m.id,
                   Attachment.field == f.name, Attachment.deleted_at.is_(None))
            .correlate(m).scalar_subquery().label(f.name))
