"""SQLAlchemy 2.0 models.

Every ledger row carries who/when it was created and updated, a version column
used for optimistic locking (a stale save raises StaleDataError), soft delete,
and the area (street/community/grid) it belongs to, so one database can hold
several streets and users can be scoped to a subtree."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    case,
    text,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    column_property,
    declared_attr,
    mapped_column,
    relationship,
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
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=now, index=True)
    username: Mapped[str] = mapped_column(String(64), default="", index=True)
    action: Mapped[str] = mapped_column(String(16), index=True)
    ledger: Mapped[str] = mapped_column(String(32), default="", index=True)
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


_live_unique = live_unique  # the staffing, grid and rectification tables


class Authorisation(LedgerRow, Base):
    """编制核定: the positions one body is authorised to hold of one 编制类型."""

    __tablename__ = "staffing_authorisation"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("functional_body.id"), index=True)
    est_type: Mapped[str] = mapped_column(String(16))
    authorised: Mapped[int] = mapped_column(Integer, default=0)
    leader_chief: Mapped[int | None] = mapped_column(Integer)
    leader_deputy: Mapped[int | None] = mapped_column(Integer)
    approval_no: Mapped[str] = mapped_column(String(100), default="")
    approval_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        _live_unique("uq_staffing_authorisation_natural_live", "area_id", "body_id", "est_type"),
    )


class Person(LedgerRow, Base):
    """人员: one person on the street's roster, with the body holding their 编制 and the
    body they actually work in kept apart (下沉, 借调 and 多岗 stay traceable)."""

    __tablename__ = "staff_person"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(4), default="")
    ethnicity: Mapped[str] = mapped_column(String(16), default="")
    political: Mapped[str] = mapped_column(String(32), default="")
    education: Mapped[str] = mapped_column(String(32), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    birth_date: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(60), default="")
    work_start: Mapped[date | None] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16), default="")
    est_type: Mapped[str] = mapped_column(String(16), default="")
    est_body_id: Mapped[int | None] = mapped_column(ForeignKey("functional_body.id"),
                                                    index=True)
    work_body_id: Mapped[int | None] = mapped_column(ForeignKey("functional_body.id"),
                                                     index=True)
    leader_rank: Mapped[str] = mapped_column(String(8), default="")
    status: Mapped[str] = mapped_column(String(8), default="在岗")
    cert_level: Mapped[str] = mapped_column(String(16), default="")
    cert_number: Mapped[str] = mapped_column(String(64), default="")
    cert_date: Mapped[date | None] = mapped_column(Date)
    cert_registered: Mapped[date | None] = mapped_column(Date)
    cw_post: Mapped[str] = mapped_column(String(16), default="")
    cw_grade: Mapped[int | None] = mapped_column(Integer)
    cw_graded: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        # One live person per ID number in the whole database: two streets (or two
        # clients importing at once) cannot both enter the same person.
        _live_unique("uq_staff_person_id_number_live", "id_number",
                     where="deleted_at IS NULL AND id_number <> ''"),
    )


class PostAssignment(Base):
    """岗位分配: one post a person holds (人员多岗化), exactly one of them primary. An
    empty body means the person's 实际工作机构."""

    __tablename__ = "staff_post"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("staff_person.id", ondelete="CASCADE"),
                                           index=True)
    body_id: Mapped[int | None] = mapped_column(ForeignKey("functional_body.id"))
    post_name: Mapped[str] = mapped_column(String(100))
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    duties: Mapped[str] = mapped_column(Text, default="")

    # Not a column: the collection's order puts the primary post first (a sheet cell
    # lists it first, and reads back the same).
    primary_rank = column_property(case((is_primary.is_(True), 0), else_=1))


# -- grid rosters (网格化管理): app/specs/grids.py ---------------------------------------


class GridWorker(LedgerRow, Base):
    """网格员: a person serving one or more grids (GridAssignment), one of them primary."""

    __tablename__ = "grid_worker"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(4), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    employment: Mapped[str] = mapped_column(String(8), default="")
    role: Mapped[str] = mapped_column(String(16), default="")
    duties: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(8), default="在岗")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (_live_unique("uq_grid_worker_natural_live", "area_id", "name", "id_number"),)


class GridAssignment(Base):
    """A grid a worker serves (many-to-many with an attribute: the primary grid)."""

    __tablename__ = "grid_assignment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    worker_id: Mapped[int] = mapped_column(ForeignKey("grid_worker.id", ondelete="CASCADE"),
                                           index=True)
    grid_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("worker_id", "grid_id"),)


