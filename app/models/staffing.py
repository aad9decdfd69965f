"""Staffing: authorisations, people and their posts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    case,
)
from sqlalchemy.orm import (
    Mapped,
    column_property,
    mapped_column,
)

from app.models.base import Base, LedgerRow, live_unique


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
        live_unique("uq_staffing_authorisation_natural_live", "area_id", "body_id", "est_type"),
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
        live_unique("uq_staff_person_id_number_live", "id_number",
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


class PayGrade(Base):
    """社区工作者等级薪酬: the monthly pay (元) of one grade of one post category. The
    grades a category has rows for are its range (正职 7–18 …); an administrator edits
    both in 设置 (app.staffing_pay)."""

    __tablename__ = "staff_pay_grade"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post: Mapped[str] = mapped_column(String(16))
    grade: Mapped[int] = mapped_column(Integer)
    pay: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("post", "grade"),)


# -- grid rosters (网格化管理): app/specs/grids.py ---------------------------------------
