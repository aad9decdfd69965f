"""Editable choice lists: a field declared `editable=True` (tags, post categories, the
list of 民族 …) keeps the spec's choices as a default, and an administrator may change
the list in 设置 → 可选值. The list lives with the data (table `setting`), so every PC
of the office sees the same; `apply(db)` puts it on the fields when a database opens."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.areas import get_setting, set_setting
from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.errors import UserError, ValidationError
from app.normalize import clean_text
from app.specs import Field, LedgerSpec, all_specs

_DEFAULTS: dict[int, tuple[str, ...]] = {}  # id(field) → the spec's own choices


def _key(spec: LedgerSpec, f: Field) -> str:
    return f"choices:{spec.key}.{f.name}"


def editable_fields() -> list[tuple[LedgerSpec, Field]]:
    return [(s, f) for s in all_specs() for f in s.fields if f.editable]


def _set(f: Field, values: tuple[str, ...]) -> None:
    _DEFAULTS.setdefault(id(f), f.choices)
    object.__setattr__(f, "choices", values)  # read by parse, editors, templates alike


def apply(db) -> None:
    """The stored lists onto the fields (the spec's own where none is stored)."""
    pairs = editable_fields()
    if not pairs:
        return
    with db.session() as s:
        for spec, f in pairs:
            stored = get_setting(s, _key(spec, f))
            _set(f, tuple(json.loads(stored)) if stored else _DEFAULTS.get(id(f), f.choices))


def default_choices(f: Field) -> tuple[str, ...]:
    return _DEFAULTS.get(id(f), f.choices)


@write_operation
def set_choices(db, spec: LedgerSpec, field_name: str, values: list[str]) -> tuple[str, ...]:
    """Replace the choice list of an editable field (an administrator's setting). A value
    still used by live rows cannot be removed; the change is audited with the diff."""
    f = spec.field(field_name)
    if not f.editable:
        raise UserError(f"{spec.title}的“{f.label}”不是可修改的选项")
    cleaned: list[str] = []
    for v in values:
        v = clean_text(v)
        if v and v not in cleaned:
            cleaned.append(v)
    if not cleaned:
        raise ValidationError({field_name: "至少要有一个可选值"}, spec.labels)
    if any(len(v) > 32 or "、" in v for v in cleaned):
        raise ValidationError({field_name: "每个可选值不超过 32 个字，且不能含“、”"}, spec.labels)
    with UnitOfWork(db) as uow:
        uow.allow("settings", db.street_id)
        s = uow.session
        old = tuple(f.choices)
        m = spec.model
        column = getattr(m, f.name)
        for gone in (v for v in old if v not in cleaned):
            match = column.contains(gone) if f.type.multi else column == gone
            n = s.execute(select(func.count()).select_from(m)
                          .where(match, m.deleted_at.is_(None))).scalar_one()
            if n:
                raise UserError(f"仍有 {n} 条{spec.title}记录的“{f.label}”为“{gone}”，不能从可选值中删除；"
                                "可先修改这些记录")
        if tuple(cleaned) == old:
            return old
        set_setting(s, _key(spec, f), json.dumps(cleaned, ensure_ascii=False))
        uow.audit("update", "settings", None, f"可选值：{spec.title}·{f.label}",
                  {f.label: ("、".join(old), "、".join(cleaned))})
    _set(f, tuple(cleaned))
    return tuple(cleaned)
