"""A test-only ledger with a status workflow (rectification in small): its model lives on
a metadata of its own, so it is never part of the app's schema, its migrations or the
models/migrations check; `create_table(db)` adds its table to a test database.

The spec is not registered: only the tests that pass it see it."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.models import LedgerRow
from app.specs import Field, LedgerSpec
from app.specs.workflow import State, Transition, Workflow, status_field


class WfBase(DeclarativeBase):
    pass


class WfTask(LedgerRow, WfBase):
    __tablename__ = "wf_task"
    # No foreign key: area lives on the app's metadata; the scope is checked by path.
    area_id: Mapped[int] = mapped_column(Integer, index=True)
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200), default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    # Not the initial state on purpose: a new row gets it from the workflow, not the model.
    status: Mapped[str] = mapped_column(String(16), default="")


def _needs_evidence(values: dict) -> str | None:
    return None if values.get("evidence") else "请先在“整改佐证”中写明佐证材料"


WORKFLOW = Workflow(
    field="status",
    states=(State("待整改", "#9e9e9e"), State("整改中", "#1976d2"),
            State("待验收", "#f9a825"), State("已销号", "#2e7d32", final=True)),
    transitions=(
        Transition("start", "开始整改", ("待整改",), "整改中"),
        Transition("submit", "提交验收", ("整改中",), "待验收"),
        Transition("reject", "退回", ("待验收",), "整改中", roles=("admin",), reason=True),
        Transition("close", "销号", ("待验收",), "已销号", roles=("admin",),
                   guard=_needs_evidence),
        Transition("reopen", "重新打开", ("已销号",), "整改中", roles=("admin",), reason=True),
    ),
    initial="待整改",
)

TASKS = LedgerSpec(
    key="wf_tasks",
    title="整改任务",
    model=WfTask,
    fields=(
        Field("code", "编号", required=True, max_length=32),
        Field("title", "问题", required=True, max_length=200),
        Field("evidence", "整改佐证", "longtext"),
        status_field(WORKFLOW),
    ),
    natural_key=("code",),
    label=("code", "title"),
    workflow=WORKFLOW,
)


def create_table(db) -> None:
    """The table, and the engine guard over it as over the app's own tables (the guard
    knows app.models' tables only): a write outside a unit of work raises BypassError."""
    from sqlalchemy import event

    from app.core.uow import _WRITE, INFO_KEY, BypassError

    WfBase.metadata.create_all(db.engine)

    @event.listens_for(db.engine, "before_cursor_execute")
    def _check(conn, _cursor, statement, _params, _context, _many):
        m = _WRITE.match(statement)
        if m and m.group(1).lower() == WfTask.__tablename__ and not conn.info.get(INFO_KEY):
            raise BypassError(f"写入 {m.group(1)} 未经统一写入通道（UnitOfWork）")
