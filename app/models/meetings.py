"""Joint meetings (联席会议): meetings with their people and agenda, the decisions
(议定事项, each one a rectification problem), and community deliberations (议事协商)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
)

from app.models.base import Base, LedgerRow


class Meeting(LedgerRow, Base):
    """联席会议: one sitting of a street's (or a community's) joint meeting, or a city /
    district one the street attends. Filed under the street, or the community it is of."""

    __tablename__ = "meeting"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(8), default="")
    issue: Mapped[str] = mapped_column(String(32), default="")  # 2026年第4次
    kind: Mapped[str] = mapped_column(String(8), default="")
    held_on: Mapped[date | None] = mapped_column(Date, index=True)
    place: Mapped[str] = mapped_column(String(200), default="")
    convener: Mapped[str] = mapped_column(String(100), default="")
    chair: Mapped[str] = mapped_column(String(50), default="")
    recorder: Mapped[str] = mapped_column(String(50), default="")
    minutes_no: Mapped[str] = mapped_column(String(64), default="")
    minutes_on: Mapped[date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="")


class MeetingPerson(Base):
    """出席 / 列席 / 请假: one person at (or excused from) a meeting, a person of the
    staffing roster or typed by name."""

    __tablename__ = "meeting_person"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_person.id"), index=True)
    name: Mapped[str] = mapped_column(String(50), default="")
    unit: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(8), default="出席")


class AgendaItem(Base):
    """议题: one item of a meeting's agenda, the unit reporting on it, its materials."""

    __tablename__ = "meeting_agenda"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)
    topic: Mapped[str] = mapped_column(String(200), default="")
    unit: Mapped[str] = mapped_column(String(100), default="")
    materials: Mapped[str] = mapped_column(Text, default="")  # titles, one per line


class MeetingDecision(Base):
    """议定事项: what only a decision has; the task itself (units, deadline, progress,
    验收, 销号) is its rectification problem, one to one."""

    __tablename__ = "meeting_decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("rectification_problem.id"), unique=True)
    seq: Mapped[int] = mapped_column(Integer, default=1)  # 议定事项 N of its meeting
    kind: Mapped[str] = mapped_column(String(8), default="")
    feedback_weeks: Mapped[int | None] = mapped_column(Integer)


class Deliberation(LedgerRow, Base):
    """议事协商: one session of residents' deliberation in a grid (an estate of it)."""

    __tablename__ = "deliberation"
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)  # the grid
    estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"), index=True)
    held_on: Mapped[date | None] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(16), default="")
    topic: Mapped[str] = mapped_column(String(200))
    participants: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(16), default="")


class DeliberationProblem(Base):
    """A problem a deliberation raised (提出) or solved (解决)."""

    __tablename__ = "deliberation_problem"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deliberation_id: Mapped[int] = mapped_column(
        ForeignKey("deliberation.id", ondelete="CASCADE"), index=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("rectification_problem.id"), index=True)
    relation: Mapped[str] = mapped_column(String(8), default="提出")


__all__ = ["AgendaItem", "Deliberation", "DeliberationProblem", "Meeting", "MeetingDecision",
           "MeetingPerson"]
