"""A ledger that exists only in the tests: 志愿服务队 (volunteer teams), using every field
kind, a child collection with its own column (service records), a many-to-many with an
attribute (the bodies a team works with, exactly one of them lead), computed columns,
a status workflow (筹建 → 活动中 ⇄ 暂停, 暂停 needs a reason) and photos. It shows that a new ledger is a model, a spec and its rules — nothing else.

Its tables live in a metadata of their own, so the application's schema checks never
see them; `install(db)` creates them in a test database."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.models import FunctionalBody, LedgerRow
from app.specs import Children, Field, LedgerSpec, Ref, register
from app.specs.figures import Count, PerValue, Total
from app.specs.workflow import State, Transition, Workflow, status_field


class ExampleBase(DeclarativeBase):
    pass


class VolunteerTeam(LedgerRow, ExampleBase):
    __tablename__ = "example_team"
    area_id: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(16), default="")
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    active: Mapped[bool | None] = mapped_column(Boolean)
    skills: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    leader_id_number: Mapped[str] = mapped_column(String(18), default="")
    credit_code: Mapped[str] = mapped_column(String(18), default="")
    founded: Mapped[date | None] = mapped_column(Date)
    members: Mapped[int | None] = mapped_column(Integer)
    body_id: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="")


class ServiceRecord(ExampleBase):
    __tablename__ = "example_service"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("example_team.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    hours: Mapped[int] = mapped_column(Integer, default=0)


class TeamBody(ExampleBase):
    """Many-to-many with an attribute: the bodies a team works with, one of them lead."""

    __tablename__ = "example_team_body"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("example_team.id", ondelete="CASCADE"))
    body_id: Mapped[int] = mapped_column(Integer)
    lead: Mapped[bool] = mapped_column(Boolean, default=False)


def _service_item(text: str) -> dict:
    m = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})\s*(\d+)\s*小时", text.replace(" ", ""))
    if not m:
        raise ValueError("应写成“2024-05-01 3小时”")
    return {"day": m.group(1), "hours": m.group(2)}


SERVICES = Children(
    "services", "服务记录", ServiceRecord, "team_id",
    fields=(Field("day", "服务日期", kind="date", required=True),
            Field("hours", "时长（小时）", kind="int", required=True, bounds=(1, 24))),
    key=("day",), order_by=("day",),
    summary=lambda r: f"{r['day'].isoformat()} {r['hours']}小时",
    parse_item=_service_item, column_hint="如 2024-05-01 3小时；2024-06-01 2小时",
)

PARTNERS = Children(
    "partners", "协作科室", TeamBody, "team_id",
    fields=(Field("body_id", "科室", kind="ref", ref=Ref(FunctionalBody), required=True),
            Field("lead", "牵头", kind="bool")),
    key=("body_id",), primary="lead",
)


def _total_hours(model, _year):
    return (select(func.coalesce(func.sum(ServiceRecord.hours), 0))
            .where(ServiceRecord.team_id == model.id).scalar_subquery())


def _rules(values: dict) -> dict[str, str]:
    if values.get("active") is False and not values.get("notes"):
        return {"notes": "停止活动的服务队须在备注中说明原因"}
    return {}


WORKFLOW = Workflow(
    field="status",
    states=(State("筹建", "#9e9e9e"), State("活动中", "#2e7d32"), State("暂停", "#c62828")),
    transitions=(
        Transition("open", "开始活动", ("筹建", "暂停"), "活动中"),
        Transition("pause", "暂停活动", ("活动中",), "暂停", reason=True),
    ),
    initial="筹建",
)

TEAMS = LedgerSpec(
    key="example_teams", title="志愿服务队", model=VolunteerTeam, natural_key=("name",),
    rules=_rules, group="示例", order=900, children=(SERVICES, PARTNERS), workflow=WORKFLOW,
    figures=(Total(), PerValue("category", "按类别"),
             Count("inactive", "停止活动", {"active": False}, tone="warn")),
    fields=(
        Field("name", "服务队名称", required=True, max_length=100, width=20, pdf_weight=3,
              searchable=True),
        Field("category", "类别", kind="enum", choices=("助老", "助残", "环保", "综合"),
              required=True, pdf_weight=1.5, filterable=True),
        Field("budget", "年度经费（元）", kind="decimal", pdf_weight=2),
        Field("active", "是否活动", kind="bool", pdf_weight=1.2, filterable=True),
        Field("skills", "服务内容", kind="tags", choices=("陪护", "维修", "宣传", "清扫"),
              pdf_weight=2, filterable=True),
        Field("phone", "联系电话", kind="phone", pdf_weight=2),
        Field("leader_id_number", "队长身份证号", kind="idcard", pdf_weight=3),
        Field("credit_code", "统一社会信用代码", kind="uscc", pdf_weight=3),
        Field("founded", "成立日期", kind="date", pdf_weight=2),
        Field("members", "队员人数", kind="int", pdf_weight=1.2),
        Field("body_id", "主管科室", kind="ref", ref=Ref(FunctionalBody, ledger="bodies"),
              pdf_weight=2, filterable=True),
        Field("notes", "备注", kind="longtext", pdf_weight=2),
        Field("services", "服务记录", kind="collection", collection=SERVICES, width=30,
              pdf_weight=3),
        Field("total_hours", "累计时长", kind="int", compute=_total_hours, pdf_weight=1.2),
        status_field(WORKFLOW),
        Field("photos", "活动照片", kind="attachment"),
    ),
)


def install(db) -> LedgerSpec:
    """Create the example tables in `db` and register the spec (idempotent)."""
    from sqlalchemy import event

    from app.core.uow import _WRITE, INFO_KEY, BypassError

    ExampleBase.metadata.create_all(db.engine)
    tables = set(ExampleBase.metadata.tables)

    @event.listens_for(db.engine, "before_cursor_execute")
    def _check(conn, _cursor, statement, _params, _context, _many):
        # The app's guard knows app.models' tables; the example's are guarded the same way.
        m = _WRITE.match(statement)
        if m and m.group(1).lower() in tables and not conn.info.get(INFO_KEY):
            raise BypassError(f"写入 {m.group(1)} 未经统一写入通道（UnitOfWork）")

    return register(TEAMS)


def unregister() -> None:
    from app.specs import _REGISTRY

    _REGISTRY.pop(TEAMS.key, None)
