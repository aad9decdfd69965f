"""Areas, settings, the powers list, accounts, audit, import memory and attachments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
    relationship,
)

from app.models.base import Base, LedgerRow, live_unique, now


class Area(LedgerRow, Base):
    """One node of the area tree: district → street → community → grid."""

    __tablename__ = "area"
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))  # district|street|community|grid
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(32), default="")
    # Materialised path "/1/4/17/": subtree queries are one LIKE, on both backends.
    path: Mapped[str] = mapped_column(String(255), default="", index=True)
    contact: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    remarks: Mapped[str] = mapped_column(Text, default="")
    # A grid's own details (the grids ledger, app/specs/grids.py); other levels leave them
    # empty. Households/residents are typed where no buildings are recorded.
    grid_kind: Mapped[str] = mapped_column(String(16), default="")
    grid_subkind: Mapped[str] = mapped_column(String(16), default="")
    boundary: Mapped[str] = mapped_column(Text, default="")
    households: Mapped[int | None] = mapped_column(Integer)
    residents: Mapped[int | None] = mapped_column(Integer)
    party_org: Mapped[str] = mapped_column(String(100), default="")

    parent: Mapped[Area | None] = relationship(remote_side="Area.id")

    __table_args__ = (live_unique("uq_area_parent_name_live", "parent_id", "name"),)


class Setting(Base):
    """Small key/value settings stored with the data (not per PC)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class FunctionalBody(LedgerRow, Base):
    """职能机构: one of the street's functional bodies (staffing builds on it)."""

    __tablename__ = "functional_body"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(32), default="")
    leader: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    duties: Mapped[str] = mapped_column(Text, default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (live_unique("uq_functional_body_area_name_live", "area_id", "name"),)


class PowerItem(LedgerRow, Base):
    """权责清单 item: a devolved power, a statutory item or a territorial item."""

    __tablename__ = "power_item"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    list_kind: Mapped[str] = mapped_column(String(16))
    power_type: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64), default="")
    name: Mapped[str] = mapped_column(String(200))
    sub_item: Mapped[str] = mapped_column(String(200), default="")
    origin_department: Mapped[str] = mapped_column(String(100), default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    body_id: Mapped[int | None] = mapped_column(ForeignKey("functional_body.id"), index=True)
    devolution_mode: Mapped[str] = mapped_column(String(16), default="")
    effective_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="已承接")
    remarks: Mapped[str] = mapped_column(Text, default="")

    case_counts: Mapped[list[PowerCaseCount]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="PowerCaseCount.year"
    )

    __table_args__ = (
        # The natural key, among live rows only: imports upsert by it, and two
        # clients importing at once cannot both insert the same item.
        live_unique("uq_power_item_natural_live", "area_id", "list_kind", "name", "sub_item"),
    )


class PowerCaseCount(Base):
    """办件量: how many cases an item handled in one year."""

    __tablename__ = "power_case_count"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("power_item.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)

    item: Mapped[PowerItem] = relationship(back_populates="case_counts")

    __table_args__ = (UniqueConstraint("item_id", "year"),)


class User(Base):
    """An account. Roles: admin 管理员, editor 录入员, viewer 查看员; home area scopes it."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    password_hash: Mapped[str] = mapped_column(String(255))
    disabled: Mapped[bool] = mapped_column(default=False)
    # Kept in the database so that restarting the app does not reset a lockout.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)

    area: Mapped[Area] = relationship()


class AuditEntry(Base):
    """留痕: one change, sign-in, import or export. Never edited or deleted by the app."""

    __tablename__ = "audit_log"
    # The log page reads newest first (at); a row's history reads (ledger, row_id).
    # No index on username, action or ledger alone: each cost a 100,000-row import
    # some 0.1 s and the page's filters run along `at` with a limit anyway.
    __table_args__ = (Index("ix_audit_log_ledger_row", "ledger", "row_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))
    ledger: Mapped[str] = mapped_column(String(32), default="")
    row_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text, default="")
    # JSON {field: [old, new]} for updates; counts for imports.
    changes: Mapped[str] = mapped_column(Text, default="")


class OpenLock(Base):
    """Who has this SQLite file open (as GnuCash's gnclock): host, process, user."""

    __tablename__ = "open_lock"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), default="")
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class ImportMemory(Base):
    """A column heading of another office's file, and the field a person said it is:
    used for the next file of that ledger with the same heading."""

    __tablename__ = "import_memory"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger: Mapped[str] = mapped_column(String(32))
    heading: Mapped[str] = mapped_column(String(200))  # as the file wrote it
    heading_key: Mapped[str] = mapped_column(String(200))  # mapping.heading_key of it
    field: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (UniqueConstraint("ledger", "heading_key", name="uq_import_memory_heading"),)


class RefAlias(Base):
    """Another name of a row that other rows refer to (综合行政执法队 for the body
    综合行政执法办公室), confirmed during an import: matched like the name itself."""

    __tablename__ = "ref_alias"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger: Mapped[str] = mapped_column(String(32))  # the referred ledger: bodies
    row_id: Mapped[int] = mapped_column(Integer, index=True)
    alias: Mapped[str] = mapped_column(String(200))
    alias_key: Mapped[str] = mapped_column(String(200))  # normalize.name_key of it
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(64), default="")

    __table_args__ = (UniqueConstraint("ledger", "row_id", "alias_key", name="uq_ref_alias_key"),)


class Blob(Base):
    """The bytes of an attached file, stored once per content (sha256): the same photo
    attached to ten rows is kept once. Deleted with the last attachment that uses it."""

    __tablename__ = "blob"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100), default="")
    # Deferred: listing attachments never loads their bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)


class Attachment(Base):
    """A file attached to one field of one ledger row (photos, scans): points at its
    blob. Soft-deleted like ledger rows; purged with its row."""

    __tablename__ = "attachment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(64))
    blob_id: Mapped[int] = mapped_column(ForeignKey("blob.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    mime: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now)
    created_by: Mapped[str] = mapped_column(String(64), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    deleted_by: Mapped[str | None] = mapped_column(String(64), default=None)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    blob: Mapped[Blob] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_attachment_ledger_row", "ledger", "row_id"),)


# -- 机构编制: staffing (app/specs/staffing.py, app/specs/staff.py) -------------------------