class Estate(LedgerRow, Base):
    """小区 / 院落 in a grid, with its management and party organisation."""

    __tablename__ = "estate"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    year_built: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="")
    management: Mapped[str] = mapped_column(String(16), default="")
    property_company: Mapped[str] = mapped_column(String(100), default="")
    property_code: Mapped[str] = mapped_column(String(18), default="")
    red_stars: Mapped[int | None] = mapped_column(Integer)
    committee: Mapped[str] = mapped_column(String(100), default="")
    party_org_kind: Mapped[str] = mapped_column(String(16), default="")
    party_org_name: Mapped[str] = mapped_column(String(100), default="")
    party_secretary: Mapped[str] = mapped_column(String(50), default="")
    party_members: Mapped[int | None] = mapped_column(Integer)
    shared_space: Mapped[bool | None] = mapped_column(Boolean)
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (_live_unique("uq_estate_natural_live", "area_id", "name"),)


class Building(LedgerRow, Base):
    """楼栋 of an estate (or hung directly on a grid), with its 楼栋长."""

    __tablename__ = "building"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    units: Mapped[int | None] = mapped_column(Integer)
    floors: Mapped[int | None] = mapped_column(Integer)
    lift: Mapped[bool | None] = mapped_column(Boolean)
    households: Mapped[int | None] = mapped_column(Integer)
    residents: Mapped[int | None] = mapped_column(Integer)
    head_name: Mapped[str] = mapped_column(String(50), default="")
    head_phone: Mapped[str] = mapped_column(String(60), default="")
    head_party: Mapped[bool | None] = mapped_column(Boolean)
    teams: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (_live_unique("uq_building_natural_live", "area_id", "estate_id", "number"),)


class KeyPerson(LedgerRow, Base):
    """重点人员: sensitive personal information (IDs and phones masked, views audited)."""

    __tablename__ = "key_person"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    name: Mapped[str] = mapped_column(String(50))
    id_number: Mapped[str] = mapped_column(String(18))
    gender: Mapped[str] = mapped_column(String(4), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    building: Mapped[str] = mapped_column(String(50), default="")
    room: Mapped[str] = mapped_column(String(50), default="")
    categories: Mapped[str] = mapped_column(Text, default="")
    risk_level: Mapped[str] = mapped_column(String(4), default="")
    controller: Mapped[str] = mapped_column(String(50), default="")
    helper: Mapped[str] = mapped_column(String(50), default="")
    listed_date: Mapped[date | None] = mapped_column(Date)
    released_date: Mapped[date | None] = mapped_column(Date)
    release_reason: Mapped[str] = mapped_column(String(200), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (_live_unique("uq_key_person_natural_live", "area_id", "id_number"),)


class KeyPersonVisit(Base):
    """走访: one visit to a key person."""

    __tablename__ = "key_person_visit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("key_person.id", ondelete="CASCADE"),
                                           index=True)
    day: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(50), default="")
    note: Mapped[str] = mapped_column(String(500), default="")


# -- 整改台账: rectification (app/specs/rectification.py) ---------------------------------


class RectificationProblem(LedgerRow, Base):
    """整改台账: one problem found (by an inspection, a hotline, the grid…), from its
    finding through rectification and acceptance to 销号."""

    __tablename__ = "rectification_problem"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    number: Mapped[str] = mapped_column(String(32), default="")  # ZG-2026-0001
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(32), default="")
    source_doc: Mapped[str] = mapped_column(String(100), default="")
    aspect: Mapped[str] = mapped_column(String(32), default="")
    severity: Mapped[str] = mapped_column(String(16), default="")
    community_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    found_on: Mapped[date | None] = mapped_column(Date)
    leader: Mapped[str] = mapped_column(String(50), default="")
    person: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    rect_type: Mapped[str] = mapped_column(String(16), default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    measures: Mapped[str] = mapped_column(Text, default="")
    result_note: Mapped[str] = mapped_column(Text, default="")
    funds_planned: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    funds_spent: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    fund_source: Mapped[str] = mapped_column(String(16), default="")
    accept_unit: Mapped[str] = mapped_column(String(100), default="")
    accepted_by: Mapped[str] = mapped_column(String(50), default="")
    accepted_on: Mapped[date | None] = mapped_column(Date)
    accept_method: Mapped[str] = mapped_column(String(16), default="")
    accept_grade: Mapped[str] = mapped_column(String(8), default="")
    accept_opinion: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    close_basis: Mapped[str] = mapped_column(Text, default="")
    recheck_on: Mapped[date | None] = mapped_column(Date)
    recheck_result: Mapped[str] = mapped_column(Text, default="")
    escalation: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="")

    __table_args__ = (
        # A row inserted without a number gets one right after (app.rectification).
        live_unique("uq_rectification_problem_number_live", "area_id", "number",
                    where="deleted_at IS NULL AND number <> ''"),
    )


class RectificationUnit(Base):
    """The units responsible for a problem (many-to-many with an attribute): exactly
    one of them leads (牵头), the others co-operate (配合)."""

    __tablename__ = "rectification_unit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("functional_body.id"), index=True)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)


class RectificationProgress(Base):
    """整改进展: one entry of a problem's progress log."""

    __tablename__ = "rectification_progress"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    work: Mapped[str] = mapped_column(Text, default="")
    percent: Mapped[int | None] = mapped_column(Integer)
    by_whom: Mapped[str] = mapped_column(String(50), default="")
