"""Grid rosters beyond the specs: the visit intervals by risk level (红 7 天, 橙 15, 黄 30,
绿 90 by default), an administrator's setting kept in the database so every PC counts
走访逾期 alike, and audited when changed. (`stats grids` is the grids spec's figures; the
checks are declared by the specs and run by app.checks.)"""

from __future__ import annotations

from app.areas import get_setting, set_setting
from app.core.ops import write_operation
from app.core.uow import UnitOfWork
from app.db import Database
from app.errors import ValidationError
from app.specs.key_persons import RISK_LEVELS, VISIT_DAYS, VISIT_SETTING

MAX_DAYS = 366


def visit_days(db: Database) -> dict[str, int]:
    """Days between visits by risk level: the stored setting, else the default."""
    with db.session() as s:
        out = {}
        for level in RISK_LEVELS:
            typed = get_setting(s, VISIT_SETTING + level)
            out[level] = int(typed) if typed.isdigit() else VISIT_DAYS[level]
        return out


@write_operation
def set_visit_days(db: Database, days: dict[str, int]) -> dict[str, int]:
    """Change the intervals (administrators only; one audit entry with the diff)."""
    labels = {level: f"{level}色走访间隔" for level in RISK_LEVELS}
    errors = {}
    for level, n in days.items():
        if level not in RISK_LEVELS:
            errors[level] = f"风险等级只能是{'、'.join(RISK_LEVELS)}"
        elif not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= MAX_DAYS:
            errors[level] = f"{level}色的走访间隔应为 1—{MAX_DAYS} 天的整数"
    if errors:
        raise ValidationError(errors, labels)
    old = visit_days(db)
    new = {**old, **days}
    with UnitOfWork(db) as uow:
        uow.allow("settings", db.street_id)
        changed = {labels[lv]: (old[lv], new[lv]) for lv in RISK_LEVELS if old[lv] != new[lv]}
        if not changed:
            return old
        for level in RISK_LEVELS:
            set_setting(uow.session, VISIT_SETTING + level, str(new[level]))
        uow.audit("update", "settings", None, "重点人员走访间隔："
                  + "，".join(f"{lv} {new[lv]} 天" for lv in RISK_LEVELS), changed)
    return new
