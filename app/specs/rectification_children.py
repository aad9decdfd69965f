"""The 整改台账's child collections: responsible units (one leads), measures, staged
milestones of a long-term problem, and the progress log — each with its one-cell form
for a sheet ("综合行政执法办公室（牵头）；社区治理办公室")."""

from __future__ import annotations

import re

from app.models import (
    FunctionalBody,
    RectificationMeasure,
    RectificationMilestone,
    RectificationProgress,
    RectificationUnit,
)
from app.specs import Children, Field, Ref

# -- child collections -------------------------------------------------------------------

_PROGRESS = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})\s*(.+?)\s*(?:[（(]\s*(\d{1,3})\s*%\s*(?:[，,、]\s*(.+?))?\s*[)）])?")


def _progress_item(text: str) -> dict:
    m = _PROGRESS.fullmatch(text.strip())
    if not m:
        raise ValueError("应写成“2026-05-01 完成围挡（60%，张三）”")
    return {"day": m.group(1), "work": m.group(2), "percent": m.group(3),
            "by_whom": m.group(4)}


def _progress_text(r: dict) -> str:
    tail = [f"{r['percent']}%" if r.get("percent") is not None else "", r.get("by_whom") or ""]
    tail = "，".join(t for t in tail if t)
    return f"{r['day'].isoformat()} {r['work']}" + (f"（{tail}）" if tail else "")


def _next_progress(rows: list[dict]) -> dict:
    from app.sqldates import today

    best = max((r.get("percent") or 0 for r in rows), default=0)
    return {"day": today(), "percent": best}


def _progress_rules(rows: list[dict]) -> dict[int, str]:
    """Reported percent does not go down as the days go on."""
    out, best = {}, None
    for n, r in sorted(enumerate(rows, 1), key=lambda x: x[1].get("day") or 0):
        p = r.get("percent")
        if p is None:
            continue
        if best is not None and p < best[0]:
            out[n] = f"完成进度 {p}% 低于此前（{best[1].isoformat()}）的 {best[0]}%"
        best = max(best or (p, r["day"]), (p, r["day"]))
    return out


PROGRESS = Children(
    "progress", "整改进展", RectificationProgress, "problem_id",
    fields=(Field("day", "日期", kind="date", required=True, width=11),
            Field("work", "进展情况", kind="longtext", required=True, width=30),
            Field("percent", "完成进度（%）", kind="int", bounds=(0, 100), width=8),
            Field("by_whom", "填报人", max_length=50, width=8)),
    order_by=("day", "id"), summary=_progress_text, new_row=_next_progress,
    parse_item=_progress_item, rules=_progress_rules,
    column_hint="每条一项，用“；”分隔，如 2026-05-01 完成围挡（60%，张三）",
    hint="按日期记录整改进展；完成进度为累计百分比，不应倒退。",
)

def _unit_item(text: str) -> dict:
    """One unit of the sheet cell “综合行政执法办公室（牵头）；社区治理办公室”."""
    name, lead = text.strip(), False
    for mark in ("（牵头）", "(牵头)", "（牵头单位）", "(牵头单位)"):
        if name.endswith(mark):
            name, lead = name[: -len(mark)].strip(), True
    if not name:
        raise ValueError("缺少单位名称")
    return {"body_id": name, "lead": "是" if lead else "否"}


def _unit_summary(row: dict) -> str:
    return f"{row.get('body_id')}（牵头）" if row.get("lead") else str(row.get("body_id"))


UNITS = Children(
    "units", "责任单位", RectificationUnit, "problem_id",
    fields=(Field("body_id", "单位", kind="ref", ref=Ref(FunctionalBody), required=True,
                  width=16),
            Field("lead", "牵头", kind="bool", width=6)),
    key=("body_id",), primary="lead", order_by=("id",),
    summary=_unit_summary, parse_item=_unit_item,
    new_row=lambda rows: {"lead": not rows},
    column_hint="多个单位用“；”分隔，牵头单位后注明（牵头），如 综合行政执法办公室（牵头）；"
                "社区治理办公室；未注明时第一个为牵头单位",
    hint="牵头单位一个（“牵头”为“是”），其余为配合单位。",
)


_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_MILESTONE = re.compile(_DATE + r"\s*(.+?)\s*(?:[（(]\s*完成于?\s*" + _DATE + r"\s*[)）])?")


def _milestone_item(text: str) -> dict:
    m = _MILESTONE.fullmatch(text.strip())
    if not m:
        raise ValueError("应写成“2027-06-30 完成管网改造（完成 2027-06-20）”")
    return {"due": m.group(1), "name": m.group(2), "done_on": m.group(3)}


def _milestone_text(r: dict) -> str:
    done = f"（完成 {r['done_on'].isoformat()}）" if r.get("done_on") else ""
    return f"{r['due'].isoformat()} {r['name']}{done}"


_MEASURE = re.compile(r"(.+?)\s*(?:[（(]\s*" + _DATE + r"\s*前?\s*[)）])?")


def _measure_item(text: str) -> dict:
    m = _MEASURE.fullmatch(text.strip())
    if not m or not m.group(1).strip():
        raise ValueError("应写成“清运垃圾（2026-06-30前）”")
    return {"content": m.group(1), "due": m.group(2)}


def _measure_text(r: dict) -> str:
    due = f"（{r['due'].isoformat()}前）" if r.get("due") else ""
    done = "，已完成" if r.get("done_on") else ""
    return f"{r['content']}{due}{done}"


MEASURES = Children(
    "steps", "整改措施", RectificationMeasure, "problem_id",
    fields=(Field("content", "措施内容", kind="longtext", required=True, width=30),
            Field("due", "完成时限", kind="date", width=11),
            Field("done_on", "完成日期", kind="date", width=11)),
    order_by=("id",), summary=_measure_text, parse_item=_measure_item,
    column_hint="每条一项，用“；”分隔，如 清运垃圾（2026-06-30前）；设置围挡",
    hint="逐项列出整改措施及其完成时限，完成一项填一项的完成日期。",
)


MILESTONES = Children(
    "milestones", "阶段目标", RectificationMilestone, "problem_id",
    fields=(Field("name", "阶段目标", required=True, max_length=200, width=30),
            Field("due", "计划完成日期", kind="date", required=True, width=11),
            Field("done_on", "实际完成日期", kind="date", width=11)),
    order_by=("due", "id"), summary=_milestone_text, parse_item=_milestone_item,
    column_hint="每条一项，用“；”分隔，如 2027-06-30 完成管网改造（完成 2027-06-20）",
    hint="长期整改的问题分阶段推进：每个阶段目标有自己的完成日期。",
)
