"""The rectification ledger: problems, responsible units, progress."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
)

from app.models.base import Base, LedgerRow, live_unique, now


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
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
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
    accept_requested_on: Mapped[date | None] = mapped_column(Date)  # stamped at 提交验收
    accept_unit: Mapped[str] = mapped_column(String(100), default="")
    accepted_by: Mapped[str] = mapped_column(String(50), default="")
    accepted_on: Mapped[date | None] = mapped_column(Date)
    accept_method: Mapped[str] = mapped_column(String(16), default="")
    accept_grade: Mapped[str] = mapped_column(String(8), default="")
    accept_opinion: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str] = mapped_column(String(64), default="")  # stamped at 销号
    close_basis: Mapped[str] = mapped_column(Text, default="")
    recheck_on: Mapped[date | None] = mapped_column(Date)
    recheck_result: Mapped[str] = mapped_column(Text, default="")
    escalation: Mapped[str] = mapped_column(String(16), default="")
    rounds: Mapped[int] = mapped_column(Integer, default=0)  # times sent back (退回/验收不通过)
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


class RectificationMeasure(Base):
    """整改措施: one measure of a problem's rectification plan, with its own date."""

    __tablename__ = "rectification_measure"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text)
    due: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class RectificationMilestone(Base):
    """阶段目标: a staged milestone of a long-term problem (长期整改), with its own date."""

    __tablename__ = "rectification_milestone"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    due: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)


class RectificationList(Base):
    """An issued 红黑榜: a frozen snapshot (the rules used and every ranked unit as JSON),
    so later edits of the problems never change a list already posted."""

    __tablename__ = "rectification_list"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    period: Mapped[str] = mapped_column(String(16))  # 2026Q4, 2026-11, 2026W49
    label: Mapped[str] = mapped_column(String(32))  # 2026年第四季度
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date] = mapped_column(Date)
    rules: Mapped[str] = mapped_column(Text, default="{}")
    rows: Mapped[str] = mapped_column(Text, default="[]")
    issued_by: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    __table_args__ = (UniqueConstraint("area_id", "period"),)


class RectificationWarning(Base):
    """Warning history: a problem's 黄/红 warning as recorded by a month's 月通报 (one row
    per problem and month). Two 滞后 months in one quarter → 专函督办; 逾期 → 约谈."""

    __tablename__ = "rectification_warning"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # 2026-11
    level: Mapped[str] = mapped_column(String(8))  # 滞后 / 逾期
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=now)

    __table_args__ = (UniqueConstraint("problem_id", "month"),)
