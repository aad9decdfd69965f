"""整改台账 settings an administrator edits in 设置 → 整改预警与评比: the warning
thresholds, the 红黑榜 rules (weights, target, top/bottom N) and the number prefix.

Kept in the database (table `setting`, one key each) so every PC of the office counts
alike; the warning columns read the thresholds inside their SQL (`sql_int`), so a change
shows on the next reload without restarting anyone. Changes are audited with the diff."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields

from sqlalchemy import Integer, cast, func, select

from app.areas import get_setting, set_setting
from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.errors import ValidationError
from app.models import Setting

PREFIX = "rectification."


@dataclass(frozen=True)
class RectSettings:
    warn_days: int = 10  # 蓝: the deadline is at most this many days away
    stale_days: int = 14  # 黄: no progress entered for longer than this many days
    behind_share: int = 70  # 黄: reported percent below this % of the share of time elapsed
    completion_weight: int = 60  # 红黑榜 score = completion × w + on-time × (100 − w), in %
    on_time_weight: int = 40
    target: float = 95.0  # completion rate (%) needed for the red list
    top: int = 3
    bottom: int = 3
    number_prefix: str = "ZG"


DEFAULTS = RectSettings()
LABELS = {
    "warn_days": "临期预警天数（蓝）", "stale_days": "无进展预警天数（黄）",
    "behind_share": "进度滞后比例（%，黄）", "completion_weight": "完成率权重（%）",
    "on_time_weight": "按期完成率权重（%）", "target": "红榜目标完成率（%）",
    "top": "红榜名额（前N名）", "bottom": "黑榜名额（后N名）", "number_prefix": "问题编号前缀",
}
_BOUNDS = {"warn_days": (1, 90), "stale_days": (1, 180), "behind_share": (1, 100),
           "completion_weight": (0, 100), "on_time_weight": (0, 100), "target": (0, 100),
           "top": (1, 20), "bottom": (1, 20)}
_PREFIX_RULE = re.compile(r"[A-Za-z]{1,8}")


def sql_int(name: str):
    """The threshold as SQL: the stored value, else the default (an uncorrelated scalar
    subquery, evaluated once per query on SQLite and PostgreSQL)."""
    stored = select(cast(Setting.value, Integer)).where(Setting.key == PREFIX + name)
    return func.coalesce(stored.scalar_subquery(), getattr(DEFAULTS, name))


def _read(session) -> RectSettings:
    values = {}
    for f in fields(RectSettings):
        raw = get_setting(session, PREFIX + f.name)
        if raw == "":
            continue
        try:
            values[f.name] = _typed(f.name, raw)
        except ValueError:
            continue  # a broken value reads as the default
    return RectSettings(**values)


def _typed(name: str, raw):
    if name == "number_prefix":
        return str(raw).strip().upper()
    return float(raw) if name == "target" else int(raw)


def get_settings(db) -> RectSettings:
    with db.session() as s:
        return _read(s)


def _shown(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _check(values: dict) -> dict:
    errors = {}
    for name, v in values.items():
        if name == "number_prefix":
            if not _PREFIX_RULE.fullmatch(v or ""):
                errors[name] = "编号前缀须为1–8个英文字母，如 ZG"
            continue
        lo, hi = _BOUNDS[name]
        if not lo <= v <= hi:
            errors[name] = f"{LABELS[name]}须在 {lo}–{hi} 之间"
    if values["completion_weight"] + values["on_time_weight"] != 100:
        errors["on_time_weight"] = "两项权重之和须为 100%"
    return errors


@write_operation
def set_settings(db, **changes) -> RectSettings:
    """Change some settings (administrators only; audited with the diff). Raises
    ValidationError naming the field for a value out of its bounds."""
    unknown = set(changes) - set(LABELS)
    if unknown:
        raise ValidationError({n: "没有这项设置" for n in unknown}, {n: n for n in unknown})
    with UnitOfWork(db) as uow:
        uow.allow("settings", db.street_id)
        old = _read(uow.session)
        values = asdict(old)
        for name, raw in changes.items():
            try:
                values[name] = _typed(name, raw)
            except (TypeError, ValueError):
                raise ValidationError({name: f"{LABELS[name]}须为数字"}, LABELS) from None
        errors = _check(values)
        if errors:
            raise ValidationError(errors, LABELS)
        new = RectSettings(**values)
        diff = {LABELS[k]: (_shown(getattr(old, k)), _shown(v)) for k, v in values.items()
                if getattr(old, k) != v}
        if not diff:
            return old
        for k in (k for k, v in values.items() if getattr(old, k) != v):
            set_setting(uow.session, PREFIX + k, _shown(values[k]))
        uow.audit("update", "settings", None, "整改台账：预警与评比设置", diff)
    return new
