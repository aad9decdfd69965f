"""Status workflows of the ledger-spec vocabulary: states, the transitions between them
(who may make each one, whether a reason is required, a guard), and the initial state.

A ledger declares one `Workflow` on its spec (`LedgerSpec.workflow`); the status column
then moves only through `app.core.workflow.transition` — never by a form save or an
import — and every move is audited, so the audit trail is the row's timeline.

Pure declarations (no Qt, no database): a mistake in one is refused when the module
that declares it is imported."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
DEFAULT_ROLES = ("editor", "verifier", "admin")


class WorkflowError(ValueError):
    """A workflow declaration that cannot work (a bug in a spec, found at import)."""


@dataclass(frozen=True)
class State:
    name: str  # the Chinese label, stored as is in the status column: 整改中
    colour: str = "#607d8b"  # chip colour, #RRGGBB
    final: bool = False  # the work is finished (counts as done); a later reopen may leave it

    def __post_init__(self):
        if not self.name or self.name != self.name.strip():
            raise WorkflowError(f"状态名称不能为空或带首尾空格：{self.name!r}")
        if not _COLOUR.fullmatch(self.colour):
            raise WorkflowError(f"状态“{self.name}”的颜色须为 #RRGGBB：{self.colour!r}")


@dataclass(frozen=True)
class Transition:
    key: str  # English id, as code and the audit trail name it: submit
    label: str  # the button's Chinese text: 提交验收
    sources: tuple[str, ...]  # states it may start from
    target: str
    roles: tuple[str, ...] = DEFAULT_ROLES  # account roles that may make it
    reason: bool = False  # a reason (理由) is required, e.g. 退回
    # values of the row ({field: value}, plus id and version) → a Chinese message that
    # refuses the move, or None to let it through (e.g. 销号 only with evidence attached).
    guard: Callable[[dict], str | None] | None = None
    # Keys of transitions whose latest maker may not make this one (four eyes: who
    # submitted a row for acceptance does not close it).
    not_by: tuple[str, ...] = ()
    # Run on the row as it moves: returns {field: new value} also set (and audited), e.g.
    # a send-back counts the round and clears the failed acceptance. It sees the guard's
    # values plus "_by" (who makes the move, as people know them) and "_today".
    effect: Callable[[dict], dict] | None = None

    def __post_init__(self):
        if not _KEY.fullmatch(self.key or ""):
            raise WorkflowError(f"操作标识须为小写英文字母、数字或下划线：{self.key!r}")
        if not (self.label or "").strip():
            raise WorkflowError(f"操作“{self.key}”缺少中文名称")
        if isinstance(self.sources, str) or isinstance(self.roles, str) \
                or isinstance(self.not_by, str):
            raise WorkflowError(f"操作“{self.key}”的起始状态和角色须为元组，不是字符串")
        if not self.sources:
            raise WorkflowError(f"操作“{self.key}”没有起始状态")
        if self.target in self.sources:
            raise WorkflowError(f"操作“{self.key}”的目标状态“{self.target}”也是它的起始状态")
        if not self.roles or not all(isinstance(r, str) and r for r in self.roles):
            raise WorkflowError(f"操作“{self.key}”没有可执行的角色")


@dataclass(frozen=True)
class Workflow:
    field: str  # the status column of the ledger's model (and a field of its spec)
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    initial: str  # the state every new row starts in

    def __post_init__(self):
        names = [s.name for s in self.states]
        if not names:
            raise WorkflowError(f"状态流程（{self.field}）没有任何状态")
        if len(set(names)) != len(names):
            raise WorkflowError(f"状态流程（{self.field}）中有重复的状态：{_dupes(names)}")
        known = set(names)
        if self.initial not in known:
            raise WorkflowError(f"初始状态“{self.initial}”不在状态列表中（{'、'.join(names)}）")
        keys = [t.key for t in self.transitions]
        if len(set(keys)) != len(keys):
            raise WorkflowError(f"状态流程（{self.field}）中有重复的操作标识：{_dupes(keys)}")
        for t in self.transitions:
            unknown = [s for s in (*t.sources, t.target) if s not in known]
            if unknown:
                raise WorkflowError(f"操作“{t.key}”用到了未声明的状态：{'、'.join(unknown)}")
        for name in names:  # one button per transition: two with one label would confuse
            labels = [t.label for t in self.transitions if name in t.sources]
            if len(set(labels)) != len(labels):
                raise WorkflowError(f"状态“{name}”下有同名的操作：{_dupes(labels)}")
        unreachable = known - self._reachable()
        if unreachable:
            raise WorkflowError(f"从初始状态“{self.initial}”到达不了的状态："
                                f"{'、'.join(n for n in names if n in unreachable)}")

    def _reachable(self) -> set[str]:
        seen, todo = {self.initial}, [self.initial]
        while todo:
            here = todo.pop()
            for t in self.transitions:
                if here in t.sources and t.target not in seen:
                    seen.add(t.target)
                    todo.append(t.target)
        return seen

    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    def state(self, name: str) -> State:
        for s in self.states:
            if s.name == name:
                return s
        raise KeyError(name)

    def transition(self, key: str) -> Transition:
        for t in self.transitions:
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def final_states(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states if s.final)


def _dupes(items: list[str]) -> str:
    return "、".join(sorted({x for x in items if items.count(x) > 1}))


def allowed(workflow: Workflow, state: str, role: str | None) -> list[Transition]:
    """The transitions `role` may take from `state`, in declaration order. role None is
    setup mode (a database without accounts): every transition from the state."""
    return [t for t in workflow.transitions
            if state in t.sources and (role is None or role in t.roles)]


def new_status(spec) -> dict:
    """A workflow ledger's status moves by app.core.workflow.transition only: a new row
    (form or import) starts in the initial state, whatever it said."""
    wf = spec.workflow
    return {wf.field: wf.initial} if wf is not None else {}


def without_status(spec, values: dict) -> dict:
    """…and a form save or an import over a stored row keeps its status."""
    wf = spec.workflow
    if wf is None or wf.field not in values:
        return values
    return {k: v for k, v in values.items() if k != wf.field}


def status_field(workflow: Workflow, label: str = "状态", **options):
    """The spec field of the status column: a choice of the states, shown in the table,
    filters and exports, but not edited in the form nor read from imports (the
    workflow moves it). Extra options go to Field (width, pdf_weight, aliases…)."""
    from app.specs import Field  # app.specs imports this module

    options = {"width": 8, "filterable": True,
               "colours": {st.name: st.colour for st in workflow.states}, **options,
               "form": False}
    return Field(workflow.field, label, "enum", choices=workflow.state_names,
                 default=workflow.initial, **options)


def check_spec(spec, roles=None) -> None:
    """The workflow fits its spec: the status field is declared, a choice of exactly the
    states, a column of the model; with `roles` (app.auth.ROLES), every role named by a
    transition exists. Raises WorkflowError."""
    wf = spec.workflow
    if wf is None:
        return
    try:
        f = spec.field(wf.field)
    except KeyError:
        raise WorkflowError(f"{spec.title}的状态流程字段“{wf.field}”不在台账字段中") from None
    if not f.type.ranked or set(f.choices) != set(wf.state_names):
        raise WorkflowError(f"{spec.title}的字段“{f.label}”须为选择项，且可选值正好是各状态"
                            f"（{'、'.join(wf.state_names)}）")
    if not hasattr(spec.model, wf.field):
        raise WorkflowError(f"{spec.title}的数据表没有状态列“{wf.field}”")
    if roles is not None:
        for t in wf.transitions:
            unknown = [r for r in t.roles if r not in roles]
            if unknown:
                raise WorkflowError(f"操作“{t.key}”用到了未知角色：{'、'.join(unknown)}")
